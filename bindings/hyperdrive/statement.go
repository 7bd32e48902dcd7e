package hyperdrive

// Statements: parsed and classified once per process, checked for arity,
// then run from the cache or on the database (execute, batch, exec), with the
// write bookkeeping (cache invalidation, read-your-writes) and the Observer's
// report around them.

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"edgerun/bindings/hyperdrive/sqlscan"
	"edgerun/isolates"
)

// statement is a parsed, classified SQL text, shared process-wide.
type statement struct {
	raw   string
	sql   string // placeholders rewritten to $N
	arity int
	info  sqlscan.Info
	// pure: sqlscan alone shows that the statement cannot change session
	// state (session.go): the connection it ran on needs no reset.
	pure bool
	// resolved: classified again with its functions' volatility
	// (functions.go), when it calls functions sqlscan does not know.
	resolved atomic.Pointer[resolvedStatement]
}

// prepare parses sql once per process (LRU by text).
func (b *Binding) prepare(sql string) (*statement, error) {
	if st, ok := b.statements.Get(sql); ok {
		return st, nil
	}
	parsed, err := sqlscan.Rewrite(sql)
	if err != nil {
		return nil, &Error{Binding: b.cfg.Name, Message: "Invalid SQL: " + err.Error(), Code: "42601", Index: -1}
	}
	info := sqlscan.Classify(sql)
	st := &statement{raw: sql, sql: parsed.SQL, arity: parsed.NumParams, info: info, pure: pure(info)}
	b.statements.Add(sql, st)
	return st, nil
}

func (b *Binding) arityError(st *statement, got int) *Error {
	return &Error{Binding: b.cfg.Name, Code: CodeArity, Index: -1,
		Message: fmt.Sprintf("Wrong number of parameter bindings for SQL query: expected %d, got %d", st.arity, got)}
}

// Query runs one statement (for Go callers and tests): sql with D1-style
// placeholders, args already Go values.
func (b *Binding) Query(ctx context.Context, sql string, args ...any) (*Result, error) {
	st, err := b.prepare(sql)
	if err != nil {
		return nil, err
	}
	if len(args) != st.arity {
		return nil, b.arityError(st, len(args))
	}
	r, err := b.execute(ctx, st, args, nil, false)
	if err != nil {
		return nil, err
	}
	return &Result{Columns: r.columns, Rows: r.rows, RowsAffected: r.rowsAffected, ServedBy: r.servedBy, Cached: r.cached}, nil
}

// Result is Query's outcome.
type Result struct {
	Columns      []string
	Rows         [][]any
	RowsAffected int64
	ServedBy     string
	Cached       bool
}

// execute runs one statement: from the cache when it is a cacheable read,
// else on the database; a write makes cached reads of its tables stale.
func (b *Binding) execute(ctx context.Context, st *statement, args []any, scope *isolates.Scope, noCache bool) (*result, error) {
	start := time.Now()
	st = b.resolve(ctx, st)
	if st.info.Writes && isDDL(st.info.Kind) {
		defer b.ddlRan()
	}
	kind := "read"
	if st.info.Writes || !st.info.ReadOnly {
		kind = "write"
		b.markWrote(scope)
	}
	var r *result
	var err error
	if st.info.Cacheable && !noCache && b.cacheTrusted() {
		r, err = b.cachedRead(ctx, st, args)
	} else {
		r, err = b.executeUncached(ctx, st, args, scope, true)
		if kind == "write" {
			// Even a failed write may have been applied (the connection
			// dropped after COMMIT was sent): invalidate either way.
			b.wrote(ctx, r != nil && r.notified)
		}
	}
	if o := b.cfg.Observer; o != nil {
		switch {
		case err != nil:
			o.Query(b.cfg.Name, kind, "error", "", time.Since(start))
		case r.cached:
			o.Query(b.cfg.Name, kind, "cached", "cache", time.Since(start))
		default:
			o.Query(b.cfg.Name, kind, "ok", r.servedBy, time.Since(start))
		}
	}
	if err != nil {
		return nil, b.wrapError(err, -1)
	}
	return r, nil
}

// batch runs stmts in one transaction on the primary (runBatch): all or
// nothing. Writes among them make every cached read stale.
func (b *Binding) batch(ctx context.Context, stmts []*statement, args [][]any, scope *isolates.Scope) ([]*result, error) {
	b.markWrote(scope)
	notified := false // announced inside the batch's own transaction
	defer func() {
		wrote := false
		for _, st := range stmts {
			if st.info.Writes && isDDL(st.info.Kind) {
				b.ddlRan() // CREATE OR REPLACE FUNCTION in a batch
			}
			wrote = wrote || st.info.Writes || !st.info.ReadOnly
		}
		if wrote {
			b.wrote(ctx, notified)
		}
	}()
	results, err := b.runBatch(ctx, stmts, args)
	if err != nil {
		return nil, err
	}
	notified = len(results) > 0 && results[0].notified
	return results, nil
}

// exec runs one or more statements without parameters (runExec). Whatever
// they were, every cached read is stale afterwards, and a function may have
// been replaced.
func (b *Binding) exec(ctx context.Context, sql string) (time.Duration, error) {
	notified := false
	defer func() { b.wrote(ctx, notified) }() // every cached read is stale
	defer b.ddlRan()                          // and a function may have been replaced
	d, notified, err := b.runExec(ctx, sql)
	return d, err
}
