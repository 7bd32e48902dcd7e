package hyperdrive

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// A client idle in a transaction past IdleTransactionTimeout gets
// PgBouncer's "idle transaction timeout"; its transaction is rolled back
// and its server connection (the pool's only one) serves the next client
// without a new connection being dialled. A client idle outside a
// transaction is left alone.
func TestProxyIdleTransactionTimeout(t *testing.T) {
	b, dsn := openTest(t, Config{MaxConns: 1, IdleTransactionTimeout: 300 * time.Millisecond, Cache: CacheConfig{Disabled: true}})
	direct(t, dsn, "CREATE TABLE t (v int)")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	idleOutside := proxyConnect(t, b, pgx.QueryExecModeCacheStatement)
	if _, err := idleOutside.Exec(ctx, "SELECT 1"); err != nil {
		t.Fatal(err)
	}
	idle := proxyConnect(t, b, pgx.QueryExecModeCacheStatement)
	tx, err := idle.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	dialled := b.Stats()[0].NewConns
	waitFor(t, "the idle transaction to time out", func() bool { return b.ProxyStats().IdleTransactionTimeouts == 1 })

	_, err = tx.Exec(ctx, "INSERT INTO t VALUES (2)")
	var pg *pgconn.PgError
	if !errors.As(err, &pg) || pg.Code != "08P01" || pg.Severity != "FATAL" || pg.Message != "idle transaction timeout" {
		t.Fatalf("statement after the timeout: %v; want FATAL 08P01 idle transaction timeout", err)
	}
	// The pool's one connection serves the next client: the transaction was
	// rolled back and the connection given back, not closed.
	next := proxyConnect(t, b, pgx.QueryExecModeCacheStatement)
	var n int
	if err := next.QueryRow(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil || n != 0 {
		t.Fatalf("rows after the rolled-back transaction: %d %v; want 0", n, err)
	}
	if got := b.Stats()[0].NewConns; got != dialled {
		t.Errorf("connections dialled %d → %d: the timed-out transaction's connection was not reused", dialled, got)
	}
	if s := b.ProxyStats(); s.ServerConnections != 0 {
		t.Errorf("server connections held after: %d", s.ServerConnections)
	}
	// Idle outside a transaction far longer than the limit: still served.
	if _, err := idleOutside.Exec(ctx, "SELECT 1"); err != nil {
		t.Fatalf("a client idle outside a transaction: %v", err)
	}
	if got := b.ProxyStats().IdleTransactionTimeouts; got != 1 {
		t.Errorf("idle transaction timeouts = %d, want 1", got)
	}
}
