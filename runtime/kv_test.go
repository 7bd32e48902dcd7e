package runtime

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

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
