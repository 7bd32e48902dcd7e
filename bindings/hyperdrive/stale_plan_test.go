package hyperdrive

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// After ALTER TABLE, a statement prepared before it (statement_cache =
// "prepare") fails with 0A000 "cached plan must not change result type"
// before it runs. The binding runs it again, once, on the same connection
// (pgx has dropped the stale statement): reads and writes alike succeed,
// and a write is applied once.
func TestStalePlanAfterAlterTable(t *testing.T) {
	for _, mode := range []string{"prepare", "describe"} {
		t.Run(mode, func(t *testing.T) {
			obs := &countingObserver{}
			b, dsn := openTest(t, Config{MaxConns: 1, StatementCache: mode, Observer: obs, Cache: CacheConfig{Disabled: true}})
			direct(t, dsn, `CREATE TABLE a (x int, y int); INSERT INTO a VALUES (1, 2)`)
			ctx := context.Background()
			const (
				read  = "SELECT * FROM a WHERE x = ?"
				write = "INSERT INTO a (x) VALUES (?) RETURNING *"
			)
			mustQuery(t, b, read, jsInt(1))
			mustQuery(t, b, write, jsInt(10))
			batch := mustStatements(t, b, read, write)
			if _, err := b.batch(ctx, batch, [][]any{{jsInt(1)}, {jsInt(11)}}, nil); err != nil {
				t.Fatal(err)
			}

			if _, err := b.exec(ctx, "ALTER TABLE a ADD COLUMN z text DEFAULT 'z'"); err != nil {
				t.Fatal(err)
			}
			if r := mustQuery(t, b, read, jsInt(1)); len(r.Columns) != 3 || r.Rows[0][2] != "z" {
				t.Fatalf("SELECT * after ADD COLUMN = %v %v", r.Columns, r.Rows)
			}
			if r := mustQuery(t, b, write, jsInt(20)); len(r.Columns) != 3 {
				t.Fatalf("INSERT … RETURNING * after ADD COLUMN = %v %v", r.Columns, r.Rows)
			}

			if _, err := b.exec(ctx, "ALTER TABLE a ALTER COLUMN y TYPE text USING 'two'"); err != nil {
				t.Fatal(err)
			}
			res, err := b.batch(ctx, batch, [][]any{{jsInt(1)}, {jsInt(21)}}, nil)
			if err != nil {
				t.Fatalf("batch after ALTER COLUMN TYPE: %v", err)
			}
			if got := res[0].rows[0][1]; got != "two" {
				t.Fatalf("batch read after ALTER COLUMN TYPE: y = %v", got)
			}
			if r := mustQuery(t, b, read, jsInt(1)); r.Rows[0][1] != "two" {
				t.Fatalf("SELECT * after ALTER COLUMN TYPE = %v", r.Rows)
			}
			if n := countRows(t, dsn, "a"); n != 5 {
				t.Fatalf("a holds %d rows; want 5 (every write applied once)", n)
			}
			if obs.retries.Load() == 0 {
				t.Fatal("no stale statement was met: the test does not test anything")
			}
		})
	}
}

// countingObserver counts retries.
type countingObserver struct{ retries atomic.Int64 }

func (o *countingObserver) Query(_, _, _, _ string, _ time.Duration)      {}
func (o *countingObserver) Acquire(_, _ string, _ time.Duration, _ error) {}
func (o *countingObserver) Retry(_, _ string)                             { o.retries.Add(1) }
func (o *countingObserver) Breaker(_, _, _, _ string)                     {}
func (o *countingObserver) ConnectionFailure(_, _ string, _ bool)         {}
