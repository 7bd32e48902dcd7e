package hyperdrive

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestProxyServerConnectionsTerminatedUnderLoad: 40 pgx clients write
// (each INSERT a key of its own) and read through the listener while its
// server connections are killed with pg_terminate_backend, five times. No
// client hangs (each statement is bounded by a context), every statement
// either succeeds or fails with a clear error, no write is applied twice
// (rows per key counted on the server; the table has no unique index, so a
// repeated write would show), every acknowledged write is there, and the
// listener serves new clients afterwards.
func TestProxyServerConnectionsTerminatedUnderLoad(t *testing.T) {
	b, dsn := openTest(t, Config{MaxConns: 4, AcquireTimeout: 5 * time.Second})
	direct(t, dsn, "CREATE TABLE w (k text NOT NULL, client int NOT NULL)")
	admin, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())

	const clients, rounds = 40, 5
	var (
		stop       atomic.Bool
		mu         sync.Mutex
		acked      []string           // keys whose INSERT succeeded
		errCodes   = map[string]int{} // SQLSTATE (or "closed") of each failure
		unclear    []error
		writes     atomic.Int64
		terminated int64
	)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			var conn *pgx.Conn
			defer func() {
				if conn != nil {
					conn.Close(context.Background())
				}
			}()
			for i := 0; !stop.Load(); i++ {
				if conn == nil || conn.IsClosed() {
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
					var err error // this client's own (not the test's err)
					conn, err = pgx.Connect(ctx, b.Properties().ConnectionString)
					cancel()
					if err != nil {
						mu.Lock()
						unclear = append(unclear, fmt.Errorf("client %d: reconnect: %w", c, err))
						mu.Unlock()
						return
					}
				}
				key := fmt.Sprintf("c%d-%d", c, i)
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				var err error
				if i%2 == 0 {
					_, err = conn.Exec(ctx, "INSERT INTO w (k, client) VALUES ($1, $2)", key, c)
				} else {
					var n int
					// pg_sleep: the server connections are busy when killed
					// (and the read is never cached).
					err = conn.QueryRow(ctx, "SELECT count(*) FROM w, pg_sleep(0.02) WHERE client = $1", c).Scan(&n)
				}
				hung := ctx.Err() != nil
				cancel()
				mu.Lock()
				var pg *pgconn.PgError
				switch {
				case hung:
					unclear = append(unclear, fmt.Errorf("client %d: statement %d hung past 10 s: %v", c, i, err))
				case err == nil && i%2 == 0:
					acked = append(acked, key)
					writes.Add(1)
				case err == nil:
				case errors.As(err, &pg) && slices.Contains([]string{"57P01", "08006", "58000"}, pg.Code):
					// 57P01: the server's own "terminating connection due to
					// administrator command", passed through; 08006: the
					// listener's "server connection lost"; 58000: a wait
					// for a connection past acquire_timeout.
					errCodes[pg.Code]++
				case conn.IsClosed():
					errCodes["closed"]++ // pgx closed the connection after a FATAL
				default:
					unclear = append(unclear, fmt.Errorf("client %d, statement %d: %w", c, i, err))
				}
				mu.Unlock()
			}
		})
	}
	// Kill the listener's server connections mid-load, again and again.
	for range rounds {
		time.Sleep(300 * time.Millisecond)
		var n int64
		if err := admin.QueryRow(context.Background(),
			"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		terminated += n
	}
	time.Sleep(300 * time.Millisecond)
	stop.Store(true)
	stopped := time.Now()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("clients still running 30 s after the load stopped: a client hangs")
	}
	t.Logf("load stopped; clients done after %s", time.Since(stopped))
	t.Logf("terminated %d server connections; %d writes acknowledged; failures %v", terminated, writes.Load(), errCodes)
	for _, err := range unclear {
		t.Error(err)
	}
	if terminated < rounds || writes.Load() == 0 || len(errCodes) == 0 {
		t.Fatalf("the test did not test: %d terminated, %d writes, failures %v", terminated, writes.Load(), errCodes)
	}

	// On the server: no key twice, every acknowledged key once.
	rows, _ := admin.Query(context.Background(), "SELECT k, count(*) FROM w GROUP BY k")
	count := map[string]int{}
	var k string
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&k, &n}, func() error { count[k] = n; return nil }); err != nil {
		t.Fatal(err)
	}
	for key, n := range count {
		if n != 1 {
			t.Errorf("key %s written %d times", key, n)
		}
	}
	for _, key := range acked {
		if count[key] != 1 {
			t.Errorf("acknowledged write %s: %d rows", key, count[key])
		}
	}

	// New clients are served, and the pool is back within its limit.
	conn := proxyConnect(t, b, pgx.QueryExecModeCacheStatement)
	var total int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM w").Scan(&total); err != nil || total != len(count) {
		t.Fatalf("a new client after the kills: %d rows, %v; want %d", total, err, len(count))
	}
	if s := b.Stats()[0]; s.Total > 4 {
		t.Fatalf("pool holds %d connections, over origin_connection_limit 4", s.Total)
	}
}
