package hyperdrive

// Execution of one statement on the database: the retry loop, with the
// breaker accounting, around one run on one endpoint (runOn).

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/sony/gobreaker/v2"

	"edgerun/isolates"
)

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

// retryable: only when nothing can have been applied — the statement never
// reached the server (acquire/dial failures, pgconn.SafeToRetry), or it is a
// single read-only statement that failed at the connection level.
func (b *Binding) retryable(err error, st *statement) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, errAcquire) || pgconn.SafeToRetry(err) || (serverRejected(err) && !st.info.Multi) {
		return true
	}
	return st.info.ReadOnly && !st.info.Multi && isConnectionError(err)
}

func backoff(attempt int) time.Duration {
	base := time.Duration(25<<attempt) * time.Millisecond
	return base/2 + time.Duration(rand.Int64N(int64(base)))
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// runOn runs st once on ep: a pooled connection (acquire bounded by
// acquire_timeout), the whole run by query_timeout; a statement whose
// prepared form went stale is run once more on the same connection.
func (b *Binding) runOn(ctx context.Context, ep *endpoint, st *statement, args []any) (*result, error) {
	start := time.Now()
	qctx, cancel := context.WithTimeout(ctx, b.cfg.QueryTimeout)
	defer cancel()
	if ep.pipe != nil && st.pipelinable() {
		if r, err, ok := ep.pipe.run(b, ep, st, args, qctx); ok {
			return b.ran(ctx, qctx, ep, st, args, start, r, err)
		}
	}
	actx, acancel := context.WithTimeout(qctx, b.cfg.AcquireTimeout)
	conn, err := ep.pool.Acquire(actx)
	acancel()
	if o := b.cfg.Observer; o != nil {
		o.Acquire(b.cfg.Name, ep.name, time.Since(start), err)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w: %w", errAcquire, err)
	}
	defer b.release(ep, conn, st.info.Session, !st.pure)
	r, err := collect(qctx, conn.Conn(), st.sql, args, b.cfg.MaxResultBytes)
	if err != nil && staleStatement(err) && !st.info.Multi {
		// Nothing ran, and pgx has dropped the stale prepared statement (or
		// description): once more on this connection prepares it afresh.
		// Safe for writes.
		if o := b.cfg.Observer; o != nil {
			o.Retry(b.cfg.Name, ep.name)
		}
		r, err = collect(qctx, conn.Conn(), st.sql, args, b.cfg.MaxResultBytes)
	}
	if err == nil && b.invalidator != nil && (st.info.Writes || !st.info.ReadOnly) {
		r.notified = b.invalidator.notifyOn(qctx, conn.Conn())
	}
	return b.ran(ctx, qctx, ep, st, args, start, r, err)
}

// ran is what runOn does with a statement's outcome, alone or pipelined:
// a run past query_timeout is named so, a result gets its metadata and the
// slow-query log sees it.
func (b *Binding) ran(ctx, qctx context.Context, ep *endpoint, st *statement, args []any, start time.Time, r *result, err error) (*result, error) {
	if err != nil {
		if qctx.Err() != nil && ctx.Err() == nil {
			return nil, fmt.Errorf("%w: %w: %w", context.DeadlineExceeded, errStatementTimeout, err)
		}
		return nil, err
	}
	r.duration = time.Since(start)
	r.servedBy = ep.role
	r.writes = st.info.Writes
	b.noteSlow(start, r.duration, st.raw, len(args), ep.name, "binding")
	return r, nil
}

// fillRunner runs a cacheable read for the cache: on the primary (or the
// fallback), never on a replica, whose lag would be cached for everyone.
func (b *Binding) fillRunner(st *statement, args []any) func(context.Context) (*result, error) {
	return func(ctx context.Context) (*result, error) {
		return b.executeUncached(ctx, st, args, nil, false)
	}
}
