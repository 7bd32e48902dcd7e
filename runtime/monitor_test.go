package runtime

import (
	"bufio"
	"context"
	"edgerun/runtime/metrics/metricstest"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"edgerun/runtime/admin"
	"edgerun/runtime/config"
)

type monitoredApp struct {
	*testApp
	admin string
	clock *manualClock
}

type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *manualClock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// startMonitoredApp serves the project in dir with JSON logs, an access log,
// an alert clock the test moves, and the admin endpoints on their own port.
func startMonitoredApp(t *testing.T, dir string) *monitoredApp {
	t.Helper()
	clock := &manualClock{t: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}
	return startMonitoredAppWith(t, config.Options{Dir: dir}, nil, clock)
}

// startMonitoredAppWith is startMonitoredApp for opts, with edit applied to
// the configuration before the app opens; a nil clock is the real one.
func startMonitoredAppWith(t *testing.T, opts config.Options, edit func(*config.Config), clock *manualClock) *monitoredApp {
	t.Helper()
	cfg, _, err := config.Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(cfg)
	}
	logs := &logBuffer{}
	log, _ := NewLogger(logs, "json", slog.LevelDebug)
	var alertClock func() time.Time
	if clock != nil {
		alertClock = clock.now
	}
	app, err := Open(context.Background(), AppOptions{Config: cfg, LogRequests: true, Log: log, AlertClock: alertClock})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	adminLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Serve(ln)
	go app.ServeAdmin(adminLn)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := app.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return &monitoredApp{
		testApp: &testApp{app: app, base: "http://" + ln.Addr().String(), logs: logs},
		admin:   "http://" + adminLn.Addr().String(),
		clock:   clock,
	}
}

// scrape parses /metrics with Prometheus' own text parser.
func scrape(t *testing.T, adminBase string) metricstest.Families {
	t.Helper()
	return metricstest.Scrape(t, client, adminBase+"/metrics")
}

// value is one series' value (a histogram's sample count); labels are
// name=value pairs it must carry; a missing series is 0.
func value(families metricstest.Families, name string, labels ...string) float64 {
	return families.Value(name, labels...)
}

// jsonLines parses the JSON log.
func jsonLines(t *testing.T, logs string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(logs))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", sc.Text())
		}
		out = append(out, m)
	}
	return out
}

func TestMetricsCountRequestsByStatusClass(t *testing.T) {
	a := startMonitoredApp(t, fixture("module-js"))
	before := scrape(t, a.admin)
	for range 3 {
		a.get(t, "/")
	}
	a.get(t, "/nope")
	a.get(t, "/nope")
	a.get(t, "/throw")
	after := scrape(t, a.admin)

	for class, want := range map[string]float64{"2xx": 3, "4xx": 2, "5xx": 1, "3xx": 0} {
		got := value(after, "edgerun_http_requests_total", "class="+class) - value(before, "edgerun_http_requests_total", "class="+class)
		if got != want {
			t.Errorf("requests{class=%q} moved by %v, want %v", class, got, want)
		}
	}
	if got := value(after, "edgerun_http_request_duration_seconds") - value(before, "edgerun_http_request_duration_seconds"); got != 6 {
		t.Errorf("duration histogram count moved by %v, want 6", got)
	}
	want := float64(a.app.Server().Version().Pool.Stats().Isolates)
	if got := value(after, "edgerun_isolates"); got != want || got < 1 {
		t.Errorf("edgerun_isolates = %v, want %v", got, want)
	}
	if f := after["edgerun_isolates_replaced_total"]; f == nil || f.GetType() != dto.MetricType_COUNTER {
		t.Errorf("edgerun_isolates_replaced_total missing or not a counter: %v", f)
	}
	if got := value(after, "edgerun_isolate_requests_in_flight"); got != 0 {
		t.Errorf("in flight with nothing running = %v", got)
	}
}

func TestReadinessAndLiveness(t *testing.T) {
	a := startMonitoredApp(t, fixture("module-js"))
	for path, want := range map[string]string{"/healthz": "ok\n", "/readyz": "ready\n"} {
		resp, err := client.Get(a.admin + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(b) != want {
			t.Errorf("%s = %d %q, want 200 %q", path, resp.StatusCode, b, want)
		}
	}
	resp, err := client.Get(a.admin + "/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rep admin.Report
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || rep.Status != admin.StatusHealthy || len(rep.Bindings) != 0 || rep.Isolates == nil || rep.Isolates.Isolates < 1 {
		t.Fatalf("/health = %d %+v", resp.StatusCode, rep)
	}
}

func TestConsoleAndRequestLogShareRequestID(t *testing.T) {
	a := startMonitoredApp(t, fixture("module-js"))
	a.get(t, "/")
	a.get(t, "/console")
	a.get(t, "/")
	var consoleID, requestID any
	for _, l := range jsonLines(t, a.logs.String()) {
		if l["source"] == "console" && strings.HasPrefix(l["msg"].(string), "logged") {
			consoleID = l["request_id"]
		}
		if l["path"] == "/console" {
			requestID = l["request_id"]
		}
	}
	if consoleID == nil || requestID == nil || consoleID != requestID {
		t.Fatalf("console request_id %v, request log request_id %v: want the same\n%s", consoleID, requestID, a.logs.String())
	}
}

func TestErrorRateAlertIsLoggedOnceAndShown(t *testing.T) {
	a := startMonitoredApp(t, fixture("module-js"))
	for range 4 {
		a.get(t, "/")
	}
	a.get(t, "/throw") // 1 of 5: 20%, over the 10% critical threshold
	for range 3 {
		a.app.Alerts().Evaluate()
	}
	alertRecords := func(state string) []map[string]any {
		var out []map[string]any
		for _, l := range jsonLines(t, a.logs.String()) {
			if l["alert"] == admin.AlertErrorRate && l["alert_state"] == state {
				out = append(out, l)
			}
		}
		return out
	}
	crit := alertRecords(admin.LevelCritical)
	if len(crit) != 1 || crit[0]["level"] != "ERROR" || crit[0]["value"] != 0.2 {
		t.Fatalf("critical error-rate records = %v, want exactly one at ERROR with value 0.2\n%s", crit, a.logs.String())
	}

	resp, err := client.Get(a.admin + "/health")
	if err != nil {
		t.Fatal(err)
	}
	var rep admin.Report
	err = json.NewDecoder(resp.Body).Decode(&rep)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Alerts) != 1 || rep.Alerts[0].Name != admin.AlertErrorRate || rep.Alerts[0].Level != admin.LevelCritical ||
		rep.Alerts[0].Value != 0.2 || !rep.Alerts[0].Since.Equal(a.clock.now()) {
		t.Fatalf("/health alerts = %+v", rep.Alerts)
	}

	a.clock.advance(2 * time.Minute)
	a.app.Alerts().Evaluate()
	a.app.Alerts().Evaluate()
	if got := alertRecords("resolved"); len(got) != 1 {
		t.Fatalf("resolved records = %d, want 1\n%s", len(got), a.logs.String())
	}
	if got := len(alertRecords(admin.LevelCritical)); got != 1 {
		t.Fatalf("critical records after recovery = %d, want still 1", got)
	}
}

func TestShutdownClosesTheAdminListenerLast(t *testing.T) {
	cfg, _, err := config.Load(config.Options{Dir: fixture("module-js")})
	if err != nil {
		t.Fatal(err)
	}
	app, err := Open(context.Background(), AppOptions{Config: cfg, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	adminLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- app.ServeAdmin(adminLn) }()
	if err := app.ready(); err != nil {
		t.Fatalf("ready before shutdown: %v", err)
	}
	if err := app.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := app.ready(); err == nil || !strings.Contains(err.Error(), "draining") {
		t.Fatalf("ready after shutdown = %v, want draining", err)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("ServeAdmin = %v, want nil after Shutdown", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("admin listener still serving after Shutdown")
	}
	if _, err := http.Get("http://" + adminLn.Addr().String() + "/healthz"); err == nil {
		t.Fatal("admin listener still answers after Shutdown")
	}
}
