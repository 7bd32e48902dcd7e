package hyperdrive

// Execution of batch() (one transaction, retried only when it never
// reached the server) and exec() (simple protocol, never retried).

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"edgerun/bindings/hyperdrive/sqlscan"
)

// runBatch runs stmts in one transaction on the primary, again (after a
// backoff, up to retries times) only when the batch never reached the
// server. The error names the statement that failed (its index).
func (b *Binding) runBatch(ctx context.Context, stmts []*statement, args [][]any) ([]*result, error) {
	qctx, cancel := context.WithTimeout(ctx, b.cfg.QueryTimeout)
	defer cancel()
	var lastErr error
	for attempt := 0; attempt <= b.cfg.Retries; attempt++ {
		if attempt > 0 && !sleepCtx(qctx, backoff(attempt)) {
			break
		}
		results, index, err := b.batchOnce(qctx, stmts, args)
		if err == nil {
			return results, nil
		}
		lastErr = b.wrapError(err, index)
		// Only a batch that never reached the server is retried.
		if !errors.Is(err, errAcquire) && !pgconn.SafeToRetry(err) {
			break
		}
	}
	return nil, lastErr
}

func (b *Binding) batchOnce(ctx context.Context, stmts []*statement, args [][]any) ([]*result, int, error) {
	actx, acancel := context.WithTimeout(ctx, b.cfg.AcquireTimeout)
	conn, err := b.primary.pool.Acquire(actx)
	acancel()
	if err != nil {
		return nil, -1, fmt.Errorf("%w: %w", errAcquire, err)
	}
	session := false // SET LOCAL is fine in a batch; SET outlives its COMMIT
	dirty := false
	for _, st := range stmts {
		session = session || st.info.Session
		dirty = dirty || !st.pure
	}
	defer b.release(b.primary, conn, session, dirty)
	results, index, err := b.batchTx(ctx, conn.Conn(), stmts, args)
	// A stale statement rolled the transaction back and pgx dropped it:
	// run the transaction again on this connection. Each run fixes the
	// statement that failed, so at most one run per statement.
	for retry := 0; err != nil && staleStatement(err) && retry < len(stmts); retry++ {
		if o := b.cfg.Observer; o != nil {
			o.Retry(b.cfg.Name, b.primary.name)
		}
		results, index, err = b.batchTx(ctx, conn.Conn(), stmts, args)
	}
	return results, index, err
}

// batchTx runs stmts in one transaction on conn.
func (b *Binding) batchTx(ctx context.Context, conn *pgx.Conn, stmts []*statement, args [][]any) ([]*result, int, error) {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return nil, -1, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	results := make([]*result, len(stmts))
	for i, st := range stmts {
		s := time.Now()
		r, err := collect(ctx, tx, st.sql, args[i], b.cfg.MaxResultBytes)
		if err != nil {
			return nil, i, err
		}
		r.duration = time.Since(s)
		r.servedBy = b.primary.role
		r.writes = st.info.Writes
		results[i] = r
	}
	// Announced in the same transaction: other instances hear of the
	// write exactly when it commits.
	notified := false
	if b.invalidator != nil && slices.ContainsFunc(stmts, func(st *statement) bool { return st.info.Writes || !st.info.ReadOnly }) {
		notified = b.invalidator.notifyOn(ctx, tx)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, -1, err
	}
	if len(results) > 0 {
		results[0].notified = notified
	}
	return results, -1, nil
}

// runExec runs one or more statements without parameters on the primary
// (simple protocol), never retried; notified: the statements' connection
// announced the write (caching.notify_channel).
func (b *Binding) runExec(ctx context.Context, sql string) (d time.Duration, notified bool, err error) {
	start := time.Now()
	qctx, cancel := context.WithTimeout(ctx, b.cfg.QueryTimeout)
	defer cancel()
	actx, acancel := context.WithTimeout(qctx, b.cfg.AcquireTimeout)
	conn, err := b.primary.pool.Acquire(actx)
	acancel()
	if err != nil {
		return 0, false, b.wrapError(fmt.Errorf("%w: %w", errAcquire, err), -1)
	}
	defer b.release(b.primary, conn, sqlscan.Classify(sql).Session, true)
	if err := discardResults(conn.Conn().PgConn().Exec(qctx, sql)); err != nil {
		if qctx.Err() != nil && ctx.Err() == nil {
			err = fmt.Errorf("%w: %w", context.DeadlineExceeded, err)
		}
		return 0, false, b.wrapError(err, -1)
	}
	if b.invalidator != nil {
		notified = b.invalidator.notifyOn(qctx, conn.Conn())
	}
	return time.Since(start), notified, nil
}
