package hyperdrive

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/sony/gobreaker/v2"
	"golang.org/x/sync/singleflight"

	"edgerun/bindings/hyperdrive/sqlscan"
)

// A read calling a function sqlscan does not know (a user-defined or an
// extension's function, such as PostGIS's ST_Distance) is a write until the
// server says otherwise: the binding looks the function's declared
// volatility up in pg_proc once, and classifies the statement again. An
// IMMUTABLE function leaves the read cacheable, a STABLE one leaves it a
// read (replicas, retries), a VOLATILE or missing one keeps it a write.
//
// What the server said is kept for functionTTL, and forgotten at once when
// DDL runs through the binding (CREATE OR REPLACE FUNCTION may change the
// volatility); DDL run elsewhere is seen within functionTTL.
const functionTTL = time.Minute

// functionLookupTimeout bounds one pg_proc lookup; without an answer the
// statement runs as a write.
const functionLookupTimeout = 2 * time.Second

type functionCatalog struct {
	mu    sync.Mutex
	known *lru.Cache[sqlscan.Function, functionEntry] // bounded: statements name any number of functions
	// failedUntil: the last lookup failed (the database is down); until
	// then statements run as writes without waiting for another.
	failedUntil time.Time
	gen         atomic.Uint64 // bumped by DDL through the binding
	flight      singleflight.Group
	now         func() time.Time
}

type functionEntry struct {
	volatility sqlscan.Volatility
	gen        uint64
	until      time.Time
}

// resolvedStatement is a statement classified with its functions'
// volatility, valid while the catalog's generation is gen and until until
// (the earliest expiry of what it was classified with).
type resolvedStatement struct {
	st    *statement
	gen   uint64
	until time.Time
}

// Bounds of the catalog.
const (
	maxKnownFunctions  = 4096
	lookupFailureDelay = time.Second
)

func newFunctionCatalog(now func() time.Time) *functionCatalog {
	known, _ := lru.New[sqlscan.Function, functionEntry](maxKnownFunctions)
	return &functionCatalog{known: known, now: now}
}

// needsFunctions reports whether st's classification could change once its
// functions' volatility is known: a single query statement that calls
// functions sqlscan does not know, all of them nameable.
func needsFunctions(st *statement) bool {
	i := st.info
	return len(i.Functions) > 0 && i.FunctionsComplete && !i.Multi &&
		(i.Kind == "select" || i.Kind == "values")
}

// resolvedNow is st as classified with its functions' volatility, if that
// is known and current, without waiting: for the isolate's goroutine.
func (b *Binding) resolvedNow(st *statement) *statement {
	if !needsFunctions(st) {
		return st
	}
	if r := st.resolved.Load(); r != nil && r.gen == b.functions.gen.Load() && b.functions.now().Before(r.until) {
		return r.st
	}
	return st
}

// resolve is st as classified with its functions' volatility, looking it up
// on the primary when it is not known; st itself (a write) when the lookup
// fails.
func (b *Binding) resolve(ctx context.Context, st *statement) *statement {
	if r := b.resolvedNow(st); r != st || !needsFunctions(st) {
		return r
	}
	gen := b.functions.gen.Load()
	volatility, until, ok := b.functionVolatility(ctx, st.info.Functions, gen)
	if !ok {
		return st
	}
	// pure stays sqlscan's own verdict: a function the server calls
	// STABLE or IMMUTABLE may still call set_config.
	rs := &statement{raw: st.raw, sql: st.sql, arity: st.arity, info: sqlscan.ClassifyWith(st.raw, volatility), pure: st.pure}
	st.resolved.Store(&resolvedStatement{st: rs, gen: gen, until: until})
	return rs
}

// functionVolatility returns the volatility of every function in fns,
// asking the server for those not known at generation gen, and when the
// first of those answers expires.
func (b *Binding) functionVolatility(ctx context.Context, fns []sqlscan.Function, gen uint64) (map[sqlscan.Function]sqlscan.Volatility, time.Time, bool) {
	c := b.functions
	out := make(map[sqlscan.Function]sqlscan.Volatility, len(fns))
	now := c.now()
	until := now.Add(functionTTL)
	var missing []sqlscan.Function
	c.mu.Lock()
	failing := now.Before(c.failedUntil)
	for _, fn := range fns {
		if e, ok := c.known.Get(fn); ok && e.gen == gen && now.Before(e.until) {
			out[fn] = e.volatility
			until = minTime(until, e.until)
		} else {
			missing = append(missing, fn)
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return out, until, true
	}
	if failing {
		return nil, time.Time{}, false
	}
	// Concurrent first uses of a statement ask once; an answer asked for
	// before DDL through the binding is not shared with callers after it.
	key := strconv.FormatUint(gen, 10) + "\x00"
	for _, fn := range missing {
		key += fn.Schema + "\x00" + fn.Name + "\x00"
	}
	v, err, _ := c.flight.Do(key, func() (any, error) {
		return b.lookupFunctions(ctx, missing)
	})
	if err != nil {
		c.mu.Lock()
		c.failedUntil = c.now().Add(lookupFailureDelay)
		c.mu.Unlock()
		return nil, time.Time{}, false
	}
	found := v.(map[sqlscan.Function]sqlscan.Volatility)
	c.mu.Lock()
	fresh := c.now().Add(functionTTL)
	for _, fn := range missing {
		vol, ok := found[fn]
		if !ok {
			vol = sqlscan.Volatile // no such function (yet): the statement fails or writes
		}
		out[fn] = vol
		if c.gen.Load() == gen {
			c.known.Add(fn, functionEntry{volatility: vol, gen: gen, until: fresh})
		}
	}
	c.mu.Unlock()
	return out, minTime(until, fresh), true
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// functionLookup finds the most volatile of each name's overloads: those
// the search path makes visible for an unqualified name, those of the
// schema for a qualified one.
//
// Aggregates and window functions count as volatile: pg_proc records every
// aggregate as immutable whatever its state function does.
const functionLookup = `SELECT f.schema, f.name,
  min(CASE WHEN p.prokind <> 'f' THEN 0 WHEN p.provolatile = 'i' THEN 2 WHEN p.provolatile = 's' THEN 1 ELSE 0 END)
FROM unnest($1::text[], $2::text[]) AS f(schema, name)
JOIN pg_catalog.pg_proc p ON p.proname = f.name
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE CASE WHEN f.schema = '' THEN pg_catalog.pg_function_is_visible(p.oid) ELSE n.nspname = f.schema END
GROUP BY f.schema, f.name`

func (b *Binding) lookupFunctions(ctx context.Context, fns []sqlscan.Function) (map[sqlscan.Function]sqlscan.Volatility, error) {
	if b.primary.breaker.State() == gobreaker.StateOpen {
		return nil, gobreaker.ErrOpenState
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), functionLookupTimeout)
	defer cancel()
	schemas, names := make([]string, len(fns)), make([]string, len(fns))
	for i, fn := range fns {
		schemas[i], names[i] = fn.Schema, fn.Name
	}
	rows, err := b.primary.pool.Query(ctx, functionLookup, schemas, names)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[sqlscan.Function]sqlscan.Volatility, len(fns))
	for rows.Next() {
		var fn sqlscan.Function
		var vol int32
		if err := rows.Scan(&fn.Schema, &fn.Name, &vol); err != nil {
			return nil, err
		}
		out[fn] = sqlscan.Volatility(vol)
	}
	return out, rows.Err()
}

// ddlRan forgets what the server said of functions: DDL through the binding
// may have replaced one.
func (b *Binding) ddlRan() {
	c := b.functions
	c.gen.Add(1)
	c.known.Purge()
}

// isDDL: statements that may create, replace or drop a function.
func isDDL(kind string) bool {
	switch kind {
	case "create", "alter", "drop", "do", "call", "":
		return true
	}
	return false
}
