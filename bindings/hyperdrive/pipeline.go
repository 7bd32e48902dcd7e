package hyperdrive

// Pipelining: reads that would wait for a pooled connection share one
// instead, several statements in one write and one PostgreSQL wake-up
// (pgconn's pipeline mode), each with a Sync of its own, so that each is its
// own implicit transaction and one's error does not touch the others.
//
// Who rides a pipeline: a statement runOn would run on a direct endpoint
// (statement_cache "prepare") that is a single read classified cacheable
// (read-only, no volatile or stable functions, no session effects; the
// binding's cache rules, whether the cache is on or not), when no
// connection is free (the pool is at its limit with none idle) or others
// already wait. A free connection is taken at once, as without pipelining:
// pipelining adds no latency, it only changes what waiting costs.
//
// How: waiting statements queue on their endpoint (pipeQueue). The oldest
// waiter leads: it alone waits in the pool's Acquire, and with the
// connection it gets takes up to maxPipeline waiting statements (itself
// first) and runs them in one pipeline; the next waiter leads the rest.
// Each statement is prepared once per connection (pgconn's Prepare, under
// a name of its own, "edgerun_pipe_" and its SQL's digest, and not in pgx's
// Conn.Prepare map: pgx's Query would run a statement named there instead
// of its statement cache's, and never re-prepare it when its plan goes
// stale; at most maxPipelinePrepared per connection, then DEALLOCATE ALL),
// bound with pgx's own encoding, and read with the same decoding and
// result-size limit as collect. The leader runs the pipeline in a goroutine
// of its own: each caller, the leader too, gets its result as soon as it is
// read, and one whose context ends before its statement is read returns
// at once (its result is read and dropped).
//
// What each statement keeps: its query_timeout (and its caller's context):
// when it expires while it is the one being read, the pipeline's context is
// cancelled, which sends a CancelRequest, as a statement alone does; its
// result-size limit, which cancels the same way; its breaker accounting,
// retries, metrics and slow-query log, which runOn's callers do per
// statement as before; its SQLSTATE errors. A CancelRequest races the
// server (it cancels whatever runs when it arrives), and a connection lost
// mid-pipeline fails every statement still unread: a statement that failed
// for another's sake (57014 it did not ask for, a pipeline broken after
// another's cancel, a plan gone stale) runs again alone on a connection of
// its own (errRerun), and one that failed with the connection goes through
// runOn's callers' retry rules (a single read outside a transaction is
// retried). Nothing a pipeline runs writes, so nothing can be applied twice.
//
// Not pipelined: writes, batch(), exec(), statements with session effects,
// anything on a transaction-mode pooler (statement_cache "describe": named
// statements through a pooler are its business) and the local Hyperdrive's
// clients (proxy*.go runs its own sessions).

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// maxPipeline bounds the statements of one pipeline: results come back in
// order, so a slow statement holds up those after it.
const maxPipeline = 16

// maxPipelinePrepared bounds the statements pipelining prepares on one
// connection; past it, the connection's statements are deallocated.
const maxPipelinePrepared = 256

// errRerun: a pipelined statement failed for another statement's sake (or
// a stale plan) and must run alone; nothing of it was applied.
var errRerun = errors.New("hyperdrive: pipelined statement to run alone")

// pipeQueue holds an endpoint's statements waiting for a connection.
type pipeQueue struct {
	mu      sync.Mutex
	waiting []*pipeCall // oldest first; waiting[0] leads while leading
	leading bool

	// pipelines and piped count pipelines run and the statements they
	// carried.
	pipelines, piped atomic.Int64

	prepMu   sync.Mutex
	prepared map[*pgx.Conn]map[string]*pgconn.StatementDescription // what pipelining prepared, per connection, by SQL
}

func newPipeQueue() *pipeQueue {
	return &pipeQueue{prepared: make(map[*pgx.Conn]map[string]*pgconn.StatementDescription)}
}

// pipeStatementName names a pipelined statement on the server: never one
// of pgx's statement cache's names (stmtcache_…, stmt_…).
func pipeStatementName(sql string) string {
	digest := sha256.Sum256([]byte(sql))
	return "edgerun_pipe_" + hex.EncodeToString(digest[:24])
}

// pipeCall is one waiting statement. Its fields after wake are written by
// the goroutine that settles or hands the lead to it, before the send on
// wake.
type pipeCall struct {
	st       *statement
	args     []any
	qctx     context.Context // query_timeout and the caller's context
	enqueued time.Time
	wake     chan struct{} // one send: settled, or leading
	lead     bool          // waiting[0]: its turn to acquire
	done     bool
	r        *result
	err      error
	sd       *pgconn.StatementDescription
}

// pipelinable: a statement that may share a connection (see above).
func (st *statement) pipelinable() bool {
	i := st.info
	return i.Cacheable && i.ReadOnly && !i.Writes && !i.Session && !i.Multi
}

// busy: no connection is free for a statement now.
func (ep *endpoint) busy() bool {
	s := ep.pool.Stat()
	return s.IdleConns() == 0 && s.TotalConns() >= s.MaxConns()
}

// run runs st in a pipeline when it would wait for a connection. ok false:
// it did not (a connection is free, or it must run alone: errRerun), and
// the caller runs it the usual way.
func (q *pipeQueue) run(b *Binding, ep *endpoint, st *statement, args []any, qctx context.Context) (r *result, err error, ok bool) {
	q.mu.Lock()
	if !q.leading && !ep.busy() {
		q.mu.Unlock()
		return nil, nil, false
	}
	c := &pipeCall{st: st, args: args, qctx: qctx, enqueued: time.Now(), wake: make(chan struct{}, 1)}
	q.waiting = append(q.waiting, c)
	if !q.leading {
		q.leading = true
		c.lead = true
	}
	lead, done := c.lead, false
	q.mu.Unlock()
	for {
		if lead {
			q.lead(b, ep, c)
		}
		select {
		case <-c.wake:
		case <-qctx.Done():
			if q.remove(c) {
				return nil, qctx.Err(), true
			}
			<-c.wake // in a pipeline already: it settles c (cancelling it on the server)
		}
		q.mu.Lock()
		done, lead = c.done, c.lead
		q.mu.Unlock()
		if done {
			break
		}
	}
	if errors.Is(c.err, errRerun) {
		return nil, nil, false
	}
	return c.r, c.err, true
}

// remove takes c out of the queue if it still waits, handing the lead on
// when it had it.
func (q *pipeQueue) remove(c *pipeCall) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, w := range q.waiting {
		if w == c {
			q.waiting = append(q.waiting[:i], q.waiting[i+1:]...)
			if c.lead {
				c.lead = false
				q.handOn()
			}
			return true
		}
	}
	return false
}

// handOn gives the lead to the oldest waiter, or ends it. q.mu held.
func (q *pipeQueue) handOn() {
	if len(q.waiting) == 0 {
		q.leading = false
		return
	}
	next := q.waiting[0]
	next.lead = true
	next.wake <- struct{}{}
}

// lead acquires a connection for the queue's oldest statements (c first)
// and runs them; c's failure to acquire fails c alone.
func (q *pipeQueue) lead(b *Binding, ep *endpoint, c *pipeCall) {
	// acquire_timeout counts from when c queued, not from when it came to
	// lead: otherwise each waiter behind a leader that timed out would
	// wait a whole acquire_timeout more, and the k-th k of them.
	actx, acancel := context.WithDeadline(c.qctx, c.enqueued.Add(b.cfg.AcquireTimeout))
	conn, err := ep.pool.Acquire(actx)
	acancel()
	now := time.Now()
	q.mu.Lock()
	if err != nil {
		if c.qctx.Err() == nil {
			err = errors.Join(errAcquire, err)
		} else {
			err = c.qctx.Err()
		}
		for i, w := range q.waiting {
			if w == c {
				q.waiting = append(q.waiting[:i], q.waiting[i+1:]...)
				break
			}
		}
		c.lead, c.done, c.err = false, true, err
		q.handOn()
		q.mu.Unlock()
		if o := b.cfg.Observer; o != nil {
			o.Acquire(b.cfg.Name, ep.name, now.Sub(c.enqueued), err)
		}
		c.wake <- struct{}{}
		return
	}
	n := min(len(q.waiting), maxPipeline)
	batch := make([]*pipeCall, n)
	copy(batch, q.waiting)
	q.waiting = append(q.waiting[:0], q.waiting[n:]...)
	c.lead = false
	q.handOn()
	q.mu.Unlock()
	if o := b.cfg.Observer; o != nil {
		for _, w := range batch {
			o.Acquire(b.cfg.Name, ep.name, now.Sub(w.enqueued), nil)
		}
	}
	// In a goroutine of its own: c's caller gets c's result when it is
	// read, not when the last of the others' is.
	go q.runBatch(b, ep, conn, batch)
}

// settle hands w its outcome, once: a statement settled early (its
// context ended before it was read) is not settled again when it is read.
func (q *pipeQueue) settle(w *pipeCall, r *result, err error) {
	q.mu.Lock()
	if w.done {
		q.mu.Unlock()
		return
	}
	w.done, w.r, w.err = true, r, err
	q.mu.Unlock()
	w.wake <- struct{}{}
}

// runBatch runs batch on conn, one statement alone as collect does, more
// in one pipeline, and releases conn.
func (q *pipeQueue) runBatch(b *Binding, ep *endpoint, conn *pgxpool.Conn, batch []*pipeCall) {
	dirty := false
	for _, w := range batch {
		dirty = dirty || !w.st.pure
	}
	defer b.release(ep, conn, false, dirty)
	pc := conn.Conn()
	if len(batch) == 1 {
		w := batch[0]
		r, err := collect(w.qctx, pc, w.st.sql, w.args, b.cfg.MaxResultBytes)
		if err != nil && staleStatement(err) {
			err = errRerun
		}
		q.settle(w, r, err)
		return
	}
	live := batch[:0:0]
	for i, w := range batch {
		if err := w.qctx.Err(); err != nil {
			q.settle(w, nil, err)
			continue
		}
		sd, err := q.prepare(pc, w)
		if err != nil && pc.IsClosed() {
			// The connection failed: whose fault is for each to find out
			// alone.
			for _, rest := range append(live, batch[i:]...) {
				q.settle(rest, nil, errRerun)
			}
			return
		}
		if err != nil {
			q.settle(w, nil, err) // its own SQL: a syntax error, no such table
			continue
		}
		w.sd = sd
		live = append(live, w)
	}
	if len(live) == 0 {
		return
	}
	q.pipeline(b, pc, live)
}

// prepare prepares w's statement on pc once (see maxPipelinePrepared).
func (q *pipeQueue) prepare(pc *pgx.Conn, w *pipeCall) (*pgconn.StatementDescription, error) {
	q.prepMu.Lock()
	names := q.prepared[pc]
	sd := names[w.st.sql]
	q.prepMu.Unlock()
	if sd != nil {
		return sd, nil
	}
	if len(names) >= maxPipelinePrepared {
		if err := pc.DeallocateAll(w.qctx); err != nil { // pgx's statement cache with them
			return nil, err
		}
		q.prepMu.Lock()
		clear(names)
		q.prepMu.Unlock()
	}
	name := pipeStatementName(w.st.sql)
	sd, err := pc.PgConn().Prepare(w.qctx, name, w.st.sql, nil)
	if err != nil {
		var pe *pgconn.PrepareError
		if errors.As(err, &pe) && pe.ParseComplete && !pc.IsClosed() {
			// The server has it, undescribed: drop it, or preparing it
			// again would fail (42P05).
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			_ = pc.PgConn().Deallocate(ctx, name)
			cancel()
		}
		return nil, err
	}
	q.prepMu.Lock()
	if names == nil {
		names = make(map[string]*pgconn.StatementDescription)
		q.prepared[pc] = names
	}
	names[w.st.sql] = sd
	q.prepMu.Unlock()
	return sd, nil
}

// forget drops what pipelining knew of a closed connection.
func (q *pipeQueue) forget(pc *pgx.Conn) {
	q.prepMu.Lock()
	delete(q.prepared, pc)
	q.prepMu.Unlock()
}

// pipeline sends live's statements in one write, each with its own Sync,
// and reads their results in order (see the file's comment for timeouts).
func (q *pipeQueue) pipeline(b *Binding, pc *pgx.Conn, live []*pipeCall) {
	pctx, pcancel := context.WithCancel(context.Background())
	defer pcancel()
	var cancelled atomic.Bool
	var head atomic.Int64
	head.Store(-1)
	cancel := func() {
		cancelled.Store(true)
		pcancel()
	}
	p := pc.PgConn().StartPipeline(pctx)
	var eqb pgx.ExtendedQueryBuilder
	sent := live[:0:0]
	m := pc.TypeMap()
	for _, w := range live {
		if err := eqb.Build(m, w.sd, w.args); err != nil {
			q.settle(w, nil, err) // the statement's own values
			continue
		}
		p.SendQueryPrepared(w.sd.Name, eqb.ParamValues, eqb.ParamFormats, eqb.ResultFormats)
		p.SendPipelineSync()
		sent = append(sent, w)
	}
	q.pipelines.Add(1)
	q.piped.Add(int64(len(sent)))
	stops := make([]func() bool, len(sent))
	for i, w := range sent {
		stops[i] = context.AfterFunc(w.qctx, func() {
			switch h := head.Load(); {
			case h == int64(i):
				cancel()
			case h < int64(i):
				// Not read yet: its caller need not wait for the
				// statements before it.
				q.settle(w, nil, w.qctx.Err())
			}
		})
	}
	defer func() {
		for _, stop := range stops {
			stop()
		}
	}()
	var stale []*pipeCall
	err := p.Flush()
	broken := err != nil // nothing more can be read
	for i, w := range sent {
		if broken {
			// Lost with the connection, for another statement's sake
			// (its cancel, its oversized row) or the server's: alone,
			// on a connection of its own, it fails or succeeds on its
			// own account.
			q.settle(w, nil, errRerun)
			continue
		}
		head.Store(int64(i))
		if w.qctx.Err() != nil {
			cancel()
		}
		var r *result
		r, err = readPiped(p, m, b.cfg.MaxResultBytes, cancel)
		broken = pc.PgConn().IsClosed()
		switch {
		case err == nil:
		case w.qctx.Err() != nil:
			// its own timeout or caller: runOn names it
		case staleStatement(err):
			stale = append(stale, w)
			err = errRerun
		case cancelled.Load() && (canceledByUs(err) || broken && !isTooLarge(err)):
			err = errRerun // another statement's cancel reached it
		}
		q.settle(w, r, err)
	}
	_ = p.Close()
	for _, w := range stale {
		if !pc.IsClosed() {
			ctx, c := context.WithTimeout(context.Background(), time.Second)
			_ = pc.PgConn().Deallocate(ctx, w.sd.Name)
			c()
		}
		q.prepMu.Lock()
		delete(q.prepared[pc], w.st.sql)
		q.prepMu.Unlock()
	}
}

// canceledByUs: PostgreSQL's answer to a CancelRequest.
func canceledByUs(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "57014"
}

// readPiped reads one statement's result and its Sync.
func readPiped(p *pgconn.Pipeline, m *pgtype.Map, limit int64, cancel func()) (*result, error) {
	res, err := p.GetResults()
	var r *result
	if err == nil {
		rr, ok := res.(*pgconn.ResultReader)
		if !ok {
			return nil, fmt.Errorf("pipeline: a %T, not a result", res)
		}
		r, err = readRows(rr, m, limit, cancel)
	}
	sres, serr := p.GetResults()
	if serr != nil {
		return nil, cmp.Or(err, serr)
	}
	if _, ok := sres.(*pgconn.PipelineSync); !ok && err == nil {
		return nil, fmt.Errorf("pipeline: a %T, not a sync", sres)
	}
	return r, tooLargeOr(err, limit)
}

// readRows is collect's reading for a pipelined result: the same limit
// (cancel stops the statement on the server) and decoding.
func readRows(rr *pgconn.ResultReader, m *pgtype.Map, limit int64, cancel func()) (*result, error) {
	fields := rr.FieldDescriptions()
	r := &result{columns: make([]string, len(fields))}
	for i, f := range fields {
		r.columns[i] = f.Name
	}
	var size int64
	for rr.NextRow() {
		raw := rr.Values()
		if size += rowSize(raw); size > limit {
			cancel()
			_, _ = rr.Close()
			return nil, resultTooLarge(limit)
		}
		row, err := decodeRow(m, fields, raw)
		if err != nil {
			_, _ = rr.Close()
			return nil, err
		}
		r.rows = append(r.rows, row)
	}
	tag, err := rr.Close()
	if err != nil {
		return nil, err
	}
	r.command = tag.String()
	if !tag.Select() {
		r.rowsAffected = tag.RowsAffected()
	}
	return r, nil
}
