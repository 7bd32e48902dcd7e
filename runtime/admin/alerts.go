package admin

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"edgerun/runtime/config"
)

// Alert levels.
const (
	LevelWarning  = "warning"
	LevelCritical = "critical"
)

// Alert names.
const (
	AlertResponseTime       = "response_time"       // average HTTP response time over the window (ms)
	AlertErrorRate          = "error_rate"          // share of HTTP responses that were 5xx over the window
	AlertQueryErrorRate     = "query_error_rate"    // share of a binding's statements that failed over the window
	AlertConnectionFailures = "connection_failures" // consecutive connection failures on one endpoint
)

// Alert is one active alert, as /health shows it.
type Alert struct {
	Name      string    `json:"name"`
	Binding   string    `json:"binding,omitempty"`
	Endpoint  string    `json:"endpoint,omitempty"`
	Level     string    `json:"level"`
	Since     time.Time `json:"since"` // when it reached its current level
	Value     float64   `json:"value"`
	Threshold float64   `json:"threshold"` // the threshold of Level
	Unit      string    `json:"unit"`      // "ms", "ratio" or "failures"
}

// Defaults are the seed's alert thresholds.
var Defaults = config.Alerts{
	ResponseTimeWarning:  500 * time.Millisecond,
	ResponseTimeCritical: 1000 * time.Millisecond,
	ErrorRateWarning:     0.05,
	ErrorRateCritical:    0.10,
	ConnectionFailures:   3,
	Window:               60 * time.Second,
}

// windowBuckets is the resolution of the sliding window: rates cover the
// last Window, give or take one bucket (Window/60).
const windowBuckets = 60

// bucket counts what happened during one slice of the window.
type bucket struct {
	seq      int64 // which slice of time this bucket holds
	count    int64 // requests or statements
	failed   int64 // 5xx responses or failed statements
	fallback int64 // statements served by the fallback endpoint
	total    time.Duration
}

// window is a ring of buckets; a bucket is reused once its slice has left
// the window.
type window struct {
	width   time.Duration
	buckets [windowBuckets]bucket
}

func (w *window) at(now time.Time) *bucket {
	seq := now.UnixNano() / int64(w.width)
	b := &w.buckets[uint64(seq)%windowBuckets]
	if b.seq != seq {
		*b = bucket{seq: seq}
	}
	return b
}

func (w *window) sum(now time.Time) bucket {
	seq := now.UnixNano() / int64(w.width)
	var s bucket
	for i := range w.buckets {
		b := &w.buckets[i]
		if b.seq > seq-windowBuckets && b.seq <= seq {
			s.count += b.count
			s.failed += b.failed
			s.fallback += b.fallback
			s.total += b.total
		}
	}
	return s
}

type alertKey struct{ name, binding, endpoint string }

type endpointKey struct{ binding, endpoint string }

// Alerts evaluates the thresholds of config.Alerts over a sliding window and
// logs each crossing (at warning or error level, for warning and critical)
// and each recovery (at info level) exactly once. Recording is cheap (a
// mutex and a few adds); Evaluate, which Run calls every second, does the
// arithmetic and the logging. Connection failures are evaluated as they are
// recorded: a run of failures is an event, not a rate.
type Alerts struct {
	th  config.Alerts
	log *slog.Logger
	now func() time.Time

	mu          sync.Mutex
	requests    window
	queries     map[string]*window
	consecutive map[endpointKey]int
	active      map[alertKey]*Alert
}

// NewAlerts returns an evaluator for th (zero fields take Defaults). now is
// the clock, time.Now when nil; tests pass their own.
func NewAlerts(th config.Alerts, log *slog.Logger, now func() time.Time) *Alerts {
	if th.ResponseTimeWarning <= 0 {
		th.ResponseTimeWarning = Defaults.ResponseTimeWarning
	}
	if th.ResponseTimeCritical <= 0 {
		th.ResponseTimeCritical = max(Defaults.ResponseTimeCritical, th.ResponseTimeWarning)
	}
	if th.ErrorRateWarning <= 0 {
		th.ErrorRateWarning = Defaults.ErrorRateWarning
	}
	if th.ErrorRateCritical <= 0 {
		th.ErrorRateCritical = max(Defaults.ErrorRateCritical, th.ErrorRateWarning)
	}
	if th.ConnectionFailures <= 0 {
		th.ConnectionFailures = Defaults.ConnectionFailures
	}
	if th.Window <= 0 {
		th.Window = Defaults.Window
	}
	if log == nil {
		log = slog.Default()
	}
	if now == nil {
		now = time.Now
	}
	width := max(th.Window/windowBuckets, time.Millisecond)
	return &Alerts{
		th: th, log: log, now: now,
		requests:    window{width: width},
		queries:     map[string]*window{},
		consecutive: map[endpointKey]int{},
		active:      map[alertKey]*Alert{},
	}
}

// Thresholds are the thresholds in force, defaults applied.
func (a *Alerts) Thresholds() config.Alerts { return a.th }

// RecordRequest counts one finished HTTP request.
func (a *Alerts) RecordRequest(status int, d time.Duration) {
	now := a.now()
	a.mu.Lock()
	b := a.requests.at(now)
	b.count++
	b.total += d
	if status >= 500 {
		b.failed++
	}
	a.mu.Unlock()
}

// RecordQuery counts one statement of binding; servedBy is the endpoint
// role that answered ("fallback" makes the binding degraded while it is in
// the window).
func (a *Alerts) RecordQuery(binding string, failed bool, servedBy string) {
	now := a.now()
	a.mu.Lock()
	w := a.queries[binding]
	if w == nil {
		w = &window{width: a.requests.width}
		a.queries[binding] = w
	}
	b := w.at(now)
	b.count++
	if failed {
		b.failed++
	}
	if servedBy == "fallback" {
		b.fallback++
	}
	a.mu.Unlock()
}

// RecordConnection counts a connection-level failure on an endpoint, or
// (ok) a success that ends a run of them, and raises or clears the
// connection_failures alert right away.
func (a *Alerts) RecordConnection(binding, endpoint string, ok bool) {
	key := endpointKey{binding, endpoint}
	a.mu.Lock()
	n := 0
	if !ok {
		n = a.consecutive[key] + 1
		a.consecutive[key] = n
	} else if _, seen := a.consecutive[key]; seen {
		delete(a.consecutive, key)
	} else if a.active[alertKey{AlertConnectionFailures, binding, endpoint}] == nil {
		a.mu.Unlock()
		return // the common case: a success with nothing to clear
	}
	events := a.checkConnection(key, n, a.now())
	a.mu.Unlock()
	a.emit(events)
}

// WindowStats are a binding's statements over the current window.
type WindowStats struct {
	Queries  int64 `json:"queries"`
	Failed   int64 `json:"failed"`
	Fallback int64 `json:"served_by_fallback"`
}

// Queries reports binding's statements in the current window.
func (a *Alerts) Queries(binding string) WindowStats {
	now := a.now()
	a.mu.Lock()
	defer a.mu.Unlock()
	w := a.queries[binding]
	if w == nil {
		return WindowStats{}
	}
	s := w.sum(now)
	return WindowStats{Queries: s.count, Failed: s.failed, Fallback: s.fallback}
}

// Evaluate checks every windowed threshold now, logging what changed.
func (a *Alerts) Evaluate() {
	now := a.now()
	a.mu.Lock()
	var events []event
	req := a.requests.sum(now)
	var avgMs, errRate float64
	if req.count > 0 {
		avgMs = float64(req.total) / float64(req.count) / float64(time.Millisecond)
		errRate = float64(req.failed) / float64(req.count)
	}
	events = a.set(events, now, alertKey{name: AlertResponseTime}, avgMs,
		ms(a.th.ResponseTimeWarning), ms(a.th.ResponseTimeCritical), "ms")
	events = a.set(events, now, alertKey{name: AlertErrorRate}, errRate,
		a.th.ErrorRateWarning, a.th.ErrorRateCritical, "ratio")
	bindings := make([]string, 0, len(a.queries))
	for name := range a.queries {
		bindings = append(bindings, name)
	}
	sort.Strings(bindings)
	for _, name := range bindings {
		q := a.queries[name].sum(now)
		rate := 0.0
		if q.count > 0 {
			rate = float64(q.failed) / float64(q.count)
		}
		events = a.set(events, now, alertKey{name: AlertQueryErrorRate, binding: name}, rate,
			a.th.ErrorRateWarning, a.th.ErrorRateCritical, "ratio")
	}
	a.mu.Unlock()
	a.emit(events)
}

// Run evaluates every interval until ctx ends.
func (a *Alerts) Run(ctx context.Context, interval time.Duration) { every(ctx, interval, a.Evaluate) }

// every calls f every interval until ctx ends.
func every(ctx context.Context, interval time.Duration, f func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			f()
		}
	}
}

// Active returns the active alerts, most severe first, then by name.
func (a *Alerts) Active() []Alert {
	a.mu.Lock()
	out := make([]Alert, 0, len(a.active))
	for _, al := range a.active {
		out = append(out, *al)
	}
	a.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if x.Level != y.Level {
			return x.Level == LevelCritical
		}
		if x.Name != y.Name {
			return x.Name < y.Name
		}
		if x.Binding != y.Binding {
			return x.Binding < y.Binding
		}
		return x.Endpoint < y.Endpoint
	})
	return out
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// event is a log record decided under the lock and written after it.
type event struct {
	level slog.Level
	msg   string
	attrs []any
}

func (a *Alerts) emit(events []event) {
	for _, e := range events {
		a.log.Log(context.Background(), e.level, e.msg, e.attrs...)
	}
}

func (a *Alerts) checkConnection(key endpointKey, n int, now time.Time) []event {
	critical := float64(a.th.ConnectionFailures)
	// One threshold in the seed: a run of failures is critical.
	return a.set(nil, now, alertKey{AlertConnectionFailures, key.binding, key.endpoint}, float64(n), critical, critical, "failures")
}

// set moves one alert to the level value deserves (none, warning or
// critical) and records an event if the level changed. Runs under a.mu.
func (a *Alerts) set(events []event, now time.Time, key alertKey, value, warning, critical float64, unit string) []event {
	level, threshold := "", 0.0
	switch {
	case value >= critical:
		level, threshold = LevelCritical, critical
	case value >= warning:
		level, threshold = LevelWarning, warning
	}
	cur := a.active[key]
	switch {
	case cur == nil && level == "":
		return events
	case cur != nil && level == "":
		delete(a.active, key)
		return append(events, event{
			level: slog.LevelInfo,
			msg:   fmt.Sprintf("alert resolved: %s (was %s)", a.describe(key, value, unit), cur.Level),
			attrs: alertAttrs(key, "resolved", value, cur.Threshold),
		})
	case cur != nil && cur.Level == level:
		cur.Value = value
		return events
	}
	if cur == nil {
		cur = &Alert{Name: key.name, Binding: key.binding, Endpoint: key.endpoint, Unit: unit}
		a.active[key] = cur
	}
	cur.Level, cur.Since, cur.Value, cur.Threshold = level, now, value, threshold
	logLevel := slog.LevelWarn
	if level == LevelCritical {
		logLevel = slog.LevelError
	}
	return append(events, event{
		level: logLevel,
		msg:   fmt.Sprintf("alert %s: %s, threshold %s", level, a.describe(key, value, unit), format(threshold, unit)),
		attrs: alertAttrs(key, level, value, threshold),
	})
}

func alertAttrs(key alertKey, state string, value, threshold float64) []any {
	attrs := []any{"alert", key.name, "alert_state", state, "value", value, "threshold", threshold}
	if key.binding != "" {
		attrs = append(attrs, "binding", key.binding)
	}
	if key.endpoint != "" {
		attrs = append(attrs, "endpoint", key.endpoint)
	}
	return attrs
}

func (a *Alerts) describe(key alertKey, value float64, unit string) string {
	switch key.name {
	case AlertResponseTime:
		return fmt.Sprintf("average response time %s over the last %s", format(value, unit), a.th.Window)
	case AlertErrorRate:
		return fmt.Sprintf("5xx error rate %s over the last %s", format(value, unit), a.th.Window)
	case AlertQueryErrorRate:
		return fmt.Sprintf("hyperdrive %q failed statement rate %s over the last %s", key.binding, format(value, unit), a.th.Window)
	case AlertConnectionFailures:
		return fmt.Sprintf("hyperdrive %q %s: %s in a row", key.binding, key.endpoint, format(value, unit))
	}
	return fmt.Sprintf("%s = %s", key.name, format(value, unit))
}

func format(v float64, unit string) string {
	switch unit {
	case "ms":
		return fmt.Sprintf("%.0fms", v)
	case "ratio":
		return fmt.Sprintf("%.1f%%", v*100)
	case "failures":
		return fmt.Sprintf("%.0f connection failures", v)
	}
	return fmt.Sprint(v)
}
