package metrics

import (
	"edgerun/runtime/metrics/metricstest"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"edgerun/bindings/hyperdrive"
	"edgerun/isolates"
)

// sample finds one series in a gathered registry: name plus label pairs
// ("class=2xx"); counters and gauges give their value, histograms their
// count.
func sample(t *testing.T, m *Metrics, name string, labels ...string) float64 {
	t.Helper()
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	return metricstest.FromGathered(families).Value(name, labels...)
}

func TestRequestsCountByStatusClass(t *testing.T) {
	m := New()
	for _, st := range []int{200, 201, 204, 301, 404, 404, 500, 503, 503} {
		m.ObserveRequest("GET", st, 2*time.Millisecond)
	}
	m.ObserveRequest("GET", 0, time.Millisecond) // no status: timed, not classed
	want := map[string]float64{"1xx": 0, "2xx": 3, "3xx": 1, "4xx": 2, "5xx": 3}
	for class, n := range want {
		if got := sample(t, m, "edgerun_http_requests_total", "class="+class); got != n {
			t.Errorf("requests{class=%s} = %v, want %v", class, got, n)
		}
	}
	if got := sample(t, m, "edgerun_http_request_duration_seconds"); got != 10 {
		t.Errorf("duration histogram count = %v, want 10", got)
	}
}

func TestObserverCountsQueriesAndConnections(t *testing.T) {
	m := New()
	m.Query("DB", "read", "ok", "primary", time.Millisecond)
	m.Query("DB", "read", "cached", "cache", time.Microsecond)
	m.Query("DB", "read", "cached", "cache", time.Microsecond)
	m.Query("DB", "write", "error", "", time.Millisecond)
	m.Query("DB", "read", "ok", "replica", time.Millisecond)
	m.Acquire("DB", "primary", time.Millisecond, nil)
	m.Acquire("DB", "primary", time.Second, errors.New("timeout"))
	m.Retry("DB", "fallback")
	m.Breaker("DB", "primary", "closed", "open")
	m.ConnectionFailure("DB", "primary", false)
	m.ConnectionFailure("DB", "primary", false)

	checks := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"edgerun_hyperdrive_queries_total", []string{"binding=DB", "kind=read", "outcome=ok", "served_by=primary"}, 1},
		{"edgerun_hyperdrive_queries_total", []string{"binding=DB", "kind=read", "outcome=cached", "served_by=cache"}, 2},
		{"edgerun_hyperdrive_queries_total", []string{"binding=DB", "kind=write", "outcome=error", "served_by=none"}, 1},
		{"edgerun_hyperdrive_queries_total", []string{"binding=DB", "kind=read", "outcome=ok", "served_by=replica"}, 1},
		{"edgerun_hyperdrive_query_duration_seconds", []string{"binding=DB", "kind=read", "outcome=cached"}, 2},
		{"edgerun_hyperdrive_acquire_duration_seconds", []string{"binding=DB", "endpoint=primary"}, 2},
		{"edgerun_hyperdrive_acquire_failures_total", []string{"binding=DB", "endpoint=primary"}, 1},
		{"edgerun_hyperdrive_retries_total", []string{"binding=DB", "endpoint=fallback"}, 1},
		{"edgerun_hyperdrive_breaker_transitions_total", []string{"binding=DB", "endpoint=primary", "from=closed", "to=open"}, 1},
		{"edgerun_hyperdrive_connection_failures_total", []string{"binding=DB", "endpoint=primary"}, 2},
		{"edgerun_hyperdrive_consecutive_connection_failures", []string{"binding=DB", "endpoint=primary"}, 2},
	}
	for _, c := range checks {
		if got := sample(t, m, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	m.ConnectionFailure("DB", "primary", true)
	if got := sample(t, m, "edgerun_hyperdrive_consecutive_connection_failures", "endpoint=primary"); got != 0 {
		t.Errorf("consecutive failures after a success = %v, want 0", got)
	}
	if got := sample(t, m, "edgerun_hyperdrive_connection_failures_total", "endpoint=primary"); got != 2 {
		t.Errorf("failures total after a success = %v, want still 2", got)
	}
}

type fakeBinding struct {
	eps   []hyperdrive.EndpointHealth
	cache hyperdrive.CacheStats
	proxy hyperdrive.ProxyStats
}

func (f *fakeBinding) ProxyStats() hyperdrive.ProxyStats   { return f.proxy }
func (f *fakeBinding) Name() string                        { return "DB" }
func (f *fakeBinding) Health() []hyperdrive.EndpointHealth { return f.eps }
func (f *fakeBinding) CacheStats() hyperdrive.CacheStats   { return f.cache }

func TestScrapeReadsLiveState(t *testing.T) {
	m := New()
	var stats isolates.PoolStats
	m.WatchIsolates(func() isolates.PoolStats { return stats })
	b := &fakeBinding{
		eps: []hyperdrive.EndpointHealth{
			{Name: "primary", Role: "primary", Breaker: "half-open", Pool: hyperdrive.PoolStats{Acquired: 3, Idle: 2, Total: 5, Max: 10, AcquireCount: 40, EmptyAcquireCount: 7, NewConns: 5}},
			{Name: "fallback", Role: "fallback", Breaker: "closed", Pool: hyperdrive.PoolStats{Max: 10}},
		},
		cache: hyperdrive.CacheStats{Hits: 9, Misses: 3, Stale: 1, Evictions: 2, TooLarge: 1, Entries: 4, Bytes: 2048},
	}
	m.WatchBinding(b)

	stats = isolates.PoolStats{Isolates: 2, Busy: 1, InFlight: 5, Queued: 1, Replaced: 3, Pending: 7}
	checks := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"edgerun_isolates", nil, 2},
		{"edgerun_isolates_busy", nil, 1},
		{"edgerun_isolate_requests_in_flight", nil, 5},
		{"edgerun_isolate_requests_queued", nil, 1},
		{"edgerun_isolates_replaced_total", nil, 3},
		{"edgerun_isolate_pending_callbacks", nil, 7},
		{"edgerun_hyperdrive_pool_acquired_connections", []string{"binding=DB", "endpoint=primary"}, 3},
		{"edgerun_hyperdrive_pool_idle_connections", []string{"endpoint=primary"}, 2},
		{"edgerun_hyperdrive_pool_total_connections", []string{"endpoint=primary"}, 5},
		{"edgerun_hyperdrive_pool_max_connections", []string{"endpoint=fallback"}, 10},
		{"edgerun_hyperdrive_pool_utilization_ratio", []string{"endpoint=primary"}, 0.3},
		{"edgerun_hyperdrive_pool_acquires_total", []string{"endpoint=primary"}, 40},
		{"edgerun_hyperdrive_pool_empty_acquires_total", []string{"endpoint=primary"}, 7},
		{"edgerun_hyperdrive_pool_new_connections_total", []string{"endpoint=primary"}, 5},
		{"edgerun_hyperdrive_breaker_state", []string{"endpoint=primary", "state=half-open"}, 1},
		{"edgerun_hyperdrive_breaker_state", []string{"endpoint=primary", "state=closed"}, 0},
		{"edgerun_hyperdrive_breaker_state", []string{"endpoint=fallback", "state=closed"}, 1},
		{"edgerun_hyperdrive_cache_hits_total", []string{"binding=DB"}, 9},
		{"edgerun_hyperdrive_cache_misses_total", nil, 3},
		{"edgerun_hyperdrive_cache_stale_total", nil, 1},
		{"edgerun_hyperdrive_cache_evictions_total", nil, 2},
		{"edgerun_hyperdrive_cache_too_large_total", nil, 1},
		{"edgerun_hyperdrive_cache_entries", nil, 4},
		{"edgerun_hyperdrive_cache_bytes", nil, 2048},
	}
	for _, c := range checks {
		if got := sample(t, m, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}

	// The next scrape sees the state as it is then.
	stats.InFlight = 0
	b.eps[0].Breaker = "closed"
	b.cache.Hits = 10
	if got := sample(t, m, "edgerun_isolate_requests_in_flight"); got != 0 {
		t.Errorf("in flight after = %v", got)
	}
	if got := sample(t, m, "edgerun_hyperdrive_breaker_state", "endpoint=primary", "state=closed"); got != 1 {
		t.Errorf("primary closed after = %v", got)
	}
	if got := sample(t, m, "edgerun_hyperdrive_cache_hits_total"); got != 10 {
		t.Errorf("hits after = %v", got)
	}
}

func TestEveryMetricIsEdgerunsOrTheRuntimes(t *testing.T) {
	m := New()
	m.WatchIsolates(func() isolates.PoolStats { return isolates.PoolStats{} })
	m.WatchBinding(&fakeBinding{})
	m.ObserveRequest("GET", 200, time.Millisecond)
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range families {
		n := f.GetName()
		if !strings.HasPrefix(n, "edgerun_") && !strings.HasPrefix(n, "go_") && !strings.HasPrefix(n, "process_") {
			names = append(names, n)
		}
		if f.GetType() == dto.MetricType_COUNTER && !strings.HasSuffix(n, "_total") {
			t.Errorf("counter %s does not end in _total", n)
		}
	}
	sort.Strings(names)
	if len(names) > 0 {
		t.Errorf("metrics outside edgerun_/go_/process_: %v", names)
	}
}

func TestGatherIsEdgerunsOwnWithScrapeValues(t *testing.T) {
	m := New()
	m.WatchIsolates(func() isolates.PoolStats { return isolates.PoolStats{Isolates: 3, Busy: 2} })
	m.ObserveRequest("GET", 200, time.Millisecond)
	m.ObserveRequest("GET", 503, time.Millisecond)
	own, err := m.Gather()
	if err != nil {
		t.Fatal(err)
	}
	all, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	scraped := map[string]string{}
	for _, f := range all {
		scraped[f.GetName()] = f.String()
	}
	for _, f := range own {
		if !strings.HasPrefix(f.GetName(), "edgerun_") {
			t.Errorf("Gather returned %s", f.GetName())
		}
		if got := f.String(); got != scraped[f.GetName()] {
			t.Errorf("%s: Gather %s, scrape %s", f.GetName(), got, scraped[f.GetName()])
		}
	}
	if len(own) < 4 {
		t.Fatalf("Gather returned %d families", len(own))
	}
}
