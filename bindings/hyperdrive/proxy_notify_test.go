package hyperdrive

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"edgerun/bindings/localpg/pgtest"
)

// Two bindings on one database stand for two edgerun processes: with
// caching.notify_channel, a write through one's local Hyperdrive (a single
// statement, a transaction, the simple protocol) makes the other's cached
// reads stale, as prepare()'s writes do; the notification goes on the
// write's own server connection (one acquire per write, even with a pool
// of one).
func TestProxyWritesNotifyOtherInstances(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	direct(t, dsn, "CREATE TABLE t (v int); INSERT INTO t VALUES (1)")
	a, b := openListeningPair(t, Config{ConnString: dsn, MaxConns: 1, Cache: CacheConfig{MaxAge: time.Hour, NotifyChannel: "proxy_cache"}})
	ctx := context.Background()
	reader := proxyConnect(t, b, pgx.QueryExecModeCacheStatement)
	read := func() int {
		var v int
		if err := reader.QueryRow(ctx, "SELECT v FROM t").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	// B caches the read: a second one is a hit.
	read()
	hits := b.ProxyStats().CacheHits
	if v := read(); v != 1 || b.ProxyStats().CacheHits != hits+1 {
		t.Fatalf("B's second read = %d, hits %d → %d; want 1 from the cache", v, hits, b.ProxyStats().CacheHits)
	}

	writers := []struct {
		name  string
		write func(conn *pgx.Conn, v int) error
		mode  pgx.QueryExecMode
	}{
		{"extended", func(conn *pgx.Conn, v int) error {
			_, err := conn.Exec(ctx, "UPDATE t SET v = $1", v)
			return err
		}, pgx.QueryExecModeCacheStatement},
		{"transaction", func(conn *pgx.Conn, v int) error {
			return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, "UPDATE t SET v = $1", v)
				return err
			})
		}, pgx.QueryExecModeCacheStatement},
		{"simple", func(conn *pgx.Conn, v int) error {
			_, err := conn.Exec(ctx, "UPDATE t SET v = $1", v)
			return err
		}, pgx.QueryExecModeSimpleProtocol},
	}
	for i, w := range writers {
		v := i + 2
		writer := proxyConnect(t, a, w.mode)
		if err := writer.Ping(ctx); err != nil {
			t.Fatal(err)
		}
		// The first write prepares pgx's statement (its own acquire); the
		// second is counted.
		if err := w.write(writer, v); err != nil {
			t.Fatalf("%s write: %v", w.name, err)
		}
		acquires := a.Stats()[0].AcquireCount
		if err := w.write(writer, v); err != nil {
			t.Fatalf("%s write: %v", w.name, err)
		}
		if w.name != "transaction" {
			// One statement, one acquire: the notification rode on it.
			if n := a.Stats()[0].AcquireCount - acquires; n != 1 {
				t.Errorf("%s write: %d acquires on A's pool, want 1 (the notification on the write's own connection)", w.name, n)
			}
		}
		// B's cache took the notifications (the second may come after B
		// refilled on the first) and caches the new value: a read that is a
		// hit returns it. (A cache that bypassed itself would never hit.)
		waitFor(t, "B to see A's "+w.name+" write and cache it", func() bool {
			hits := b.ProxyStats().CacheHits
			return read() == v && b.ProxyStats().CacheHits == hits+1
		})
	}
}
