package hyperdrive

// What the binding reports: the Observer it tells, pool and cache
// statistics, endpoint health and the health probe.

import (
	"context"
	"time"
)

// Observer is told what the binding does, for metrics and alerts. Methods
// are called from query goroutines and must be safe for concurrent use.
type Observer interface {
	// Query reports one statement: kind is "read" or "write"; outcome is
	// "ok", "error" or "cached"; servedBy names the endpoint role or "cache".
	Query(binding, kind, outcome, servedBy string, d time.Duration)
	// Acquire reports the wait for a pooled connection on an endpoint.
	Acquire(binding, endpoint string, d time.Duration, err error)
	// Retry reports a retried statement.
	Retry(binding, endpoint string)
	// Breaker reports an endpoint's breaker changing state.
	Breaker(binding, endpoint, from, to string)
	// ConnectionFailure reports a connection-level failure (consecutive
	// failures matter for the seed's alert threshold); ok=true resets.
	ConnectionFailure(binding, endpoint string, ok bool)
}

// PoolStats is a snapshot of one endpoint's pool.
type PoolStats struct {
	Role                            string
	Acquired, Idle, Total, Max      int32
	AcquireCount, EmptyAcquireCount int64
	AcquireDuration                 time.Duration
	NewConns, CanceledAcquireCount  int64
}

// Stats reports every endpoint's pool.
func (b *Binding) Stats() []PoolStats {
	var out []PoolStats
	for _, ep := range b.endpoints() {
		out = append(out, ep.stats())
	}
	return out
}

// CacheStats reports the query cache's counters (zero when disabled).
func (b *Binding) CacheStats() CacheStats {
	if b.cache == nil {
		return CacheStats{}
	}
	s := b.cache.stats()
	switch {
	case b.invalidator == nil:
	case b.invalidator.listening.Load():
		s.Invalidation = "listening"
	default:
		s.Invalidation = "not listening"
	}
	return s
}

// EndpointHealth is one endpoint's state for /health.
type EndpointHealth struct {
	Name    string
	Role    string
	Breaker string // closed, half-open, open
	Pool    PoolStats
}

// Health reports every endpoint's breaker and pool.
func (b *Binding) Health() []EndpointHealth {
	var out []EndpointHealth
	for _, ep := range b.endpoints() {
		out = append(out, EndpointHealth{Name: ep.name, Role: ep.role, Breaker: ep.breaker.State().String(), Pool: ep.stats()})
	}
	return out
}

// Probe runs a health-check query (the seed's) on the primary and reports
// its latency; used by /health.
func (b *Binding) Probe(ctx context.Context) (time.Duration, error) {
	start := time.Now()
	st, err := b.prepare("SELECT 1 AS health_check")
	if err != nil {
		return 0, err
	}
	_, err = b.primary.breaker.Execute(func() (*result, error) { return b.runOn(ctx, b.primary, st, nil) })
	if err != nil {
		return time.Since(start), b.wrapError(err, -1)
	}
	return time.Since(start), nil
}
