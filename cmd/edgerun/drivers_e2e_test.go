//go:build unix

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/valyala/fasthttp"

	"edgerun/bindings/localpg/pgtest"
	"edgerun/runtime/npmtest"
)

// Issue #15's test: 10,000 concurrent HTTP requests to a served worker, each
// of which opens its own node-postgres client on env.HYPERDRIVE.connectionString
// (testdata/apps/bench's /pg: new Client, connect, SCRAM, query, end), all
// succeed with their row, and PostgreSQL never sees more than
// origin_connection_limit connections, counted on the server. Caching is off,
// so every query reaches the origin. edgerun runs as its own process: the
// test's 10,000 HTTP sockets and edgerun's (10,000 HTTP, two per driver
// client in flight) would not fit under one process's 20,000 descriptors.
func TestTenThousandDriverClientsShareTheSmallPool(t *testing.T) {
	const (
		n     = 10000
		limit = 5
		users = 100
	)
	apps, err := filepath.Abs(filepath.Join("..", "..", "testdata", "apps"))
	if err != nil {
		t.Fatal(err)
	}
	npmtest.Ensure(t, apps)
	dsn := pgtest.NewDatabase(t)
	// In-flight requests are bounded by isolates × max_concurrent_per_isolate
	// (the rest queue in edgerun), which bounds the driver clients open at
	// once: each holds about 0.7 MB of an isolate's heap (500 per isolate
	// went past the default 128 MiB memory limit, and 100 did once the
	// garbage piled up: memory_mb is raised).
	dir := t.TempDir()
	adminAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	toml := fmt.Sprintf(`name = "ten-thousand-pg"
main = %q
compatibility_date = "2025-09-01"
compatibility_flags = ["nodejs_compat"]

[edgerun]
isolates = 2
max_concurrent_per_isolate = 100
admin = %q

[limits]
memory_mb = 512

[[hyperdrive]]
binding = "HYPERDRIVE"
id = "ten-thousand"
origin_connection_limit = %d
acquire_timeout_ms = 60000
migrations_dir = %q

[hyperdrive.caching]
disabled = true
`, filepath.Join(apps, "bench", "src", "index.js"), adminAddr, limit, filepath.Join(apps, "migrations"))
	if err := os.WriteFile(filepath.Join(dir, "wrangler.toml"), []byte(toml), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, "serve", dir, []string{"CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE=" + dsn}, "--log-level", "warn")

	ctx := context.Background()
	watch, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer watch.Close(ctx)
	want := map[int]string{} // id → the row as JSON, read from the database
	for i := range users {
		var id int
		var row string
		if err := watch.QueryRow(ctx, `INSERT INTO users (name, email) VALUES ($1, $2)
			RETURNING id, json_build_object('id', id, 'name', name, 'email', email)::text`,
			fmt.Sprint("user ", i), fmt.Sprintf("u%d@example.com", i)).Scan(&id, &row); err != nil {
			t.Fatal(err)
		}
		want[id] = row
	}
	ids := make([]int, 0, users)
	for id := range want {
		ids = append(ids, id)
	}

	// Every backend of the database's role but the sampler's own, while the
	// load runs (other roles' sessions, autovacuum's and the test server's
	// own, are not edgerun's).
	peak, stopWatching := watchPeak(watch, `SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND usename = current_user AND pid <> pg_backend_pid()`)

	// 10,000 connects at once overflow the listen backlog, and a SYN is
	// retried after 1, 3, 7 s…: fasthttp's 3 s dial timeout is too short.
	client := &fasthttp.Client{MaxConnsPerHost: n, ReadTimeout: 5 * time.Minute, WriteTimeout: time.Minute,
		Dial: func(addr string) (net.Conn, error) { return fasthttp.DialTimeout(addr, 2*time.Minute) }}
	elapsed, failed, first := fanOut(t, n, func(i int) string {
		id := ids[i%users]
		req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
		defer fasthttp.ReleaseRequest(req)
		defer fasthttp.ReleaseResponse(resp)
		req.SetRequestURI(fmt.Sprintf("%s/pg?id=%d", srv.base, id))
		if err := client.Do(req, resp); err != nil {
			return err.Error()
		}
		if resp.StatusCode() != 200 || !sameJSON(resp.Body(), want[id]) {
			return fmt.Sprintf("id %d: %d %.300s, want %s", id, resp.StatusCode(), resp.Body(), want[id])
		}
		return ""
	})
	stopWatching()
	if failed > 0 {
		t.Fatalf("%d of %d requests failed; first: %v\nlogs:\n%.3000s", failed, n, first, srv.Logs())
	}
	stats := proxyStats(t, "http://"+adminAddr)
	t.Logf("%d concurrent requests, each its own pg client, in %s (%.0f requests/s); peak %d server connections (origin_connection_limit %d); local Hyperdrive: %s",
		n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), peak.Load(), limit, stats)
	if peak.Load() == 0 {
		t.Fatal("never saw the binding's connections on the server")
	}
	if p := peak.Load(); p > limit {
		t.Fatalf("the origin saw %d connections, origin_connection_limit is %d", p, limit)
	}
}

// sameJSON reports whether two JSON texts hold the same value.
func sameJSON(a []byte, b string) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	xs, _ := json.Marshal(x)
	ys, _ := json.Marshal(y)
	return string(xs) == string(ys)
}

// proxyStats is the binding's local Hyperdrive report from /health.
func proxyStats(t *testing.T, adminBase string) string {
	t.Helper()
	_, report := health(t, adminBase)
	b, _ := json.Marshal(report.Bindings)
	return string(b)
}
