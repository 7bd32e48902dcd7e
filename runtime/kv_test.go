package runtime

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"edgerun/bindings/localpg/pgtest"
	"edgerun/bindings/r2/s3test"
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

// An [[r2_buckets]] entry moved to S3 by EDGERUN_R2_ENDPOINT_<BINDING> (no
// change to wrangler.toml): two apps, each with its own project directory,
// share the bucket; an object put through one is read, whole and by range,
// through the other, with its HTTP metadata.
func TestR2OnS3SharedByTwoApps(t *testing.T) {
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	environ := map[string]string{
		"EDGERUN_R2_ENDPOINT_UPLOADS":          srv.Endpoint,
		"EDGERUN_R2_ACCESS_KEY_ID_UPLOADS":     srv.AccessKeyID,
		"EDGERUN_R2_SECRET_ACCESS_KEY_UPLOADS": srv.SecretAccessKey,
	}
	getenv := func(k string) (string, bool) { v, ok := environ[k]; return v, ok }
	inBucket := func(cfg *config.Config) { cfg.R2Buckets[0].S3Bucket = bucket } // a fresh bucket per test, not "uploads"
	a := startAppWith(t, config.Options{Dir: copyFixture(t, "kv-app"), Getenv: getenv}, false, inBucket)
	b := startAppWith(t, config.Options{Dir: copyFixture(t, "kv-app"), Getenv: getenv}, false, inBucket)
	if resp, body := a.do(t, "PUT", "/files/notes.txt", strings.NewReader("my notes"), map[string]string{"Content-Type": "text/plain"}); resp.StatusCode != 200 ||
		body != `{"key":"notes.txt","size":8,"etag":"97ec6ff9cda2fc868e879c4c7b47a242"}` {
		t.Fatalf("PUT /files/notes.txt through A = %d %s", resp.StatusCode, body)
	}
	resp, body := b.do(t, "GET", "/files/notes.txt", nil, nil)
	if resp.StatusCode != 200 || body != "my notes" || resp.Header.Get("Content-Type") != "text/plain" || resp.Header.Get("Etag") != `"97ec6ff9cda2fc868e879c4c7b47a242"` {
		t.Fatalf("GET through B = %d %q %v", resp.StatusCode, body, resp.Header)
	}
	resp, body = b.do(t, "GET", "/files/notes.txt", nil, map[string]string{"Range": "bytes=3-7"})
	if resp.StatusCode != 206 || body != "notes" || resp.Header.Get("Content-Range") != "bytes 3-7/8" {
		t.Fatalf("ranged GET through B = %d %q %v", resp.StatusCode, body, resp.Header)
	}
	// Nothing went to either project's local state.
	for _, app := range []*testApp{a, b} {
		if _, err := os.Stat(filepath.Join(app.app.cfg.Dir, ".edgerun", "state", "r2")); !os.IsNotExist(err) {
			t.Errorf("%s has local R2 state: %v", app.app.cfg.Dir, err)
		}
	}
}

// A bucket that is missing, or credentials the service refuses, are
// warned about at start (the app still starts: the service may be down
// for a moment), with the binding's name and never the secret.
func TestR2OnS3WarnsAtStartAboutAnUnusableBucket(t *testing.T) {
	srv := s3test.Start(t)
	for _, tc := range []struct{ name, bucket, secret, want string }{
		{"missing bucket", "no-such-bucket", srv.SecretAccessKey, "no such bucket"},
		{"wrong secret", srv.NewBucket(t), "wrong-secret-for-the-test", "r2 on " + srv.Endpoint + ": check bucket"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			environ := map[string]string{
				"EDGERUN_R2_ENDPOINT_UPLOADS":          srv.Endpoint,
				"EDGERUN_R2_ACCESS_KEY_ID_UPLOADS":     srv.AccessKeyID,
				"EDGERUN_R2_SECRET_ACCESS_KEY_UPLOADS": tc.secret,
			}
			getenv := func(k string) (string, bool) { v, ok := environ[k]; return v, ok }
			a := startAppWith(t, config.Options{Dir: copyFixture(t, "kv-app"), Getenv: getenv}, false, func(cfg *config.Config) { cfg.R2Buckets[0].S3Bucket = tc.bucket })
			logs := a.logs.String()
			if !strings.Contains(logs, "r2 bucket not usable yet") || !strings.Contains(logs, "UPLOADS") || !strings.Contains(logs, tc.want) {
				t.Fatalf("start-up log lacks the warning (%q):\n%s", tc.want, logs)
			}
			if strings.Contains(logs, tc.secret) || strings.Contains(logs, srv.SecretAccessKey) {
				t.Fatalf("the secret is in the log:\n%s", logs)
			}
			if code, _ := a.get(t, "/visit?id=x"); code != 200 { // the rest of the worker serves
				t.Fatalf("/visit = %d", code)
			}
		})
	}
}

// Expired keys are deleted while the process runs, not only at its next
// start: a serve process runs for months, and a namespace used as a cache
// would otherwise grow the fleet's shared table until a restart.
func TestKVPurgesExpiredKeysWhileRunning(t *testing.T) {
	saved := kvPurgeEvery
	kvPurgeEvery = 50 * time.Millisecond
	t.Cleanup(func() { kvPurgeEvery = saved })
	db := pgtest.NewDatabase(t)
	getenv := func(k string) (string, bool) { return db, k == "EDGERUN_KV_CONNECTION_STRING_SESSIONS" }
	startAppWith(t, config.Options{Dir: copyFixture(t, "kv-app"), Getenv: getenv}, false, nil)
	conn, err := pgx.Connect(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	// Rows as a put with expirationTtl leaves them: one past its time, one
	// not yet, one with none.
	now := time.Now().Unix()
	if _, err := conn.Exec(t.Context(), `INSERT INTO edgerun_kv (namespace, key, value, expiration) VALUES
		('4f2a0c7e9b1d4c3e8a6f5b2d1c0e9f8a', 'gone', 'x', $1), ('4f2a0c7e9b1d4c3e8a6f5b2d1c0e9f8a', 'later', 'x', $2),
		('4f2a0c7e9b1d4c3e8a6f5b2d1c0e9f8a', 'kept', 'x', NULL)`, now-1, now+3600); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second) // a bound on a purger that never runs, not a measurement
	for {
		rows, err := conn.Query(t.Context(), "SELECT convert_from(key, 'UTF8') FROM edgerun_kv ORDER BY key")
		if err != nil {
			t.Fatal(err)
		}
		keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		if slices.Equal(keys, []string{"kept", "later"}) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("rows left in edgerun_kv: %q; want the expired one deleted, the others kept", keys)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
