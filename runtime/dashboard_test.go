package runtime

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"edgerun/bindings/localpg/pgtest"
	"edgerun/runtime/config"
)

// chromiumPath finds Debian's chromium; without it the browser test is
// skipped locally and fails under CI=true (.ci/run installs it).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed (apt-get install chromium): the dashboard test needs a real browser")
	}
	t.Skip("chromium is not installed")
	return ""
}

// browser starts a headless chromium with a new profile and returns a
// chromedp context for one tab.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1440, 1300),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// pageNumber reads a number the page shows (thousands separators dropped).
func pageNumber(t *testing.T, ctx context.Context, selector string) int64 {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(selector)))
	if err != nil {
		t.Fatalf("reading %s: %v", selector, err)
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(s), ",", ""), 10, 64)
	if err != nil {
		t.Fatalf("%s shows %q, not a number", selector, s)
	}
	return n
}

type chartPath struct {
	D      string `json:"d"`
	Points int    `json:"points"`
}

func readPath(t *testing.T, ctx context.Context, selector string) chartPath {
	t.Helper()
	js := fmt.Sprintf(`(() => { const p = document.querySelector(%q); return p ? { d: p.getAttribute("d"), points: Number(p.dataset.points) } : { d: "", points: -1 }; })()`, selector)
	p, err := chromedp.Run(ctx, chromedp.Evaluate[chartPath](js))
	if err != nil {
		t.Fatalf("reading %s: %v", selector, err)
	}
	return p
}

// TestDashboardInABrowser serves testdata/workers/hyperdrive-app on a real
// PostgreSQL, opens the admin listener's dashboard in headless chromium,
// runs load, and checks that the charts move and that the numbers the page
// shows are /metrics' numbers.
func TestDashboardInABrowser(t *testing.T) {
	ctx := browser(t)
	dsn := pgtest.NewDatabase(t)
	a := startMonitoredAppWith(t, config.Options{
		Dir: fixture("hyperdrive-app"),
		Getenv: func(k string) (string, bool) {
			return dsn, k == "CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE"
		},
	}, func(cfg *config.Config) {
		cfg.Hyperdrive[0].SlowQuery = 20 * time.Millisecond
		// A warning the load will cross (an average response time over
		// 100 µs), so that the page has an alert to show.
		cfg.Edgerun.Alerts.ResponseTimeWarning = 100 * time.Microsecond
		cfg.Edgerun.Alerts.ResponseTimeCritical = time.Minute
	}, nil)
	app := a.app
	base, adminBase := a.base, a.admin

	if err := chromedp.Do(ctx,
		chromedp.Navigate(adminBase+"/"),
		chromedp.WaitVisible(chromedp.CSS(`.binding[data-binding="HYPERDRIVE"]`)),
	); err != nil {
		t.Fatalf("opening the dashboard: %v", err)
	}

	// Load: reads of 20 rows (cache hits after the first of each), a 404
	// now and then, and a slow statement (pg_sleep, over slow_query_ms).
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var sent atomic.Int64
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				path := fmt.Sprintf("/item?id=%d", 1+(i*4+w)%20)
				switch {
				case i%25 == 7:
					path = "/nope"
				case i%50 == 11 && w == 0:
					path = "/sleep?s=0.05"
				}
				resp, err := client.Get(base + path)
				if err != nil {
					t.Errorf("GET %s: %v", path, err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				sent.Add(1)
				time.Sleep(2 * time.Millisecond)
			}
		})
	}
	stopLoad := sync.OnceFunc(func() { close(stop); wg.Wait() })
	t.Cleanup(stopLoad)

	// The charts move while the load runs: the 2xx line and the binding's
	// queries/s line gain points and change shape between two reads.
	time.Sleep(2500 * time.Millisecond)
	rps1 := readPath(t, ctx, `#chart-rps path[data-series="2xx"]`)
	qps1 := readPath(t, ctx, `.binding path[data-series="queries/s"]`)
	time.Sleep(2500 * time.Millisecond)
	rps2 := readPath(t, ctx, `#chart-rps path[data-series="2xx"]`)
	qps2 := readPath(t, ctx, `.binding path[data-series="queries/s"]`)
	if rps2.Points <= rps1.Points || rps2.D == rps1.D || rps1.Points < 1 {
		t.Errorf("requests chart did not update: %d points (%q) then %d (%q)", rps1.Points, rps1.D, rps2.Points, rps2.D)
	}
	if qps2.Points <= qps1.Points || qps2.D == qps1.D {
		t.Errorf("queries chart did not update: %d points then %d", qps1.Points, qps2.Points)
	}
	if p := readPath(t, ctx, `#chart-latency path[data-series="p99"]`); p.Points < 1 {
		t.Errorf("latency chart has no p99 point under load")
	}
	// While the load runs the page is at most a couple of samples behind.
	shown := pageNumber(t, ctx, `[data-metric=requests_total]`)
	total := scrape(t, adminBase).Sum("edgerun_http_requests_total")
	if float64(shown) > total || shown == 0 {
		t.Errorf("page shows %d requests under load, /metrics %v", shown, total)
	}

	stopLoad()
	// With the load stopped the counters stand still: the page must show
	// /metrics' exact values once it has drawn a sample taken after.
	m := scrape(t, adminBase)
	want := map[string]int64{
		`[data-metric=requests_total]`:                       int64(m.Sum("edgerun_http_requests_total")),
		`.binding [data-field=queries_total]`:                int64(m.Sum("edgerun_hyperdrive_queries_total", "binding=HYPERDRIVE")),
		`.binding [data-field=cache_hits]`:                   int64(value(m, "edgerun_hyperdrive_cache_hits_total", "binding=HYPERDRIVE")),
		`.binding [data-field=cache_misses]`:                 int64(value(m, "edgerun_hyperdrive_cache_misses_total", "binding=HYPERDRIVE")),
		`.binding tr[data-endpoint=primary] td:nth-child(3)`: int64(value(m, "edgerun_hyperdrive_pool_acquired_connections", "binding=HYPERDRIVE", "endpoint=primary")),
		`.binding tr[data-endpoint=primary] td:nth-child(4)`: int64(value(m, "edgerun_hyperdrive_pool_idle_connections", "binding=HYPERDRIVE", "endpoint=primary")),
		`.binding tr[data-endpoint=primary] td:nth-child(5)`: int64(value(m, "edgerun_hyperdrive_pool_max_connections", "endpoint=primary")),
		`[data-metric=isolates_replaced]`:                    int64(value(m, "edgerun_isolates_replaced_total")),
	}
	// The status classes: the load's 404s are 4xx, the rest 2xx.
	var byClass []string
	for _, c := range []string{"2xx", "3xx", "4xx", "5xx"} {
		byClass = append(byClass, fmt.Sprintf("%s %s", c, thousands(int64(m.Sum("edgerun_http_requests_total", "class="+c)))))
	}
	wantByClass := strings.Join(byClass, " · ")
	if m.Sum("edgerun_http_requests_total", "class=4xx") == 0 || want[`.binding tr[data-endpoint=primary] td:nth-child(4)`] == 0 {
		t.Fatalf("/metrics counts no 4xx (the load sent 404s) or no idle connection: %s", wantByClass)
	}
	if want[`[data-metric=requests_total]`] != sent.Load() || want[`.binding [data-field=cache_hits]`] == 0 {
		t.Fatalf("/metrics counts %d requests (the load sent %d) and %d cache hits", want[`[data-metric=requests_total]`], sent.Load(), want[`.binding [data-field=cache_hits]`])
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		var diffs []string
		for sel, w := range want {
			if got := pageNumber(t, ctx, sel); got != w {
				diffs = append(diffs, fmt.Sprintf("%s shows %d, /metrics %d", sel, got, w))
			}
		}
		if got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-metric=by_class]`))); err != nil || got != wantByClass {
			diffs = append(diffs, fmt.Sprintf("status classes shown %q (%v), /metrics %q", got, err, wantByClass))
		}
		if len(diffs) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the page never showed /metrics' numbers:\n%s", strings.Join(diffs, "\n"))
		}
		time.Sleep(200 * time.Millisecond)
	}

	type pageState struct {
		Breaker  string   `json:"breaker"`
		Slow     []string `json:"slow"`
		Alerts   []string `json:"alerts"`
		Proxy    string   `json:"proxy"`
		Isolates string   `json:"isolates"`
		External []string `json:"external"`
	}
	checks, err := chromedp.Run(ctx, chromedp.Evaluate[pageState](`({
		breaker: document.querySelector('.binding tr[data-endpoint=primary] [data-breaker]').textContent,
		slow: [...document.querySelectorAll('.binding tr[data-slow] td.sql')].map(td => td.textContent),
		alerts: [...document.querySelectorAll('#alerts tr[data-alert]')].map(tr => tr.dataset.alert + ' ' + tr.cells[0].textContent),
		proxy: document.querySelector('.binding [data-field=proxy_detail]').textContent,
		isolates: document.querySelector('[data-metric=isolates_busy]').textContent,
		external: performance.getEntriesByType('resource').map(e => e.name).filter(u => !u.startsWith(location.origin)),
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if checks.Breaker != "closed" {
		t.Errorf("primary breaker shown as %q", checks.Breaker)
	}
	if len(checks.Slow) == 0 || checks.Slow[0] != "SELECT pg_sleep(?)" {
		t.Errorf("slow queries shown: %q, want SELECT pg_sleep(?)", checks.Slow)
	}
	if len(checks.Alerts) != 1 || checks.Alerts[0] != "response_time warning" {
		t.Errorf("alerts shown: %q, want the response_time warning", checks.Alerts)
	}
	if !strings.Contains(checks.Proxy, "127.0.0.1:") {
		t.Errorf("local Hyperdrive shown as %q", checks.Proxy)
	}
	if n := app.isolateStats().Isolates; checks.Isolates != fmt.Sprintf("0 / %d", n) {
		t.Errorf("isolates busy shown as %q with the load stopped, want 0 / %d", checks.Isolates, n)
	}
	if len(checks.External) > 0 {
		t.Errorf("the page loaded from elsewhere: %q", checks.External)
	}

	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	dirs := []string{t.TempDir()}
	if d := os.Getenv("EDGERUN_SCREENSHOT_DIR"); d != "" {
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		if err := os.WriteFile(filepath.Join(d, "dashboard.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("screenshot: %s", filepath.Join(dirs[len(dirs)-1], "dashboard.png"))
}

// thousands spells n as the page does (en-US grouping).
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
