package admin

import (
	"context"
	"fmt"
	"sync"
	"time"

	"edgerun/bindings/hyperdrive"
	"edgerun/isolates"
)

// Health statuses, the seed's.
const (
	StatusHealthy   = "healthy"
	StatusDegraded  = "degraded"
	StatusUnhealthy = "unhealthy"
)

// Database is what /health asks of a HYPERDRIVE binding;
// *hyperdrive.Binding implements it.
type Database interface {
	Name() string
	// Probe runs a health-check query on the primary and reports its latency.
	Probe(ctx context.Context) (time.Duration, error)
	Health() []hyperdrive.EndpointHealth
	CacheStats() hyperdrive.CacheStats
	// ProxyStats is the local Hyperdrive listener's (Addr "" without one).
	ProxyStats() hyperdrive.ProxyStats
	// SlowQueries are the last statements slower than slow_query_ms,
	// newest first, and how many there were since start.
	SlowQueries() ([]hyperdrive.SlowQuery, int)
}

var _ Database = (*hyperdrive.Binding)(nil)

// Report is the /health document.
type Report struct {
	Status    string          `json:"status"`
	CheckedAt time.Time       `json:"checked_at"`
	Isolates  *IsolateReport  `json:"isolates,omitempty"`
	Bindings  []BindingReport `json:"bindings"`
	Alerts    []Alert         `json:"alerts"`
}

// IsolateReport is the isolate pool of the version serving.
type IsolateReport struct {
	Isolates int   `json:"isolates"`
	InFlight int   `json:"in_flight"`
	Queued   int   `json:"queued"`
	Replaced int64 `json:"replaced"`
}

// BindingReport is one binding's health.
type BindingReport struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	// ResponseTimeMs is the probe query's round trip, as the seed's
	// healthCheck measures it (also when it failed).
	ResponseTimeMs float64 `json:"response_time_ms"`
	Error          string  `json:"error,omitempty"`
	// Reasons say why the status is not healthy.
	Reasons   []string         `json:"reasons,omitempty"`
	Endpoints []EndpointReport `json:"endpoints"`
	Cache     CacheReport      `json:"cache"`
	// Proxy is the local Hyperdrive (connectionString's listener); absent
	// when local_port = -1.
	Proxy  *ProxyReport `json:"proxy,omitempty"`
	Window WindowStats  `json:"window"`
}

// ProxyReport is the local Hyperdrive listener's clients and what they ran.
type ProxyReport struct {
	Address string `json:"address"`
	// Clients are connected now; ClientsTotal were accepted since start.
	Clients      int64 `json:"clients"`
	ClientsTotal int64 `json:"clients_total"`
	// Statements run for clients, of which CacheHits were answered from the
	// cache and CacheMisses were cacheable but ran on the server.
	Statements  int64 `json:"statements"`
	CacheHits   int64 `json:"cache_hits"`
	CacheMisses int64 `json:"cache_misses"`
	// ServerConnections are pooled connections held for clients now (a
	// statement running, or a transaction open).
	ServerConnections int64 `json:"server_connections"`
	// AcquireTimeouts: waits for a pooled connection that ended in
	// "Failed to acquire a connection from the pool" (58000).
	AcquireTimeouts int64 `json:"acquire_timeouts"`
	// IdleTransactionTimeouts: clients disconnected idle in a transaction
	// (idle_transaction_timeout_ms).
	IdleTransactionTimeouts int64 `json:"idle_transaction_timeouts"`
	AuthenticationsRefused  int64 `json:"authentications_refused"`
	// Connections since start by door: TCP, and this process's workers
	// over an in-memory pipe (cancel requests and refused ones included).
	TCPConnections       int64 `json:"tcp_connections"`
	InProcessConnections int64 `json:"in_process_connections"`
}

// EndpointReport is one endpoint's breaker and pool.
type EndpointReport struct {
	Name    string     `json:"name"`
	Role    string     `json:"role"`
	Breaker string     `json:"breaker"`
	Pool    PoolReport `json:"pool"`
}

// PoolReport is a pool's connections.
type PoolReport struct {
	Acquired int32 `json:"acquired"`
	Idle     int32 `json:"idle"`
	Total    int32 `json:"total"`
	Max      int32 `json:"max"`
}

// CacheReport is the query cache's counters.
type CacheReport struct {
	Hits      int64   `json:"hits"`
	Misses    int64   `json:"misses"`
	Stale     int64   `json:"stale"`
	Evictions int64   `json:"evictions"`
	Entries   int     `json:"entries"`
	Bytes     uint64  `json:"bytes"`
	HitRate   float64 `json:"hit_rate"`
	// Invalidation: "listening" or "not listening" for other processes'
	// writes (caching.notify_channel); absent without.
	Invalidation string `json:"invalidation,omitempty"`
}

func proxyReport(ps hyperdrive.ProxyStats) *ProxyReport {
	return &ProxyReport{Address: ps.Addr, Clients: ps.Clients, ClientsTotal: ps.ClientsTotal, Statements: ps.Queries,
		CacheHits: ps.CacheHits, CacheMisses: ps.CacheMisses, ServerConnections: ps.ServerConnections,
		AcquireTimeouts: ps.AcquireTimeouts, IdleTransactionTimeouts: ps.IdleTransactionTimeouts, AuthenticationsRefused: ps.AuthenticationsRefused,
		TCPConnections: ps.TCPConnections, InProcessConnections: ps.InProcessConnections}
}

// check probes every database at once and builds the report.
func check(ctx context.Context, dbs []Database, alerts *Alerts, pool func() isolates.PoolStats, timeout time.Duration) Report {
	r := Report{Status: StatusHealthy, CheckedAt: time.Now().UTC(), Bindings: make([]BindingReport, len(dbs)), Alerts: []Alert{}}
	var wg sync.WaitGroup
	for i, db := range dbs {
		wg.Go(func() {
			pctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			r.Bindings[i] = checkDatabase(pctx, db, alerts)
		})
	}
	wg.Wait()
	for _, b := range r.Bindings {
		r.Status = worse(r.Status, b.Status)
	}
	if alerts != nil {
		r.Alerts = alerts.Active()
	}
	if pool != nil {
		s := pool()
		r.Isolates = &IsolateReport{Isolates: s.Isolates, InFlight: s.InFlight, Queued: s.Queued, Replaced: s.Replaced}
	}
	return r
}

func checkDatabase(ctx context.Context, db Database, alerts *Alerts) BindingReport {
	took, err := db.Probe(ctx)
	endpoints := db.Health()
	br := BindingReport{Name: db.Name(), ResponseTimeMs: ms(took), Endpoints: make([]EndpointReport, len(endpoints))}
	for i, ep := range endpoints {
		br.Endpoints[i] = EndpointReport{Name: ep.Name, Role: ep.Role, Breaker: ep.Breaker,
			Pool: PoolReport{Acquired: ep.Pool.Acquired, Idle: ep.Pool.Idle, Total: ep.Pool.Total, Max: ep.Pool.Max}}
	}
	cs := db.CacheStats()
	br.Cache = CacheReport{Hits: cs.Hits, Misses: cs.Misses, Stale: cs.Stale, Evictions: cs.Evictions, Entries: cs.Entries, Bytes: cs.Bytes,
		Invalidation: cs.Invalidation}
	if n := cs.Hits + cs.Misses; n > 0 {
		br.Cache.HitRate = float64(cs.Hits) / float64(n)
	}
	if ps := db.ProxyStats(); ps.Addr != "" {
		br.Proxy = proxyReport(ps)
	}
	critical := Defaults.ResponseTimeCritical
	if alerts != nil {
		br.Window = alerts.Queries(br.Name)
		critical = alerts.Thresholds().ResponseTimeCritical
	}
	if err != nil {
		br.Error = err.Error()
	}
	br.Status, br.Reasons = classify(took, err, endpoints, br.Window.Fallback, critical)
	if cs.Invalidation == "not listening" {
		br.Status = worse(br.Status, StatusDegraded)
		br.Reasons = append(br.Reasons, "not listening for other processes' writes (caching.notify_channel): reads bypass the cache")
	}
	return br
}

// classify is the seed's healthCheck, extended to the breakers and the
// fallback: unhealthy when the probe fails (unless a fallback endpoint is
// there to serve); degraded when the probe is slower than the critical
// response time, a breaker is not closed, or the fallback served statements
// in the window; healthy otherwise.
func classify(took time.Duration, probeErr error, endpoints []hyperdrive.EndpointHealth, fallbackServed int64, critical time.Duration) (string, []string) {
	status := StatusHealthy
	var reasons []string
	degrade := func(why string) {
		status = worse(status, StatusDegraded)
		reasons = append(reasons, why)
	}
	if probeErr != nil {
		fallbackUp := false
		for _, ep := range endpoints {
			if ep.Role == "fallback" && ep.Breaker == "closed" {
				fallbackUp = true
			}
		}
		if !fallbackUp {
			return StatusUnhealthy, []string{"probe query failed"}
		}
		degrade("probe query on the primary failed; the fallback endpoint serves")
	} else if took > critical {
		degrade(fmt.Sprintf("probe query took %s, over the critical response time %s", took.Round(time.Millisecond), critical))
	}
	for _, ep := range endpoints {
		if ep.Breaker != "closed" {
			degrade(fmt.Sprintf("%s circuit breaker is %s", ep.Name, ep.Breaker))
		}
	}
	if fallbackServed > 0 {
		degrade(fmt.Sprintf("%d statements served by the fallback endpoint in the alert window", fallbackServed))
	}
	return status, reasons
}

var statusRank = map[string]int{StatusHealthy: 0, StatusDegraded: 1, StatusUnhealthy: 2}

func worse(a, b string) string {
	if statusRank[b] > statusRank[a] {
		return b
	}
	return a
}
