package runtime

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"edgerun/bindings/localpg/pgtest"
	"edgerun/runtime/config"
)

// [[kv_namespaces]] and [[r2_buckets]] become env bindings whose data
// outlives the process, kept under the project's .edgerun/state.
func TestKVAndR2PersistAcrossRestarts(t *testing.T) {
	dir := copyFixture(t, "kv-app")
	a := startAppWith(t, config.Options{Dir: dir}, false, nil)
	for want := 1; want <= 3; want++ {
		if code, body := a.get(t, "/visit?id=ann"); code != 200 || body != `{"id":"ann","visits":`+string(rune('0'+want))+`}` {
			t.Fatalf("visit %d = %d %s", want, code, body)
		}
	}
	a.get(t, "/visit?id=bob")
	if code, body := a.get(t, "/sessions"); code != 200 ||
		body != `[{"name":"visits:ann","metadata":{"last":"/visit"}},{"name":"visits:bob","metadata":{"last":"/visit"}}]` {
		t.Fatalf("/sessions = %d %s", code, body)
	}
	if resp, body := a.do(t, "PUT", "/flag", strings.NewReader("on"), nil); resp.StatusCode != 200 || body != "on" {
		t.Fatalf("PUT /flag = %d %s", resp.StatusCode, body)
	}
	if resp, body := a.do(t, "PUT", "/files/notes.txt", strings.NewReader("my notes"), map[string]string{"Content-Type": "text/plain"}); resp.StatusCode != 200 ||
		body != `{"key":"notes.txt","size":8,"etag":"97ec6ff9cda2fc868e879c4c7b47a242"}` {
		t.Fatalf("PUT /files/notes.txt = %d %s", resp.StatusCode, body)
	}

	// A restart: the same project directory, a new app.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.app.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	b := startAppWith(t, config.Options{Dir: dir}, false, nil)
	if code, body := b.get(t, "/visit?id=ann"); code != http.StatusOK || body != `{"id":"ann","visits":4}` {
		t.Fatalf("after a restart: %d %s", code, body)
	}
	if code, body := b.get(t, "/flag"); code != 200 || body != "on" {
		t.Fatalf("/flag after a restart = %d %s", code, body)
	}
	if resp, body := b.do(t, "GET", "/files/notes.txt", nil, nil); resp.StatusCode != 200 || body != "my notes" ||
		resp.Header.Get("Content-Type") != "text/plain" || resp.Header.Get("ETag") != `"97ec6ff9cda2fc868e879c4c7b47a242"` {
		t.Fatalf("R2 file after a restart = %d %q %v", resp.StatusCode, body, resp.Header)
	}
}

// With EDGERUN_KV_CONNECTION_STRING_<BINDING> set, two apps on two project
// directories (two processes of a fleet) share the namespaces: a counter
// bumped through one is read and listed through the other, while the
// namespace left local stays each app's own.
func TestKVOnPostgresIsSharedByApps(t *testing.T) {
	db := pgtest.NewDatabase(t)
	getenv := func(k string) (string, bool) {
		if k == "EDGERUN_KV_CONNECTION_STRING_SESSIONS" {
			return db, true
		}
		return "", false
	}
	a := startAppWith(t, config.Options{Dir: copyFixture(t, "kv-app"), Getenv: getenv}, false, nil)
	b := startAppWith(t, config.Options{Dir: copyFixture(t, "kv-app"), Getenv: getenv}, false, nil)
	for i, app := range []*testApp{a, b, a, b} {
		if code, body := app.get(t, "/visit?id=ann"); code != 200 || body != fmt.Sprintf(`{"id":"ann","visits":%d}`, i+1) {
			t.Fatalf("visit %d = %d %s", i+1, code, body)
		}
	}
	b.get(t, "/visit?id=bob")
	if code, body := a.get(t, "/sessions"); code != 200 ||
		body != `[{"name":"visits:ann","metadata":{"last":"/visit"}},{"name":"visits:bob","metadata":{"last":"/visit"}}]` {
		t.Fatalf("/sessions through a = %d %s", code, body)
	}
	if resp, body := a.do(t, "PUT", "/flag", strings.NewReader("on"), nil); resp.StatusCode != 200 || body != "on" {
		t.Fatalf("PUT /flag = %d %s", resp.StatusCode, body)
	}
	if code, body := b.get(t, "/flag"); code != 200 || body != "" {
		t.Fatalf("b's local FLAGS namespace reads a's value: %d %q", code, body)
	}
	conn, err := pgx.Connect(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM edgerun_kv WHERE namespace = '4f2a0c7e9b1d4c3e8a6f5b2d1c0e9f8a'").Scan(&n); err != nil || n != 2 {
		t.Fatalf("rows in edgerun_kv = %d, %v; want 2", n, err)
	}
}
