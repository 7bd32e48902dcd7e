package hyperdrive

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// pipelineOf runs sqls (each with its args and its own query timeout) as
// one pipeline on one of b's primary connections, as lead does, and returns
// each statement's settled call.
func pipelineOf(t *testing.T, b *Binding, timeouts []time.Duration, sqls []string, args [][]any) []*pipeCall {
	t.Helper()
	ep := b.primary
	if ep.pipe == nil {
		t.Fatal("the primary pipelines nothing")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := ep.pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	batch := make([]*pipeCall, len(sqls))
	for i, sql := range sqls {
		st, err := b.prepare(sql)
		if err != nil {
			t.Fatal(err)
		}
		qctx, qcancel := context.WithTimeout(ctx, timeouts[i])
		defer qcancel()
		batch[i] = &pipeCall{st: st, args: args[i], qctx: qctx, enqueued: time.Now(), wake: make(chan struct{}, 1)}
	}
	before := ep.pipe.pipelines.Load()
	ep.pipe.runBatch(b, ep, conn, batch)
	for i, c := range batch {
		select {
		case <-c.wake:
		case <-ctx.Done():
			t.Fatalf("statement %d (%s) never settled", i, sqls[i])
		}
		if !c.done {
			t.Fatalf("statement %d woken unsettled", i)
		}
	}
	if ep.pipe.pipelines.Load() != before+1 {
		t.Fatalf("%d pipelines ran, want 1", ep.pipe.pipelines.Load()-before)
	}
	return batch
}

func codeOf(err error) string {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code
	}
	var c *codedError
	if errors.As(err, &c) {
		return c.code
	}
	return ""
}

func TestPipelineStatementsFailAlone(t *testing.T) {
	b, _ := openTest(t, Config{})
	sec := 10 * time.Second
	calls := pipelineOf(t, b, []time.Duration{sec, sec, sec, sec},
		[]string{"SELECT ?::int + 1 AS n", "SELECT 1 / (?::int - 7) AS n", "SELECT * FROM no_such_table WHERE id = ?", "SELECT ?::text || '!' AS s"},
		[][]any{{int64(1)}, {int64(7)}, {int64(3)}, {"four"}})
	if c := calls[0]; c.err != nil || len(c.r.rows) != 1 || c.r.rows[0][0] != int64(2) {
		t.Errorf("first: %v %v", c.r, c.err)
	}
	if got := codeOf(calls[1].err); got != "22012" {
		t.Errorf("division by zero: %v (code %q), want 22012", calls[1].err, got)
	}
	if got := codeOf(calls[2].err); got != "42P01" {
		t.Errorf("no such table: %v (code %q), want 42P01", calls[2].err, got)
	}
	if c := calls[3]; c.err != nil || len(c.r.rows) != 1 || c.r.rows[0][0] != "four!" || c.r.columns[0] != "s" {
		t.Errorf("last: %+v %v", c.r, c.err)
	}
}

func TestPipelineTimeoutCancelsOnlyItsStatement(t *testing.T) {
	b, dsn := openTest(t, Config{})
	sec := 10 * time.Second
	calls := pipelineOf(t, b, []time.Duration{sec, 300 * time.Millisecond, sec},
		[]string{"SELECT 1 AS n", "SELECT pg_sleep(30) AS slept", "SELECT 3 AS n"}, [][]any{nil, nil, nil})
	if c := calls[0]; c.err != nil || c.r.rows[0][0] != int64(1) {
		t.Errorf("first: %v %v", c.r, c.err)
	}
	if c := calls[1]; c.err == nil || c.qctx.Err() == nil || codeOf(c.err) != "57014" {
		t.Errorf("the slow statement: %v (its context %v), want 57014 after its own timeout", c.err, c.qctx.Err())
	}
	// The third ran after the cancel, or lost to it and must run alone.
	if c := calls[2]; !(c.err == nil && c.r.rows[0][0] == int64(3)) && !errors.Is(c.err, errRerun) {
		t.Errorf("third: %v %v", c.r, c.err)
	}
	var n int
	direct(t, dsn, "SELECT 1") // the server is answering
	r := mustQuery(t, b, "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%'")
	if n = int(r.Rows[0][0].(int64)); n != 0 {
		t.Errorf("%d pg_sleep(30) still running on the server", n)
	}
}

func TestPipelineResultTooLargeAmongOthers(t *testing.T) {
	b, _ := openTest(t, Config{MaxResultBytes: 64 << 10})
	sec := 10 * time.Second
	calls := pipelineOf(t, b, []time.Duration{sec, sec, sec},
		[]string{"SELECT 1 AS n", "SELECT repeat('x', 1000) FROM generate_series(1, 100000)", "SELECT 3 AS n"}, [][]any{nil, nil, nil})
	if c := calls[0]; c.err != nil || c.r.rows[0][0] != int64(1) {
		t.Errorf("first: %v %v", c.r, c.err)
	}
	if got := codeOf(calls[1].err); got != CodeResultTooLarge {
		t.Errorf("the large one: %v (code %q), want %s", calls[1].err, got, CodeResultTooLarge)
	}
	if c := calls[2]; !(c.err == nil && c.r.rows[0][0] == int64(3)) && !errors.Is(c.err, errRerun) {
		t.Errorf("third: %v %v", c.r, c.err)
	}
	if r := mustQuery(t, b, "SELECT 5 AS n"); r.Rows[0][0] != int64(5) {
		t.Errorf("after: %v", r.Rows)
	}
}

func TestPipelineConnectionTerminatedMidway(t *testing.T) {
	b, _ := openTest(t, Config{})
	sec := 10 * time.Second
	calls := pipelineOf(t, b, []time.Duration{sec, sec, sec, sec},
		[]string{"SELECT 1 AS n", "SELECT pg_terminate_backend(pg_backend_pid()) AS t", "SELECT 3 AS n", "SELECT 4 AS n"}, [][]any{nil, nil, nil, nil})
	if c := calls[0]; c.err != nil || c.r.rows[0][0] != int64(1) {
		t.Errorf("first: %v %v", c.r, c.err)
	}
	if c := calls[1]; c.err == nil || !isConnectionError(c.err) {
		t.Errorf("the terminating statement: %v, want a connection error", c.err)
	}
	for _, c := range calls[2:] {
		if !errors.Is(c.err, errRerun) {
			t.Errorf("after the connection ended: %v %v, want errRerun", c.r, c.err)
		}
	}
	if r := mustQuery(t, b, "SELECT 5 AS n"); r.Rows[0][0] != int64(5) {
		t.Errorf("after: %v", r.Rows)
	}
}

// TestPipelinedReadsUnderLoad: many concurrent reads on two connections,
// some failing; each gets its own answer, and pipelines carried them.
func TestPipelinedReadsUnderLoad(t *testing.T) {
	b, _ := openTest(t, Config{MaxConns: 2})
	const clients, each = 40, 25
	var wg sync.WaitGroup
	errs := make(chan error, clients*each)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				n := int64(c*each + i)
				r, err := b.Query(context.Background(), "SELECT 1000 / (?::int % 10) AS q, ?::int AS n", n, n)
				if n%10 == 0 {
					var he *Error
					if !asError(err, &he) || he.Code != "22012" {
						errs <- fmt.Errorf("%d: %v, want 22012", n, err)
					}
					continue
				}
				if err != nil || len(r.Rows) != 1 || r.Rows[0][1] != n || r.Rows[0][0] != 1000/(n%10) {
					errs <- fmt.Errorf("%d: %+v %v", n, r, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	q := b.primary.pipe
	if q.pipelines.Load() == 0 || q.piped.Load() < 2*q.pipelines.Load() {
		t.Errorf("%d pipelines carried %d statements: nothing was pipelined", q.pipelines.Load(), q.piped.Load())
	}
	t.Logf("%d pipelines carried %d of %d statements", q.pipelines.Load(), q.piped.Load(), clients*each)
}
