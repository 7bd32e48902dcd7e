package hyperdrive

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"edgerun/bindings/hyperdrive/sqlscan"
)

// Hyperdrive pools connections per transaction: what one request leaves on
// a connection's session must not reach the next request through the pool.
// Two layers keep it from doing so (release):
//
//   - a connection whose statement sqlscan classified as changing the
//     session (SET, LISTEN, PREPARE, DISCARD, temporary tables, …;
//     sqlscan.Info.Session) is closed;
//   - any other connection of a direct endpoint is reset before the pool
//     hands it out again (sessionReset, PgBouncer's server_reset_query for a
//     session pooler), unless the statements that ran on it were pure:
//     classification is evaded by what it cannot see (U&"…" identifiers,
//     functions and triggers that call set_config or take advisory locks,
//     objects created in pg_temp), so only statements it fully understands
//     skip the reset.
//
// A pure statement is a single read-only statement (SELECT, VALUES, TABLE,
// SHOW, read-only WITH) that calls only built-in functions sqlscan knows to
// be free of side effects, with no SELECT … INTO and no locking clause:
// the hot path of reads pays nothing. Writes, DDL, CALL, DO, exec(), and any
// statement calling a user-defined or unlisted function pay one extra round
// trip, after the response (BenchmarkSessionReset measures it). What a
// reset-free read can still change: a view or row-security policy whose
// definition calls a session-changing function; such schemas are not
// supported.
//
// Behind a transaction-mode pooler (PgBouncer, Neon's pooler) the server
// session is the pooler's: edgerun's connection to the pooler is not a
// server session, a reset sent through it would land on whichever server
// connection the pooler picked, so none is sent (PgBouncer resets server
// connections itself: server_reset_query, server_reset_query_always).

// pure reports that info describes a statement that cannot leave session
// state behind (see above).
func pure(info sqlscan.Info) bool {
	return info.ReadOnly && !info.Writes && !info.Session && !info.Multi &&
		len(info.Functions) == 0 && info.FunctionsComplete
}

// sessionReset is PostgreSQL's DISCARD ALL without DEALLOCATE ALL and
// DISCARD PLANS: pgx's prepared statements (statement_cache = "prepare")
// stay valid, everything else a session can hold is dropped. One simple
// query, so one round trip; it runs in an implicit transaction, where every
// command of it is allowed.
//
//   - CLOSE ALL: cursors, WITH HOLD ones included;
//   - SET SESSION AUTHORIZATION DEFAULT, RESET ALL: the session user and
//     role, and every setting (search_path, custom app.* settings) back to
//     its value at connection start;
//   - UNLISTEN *: notification channels;
//   - pg_advisory_unlock_all(): session advisory locks;
//   - DISCARD TEMP: temporary tables, sequences, views and types (a
//     temporary table shadows a real one of the same name);
//   - DISCARD SEQUENCES: currval/lastval state.
//
// The last statement reports statements prepared with SQL PREPARE (which
// DEALLOCATE ALL would take pgx's with it): such a connection is closed.
const sessionReset = `CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; UNLISTEN *;
SELECT pg_advisory_unlock_all(); DISCARD TEMP; DISCARD SEQUENCES;
SELECT EXISTS (SELECT FROM pg_prepared_statements WHERE from_sql)`

// resetTimeout bounds the reset: a connection that cannot be reset in time
// is closed.
const resetTimeout = 2 * time.Second

// resetSession runs sessionReset on conn; false means it did not work and
// conn must be closed.
func resetSession(conn *pgx.Conn) bool {
	ctx, cancel := context.WithTimeout(context.Background(), resetTimeout)
	defer cancel()
	results, err := conn.PgConn().Exec(ctx, sessionReset).ReadAll()
	if err != nil || len(results) == 0 {
		return false
	}
	last := results[len(results)-1]
	if last.Err != nil || len(last.Rows) != 1 || len(last.Rows[0]) != 1 {
		return false
	}
	prepared := string(last.Rows[0][0])
	return prepared == "f"
}

// release hands conn back to ep's pool. session (sqlscan saw the statement
// change session state, failed or not) closes it: a reset would not undo all
// of it (DISCARD ALL or DEALLOCATE ALL took pgx's prepared statements, LOAD,
// setseed), and behind a transaction-mode pooler closing is all the binding
// can do. dirty (what ran was not pure) resets it first, on a direct
// endpoint, in its own goroutine: the request does not wait, the next user
// of the connection does.
func (b *Binding) release(ep *endpoint, conn *pgxpool.Conn, session, dirty bool) {
	switch {
	case session:
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_ = conn.Conn().Close(ctx) // the pool destroys a closed connection on Release
		cancel()
	case dirty && !ep.pooler && !b.cfg.noSessionReset && !conn.Conn().IsClosed():
		go func() {
			if !resetSession(conn.Conn()) {
				ctx, cancel := context.WithTimeout(context.Background(), time.Second)
				_ = conn.Conn().Close(ctx)
				cancel()
			}
			conn.Release()
		}()
		return
	}
	conn.Release()
}
