package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"edgerun/bindings/localpg"
	"edgerun/bindings/localpg/pgtest"
	"edgerun/runtime/admin"
	"edgerun/runtime/metrics/metricstest"
)

var adminClient = &http.Client{Timeout: 20 * time.Second}

// startMonitored serves the monitored-app fixture against the database
// dsn, with the admin endpoints on a free port, and waits until /readyz
// answers 200. It returns the server and the admin base URL.
func startMonitored(t *testing.T, dsn string, args ...string) (*server, string) {
	t.Helper()
	adminAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	args = append([]string{"--admin", adminAddr}, args...)
	srv := startServer(t, "serve", fixture("monitored-app"), []string{"CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_DB=" + dsn}, args...)
	base := "http://" + adminAddr
	waitFor(t, 10*time.Second, srv, "/readyz to answer 200", func() bool {
		code, _ := fetch(base + "/readyz")
		return code == 200
	})
	return srv, base
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, within time.Duration, srv *server, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s; logs:\n%s", within, what, srv.Logs())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// fetch GETs url: status and body, or 0 when it cannot connect.
func fetch(url string) (int, string) {
	resp, err := adminClient.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func mustFetch(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := adminClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// scrapeMetrics parses /metrics with Prometheus' own text parser.
func scrapeMetrics(t *testing.T, adminBase string) metricstest.Families {
	t.Helper()
	return metricstest.Scrape(t, adminClient, adminBase+"/metrics")
}

// metricValue is a series' value (a histogram's count), 0 when absent;
// labels are name=value pairs the series must carry.
func metricValue(families metricstest.Families, name string, labels ...string) float64 {
	return families.Value(name, labels...)
}

func health(t *testing.T, adminBase string) (int, admin.Report) {
	t.Helper()
	resp, err := adminClient.Get(adminBase + "/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rep admin.Report
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		t.Fatalf("/health is not JSON: %v", err)
	}
	return resp.StatusCode, rep
}

// logRecords parses the JSON log lines (serve logs JSON by default).
func logRecords(logs string) []map[string]any {
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(logs))
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

func TestMetricsMoveWithRequestsAndQueries(t *testing.T) {
	srv, adminBase := startMonitored(t, pgtest.NewDatabase(t))
	before := scrapeMetrics(t, adminBase)

	for range 5 { // one miss, then four cache hits
		if code, body := mustFetch(t, "GET", srv.base+"/item?id=7", ""); code != 200 || body != `{"id":7,"name":"item-7"}` {
			t.Fatalf("/item = %d %s", code, body)
		}
	}
	for i := range 2 {
		if code, body := mustFetch(t, "GET", fmt.Sprintf("%s/write?body=n%d", srv.base, i), ""); code != 200 {
			t.Fatalf("/write = %d %s", code, body)
		}
	}
	if code, body := mustFetch(t, "GET", srv.base+"/bad-sql", ""); code != 200 || body != "query failed: 42P01" {
		t.Fatalf("/bad-sql = %d %s", code, body)
	}
	if code, _ := mustFetch(t, "GET", srv.base+"/nope", ""); code != 404 {
		t.Fatalf("/nope = %d", code)
	}
	// A connection goes back to the pool just after its query's answer
	// reaches the script (the last one failed, so it is released once the
	// error is read), and a request leaves the in-flight gauge once its
	// response is written: scrape until both settle, as a dashboard would
	// see them.
	after := scrapeMetrics(t, adminBase)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); after = scrapeMetrics(t, adminBase) {
		if metricValue(after, "edgerun_hyperdrive_pool_acquired_connections", "binding=DB", "endpoint=primary") == 0 &&
			metricValue(after, "edgerun_isolate_requests_in_flight") == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}

	delta := func(name string, labels ...string) float64 {
		return metricValue(after, name, labels...) - metricValue(before, name, labels...)
	}
	checks := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"edgerun_http_requests_total", []string{"class=2xx"}, 8},
		{"edgerun_http_requests_total", []string{"class=4xx"}, 1},
		{"edgerun_http_requests_total", []string{"class=5xx"}, 0},
		{"edgerun_http_request_duration_seconds", nil, 9},
		{"edgerun_hyperdrive_queries_total", []string{"binding=DB", "kind=read", "outcome=ok", "served_by=primary"}, 1},
		{"edgerun_hyperdrive_queries_total", []string{"binding=DB", "kind=read", "outcome=cached", "served_by=cache"}, 4},
		{"edgerun_hyperdrive_queries_total", []string{"binding=DB", "kind=write", "outcome=ok", "served_by=primary"}, 2},
		{"edgerun_hyperdrive_queries_total", []string{"binding=DB", "kind=read", "outcome=error", "served_by=none"}, 1},
		{"edgerun_hyperdrive_query_duration_seconds", []string{"binding=DB", "kind=read", "outcome=cached"}, 4},
		{"edgerun_hyperdrive_query_duration_seconds", []string{"binding=DB", "kind=write", "outcome=ok"}, 2},
		{"edgerun_hyperdrive_acquire_duration_seconds", []string{"binding=DB", "endpoint=primary"}, 4},
		{"edgerun_hyperdrive_pool_acquires_total", []string{"binding=DB", "endpoint=primary"}, 4},
		{"edgerun_hyperdrive_cache_hits_total", []string{"binding=DB"}, 4},
		{"edgerun_hyperdrive_cache_misses_total", []string{"binding=DB"}, 2},
		{"edgerun_hyperdrive_retries_total", []string{"binding=DB", "endpoint=primary"}, 0},
		{"edgerun_hyperdrive_connection_failures_total", []string{"binding=DB", "endpoint=primary"}, 0},
	}
	for _, c := range checks {
		if got := delta(c.name, c.labels...); got != c.want {
			t.Errorf("%s%v moved by %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	gauges := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"edgerun_hyperdrive_pool_max_connections", []string{"binding=DB", "endpoint=primary"}, 5},
		{"edgerun_hyperdrive_pool_acquired_connections", []string{"binding=DB", "endpoint=primary"}, 0},
		{"edgerun_hyperdrive_breaker_state", []string{"binding=DB", "endpoint=primary", "state=closed"}, 1},
		{"edgerun_hyperdrive_breaker_state", []string{"binding=DB", "endpoint=primary", "state=open"}, 0},
		{"edgerun_isolate_requests_in_flight", nil, 0},
	}
	for _, c := range gauges {
		if got := metricValue(after, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	if got := metricValue(after, "edgerun_hyperdrive_pool_total_connections", "endpoint=primary"); got < 1 || got > 5 {
		t.Errorf("pool total connections = %v, want 1..5", got)
	}
	if got := metricValue(after, "edgerun_isolates"); got < 1 {
		t.Errorf("edgerun_isolates = %v", got)
	}

	code, rep := health(t, adminBase)
	if code != 200 || rep.Status != admin.StatusHealthy || len(rep.Bindings) != 1 {
		t.Fatalf("/health = %d %+v", code, rep)
	}
	b := rep.Bindings[0]
	if b.Name != "DB" || b.Status != admin.StatusHealthy || b.ResponseTimeMs <= 0 || b.Error != "" ||
		len(b.Endpoints) != 1 || b.Endpoints[0].Breaker != "closed" || b.Endpoints[0].Pool.Max != 5 ||
		b.Cache.Hits < 4 || b.Window.Queries != 8 || b.Window.Failed != 1 {
		t.Fatalf("/health binding = %+v", b)
	}

	// 1 failed statement of 8 is over the 10% critical threshold: the
	// evaluator (every second) raises it once, and /health lists it.
	waitFor(t, 5*time.Second, srv, "the query error rate alert on /health", func() bool {
		_, rep := health(t, adminBase)
		for _, a := range rep.Alerts {
			if a.Name == admin.AlertQueryErrorRate && a.Binding == "DB" && a.Level == admin.LevelCritical && a.Value == 0.125 {
				return true
			}
		}
		return false
	})
	time.Sleep(1100 * time.Millisecond) // at least one more evaluation
	n := 0
	for _, r := range logRecords(srv.Logs()) {
		if r["alert"] == admin.AlertQueryErrorRate {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("query error rate alert logged %d times, want once; logs:\n%s", n, srv.Logs())
	}
}

func TestSlowQueryIsLoggedOnceWithoutItsParameters(t *testing.T) {
	srv, _ := startMonitored(t, pgtest.NewDatabase(t))
	const secret = "hunter2-do-not-log"
	if code, body := mustFetch(t, "POST", srv.base+"/slow", secret); code != 200 || body != "slept" {
		t.Fatalf("/slow = %d %s", code, body)
	}
	var slow []map[string]any
	waitFor(t, 5*time.Second, srv, "the slow query record", func() bool {
		slow = nil
		for _, r := range logRecords(srv.Logs()) {
			if r["msg"] == "slow query" {
				slow = append(slow, r)
			}
		}
		return len(slow) > 0
	})
	if len(slow) != 1 {
		t.Fatalf("%d slow query records, want 1: %v", len(slow), slow)
	}
	r := slow[0]
	// The statement's shape: its literal 0.2 redacted as well as the bound value.
	if r["sql"] != "SELECT pg_sleep(?), ?::text AS secret" || r["binding"] != "DB" || r["via"] != "binding" || r["level"] != "WARN" {
		t.Errorf("slow query record = %v", r)
	}
	if d, _ := r["duration_ms"].(float64); d < 200 {
		t.Errorf("duration_ms = %v, want ≥ 200 (pg_sleep(0.2))", r["duration_ms"])
	}
	if p, _ := r["params"].(string); !strings.Contains(p, "redacted") {
		t.Errorf("params = %v, want them redacted", r["params"])
	}
	if strings.Contains(srv.Logs(), secret) {
		t.Errorf("the bound value appears in the log:\n%s", srv.Logs())
	}
}

// startOwnPostgres runs a PostgreSQL this test may stop and start again
// (pgtest's shared server must never be stopped).
func startOwnPostgres(t *testing.T, dir string) *localpg.Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pg, err := localpg.Start(ctx, localpg.Options{DataDir: dir, Database: "monitor"})
	if errors.Is(err, localpg.ErrNoBinaries) && os.Getenv("CI") != "true" {
		t.Skipf("no PostgreSQL server binaries: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := pg.Stop(ctx); err != nil {
			t.Errorf("stopping PostgreSQL: %v", err)
		}
	})
	return pg
}

func TestHealthFollowsTheDatabaseDownAndBack(t *testing.T) {
	tmp := t.TempDir()
	// As root the server runs as another account, which must reach its
	// data directory: open the test's temporary directories to it.
	for _, d := range []string{filepath.Dir(tmp), tmp} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(tmp, "pg")
	pg := startOwnPostgres(t, dir)
	srv, adminBase := startMonitored(t, pg.ConnString())

	code, rep := health(t, adminBase)
	if code != 200 || rep.Status != admin.StatusHealthy {
		t.Fatalf("/health with the database up = %d %+v", code, rep)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := pg.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, srv, "/health to turn unhealthy", func() bool {
		code, rep = health(t, adminBase)
		return rep.Status == admin.StatusUnhealthy
	})
	b := rep.Bindings[0]
	if code != http.StatusServiceUnavailable || b.Status != admin.StatusUnhealthy || b.Error == "" {
		t.Fatalf("/health with the database down = %d %+v", code, b)
	}
	if code, body := fetch(adminBase + "/healthz"); code != 200 {
		t.Fatalf("/healthz with the database down = %d %s (liveness must not follow the database)", code, body)
	}

	pg2 := startOwnPostgres(t, dir)
	if pg2.ConnString() != pg.ConnString() {
		t.Fatalf("PostgreSQL came back on %s, not %s", pg2.ConnString(), pg.ConnString())
	}
	waitFor(t, 15*time.Second, srv, "/health to turn healthy again", func() bool {
		code, rep = health(t, adminBase)
		return code == 200 && rep.Status == admin.StatusHealthy
	})
	if b := rep.Bindings[0]; b.Error != "" || b.Endpoints[0].Breaker != "closed" {
		t.Fatalf("/health after recovery = %+v", b)
	}
}

func TestServeDrainsInFlightRequestsOnSIGTERM(t *testing.T) {
	srv, adminBase := startMonitored(t, pgtest.NewDatabase(t), "--drain-timeout", "20s")
	const n = 20
	type answer struct {
		code int
		body string
		err  error
	}
	answers := make(chan answer, n)
	// One connection per request: none may be lost when the listener closes.
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			// 4 s: all n must be in flight together before SIGTERM, also
			// on a CI machine busy with other test packages.
			resp, err := client.Get(fmt.Sprintf("%s/timer?ms=4000&id=%d", srv.base, i))
			if err != nil {
				answers <- answer{err: err}
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			answers <- answer{resp.StatusCode, string(b), err}
		})
	}
	waitFor(t, 10*time.Second, srv, fmt.Sprintf("%d requests in flight", n), func() bool {
		return metricValue(scrapeMetrics(t, adminBase), "edgerun_isolate_requests_in_flight") >= n
	})

	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 2*time.Second, srv, "/readyz to turn 503 while draining", func() bool {
		code, body := fetch(adminBase + "/readyz")
		return code == http.StatusServiceUnavailable && strings.Contains(body, "draining")
	})
	mainAddr := strings.TrimPrefix(srv.base, "http://")
	waitFor(t, 2*time.Second, srv, "the listener to stop accepting", func() bool {
		c, err := net.DialTimeout("tcp", mainAddr, time.Second)
		if err == nil {
			c.Close()
		}
		return err != nil
	})

	wg.Wait()
	close(answers)
	got := map[string]bool{}
	for a := range answers {
		if a.err != nil || a.code != 200 {
			t.Errorf("in-flight request lost on SIGTERM: %d %q %v", a.code, a.body, a.err)
			continue
		}
		got[a.body] = true
	}
	if len(got) != n {
		t.Fatalf("%d distinct answers, want %d", len(got), n)
	}

	select {
	case <-srv.exited:
		if st := srv.cmd.ProcessState; st == nil || st.ExitCode() != 0 {
			t.Fatalf("edgerun exited with %v after SIGTERM, want 0; logs:\n%s", st, srv.Logs())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("edgerun did not exit after SIGTERM; logs:\n%s", srv.Logs())
	}
	// Every request's waitUntil work ran before the process exited.
	waitFor(t, 5*time.Second, srv, "every waitUntil record", func() bool {
		done := 0
		for _, r := range logRecords(srv.Logs()) {
			if msg, _ := r["msg"].(string); strings.HasPrefix(msg, "waitUntil done ") {
				done++
			}
		}
		return done == n
	})
	if strings.Contains(srv.Logs(), `"shutdown: `) {
		t.Fatalf("shutdown reported an error:\n%s", srv.Logs())
	}
}

func TestAdminAddressFromConfigAndOff(t *testing.T) {
	dir := t.TempDir()
	adminAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	files := map[string]string{
		"index.js":      `export default { fetch() { return new Response("hi"); } };`,
		"wrangler.toml": fmt.Sprintf("name = \"admin-config\"\nmain = \"index.js\"\ncompatibility_date = \"2026-11-01\"\n\n[edgerun]\nadmin = %q\n", adminAddr),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("config key", func(t *testing.T) {
		srv := startServer(t, "dev", dir, nil)
		waitFor(t, 5*time.Second, srv, "/healthz on the configured admin address", func() bool {
			code, body := fetch("http://" + adminAddr + "/healthz")
			return code == 200 && body == "ok\n"
		})
		if !strings.Contains(srv.Logs(), "Admin on http://"+adminAddr+" (the dashboard at /;") {
			t.Errorf("startup log does not name the admin address and its dashboard:\n%s", srv.Logs())
		}
	})
	t.Run("off", func(t *testing.T) {
		srv := startServer(t, "dev", dir, nil, "--admin", "off")
		if code, body := mustFetch(t, "GET", srv.base+"/", ""); code != 200 || body != "hi" {
			t.Fatalf("GET / = %d %q", code, body)
		}
		if code, _ := fetch("http://" + adminAddr + "/healthz"); code != 0 {
			t.Fatalf("admin answered %d with --admin off", code)
		}
		if strings.Contains(srv.Logs(), "Admin on") {
			t.Errorf("--admin off still logged an admin address:\n%s", srv.Logs())
		}
	})
}
