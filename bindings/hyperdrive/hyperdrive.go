package hyperdrive

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgxpool"

	"edgerun/bindings"
	"edgerun/bindings/hyperdrive/sqlscan"
	"edgerun/isolates"
)

//go:embed js/binding.js
var bindingSource string

var bindingProgram = goja.MustCompile("edgerun:hyperdrive.js", bindingSource, true)

// Binding is one [[hyperdrive]] entry: its pools and the statement API.
type Binding struct {
	cfg      Config
	primary  *endpoint
	fallback *endpoint
	replicas []*endpoint
	props    Properties
	secrets  []string // passwords to scrub from messages

	statements  *lru.Cache[string, *statement]
	cache       *queryCache // nil when caching is disabled
	dbID        string      // the primary database's identity, part of cache keys
	nextReplica atomic.Uint64
	closeOnce   sync.Once
	functions   *functionCatalog
	invalidator *invalidator // nil unless caching.notify_channel is set
}

var _ bindings.Binding = (*Binding)(nil)

// Properties are the connection details Workers' Hyperdrive exposes.
type Properties struct {
	ConnectionString string
	Host             string
	Port             int
	User             string
	Password         string
	Database         string
}

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

// Open builds the binding. Pools connect lazily, so a database that is down
// at start does not stop edgerun: the binding reports it, and recovers when
// the database comes back.
func Open(ctx context.Context, cfg Config) (*Binding, error) {
	cfg.applyDefaults()
	b := &Binding{cfg: cfg, functions: newFunctionCatalog(cfg.Now)}
	var err error
	b.statements, err = lru.New[string, *statement](4096)
	if err != nil {
		return nil, err
	}
	b.props, err = parseProperties(cfg.ConnString)
	if err != nil {
		return nil, fmt.Errorf("hyperdrive %q: %w", cfg.Name, err)
	}
	b.secrets = append(b.secrets, b.props.Password)
	b.dbID = fmt.Sprintf("%s@%s:%d/%s", b.props.User, b.props.Host, b.props.Port, b.props.Database)
	if !cfg.Cache.Disabled {
		if b.cache, err = newQueryCache(cfg.Cache, cfg.Now); err != nil {
			return nil, fmt.Errorf("hyperdrive %q: cache: %w", cfg.Name, err)
		}
	}
	if b.primary, err = b.newEndpoint("primary", cfg.ConnString); err != nil {
		return nil, err
	}
	if cfg.FallbackConnString != "" {
		if b.fallback, err = b.newEndpoint("fallback", cfg.FallbackConnString); err != nil {
			b.Close(ctx)
			return nil, err
		}
	}
	for i, cs := range cfg.ReplicaConnStrings {
		ep, err := b.newEndpoint("replica", cs)
		if err != nil {
			b.Close(ctx)
			return nil, fmt.Errorf("replica %d: %w", i+1, err)
		}
		b.replicas = append(b.replicas, ep)
	}
	if b.cache != nil && cfg.Cache.NotifyChannel != "" {
		// LISTEN needs a session of its own: not through a transaction-mode
		// pooler when a direct connection is configured.
		listenOn := b.primary
		if b.primary.pooler {
			if b.fallback == nil {
				b.Close(ctx)
				return nil, fmt.Errorf("hyperdrive %q: caching.notify_channel needs a session to LISTEN on, and the primary looks like a transaction-mode pooler (pgbouncer=true, port 6432 or a host name with \"pooler\"): set fallback_connection_string to the direct database", cfg.Name)
			}
			listenOn = b.fallback
		}
		b.invalidator = newInvalidator(b, cfg.Cache.NotifyChannel, listenOn.connString)
	}
	return b, nil
}

func parseProperties(connString string) (Properties, error) {
	cc, err := pgconn.ParseConfig(connString)
	if err != nil {
		return Properties{}, errors.New("invalid connection string (check its syntax; the password is not shown)")
	}
	return Properties{
		ConnectionString: connString,
		Host:             cc.Host,
		Port:             int(cc.Port),
		User:             cc.User,
		Password:         cc.Password,
		Database:         cc.Database,
	}, nil
}

func (b *Binding) newEndpoint(role, connString string) (*endpoint, error) {
	name := role
	if role == "replica" {
		name = fmt.Sprintf("replica-%d", len(b.replicas)+1)
	}
	connString, pooler := detectPooler(connString)
	pc, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, fmt.Errorf("hyperdrive %q: %s: invalid connection string (the password is not shown)", b.cfg.Name, role)
	}
	pooler = pooler || pc.ConnConfig.Port == 6432 || strings.Contains(pc.ConnConfig.Host, "pooler")
	b.secrets = append(b.secrets, pc.ConnConfig.Password)
	pc.MaxConns = int32(b.cfg.MaxConns)
	pc.MinConns = 0
	pc.MaxConnIdleTime = 5 * time.Minute
	pc.HealthCheckPeriod = 30 * time.Second
	cc := pc.ConnConfig
	if cc.ConnectTimeout == 0 || cc.ConnectTimeout > b.cfg.AcquireTimeout {
		cc.ConnectTimeout = min(5*time.Second, b.cfg.AcquireTimeout)
	}
	switch b.cfg.StatementCache {
	case "describe":
		cc.DefaultQueryExecMode = pgx.QueryExecModeCacheDescribe
	case "prepare":
		cc.DefaultQueryExecMode = pgx.QueryExecModeCacheStatement
	default:
		if pooler {
			cc.DefaultQueryExecMode = pgx.QueryExecModeCacheDescribe
		} else {
			cc.DefaultQueryExecMode = pgx.QueryExecModeCacheStatement
		}
	}
	if cc.RuntimeParams == nil {
		cc.RuntimeParams = map[string]string{}
	}
	if _, ok := cc.RuntimeParams["application_name"]; !ok {
		cc.RuntimeParams["application_name"] = "edgerun"
	}
	// A cancelled or timed-out statement is cancelled on the server (a
	// CancelRequest), not merely abandoned with the connection.
	cc.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, CancelRequestDelay: 0, DeadlineDelay: 2 * time.Second}
	}
	// One message (a row) larger than a whole result may be is refused
	// before it is read into memory; the connection is closed.
	maxMessage := int(max(b.cfg.MaxResultBytes, 1<<20) + 1<<16)
	cc.BuildFrontend = func(r io.Reader, w io.Writer) *pgproto3.Frontend {
		f := pgproto3.NewFrontend(r, w)
		f.SetMaxBodyLen(maxMessage)
		return f
	}
	pc.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		registerTypes(c.TypeMap())
		return nil
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), pc)
	if err != nil {
		return nil, fmt.Errorf("hyperdrive %q: %s: %s", b.cfg.Name, role, b.redact(err.Error()))
	}
	return &endpoint{role: role, name: name, pool: pool, breaker: b.newBreaker(name), connString: connString, pooler: pooler}, nil
}

// detectPooler strips the pgbouncer=true hint (Prisma's convention, which
// PostgreSQL itself would reject as an unknown parameter) and reports it.
func detectPooler(connString string) (string, bool) {
	u, err := url.Parse(connString)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return connString, false
	}
	q := u.Query()
	v, ok := q["pgbouncer"]
	if !ok {
		return connString, false
	}
	q.Del("pgbouncer")
	u.RawQuery = q.Encode()
	return u.String(), len(v) > 0 && v[0] == "true"
}

// Name is the env property.
func (b *Binding) Name() string { return b.cfg.Name }

// Config returns the binding's configuration with defaults applied.
func (b *Binding) Config() Config { return b.cfg }

// Properties returns the connection properties.
func (b *Binding) Properties() Properties { return b.props }

// Close closes every pool.
func (b *Binding) Close(context.Context) error {
	b.closeOnce.Do(func() {
		if b.invalidator != nil {
			b.invalidator.close()
		}
		for _, ep := range b.endpoints() {
			ep.pool.Close()
		}
	})
	return nil
}

func (b *Binding) endpoints() []*endpoint {
	var out []*endpoint
	if b.primary != nil {
		out = append(out, b.primary)
	}
	if b.fallback != nil {
		out = append(out, b.fallback)
	}
	return append(out, b.replicas...)
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

func (ep *endpoint) stats() PoolStats {
	s := ep.pool.Stat()
	return PoolStats{
		Role: ep.name, Acquired: s.AcquiredConns(), Idle: s.IdleConns(), Total: s.TotalConns(), Max: s.MaxConns(),
		AcquireCount: s.AcquireCount(), EmptyAcquireCount: s.EmptyAcquireCount(), AcquireDuration: s.AcquireDuration(),
		NewConns: s.NewConnsCount(), CanceledAcquireCount: s.CanceledAcquireCount(),
	}
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

// Query modes, as the JS shim numbers them.
const (
	modeAll      = 0
	modeFirst    = 1
	modeRun      = 2
	modeRaw      = 3
	modeRawNames = 4 // raw({ columnNames: true })
)

// result is one statement's outcome, decoded off the loop.
type result struct {
	columns      []string
	rows         [][]any
	rowsAffected int64
	command      string
	duration     time.Duration
	servedBy     string
	cached       bool
	writes       bool
	// notified: the write was announced to other instances on its own
	// connection (caching.notify_channel).
	notified bool
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

func (b *Binding) arityError(st *statement, got int) *Error {
	return &Error{Binding: b.cfg.Name, Code: CodeArity, Index: -1,
		Message: fmt.Sprintf("Wrong number of parameter bindings for SQL query: expected %d, got %d", st.arity, got)}
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

// fillRunner runs a cacheable read for the cache: on the primary (or the
// fallback), never on a replica, whose lag would be cached for everyone.
func (b *Binding) fillRunner(st *statement, args []any) func(context.Context) (*result, error) {
	return func(ctx context.Context) (*result, error) {
		return b.executeUncached(ctx, st, args, nil, false)
	}
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

func (b *Binding) runOn(ctx context.Context, ep *endpoint, st *statement, args []any) (*result, error) {
	start := time.Now()
	qctx, cancel := context.WithTimeout(ctx, b.cfg.QueryTimeout)
	defer cancel()
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
	if err != nil {
		if qctx.Err() != nil && ctx.Err() == nil {
			return nil, fmt.Errorf("%w: %w: %w", context.DeadlineExceeded, errStatementTimeout, err)
		}
		return nil, err
	}
	if b.invalidator != nil && (st.info.Writes || !st.info.ReadOnly) {
		r.notified = b.invalidator.notifyOn(qctx, conn.Conn())
	}
	r.duration = time.Since(start)
	r.servedBy = ep.role
	r.writes = st.info.Writes
	if d := r.duration; d > b.cfg.SlowQuery {
		b.cfg.Log.Warn("slow query", "binding", b.cfg.Name, "duration_ms", d.Milliseconds(), "sql", truncate(st.raw, 200), "params", fmt.Sprintf("[%d redacted]", len(args)))
	}
	return r, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// ---- JS glue ---------------------------------------------------------------

// isolateState is what one isolate holds for this binding.
type isolateState struct {
	handles map[string]goja.Value // prepared statement handles by SQL text
	parse   goja.Callable         // JSON.parse
	bind    binder                // bound values → Go, with JSON.stringify
}

// Value builds env[Name] for one isolate.
func (b *Binding) Value(iso *isolates.Isolate) (goja.Value, error) {
	vm := iso.Runtime()
	st := &isolateState{handles: make(map[string]goja.Value)}
	jsonObj := vm.Get("JSON").ToObject(vm)
	st.parse, _ = goja.AssertFunction(jsonObj.Get("parse"))
	stringify, _ := goja.AssertFunction(jsonObj.Get("stringify"))
	st.bind = newBinder(vm, stringify)
	native := vm.NewObject()
	_ = native.Set("prepare", func(c goja.FunctionCall) goja.Value { return b.jsPrepare(iso, st, c.Argument(0).String()) })
	_ = native.Set("query", func(c goja.FunctionCall) goja.Value { return b.jsQuery(iso, st, c) })
	_ = native.Set("batch", func(c goja.FunctionCall) goja.Value { return b.jsBatch(iso, st, c) })
	_ = native.Set("exec", func(c goja.FunctionCall) goja.Value { return b.jsExec(iso, c.Argument(0).String()) })
	props := vm.NewObject()
	_ = props.Set("connectionString", b.props.ConnectionString)
	_ = props.Set("host", b.props.Host)
	_ = props.Set("port", b.props.Port)
	_ = props.Set("user", b.props.User)
	_ = props.Set("password", b.props.Password)
	_ = props.Set("database", b.props.Database)
	fn, err := vm.RunProgram(bindingProgram)
	if err != nil {
		return nil, err
	}
	f, _ := goja.AssertFunction(fn)
	return f(goja.Undefined(), native, props)
}

func (b *Binding) jsPrepare(iso *isolates.Isolate, st *isolateState, sql string) goja.Value {
	vm := iso.Runtime()
	if h, ok := st.handles[sql]; ok {
		return h
	}
	stmt, err := b.prepare(sql)
	if err != nil {
		panic(iso.ToJSError(err))
	}
	h := vm.NewObject()
	_ = h.Set("handle", vm.NewDynamicObject(statementHandle{stmt}))
	_ = h.Set("arity", stmt.arity)
	if len(st.handles) >= 1024 {
		clear(st.handles)
	}
	st.handles[sql] = h
	return h
}

// statementHandle is what JavaScript holds for a prepared statement: an
// object with no properties. The *statement is reachable from Go only (a
// Go value wrapped by goja's reflection would show scripts its fields and
// methods).
type statementHandle struct{ st *statement }

func (statementHandle) Get(string) goja.Value       { return nil }
func (statementHandle) Set(string, goja.Value) bool { return false }
func (statementHandle) Has(string) bool             { return false }
func (statementHandle) Delete(string) bool          { return false }
func (statementHandle) Keys() []string              { return nil }

func statementOf(v goja.Value) *statement {
	h, _ := v.Export().(statementHandle)
	return h.st
}

func (b *Binding) jsQuery(iso *isolates.Isolate, st *isolateState, c goja.FunctionCall) goja.Value {
	vm := iso.Runtime()
	stmt := statementOf(c.Argument(0))
	mode := int(c.Argument(2).ToInteger())
	noCache := c.Argument(3).ToBoolean()
	column := ""
	if col := c.Argument(4); mode == modeFirst && !goja.IsUndefined(col) {
		column = col.String()
	}
	args, err := st.bind.params(c.Argument(1))
	if err == nil && stmt != nil && len(args) != stmt.arity {
		err = b.arityError(stmt, len(args))
	}
	if err != nil || stmt == nil {
		if err == nil {
			err = errors.New("not a prepared statement")
		}
		return b.rejected(iso, err)
	}
	scope := iso.Scope()
	settle := func(vm *goja.Runtime, r *result) (goja.Value, error) {
		var v goja.Value
		var err error
		if column != "" {
			v, err = r.firstColumn(vm, st.parse, column)
		} else {
			v, err = r.toJS(vm, st.parse, mode)
		}
		var ex *goja.Exception
		if err != nil && !errors.As(err, &ex) { // a JS exception (from JSON.parse) stays as it is
			return nil, b.wrapError(err, -1) // "Column not found" gets its code
		}
		return v, err
	}
	if !noCache {
		hit, ok := b.cacheHit(b.resolvedNow(stmt), args)
		if ok {
			if o := b.cfg.Observer; o != nil {
				o.Query(b.cfg.Name, "read", "cached", "cache", 0)
			}
			p, resolve, reject := vm.NewPromise()
			if v, err := settle(vm, hit); err != nil {
				iso.Check(reject(iso.ToJSError(err)))
			} else {
				iso.Check(resolve(v))
			}
			return vm.ToValue(p)
		}
	}
	return vm.ToValue(iso.Async(func(ctx context.Context) func(*goja.Runtime) (goja.Value, error) {
		r, err := b.execute(ctx, stmt, args, scope, noCache)
		return func(vm *goja.Runtime) (goja.Value, error) {
			if err != nil {
				return nil, err
			}
			return settle(vm, r)
		}
	}))
}

// firstColumn is first(column): that column of the first row, null without
// rows, an error when the result has no such column.
func (r *result) firstColumn(vm *goja.Runtime, parse goja.Callable, column string) (goja.Value, error) {
	idx := -1
	for i, c := range r.columns {
		if c == column {
			idx = i // a later duplicate name wins, as in a row object
		}
	}
	if idx < 0 {
		return nil, &codedError{CodeUndefinedColumn, fmt.Errorf("Column not found: %s", column)}
	}
	if len(r.rows) == 0 {
		return goja.Null(), nil
	}
	return toJS(vm, parse, r.rows[0][idx])
}

func (b *Binding) rejected(iso *isolates.Isolate, err error) goja.Value {
	var he *Error
	if !errors.As(err, &he) {
		he = &Error{Binding: b.cfg.Name, Message: b.redact(err.Error()), Index: -1, Err: err}
		var coded *codedError
		if errors.As(err, &coded) {
			he.Code = coded.code
		}
	}
	return iso.Runtime().ToValue(iso.Rejected(he)) // *Error is an isolates.JSError: its fields reach JS
}

func (r *result) toJS(vm *goja.Runtime, parse goja.Callable, mode int) (goja.Value, error) {
	switch mode {
	case modeFirst:
		if len(r.rows) == 0 {
			return goja.Null(), nil
		}
		return r.rowObject(vm, parse, r.rows[0])
	case modeRaw, modeRawNames:
		rows := make([]any, 0, len(r.rows)+1)
		if mode == modeRawNames {
			cols := make([]any, len(r.columns))
			for i, c := range r.columns {
				cols[i] = c
			}
			rows = append(rows, vm.NewArray(cols...))
		}
		for _, row := range r.rows {
			vals := make([]any, len(row))
			for j, v := range row {
				jv, err := toJS(vm, parse, v)
				if err != nil {
					return nil, err
				}
				vals[j] = jv
			}
			rows = append(rows, vm.NewArray(vals...))
		}
		return vm.NewArray(rows...), nil
	}
	results := make([]any, len(r.rows))
	for i, row := range r.rows {
		obj, err := r.rowObject(vm, parse, row)
		if err != nil {
			return nil, err
		}
		results[i] = obj
	}
	out := vm.NewObject()
	_ = out.Set("success", true)
	_ = out.Set("meta", r.meta(vm))
	_ = out.Set("results", vm.NewArray(results...))
	return out, nil
}

func (r *result) rowObject(vm *goja.Runtime, parse goja.Callable, row []any) (goja.Value, error) {
	obj := vm.NewObject()
	for i, col := range r.columns {
		v, err := toJS(vm, parse, row[i])
		if err != nil {
			return nil, err
		}
		if col == "__proto__" {
			// Set would change the row's prototype (to a JSON object the
			// database returned, even); a column is always an own property.
			_ = obj.DefineDataProperty(col, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
			continue
		}
		_ = obj.Set(col, v)
	}
	return obj, nil
}

func (r *result) meta(vm *goja.Runtime) *goja.Object {
	m := vm.NewObject()
	servedBy := r.servedBy
	if r.cached {
		servedBy = "cache"
	}
	_ = m.Set("served_by", servedBy)
	_ = m.Set("duration", float64(r.duration.Microseconds())/1000)
	_ = m.Set("changes", r.rowsAffected)
	_ = m.Set("last_row_id", goja.Null())
	_ = m.Set("changed_db", r.writes && r.rowsAffected > 0 || r.writes && len(r.columns) == 0)
	_ = m.Set("size_after", goja.Null())
	_ = m.Set("rows_read", len(r.rows))
	_ = m.Set("rows_written", r.rowsAffected)
	_ = m.Set("cached", r.cached)
	_ = m.Set("command", r.command)
	return m
}

func (b *Binding) jsBatch(iso *isolates.Isolate, st *isolateState, c goja.FunctionCall) goja.Value {
	vm := iso.Runtime()
	handles := c.Argument(0).ToObject(vm)
	params := c.Argument(1).ToObject(vm)
	length := lengthOf(handles)
	if length < 0 || length > maxBatch {
		return b.rejected(iso, fmt.Errorf("batch(statements): %d statements; at most %d", length, maxBatch))
	}
	n := int(length)
	stmts := make([]*statement, n)
	args := make([][]any, n)
	for i := range n {
		stmts[i] = statementOf(handles.Get(strconv.Itoa(i)))
		a, err := st.bind.params(params.Get(strconv.Itoa(i)))
		if err == nil && stmts[i] == nil {
			err = errors.New("batch(statements): every element must come from prepare()")
		}
		if err == nil && len(a) != stmts[i].arity {
			err = b.arityError(stmts[i], len(a))
		}
		if err != nil {
			e := b.wrapError(err, i)
			e.Index = i
			return b.rejected(iso, e)
		}
		args[i] = a
	}
	scope := iso.Scope()
	return vm.ToValue(iso.Async(func(ctx context.Context) func(*goja.Runtime) (goja.Value, error) {
		results, err := b.batch(ctx, stmts, args, scope)
		return func(vm *goja.Runtime) (goja.Value, error) {
			if err != nil {
				return nil, err
			}
			out := make([]any, len(results))
			for i, r := range results {
				v, err := r.toJS(vm, st.parse, modeAll)
				if err != nil {
					return nil, err
				}
				out[i] = v
			}
			return vm.NewArray(out...), nil
		}
	}))
}

// batch runs stmts in one transaction on the primary: all or nothing.
func (b *Binding) batch(ctx context.Context, stmts []*statement, args [][]any, scope *isolates.Scope) ([]*result, error) {
	qctx, cancel := context.WithTimeout(ctx, b.cfg.QueryTimeout)
	defer cancel()
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
	var lastErr error
	for attempt := 0; attempt <= b.cfg.Retries; attempt++ {
		if attempt > 0 && !sleepCtx(qctx, backoff(attempt)) {
			break
		}
		results, index, err := b.batchOnce(qctx, stmts, args)
		if err == nil {
			notified = len(results) > 0 && results[0].notified
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

func (b *Binding) jsExec(iso *isolates.Isolate, sql string) goja.Value {
	vm := iso.Runtime()
	count := len(sqlscan.SplitStatements(sql))
	b.markWrote(iso.Scope())
	return vm.ToValue(iso.Async(func(ctx context.Context) func(*goja.Runtime) (goja.Value, error) {
		d, err := b.exec(ctx, sql)
		return func(vm *goja.Runtime) (goja.Value, error) {
			if err != nil {
				return nil, err
			}
			out := vm.NewObject()
			_ = out.Set("count", count)
			_ = out.Set("duration", float64(d.Microseconds())/1000)
			return out, nil
		}
	}))
}

// exec runs one or more statements without parameters (simple protocol).
func (b *Binding) exec(ctx context.Context, sql string) (time.Duration, error) {
	start := time.Now()
	notified := false
	defer func() { b.wrote(ctx, notified) }() // every cached read is stale
	defer b.ddlRan()                          // and a function may have been replaced
	qctx, cancel := context.WithTimeout(ctx, b.cfg.QueryTimeout)
	defer cancel()
	actx, acancel := context.WithTimeout(qctx, b.cfg.AcquireTimeout)
	conn, err := b.primary.pool.Acquire(actx)
	acancel()
	if err != nil {
		return 0, b.wrapError(fmt.Errorf("%w: %w", errAcquire, err), -1)
	}
	defer b.release(b.primary, conn, sqlscan.Classify(sql).Session, true)
	if err := discardResults(conn.Conn().PgConn().Exec(qctx, sql)); err != nil {
		if qctx.Err() != nil && ctx.Err() == nil {
			err = fmt.Errorf("%w: %w", context.DeadlineExceeded, err)
		}
		return 0, b.wrapError(err, -1)
	}
	if b.invalidator != nil {
		notified = b.invalidator.notifyOn(qctx, conn.Conn())
	}
	return time.Since(start), nil
}
