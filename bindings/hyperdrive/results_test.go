package hyperdrive

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// A result larger than MaxResultBytes fails with its own code while it is
// read, instead of being buffered whole; the statement is cancelled on the
// server and the binding's next query works on the same connection.
func TestResultOverLimitFailsAndConnectionStaysUsable(t *testing.T) {
	tests := []struct {
		name, sql string
	}{
		{"many rows", "SELECT repeat('x', 1000000) AS big FROM generate_series(1, 500)"},
		{"one row larger than the limit", "SELECT repeat('x', 3000000) AS big"},
		// In the select list, not FROM: a set-returning function in FROM is
		// materialised whole before its first row is sent (tens of seconds
		// for 10⁸ rows, past the statement timeout on a loaded machine); in
		// the select list its rows stream.
		{"endless rows", "SELECT generate_series(1, 100000000) AS g, repeat('y', 1000) AS pad"},
	}
	for _, mode := range []string{"prepare", "describe"} {
		for _, tc := range tests {
			t.Run(mode+"/"+tc.name, func(t *testing.T) {
				b, dsn := openTest(t, Config{MaxConns: 1, MaxResultBytes: 1 << 20, StatementCache: mode, Retries: -1, Cache: CacheConfig{Disabled: true}})
				_, err := b.Query(context.Background(), tc.sql)
				var he *Error
				if !asError(err, &he) || he.Code != CodeResultTooLarge || !strings.Contains(he.Message, "1 MiB") {
					t.Fatalf("error = %v; want code %s naming the 1 MiB limit", err, CodeResultTooLarge)
				}
				// The statement is no longer running on the server.
				conn, err := pgx.Connect(context.Background(), dsn)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close(context.Background())
				deadline := time.Now().Add(5 * time.Second)
				for {
					var n int
					if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
						WHERE state = 'active' AND query LIKE '%repeat(%' AND pid <> pg_backend_pid()`).Scan(&n); err != nil {
						t.Fatal(err)
					}
					if n == 0 {
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("%d oversized statements still active on the server", n)
					}
					time.Sleep(50 * time.Millisecond)
				}
				if r := mustQuery(t, b, "SELECT 1 AS one"); r.Rows[0][0] != int64(1) {
					t.Fatalf("next query = %v", r.Rows)
				}
				// Under the limit, the same shape of statement works.
				if r := mustQuery(t, b, "SELECT repeat('x', 1000) AS big FROM generate_series(1, 500)"); len(r.Rows) != 500 {
					t.Fatalf("a 500 kB result returned %d rows", len(r.Rows))
				}
			})
		}
	}
}

// exec() keeps no rows, so a large result costs it nothing and succeeds.
func TestExecDiscardsRows(t *testing.T) {
	b, _ := openTest(t, Config{MaxConns: 1, MaxResultBytes: 1 << 20, Cache: CacheConfig{Disabled: true}})
	if _, err := b.exec(context.Background(), "SELECT repeat('x', 100000) FROM generate_series(1, 100); SELECT 2"); err != nil {
		t.Fatal(err)
	}
	if r := mustQuery(t, b, "SELECT 1 AS one"); r.Rows[0][0] != int64(1) {
		t.Fatalf("next query = %v", r.Rows)
	}
}
