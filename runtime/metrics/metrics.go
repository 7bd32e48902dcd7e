package metrics

import (
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"

	"edgerun/bindings/hyperdrive"
	"edgerun/isolates"
)

const namespace = "edgerun"

// durationBuckets (seconds) span a cached read (tens of µs) to a query
// near the default 30 s timeout; Prometheus' default buckets start at 5 ms,
// which would put every cache hit in the first bucket.
var durationBuckets = []float64{
	0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
	0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
}

// statusClasses label HTTP responses by the first digit of their status;
// routes are not labels (unbounded).
var statusClasses = [...]string{"1xx", "2xx", "3xx", "4xx", "5xx"}

// Metrics is one app's metrics and their registry. Its methods are safe for
// concurrent use; the request and query paths only touch atomics and
// pre-resolved series.
type Metrics struct {
	reg *prometheus.Registry
	// own holds edgerun's collectors only (reg has them and the Go runtime's
	// and the process's): Gather reads it once a second for the dashboard,
	// which needs no runtime statistics.
	own *prometheus.Registry

	requests        [len(statusClasses)]prometheus.Counter
	requestDuration prometheus.Histogram

	queries           *prometheus.CounterVec
	queryDuration     *prometheus.HistogramVec
	querySeries       sync.Map // queryLabels -> *querySeries
	acquireDuration   *prometheus.HistogramVec
	acquireFailures   *prometheus.CounterVec
	retries           *prometheus.CounterVec
	breakerChanges    *prometheus.CounterVec
	connFailures      *prometheus.CounterVec
	consecutiveFailed *prometheus.GaugeVec

	isolatesOnce sync.Once
	bindings     *bindingCollector
}

var _ hyperdrive.Observer = (*Metrics)(nil)

// New returns metrics registered on a fresh registry, with Go runtime and
// process collectors alongside edgerun's own.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), own: prometheus.NewRegistry()}
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "http_requests_total",
		Help: "HTTP requests served, by status class (1xx..5xx).",
	}, []string{"class"})
	for i, class := range statusClasses {
		m.requests[i] = requests.WithLabelValues(class)
	}
	m.requestDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: namespace, Name: "http_request_duration_seconds",
		Help:    "Time from reading an HTTP request to writing its response.",
		Buckets: durationBuckets,
	})
	m.queries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: "hyperdrive", Name: "queries_total",
		Help: "Statements run through a HYPERDRIVE binding, by kind (read, write), outcome (ok, error, cached) and the endpoint that served them (primary, replica, fallback, cache, none).",
	}, []string{"binding", "kind", "outcome", "served_by"})
	m.queryDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Subsystem: "hyperdrive", Name: "query_duration_seconds",
		Help:    "Statement time as the worker sees it: cache lookup, connection acquire, retries and execution.",
		Buckets: durationBuckets,
	}, []string{"binding", "kind", "outcome"})
	m.acquireDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Subsystem: "hyperdrive", Name: "acquire_duration_seconds",
		Help:    "Wait for a pooled connection (including dialling a new one), per endpoint.",
		Buckets: durationBuckets,
	}, []string{"binding", "endpoint"})
	m.acquireFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: "hyperdrive", Name: "acquire_failures_total",
		Help: "Connection acquires that failed (timeout, refused, cancelled), per endpoint.",
	}, []string{"binding", "endpoint"})
	m.retries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: "hyperdrive", Name: "retries_total",
		Help: "Statements retried, per endpoint the retry went to.",
	}, []string{"binding", "endpoint"})
	m.breakerChanges = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: "hyperdrive", Name: "breaker_transitions_total",
		Help: "Circuit breaker state changes, per endpoint.",
	}, []string{"binding", "endpoint", "from", "to"})
	m.connFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: "hyperdrive", Name: "connection_failures_total",
		Help: "Statements that failed at the connection level, per endpoint.",
	}, []string{"binding", "endpoint"})
	m.consecutiveFailed = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Subsystem: "hyperdrive", Name: "consecutive_connection_failures",
		Help: "Connection-level failures in a row on an endpoint (0 after a success).",
	}, []string{"binding", "endpoint"})
	m.bindings = &bindingCollector{}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	m.register(
		requests, m.requestDuration,
		m.queries, m.queryDuration, m.acquireDuration, m.acquireFailures,
		m.retries, m.breakerChanges, m.connFailures, m.consecutiveFailed,
		m.bindings,
	)
	return m
}

// register adds edgerun's own collectors to both registries. A collector
// may sit in two registries: each Gather asks it for its current values.
func (m *Metrics) register(cs ...prometheus.Collector) {
	m.reg.MustRegister(cs...)
	m.own.MustRegister(cs...)
}

// Gather returns edgerun's own metric families (edgerun_*), sorted by name,
// with the values /metrics would show now.
func (m *Metrics) Gather() ([]*dto.MetricFamily, error) { return m.own.Gather() }

// Registry is where every metric of this app is registered; register more
// collectors on it rather than on prometheus.DefaultRegisterer.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg, EnableOpenMetrics: true})
}

// ObserveRequest counts one finished HTTP request; it has the signature of
// runtime.Server's Observe hook. The method is not a label: clients choose
// it, so it is unbounded.
func (m *Metrics) ObserveRequest(_ string, status int, d time.Duration) {
	if i := status/100 - 1; i >= 0 && i < len(m.requests) {
		m.requests[i].Inc()
	}
	m.requestDuration.Observe(d.Seconds())
}

// WatchIsolates registers the isolate pool gauges, read from stats at
// scrape time. stats must report the version currently serving, with
// Replaced summed over every version so the counter never goes back.
// Only the first call registers.
func (m *Metrics) WatchIsolates(stats func() isolates.PoolStats) {
	m.isolatesOnce.Do(func() {
		gauge := func(name, help string, v func(isolates.PoolStats) int) prometheus.Collector {
			return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: namespace, Name: name, Help: help},
				func() float64 { return float64(v(stats())) })
		}
		m.register(
			gauge("isolates", "Live isolates serving the current worker version.",
				func(s isolates.PoolStats) int { return s.Isolates }),
			gauge("isolates_busy", "Isolates serving at least one request.",
				func(s isolates.PoolStats) int { return s.Busy }),
			gauge("isolate_requests_in_flight", "Requests being served by isolates (including their waitUntil work).",
				func(s isolates.PoolStats) int { return s.InFlight }),
			gauge("isolate_requests_queued", "Requests waiting for a free isolate slot.",
				func(s isolates.PoolStats) int { return s.Queued }),
			gauge("isolate_pending_callbacks", "Outstanding async callbacks (queries, timers, waitUntil) across isolates.",
				func(s isolates.PoolStats) int { return s.Pending }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Namespace: namespace, Name: "isolates_replaced_total",
				Help: "Isolates replaced (CPU limit interrupts, fatal errors) since start.",
			}, func() float64 { return float64(stats().Replaced) }),
		)
	})
}

// Binding is what the scrape-time gauges read from a HYPERDRIVE binding;
// *hyperdrive.Binding implements it.
type Binding interface {
	Name() string
	Health() []hyperdrive.EndpointHealth
	CacheStats() hyperdrive.CacheStats
	ProxyStats() hyperdrive.ProxyStats
}

// WatchBinding adds b's pool, cache and breaker gauges.
func (m *Metrics) WatchBinding(b Binding) { m.bindings.add(b) }

type queryLabels struct{ binding, kind, outcome, servedBy string }

// querySeries are one label set's resolved metrics: every statement (cache
// hits too) is counted, and resolving labels on each costs more than the
// statement's own cache lookup. The label sets are few (bindings × kinds ×
// outcomes × endpoints), so they are kept for the process's life.
type querySeries struct {
	count    prometheus.Counter
	duration prometheus.Observer
}

// Query implements hyperdrive.Observer.
func (m *Metrics) Query(binding, kind, outcome, servedBy string, d time.Duration) {
	if servedBy == "" {
		servedBy = "none"
	}
	key := queryLabels{binding, kind, outcome, servedBy}
	s, ok := m.querySeries.Load(key)
	if !ok {
		s, _ = m.querySeries.LoadOrStore(key, &querySeries{
			count:    m.queries.WithLabelValues(binding, kind, outcome, servedBy),
			duration: m.queryDuration.WithLabelValues(binding, kind, outcome),
		})
	}
	qs := s.(*querySeries)
	qs.count.Inc()
	qs.duration.Observe(d.Seconds())
}

// Acquire implements hyperdrive.Observer.
func (m *Metrics) Acquire(binding, endpoint string, d time.Duration, err error) {
	m.acquireDuration.WithLabelValues(binding, endpoint).Observe(d.Seconds())
	if err != nil {
		m.acquireFailures.WithLabelValues(binding, endpoint).Inc()
	}
}

// Retry implements hyperdrive.Observer.
func (m *Metrics) Retry(binding, endpoint string) {
	m.retries.WithLabelValues(binding, endpoint).Inc()
}

// Breaker implements hyperdrive.Observer.
func (m *Metrics) Breaker(binding, endpoint, from, to string) {
	m.breakerChanges.WithLabelValues(binding, endpoint, from, to).Inc()
}

// ConnectionFailure implements hyperdrive.Observer.
func (m *Metrics) ConnectionFailure(binding, endpoint string, ok bool) {
	g := m.consecutiveFailed.WithLabelValues(binding, endpoint)
	if ok {
		g.Set(0)
		return
	}
	g.Inc()
	m.connFailures.WithLabelValues(binding, endpoint).Inc()
}
