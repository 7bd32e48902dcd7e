// Package hyperdrive implements env.HYPERDRIVE: a Cloudflare Hyperdrive
// binding backed by real PostgreSQL through pgx. Each [[hyperdrive]] entry is
// one process-wide Binding with one pgxpool per endpoint (primary, optional
// fallback, optional replicas), shared by every isolate and request; each
// isolate gets a JS object over it.
//
// The JS API is the seed document's, with D1's semantics:
// prepare(sql).bind(...).first()/all()/run()/raw(), batch() (one
// transaction), exec(); plus the real Hyperdrive properties
// connectionString, host, port, user, password and database. Placeholders
// (?, ?NNN, $N) are found by sqlscan's lexer and always sent as bind
// parameters. Queries run off the isolate goroutine and settle promises on
// its loop.
//
// The files follow a statement's trip, top down; a file calls only into
// files below it:
//
//   - hyperdrive.go: the Binding, Open and Close (it builds everything below);
//     health.go: what it reports (Observer, Stats, Health, Probe).
//   - js.go, jsresults.go: the JS surface, the natives js/binding.js wraps
//     (prepare, query for first/all/run/raw, batch, exec), the per-isolate
//     state, and results as JavaScript sees them.
//   - statement.go: statements parsed and classified once per process
//     (sqlscan), arity, and the way each runs: from the cache (cache.go) or
//     on the database, with the write bookkeeping (cache invalidation,
//     notify.go; read-your-writes) and the Observer's report around it.
//     functions.go classifies statements calling functions sqlscan does not
//     know.
//   - batch.go → execute.go: execution with its retries. execute.go runs one
//     statement: the retry loop (only where nothing can have been applied),
//     the breaker accounting, one run on one endpoint; batch.go runs batch()
//     in one transaction and exec() by the simple protocol.
//     pipeline.go: a cacheable read that would wait for a pooled connection
//     (on a direct endpoint) queues instead; the oldest waiter acquires one
//     and runs up to 16 waiting statements in one pgconn pipeline, a Sync
//     after each (its own implicit transaction), each with its own
//     timeout, result limit and errors; a statement that failed for
//     another's sake runs again alone.
//   - endpoints.go: one pgxpool and circuit breaker per database server
//     (primary, fallback, replicas) and where a statement goes (pick).
//     session.go resets what a released connection's session may hold
//     before it is reused (Hyperdrive's transaction mode: connections are
//     pooled per statement).
//   - results.go, values_*.go: reading a result, bounded by
//     Config.MaxResultBytes while it is read, and converting values:
//     values_bind.go and values_encode.go JS → PostgreSQL, values_decode.go
//     PostgreSQL → JS. errors.go turns failures into *Error.
//   - proxy*.go: the local Hyperdrive (proxy.go, proxy_startup.go,
//     proxy_auth.go; a client's session: proxy_session.go, proxy_extended.go,
//     proxy_exchange.go, proxy_hold.go, proxy_copy.go, proxy_cache.go), the
//     PostgreSQL-wire listener connectionString names (the binding's second
//     front door, on the same pools, cache, breakers and Observer): the
//     listener, its credentials (random per process, or
//     Config.ProxyUser/ProxyPassword for edgerun proxy) and SCRAM, TLS and
//     CancelRequest. It has two doors: TCP, where the password is checked with
//     SCRAM-SHA-256, and the in-process one (isolates.ServeInProcessSecure on
//     the listener's address), where this process's scripts arrive over an
//     in-memory pipe and give the password in clear, checked as exactly
//     (proxy_auth.go's authenticateCleartext says why that is as safe), and
//     skip TLS: their sockets check the listener's certificate and go on in
//     clear after its 'S' (proxy_startup.go). Then
//     one client's session in transaction-mode pooling, with
//     Config.IdleTransactionTimeout bounding a transaction left idle;
//     cacheable reads answered with the server's own wire messages. A write
//     through it invalidates the cache and is announced on notify_channel on
//     its own server connection, as prepare()'s are. ProxyStats is what
//     /health and /metrics show of it.
//
// Only failures before a statement reached the server count toward an
// endpoint's breaker.
//
// The binding uses isolates' bridge API (isolates/bridge.go): the
// *isolates.Isolate is threaded wherever JS values are made or read, and
// bytea, json and timestamptz values are built, and bound values read,
// with its intrinsics (NewUint8Array, NewDate, JSONParse, JSONStringify,
// IsView), never with globals a script can replace (testdata/intrinsics.js).
package hyperdrive
