package admin

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"edgerun/runtime/config"
	"edgerun/runtime/metrics"
)

// fakeClock is the evaluator's injected clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)} }

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// records is a slog handler that keeps every record.
type records struct {
	mu   sync.Mutex
	list []slog.Record
}

func (r *records) Enabled(context.Context, slog.Level) bool { return true }
func (r *records) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.list = append(r.list, rec.Clone())
	return nil
}
func (r *records) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *records) WithGroup(string) slog.Handler      { return r }

// take returns the records logged since the last take.
func (r *records) take() []slog.Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.list
	r.list = nil
	return out
}

func attr(rec slog.Record, key string) string {
	var v string
	rec.Attrs(func(a slog.Attr) bool {
		if a.Key == key {
			v = a.Value.String()
			return false
		}
		return true
	})
	return v
}

func newTestAlerts(th config.Alerts) (*Alerts, *fakeClock, *records) {
	clock, recs := newClock(), &records{}
	return NewAlerts(th, slog.New(recs), clock.now), clock, recs
}

// expectOne checks that exactly one record was logged since the last
// check, at level, for the alert named, in the state given.
func expectOne(t *testing.T, recs *records, level slog.Level, name, state string) {
	t.Helper()
	got := recs.take()
	if len(got) != 1 {
		msgs := make([]string, len(got))
		for i, r := range got {
			msgs[i] = r.Message
		}
		t.Fatalf("want exactly one %s record for %s, got %d: %q", state, name, len(got), msgs)
	}
	r := got[0]
	if r.Level != level || attr(r, "alert") != name || attr(r, "alert_state") != state {
		t.Fatalf("record = %s %q alert=%s state=%s, want %s alert=%s state=%s",
			r.Level, r.Message, attr(r, "alert"), attr(r, "alert_state"), level, name, state)
	}
}

func expectNone(t *testing.T, recs *records) {
	t.Helper()
	if got := recs.take(); len(got) != 0 {
		t.Fatalf("want no record, got %d, first %q", len(got), got[0].Message)
	}
}

func TestEachCrossingAndRecoveryIsLoggedOnce(t *testing.T) {
	cases := []struct {
		name     string
		alert    string
		binding  string
		warning  func(a *Alerts) // enough to cross the warning threshold
		critical func(a *Alerts) // then enough to cross the critical one
		warnVal  float64
		critVal  float64
	}{
		{
			name: "response time", alert: AlertResponseTime,
			warning:  func(a *Alerts) { repeat(4, func() { a.RecordRequest(200, 600*time.Millisecond) }) },
			critical: func(a *Alerts) { repeat(4, func() { a.RecordRequest(200, 2000*time.Millisecond) }) },
			warnVal:  600, critVal: 1300, // (4×600 + 4×2000) / 8
		},
		{
			name: "error rate", alert: AlertErrorRate,
			warning: func(a *Alerts) {
				repeat(94, func() { a.RecordRequest(200, time.Millisecond) })
				repeat(6, func() { a.RecordRequest(503, time.Millisecond) })
			},
			critical: func(a *Alerts) { repeat(6, func() { a.RecordRequest(500, time.Millisecond) }) },
			warnVal:  0.06, critVal: 12.0 / 106,
		},
		{
			name: "failed statements", alert: AlertQueryErrorRate, binding: "DB",
			warning: func(a *Alerts) {
				repeat(19, func() { a.RecordQuery("DB", false, "primary") })
				a.RecordQuery("DB", true, "")
			},
			critical: func(a *Alerts) { repeat(2, func() { a.RecordQuery("DB", true, "") }) },
			warnVal:  0.05, critVal: 3.0 / 22,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, clock, recs := newTestAlerts(config.Alerts{})
			a.Evaluate()
			expectNone(t, recs)

			c.warning(a)
			start := clock.now()
			for range 5 {
				a.Evaluate()
				clock.advance(100 * time.Millisecond)
			}
			expectOne(t, recs, slog.LevelWarn, c.alert, LevelWarning)
			active := a.Active()
			if len(active) != 1 || active[0].Name != c.alert || active[0].Level != LevelWarning ||
				!active[0].Since.Equal(start) || !near(active[0].Value, c.warnVal) {
				t.Fatalf("active = %+v, want %s warning since %s value %v", active, c.alert, start, c.warnVal)
			}

			c.critical(a)
			a.Evaluate()
			a.Evaluate()
			expectOne(t, recs, slog.LevelError, c.alert, LevelCritical)
			active = a.Active()
			if len(active) != 1 || active[0].Level != LevelCritical || active[0].Binding != c.binding || !near(active[0].Value, c.critVal) {
				t.Fatalf("active = %+v, want %s critical (binding %q) value %v", active, c.alert, c.binding, c.critVal)
			}

			// Everything leaves the window: one recovery, then silence.
			clock.advance(61 * time.Second)
			a.Evaluate()
			expectOne(t, recs, slog.LevelInfo, c.alert, "resolved")
			a.Evaluate()
			expectNone(t, recs)
			if active := a.Active(); len(active) != 0 {
				t.Fatalf("active after recovery = %+v", active)
			}
		})
	}
}

func TestWindowSlides(t *testing.T) {
	a, clock, recs := newTestAlerts(config.Alerts{Window: 60 * time.Second})
	repeat(10, func() { a.RecordRequest(500, time.Millisecond) })
	clock.advance(30 * time.Second)
	repeat(10, func() { a.RecordRequest(200, time.Millisecond) })
	a.Evaluate()
	expectOne(t, recs, slog.LevelError, AlertErrorRate, LevelCritical)
	if v := a.Active()[0].Value; v != 0.5 {
		t.Fatalf("error rate = %v, want 0.5 (10 of 20 in the window)", v)
	}
	// The failures leave the window, the successes stay.
	clock.advance(31 * time.Second)
	a.Evaluate()
	expectOne(t, recs, slog.LevelInfo, AlertErrorRate, "resolved")
}

func TestConsecutiveConnectionFailures(t *testing.T) {
	a, _, recs := newTestAlerts(config.Alerts{ConnectionFailures: 3})
	a.RecordConnection("DB", "primary", true)
	a.RecordConnection("DB", "primary", false)
	a.RecordConnection("DB", "primary", false)
	a.RecordConnection("DB", "replica-1", false) // another endpoint's run
	expectNone(t, recs)

	a.RecordConnection("DB", "primary", false)
	expectOne(t, recs, slog.LevelError, AlertConnectionFailures, LevelCritical)
	a.RecordConnection("DB", "primary", false)
	a.Evaluate()
	expectNone(t, recs)
	active := a.Active()
	if len(active) != 1 || active[0].Endpoint != "primary" || active[0].Binding != "DB" || active[0].Value != 4 || active[0].Threshold != 3 {
		t.Fatalf("active = %+v, want DB primary at 4 failures, threshold 3", active)
	}

	a.RecordConnection("DB", "primary", true)
	expectOne(t, recs, slog.LevelInfo, AlertConnectionFailures, "resolved")
	a.RecordConnection("DB", "primary", true)
	a.RecordConnection("DB", "primary", false) // a new run starts from one
	expectNone(t, recs)
}

func TestNoTrafficNoAlert(t *testing.T) {
	a, clock, recs := newTestAlerts(config.Alerts{})
	for range 3 {
		clock.advance(time.Minute)
		a.Evaluate()
	}
	expectNone(t, recs)
	if got := a.Queries("DB"); got != (WindowStats{}) {
		t.Fatalf("queries of an unknown binding = %+v", got)
	}
}

func TestQueriesCountTheFallback(t *testing.T) {
	a, clock, _ := newTestAlerts(config.Alerts{})
	a.RecordQuery("DB", false, "fallback")
	a.RecordQuery("DB", false, "primary")
	a.RecordQuery("DB", true, "")
	if got, want := a.Queries("DB"), (WindowStats{Queries: 3, Failed: 1, Fallback: 1}); got != want {
		t.Fatalf("queries = %+v, want %+v", got, want)
	}
	clock.advance(2 * time.Minute)
	if got := a.Queries("DB"); got != (WindowStats{}) {
		t.Fatalf("queries after the window = %+v, want none", got)
	}
}

func TestThresholdDefaultsAreTheSeeds(t *testing.T) {
	a, _, _ := newTestAlerts(config.Alerts{})
	if got := a.Thresholds(); got != Defaults {
		t.Fatalf("thresholds = %+v, want %+v", got, Defaults)
	}
	custom := config.Alerts{ResponseTimeWarning: time.Second, ResponseTimeCritical: 2 * time.Second,
		ErrorRateWarning: 0.2, ErrorRateCritical: 0.3, ConnectionFailures: 5, Window: 10 * time.Second}
	a, _, _ = newTestAlerts(custom)
	if got := a.Thresholds(); got != custom {
		t.Fatalf("thresholds = %+v, want %+v", got, custom)
	}
}

func repeat(n int, f func()) {
	for range n {
		f()
	}
}

func near(a, b float64) bool {
	d := a - b
	return d < 1e-9 && d > -1e-9
}

// BenchmarkObserveRequest is what every HTTP request pays for metrics and
// alerts (the server's Observe hook).
func BenchmarkObserveRequest(b *testing.B) {
	m := &Monitor{Metrics: metrics.New(), Alerts: NewAlerts(config.Alerts{}, slog.New(slog.DiscardHandler), nil)}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.ObserveRequest("GET", 200, 3*time.Millisecond)
		}
	})
}

func TestMonitorFeedsMetricsAndAlerts(t *testing.T) {
	a, _, recs := newTestAlerts(config.Alerts{})
	m := &Monitor{Metrics: metrics.New(), Alerts: a}
	for range 3 {
		m.ConnectionFailure("DB", "primary", false)
	}
	expectOne(t, recs, slog.LevelError, AlertConnectionFailures, LevelCritical)
	m.Query("DB", "read", "ok", "fallback", time.Millisecond)
	m.Query("DB", "read", "error", "", time.Millisecond)
	m.ObserveRequest("GET", 502, 2*time.Second)
	if got, want := a.Queries("DB"), (WindowStats{Queries: 2, Failed: 1, Fallback: 1}); got != want {
		t.Fatalf("alert window = %+v, want %+v", got, want)
	}
	a.Evaluate()
	var names []string
	for _, al := range a.Active() {
		names = append(names, al.Name)
	}
	if got := strings.Join(names, ","); got != "connection_failures,error_rate,query_error_rate,response_time" {
		t.Fatalf("active alerts = %s", got)
	}
	families, err := m.Metrics.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range families {
		seen[f.GetName()] = true
	}
	for _, name := range []string{"edgerun_hyperdrive_connection_failures_total", "edgerun_hyperdrive_queries_total", "edgerun_http_requests_total"} {
		if !seen[name] {
			t.Errorf("metrics lack %s", name)
		}
	}
}

// BenchmarkObserveQuery is what every statement pays for metrics and
// alerts (the binding's Observer), cache hits included.
func BenchmarkObserveQuery(b *testing.B) {
	m := &Monitor{Metrics: metrics.New(), Alerts: NewAlerts(config.Alerts{}, slog.New(slog.DiscardHandler), nil)}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.Query("HYPERDRIVE", "read", "cached", "cache", 0)
		}
	})
}
