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
// Connections are pooled per statement (Hyperdrive's transaction mode):
// session.go resets what a released connection's session may hold before
// it is reused, and routing.go counts only failures before a statement
// reached the server toward an endpoint's breaker. One result is bounded
// by Config.MaxResultBytes while it is read (results.go).
package hyperdrive
