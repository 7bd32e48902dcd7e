package hyperdrive

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// holdPrimary takes b's primary's only connection (MaxConns 1), so that
// the reads started next queue for pipelining.
func holdPrimary(t *testing.T, b *Binding) *pgxpool.Conn {
	t.Helper()
	conn, err := b.primary.pool.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

// waitQueued waits until n statements wait in b's primary's queue.
func waitQueued(t *testing.T, b *Binding, n int) {
	t.Helper()
	q := b.primary.pipe
	for range 2000 {
		q.mu.Lock()
		got := len(q.waiting)
		q.mu.Unlock()
		if got == n {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("never saw %d statements queued", n)
}

// prepareLocked pipelines the lock tests' statements once, so that they
// are prepared on b's one connection before the table is locked (a
// statement's Parse waits for the lock too, and statements are prepared
// one by one before their pipeline is sent).
func prepareLocked(t *testing.T, b *Binding) {
	t.Helper()
	sec := 10 * time.Second
	for _, c := range pipelineOf(t, b, []time.Duration{sec, sec}, []string{"SELECT n FROM locked", "SELECT ?::int AS n"}, [][]any{nil, {int64(0)}}) {
		if c.err != nil {
			t.Fatal(c.err)
		}
	}
}

type queryOutcome struct {
	r   *Result
	err error
}

func goQuery(ctx context.Context, b *Binding, sql string, args ...any) chan queryOutcome {
	ch := make(chan queryOutcome, 1)
	go func() {
		r, err := b.Query(ctx, sql, args...)
		ch <- queryOutcome{r, err}
	}()
	return ch
}

// within waits for ch, failing the test (not hanging it) when the outcome
// never comes: what is waited for does not depend on timing, only on the
// order the test sets up, so the bound is generous.
func within(t *testing.T, ch chan queryOutcome, what string) queryOutcome {
	t.Helper()
	select {
	case o := <-ch:
		return o
	case <-time.After(15 * time.Second):
		t.Fatalf("%s: no outcome", what)
		return queryOutcome{}
	}
}

// lockTable holds an ACCESS EXCLUSIVE lock on table in a transaction of
// its own until the returned func is called: reads of it block on the
// server until then, however long the test takes.
func lockTable(t *testing.T, dsn, table string) func() {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "LOCK TABLE "+table+" IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	done := false
	release := func() {
		if !done {
			done = true
			_ = tx.Rollback(ctx)
			_ = conn.Close(ctx)
		}
	}
	t.Cleanup(release)
	return release
}

// Two pipelined statements of the same SQL with different values each get
// their own rows.
func TestPipelineSameSQLDifferentArgs(t *testing.T) {
	b, _ := openTest(t, Config{})
	const sql = "SELECT ?::int * 10 AS n, ?::text AS s"
	sec := 10 * time.Second
	var sqls []string
	var args [][]any
	var timeouts []time.Duration
	for i := range 8 {
		sqls = append(sqls, sql)
		args = append(args, []any{int64(i), fmt.Sprint("v", i)})
		timeouts = append(timeouts, sec)
	}
	for i, c := range pipelineOf(t, b, timeouts, sqls, args) {
		if c.err != nil || len(c.r.rows) != 1 || c.r.rows[0][0] != int64(i*10) || c.r.rows[0][1] != fmt.Sprint("v", i) {
			t.Errorf("statement %d: %+v %v", i, c.r, c.err)
		}
	}
}

// A read that pipelining prepared on a connection, then run there the
// usual way (a connection was free) after ALTER TABLE changed its result
// type: it must be re-prepared, as the binding's statement cache's are,
// not fail with "cached plan must not change result type".
func TestPipelinePreparedThenStalePlanRunAlone(t *testing.T) {
	b, dsn := openTest(t, Config{MaxConns: 1, Cache: CacheConfig{Disabled: true}})
	direct(t, dsn, `CREATE TABLE a (x int, y int); INSERT INTO a VALUES (1, 2)`)
	const read = "SELECT * FROM a WHERE x = ?"
	sec := 10 * time.Second
	for _, c := range pipelineOf(t, b, []time.Duration{sec, sec}, []string{read, read}, [][]any{{int64(1)}, {int64(1)}}) {
		if c.err != nil || len(c.r.columns) != 2 {
			t.Fatalf("pipelined: %+v %v", c.r, c.err)
		}
	}
	if _, err := b.exec(context.Background(), "ALTER TABLE a ADD COLUMN z text DEFAULT 'z'"); err != nil {
		t.Fatal(err)
	}
	r, err := b.Query(context.Background(), read, int64(1))
	if err != nil {
		t.Fatalf("alone after ALTER TABLE: %v", err)
	}
	if len(r.Columns) != 3 || r.Rows[0][2] != "z" {
		t.Fatalf("alone after ALTER TABLE: %v %v", r.Columns, r.Rows)
	}
	// And pipelined again on the same connection.
	for i, c := range pipelineOf(t, b, []time.Duration{sec, sec}, []string{read, read}, [][]any{{int64(1)}, {int64(1)}}) {
		if c.err != nil && !errors.Is(c.err, errRerun) || c.err == nil && len(c.r.columns) != 3 {
			t.Errorf("pipelined after ALTER TABLE, %d: %+v %v", i, c.r, c.err)
		}
	}
}

// The statement that leads a pipeline gets its result when it is read,
// not when the pipeline's last statement is: a statement after it that
// blocks on the server (here on a lock) does not hold its caller.
func TestPipelineLeaderNotHeldByLaterStatements(t *testing.T) {
	b, dsn := openTest(t, Config{MaxConns: 1, Cache: CacheConfig{Disabled: true}})
	direct(t, dsn, `CREATE TABLE locked (n int); INSERT INTO locked VALUES (7)`)
	prepareLocked(t, b)
	held := holdPrimary(t, b)
	unlock := lockTable(t, dsn, "locked")
	ctx := context.Background()
	leader := goQuery(ctx, b, "SELECT ?::int AS n", int64(1))
	waitQueued(t, b, 1)
	blocked := goQuery(ctx, b, "SELECT n FROM locked")
	waitQueued(t, b, 2)
	held.Release()
	o := within(t, leader, "the leader, while a later statement of its pipeline waits for a lock")
	if o.err != nil || o.r.Rows[0][0] != int64(1) {
		t.Errorf("leader: %+v %v", o.r, o.err)
	}
	unlock()
	if o := within(t, blocked, "the blocked statement after the unlock"); o.err != nil || o.r.Rows[0][0] != int64(7) {
		t.Errorf("blocked: %+v %v", o.r, o.err)
	}
}

// A caller whose context ends while its statement waits in a pipeline
// behind another that blocks on the server returns at once, with its
// context's error; the others are unaffected.
func TestPipelineCallerCancelledBehindBlockedStatement(t *testing.T) {
	b, dsn := openTest(t, Config{MaxConns: 1, Cache: CacheConfig{Disabled: true}})
	direct(t, dsn, `CREATE TABLE locked (n int); INSERT INTO locked VALUES (7)`)
	prepareLocked(t, b)
	held := holdPrimary(t, b)
	unlock := lockTable(t, dsn, "locked")
	bg := context.Background()
	first := goQuery(bg, b, "SELECT ?::int AS n", int64(1))
	waitQueued(t, b, 1)
	blocked := goQuery(bg, b, "SELECT n FROM locked")
	waitQueued(t, b, 2)
	ctx, cancel := context.WithCancel(bg)
	behind := goQuery(ctx, b, "SELECT ?::int AS n", int64(3))
	waitQueued(t, b, 3)
	held.Release()
	if o := within(t, first, "the first statement"); o.err != nil || o.r.Rows[0][0] != int64(1) {
		t.Errorf("first: %+v %v", o.r, o.err)
	}
	cancel()
	if o := within(t, behind, "the cancelled caller behind a blocked statement"); !errors.Is(o.err, context.Canceled) {
		t.Errorf("cancelled caller: %+v %v, want context.Canceled", o.r, o.err)
	}
	unlock()
	if o := within(t, blocked, "the blocked statement after the unlock"); o.err != nil || o.r.Rows[0][0] != int64(7) {
		t.Errorf("blocked: %+v %v", o.r, o.err)
	}
	if r := mustQuery(t, b, "SELECT 5 AS n"); r.Rows[0][0] != int64(5) {
		t.Errorf("after: %v", r.Rows)
	}
}

// Callers whose contexts end while they wait in the queue (the leader,
// waiting in the pool's Acquire, among them) return with their context's
// error before any connection is free; the rest lead on and get their
// rows.
func TestPipelineCancelledWhileQueued(t *testing.T) {
	b, _ := openTest(t, Config{MaxConns: 1, Cache: CacheConfig{Disabled: true}})
	held := holdPrimary(t, b)
	bg := context.Background()
	var cancels []context.CancelFunc
	var outs []chan queryOutcome
	for i := range 6 {
		ctx, cancel := context.WithCancel(bg)
		cancels = append(cancels, cancel)
		outs = append(outs, goQuery(ctx, b, "SELECT ?::int AS n", int64(i)))
		waitQueued(t, b, i+1)
	}
	for _, i := range []int{0, 2, 5} { // the leader, one in the middle, the last
		cancels[i]()
		if o := within(t, outs[i], fmt.Sprint("cancelled while queued ", i)); !errors.Is(o.err, context.Canceled) {
			t.Errorf("%d: %+v %v, want context.Canceled", i, o.r, o.err)
		}
	}
	waitQueued(t, b, 3)
	held.Release()
	for _, i := range []int{1, 3, 4} {
		if o := within(t, outs[i], fmt.Sprint("queued ", i)); o.err != nil || o.r.Rows[0][0] != int64(i) {
			t.Errorf("%d: %+v %v", i, o.r, o.err)
		}
	}
	for _, c := range cancels {
		c()
	}
	q := b.primary.pipe
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.waiting) != 0 || q.leading {
		t.Errorf("after: %d waiting, leading %v", len(q.waiting), q.leading)
	}
}

// Close while reads are queued: each returns (an error), and Close
// returns once the held connection is back.
func TestPipelineCloseWhileQueued(t *testing.T) {
	b, _ := openTest(t, Config{MaxConns: 1, AcquireTimeout: time.Second, Cache: CacheConfig{Disabled: true}})
	held := holdPrimary(t, b)
	var outs []chan queryOutcome
	for i := range 4 {
		outs = append(outs, goQuery(context.Background(), b, "SELECT ?::int AS n", int64(i)))
		waitQueued(t, b, i+1)
	}
	closed := make(chan queryOutcome, 1)
	go func() { closed <- queryOutcome{err: b.Close(context.Background())} }()
	for i, ch := range outs {
		if o := within(t, ch, fmt.Sprint("queued ", i, " after Close")); o.err == nil {
			t.Errorf("%d: %+v after Close, want an error", i, o.r)
		}
	}
	held.Release()
	if o := within(t, closed, "Close"); o.err != nil {
		t.Error(o.err)
	}
	q := b.primary.pipe
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.waiting) != 0 || q.leading {
		t.Errorf("after Close: %d waiting, leading %v", len(q.waiting), q.leading)
	}
}

// After pipelines with failures, timeouts and a result over the limit,
// every connection back in the pool is idle, outside a transaction, and
// answers.
func TestPipelineConnectionsCleanAfter(t *testing.T) {
	b, _ := openTest(t, Config{MaxConns: 2, MaxResultBytes: 64 << 10})
	sec := 10 * time.Second
	pipelineOf(t, b, []time.Duration{sec, sec, sec}, []string{"SELECT 1 / (?::int - 7)", "SELECT ?::int", "SELECT 3"}, [][]any{{int64(7)}, {int64(2)}, nil})
	pipelineOf(t, b, []time.Duration{sec, 200 * time.Millisecond, sec}, []string{"SELECT 1", "SELECT pg_sleep(5)", "SELECT 3"}, [][]any{nil, nil, nil})
	pipelineOf(t, b, []time.Duration{sec, sec}, []string{"SELECT repeat('x', 1000) FROM generate_series(1, 100000)", "SELECT 3"}, [][]any{nil, nil})
	ctx := context.Background()
	var conns []*pgxpool.Conn
	for range 2 {
		c, err := b.primary.pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	for i, c := range conns {
		if st := c.Conn().PgConn().TxStatus(); st != 'I' || c.Conn().PgConn().IsBusy() {
			t.Errorf("connection %d: transaction status %q, busy %v", i, st, c.Conn().PgConn().IsBusy())
		}
		var n int
		if err := c.Conn().QueryRow(ctx, "SELECT 41 + 1").Scan(&n); err != nil || n != 42 {
			t.Errorf("connection %d: %d %v", i, n, err)
		}
		c.Release()
	}
}

// Reads queued while no connection comes free each fail after
// acquire_timeout from when they queued, as reads waiting in the pool's
// Acquire do: not one acquire_timeout after another (the k-th waiter
// waiting k of them, past its query_timeout).
func TestPipelineQueuedAcquireTimeoutsDoNotAddUp(t *testing.T) {
	b, _ := openTest(t, Config{MaxConns: 1, AcquireTimeout: time.Second, QueryTimeout: 2500 * time.Millisecond, Cache: CacheConfig{Disabled: true}})
	held := holdPrimary(t, b)
	defer held.Release()
	var outs []chan queryOutcome
	for i := range 5 {
		outs = append(outs, goQuery(context.Background(), b, "SELECT ?::int AS n", int64(i)))
		waitQueued(t, b, i+1)
	}
	for i, ch := range outs {
		o := within(t, ch, fmt.Sprint("queued ", i))
		var he *Error
		if !asError(o.err, &he) || !strings.Contains(he.Error(), "acquire") {
			t.Errorf("%d: %+v %v, want a failure to acquire a connection", i, o.r, o.err)
		}
	}
}
