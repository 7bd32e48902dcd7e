package hyperdrive

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sony/gobreaker/v2"

	"edgerun/isolates"
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

// endpoint is one database server: its pool and its circuit breaker.
type endpoint struct {
	role    string
	name    string // role, with an index for replicas ("replica-2")
	pool    *pgxpool.Pool
	breaker *gobreaker.CircuitBreaker[*result]
	// connString is the endpoint's URL without edgerun's pgbouncer hint;
	// pooler: it looks like a transaction-mode pooler.
	connString string
	pooler     bool
	// failing counts connection-level failures since the last success, so
	// that only the success ending a run is reported to the Observer (every
	// statement reporting success cost a locked map update in the alerts).
	failing atomic.Int64
}

// ErrUnavailable is returned (wrapped in *Error, code 58000) while an
// endpoint's breaker is open and there is nowhere else to send a statement.
var ErrUnavailable = errors.New("database unavailable")

func (b *Binding) newBreaker(name string) *gobreaker.CircuitBreaker[*result] {
	threshold := uint32(b.cfg.FailureThreshold)
	return gobreaker.NewCircuitBreaker[*result](gobreaker.Settings{
		Name:        name,
		MaxRequests: 1, // one half-open probe at a time
		Timeout:     b.cfg.OpenTimeout,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= threshold },
		// Only the endpoint being unreachable counts; a SQL error, or a
		// session the server ended after it took the statement (a
		// statement running pg_terminate_backend(pg_backend_pid()), an
		// administrator's kill), means the database answered.
		IsSuccessful: func(err error) bool { return err == nil || !endpointDown(err) },
		IsExcluded: func(err error) bool {
			return errors.Is(err, context.Canceled) || errors.Is(err, errStatementTimeout)
		},
		OnStateChange: func(_ string, from, to gobreaker.State) {
			b.cfg.Log.Warn(fmt.Sprintf("hyperdrive %q: %s circuit breaker %s → %s", b.cfg.Name, name, from, to))
			if b.cfg.Observer != nil {
				b.cfg.Observer.Breaker(b.cfg.Name, name, from.String(), to.String())
			}
		},
	})
}

// errStatementTimeout marks a statement that ran past query_timeout: the
// database answered (slowly), so the breaker does not count it.
var errStatementTimeout = errors.New("statement timeout")

type wroteKey struct{ b *Binding }

// markWrote remembers that the request wrote, so its later reads stay on the
// primary (read-your-writes across replicas).
func (b *Binding) markWrote(scope *isolates.Scope) { scope.SetValue(wroteKey{b}, true) }

func (b *Binding) hasWritten(scope *isolates.Scope) bool { return scope.Value(wroteKey{b}) != nil }

// pick chooses where a statement runs: a healthy replica for a single
// read-only statement of a request that has not written, when replicasOK;
// else the primary; the fallback while the primary's breaker is open. tried
// holds endpoints that failed this statement already.
func (b *Binding) pick(st *statement, scope *isolates.Scope, replicasOK bool, tried map[*endpoint]bool) *endpoint {
	if replicasOK && len(b.replicas) > 0 && st.info.ReadOnly && !st.info.Multi && !b.hasWritten(scope) {
		n := len(b.replicas)
		start := int(b.nextReplica.Add(1))
		for i := range n {
			ep := b.replicas[(start+i)%n]
			if !tried[ep] && ep.breaker.State() == gobreaker.StateClosed {
				return ep
			}
		}
	}
	if !tried[b.primary] && b.primary.breaker.State() != gobreaker.StateOpen {
		return b.primary
	}
	if b.fallback != nil && !tried[b.fallback] && b.fallback.breaker.State() != gobreaker.StateOpen {
		return b.fallback
	}
	if !tried[b.primary] {
		return b.primary // open: Execute fails fast with ErrOpenState
	}
	return nil
}

// executeUncached runs st on the database: routed (to a replica only when
// replicasOK), through the endpoint's breaker, retried only where that is
// safe.
func (b *Binding) executeUncached(ctx context.Context, st *statement, args []any, scope *isolates.Scope, replicasOK bool) (*result, error) {
	var tried map[*endpoint]bool // made on the first failure: reads of nil are fine
	markTried := func(ep *endpoint) {
		if tried == nil {
			tried = make(map[*endpoint]bool, 2)
		}
		tried[ep] = true
	}
	var lastErr error
	sessionEnded := false // the server ended the session running st once already
	for attempt := 0; attempt <= b.cfg.Retries; attempt++ {
		ep := b.pick(st, scope, replicasOK, tried)
		if ep == nil {
			break
		}
		if attempt > 0 {
			if b.cfg.Observer != nil {
				b.cfg.Observer.Retry(b.cfg.Name, ep.name)
			}
			if !sleepCtx(ctx, backoff(attempt)) {
				break
			}
		}
		r, err := ep.breaker.Execute(func() (*result, error) { return b.runOn(ctx, ep, st, args) })
		if err == nil {
			if ep.failing.Swap(0) > 0 && b.cfg.Observer != nil {
				b.cfg.Observer.ConnectionFailure(b.cfg.Name, ep.name, true)
			}
		} else if endpointDown(err) {
			ep.failing.Add(1)
			if b.cfg.Observer != nil {
				b.cfg.Observer.ConnectionFailure(b.cfg.Name, ep.name, false)
			}
		}
		if err == nil {
			return r, nil
		}
		if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
			lastErr = fmt.Errorf("%w: %s circuit breaker open after %d consecutive connection failures; retrying the database in %s",
				ErrUnavailable, ep.name, b.cfg.FailureThreshold, b.cfg.OpenTimeout)
			markTried(ep)
			if b.pick(st, scope, replicasOK, tried) == nil {
				break
			}
			attempt-- // moving to another endpoint is not a retry
			continue
		}
		lastErr = err
		if !b.retryable(err, st) || ctx.Err() != nil {
			break
		}
		if serverRejected(err) || !endpointDown(err) && isConnectionError(err) {
			// The session ended under the statement: an administrator, a
			// restart, or the statement itself. One run on a fresh session
			// tells them apart; a second such ending is the statement's doing
			// and its request's error.
			if sessionEnded {
				break
			}
			sessionEnded = true
		}
		if ep.role == "replica" || ep.breaker.State() == gobreaker.StateOpen {
			markTried(ep)
		}
	}
	if lastErr == nil {
		lastErr = fmt.Errorf("%w: no endpoint available", ErrUnavailable)
	}
	return nil, lastErr
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
