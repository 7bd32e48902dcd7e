package hyperdrive

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"edgerun/bindings/localpg/pgtest"
	"edgerun/isolates"
)

// fakeClock is a controllable clock for TTL tests.
type fakeClock struct{ ns atomic.Int64 }

func (c *fakeClock) now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *fakeClock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// direct runs SQL on the database behind the binding's back.
func direct(t testing.TB, dsn, sql string, args ...any) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

func mustQuery(t *testing.T, b *Binding, sql string, args ...any) *Result {
	t.Helper()
	r, err := b.Query(context.Background(), sql, args...)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return r
}

func TestCacheFreshStaleAndExpired(t *testing.T) {
	clock := &fakeClock{}
	clock.ns.Store(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	b, dsn := openTest(t, Config{Now: clock.now, Cache: CacheConfig{MaxAge: 60 * time.Second, StaleWhileRevalidate: 15 * time.Second}})
	direct(t, dsn, "CREATE TABLE kv (k text PRIMARY KEY, v int); INSERT INTO kv VALUES ('a', 1)")
	const q = "SELECT v FROM kv WHERE k = ?"
	read := func() (int64, bool) {
		r := mustQuery(t, b, q, "a")
		return r.Rows[0][0].(int64), r.Cached
	}
	if v, cached := read(); v != 1 || cached {
		t.Fatalf("first read = %d cached=%v, want 1 from the database", v, cached)
	}
	// Changed behind the binding's back: the cache keeps serving until max_age.
	direct(t, dsn, "UPDATE kv SET v = 2")
	clock.advance(59 * time.Second)
	if v, cached := read(); v != 1 || !cached {
		t.Fatalf("read at 59s = %d cached=%v, want the cached 1", v, cached)
	}
	// Stale within stale_while_revalidate: served, refreshed once behind.
	clock.advance(5 * time.Second)
	if v, cached := read(); v != 1 || !cached {
		t.Fatalf("read at 64s = %d cached=%v, want the stale 1", v, cached)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if v, _ := read(); v == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("stale entry was never revalidated")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if s := b.CacheStats(); s.Stale < 1 {
		t.Fatalf("stale serves = %d", s.Stale)
	}
	// Past max_age + stale_while_revalidate: a miss.
	direct(t, dsn, "UPDATE kv SET v = 3")
	clock.advance(76 * time.Second)
	if v, cached := read(); v != 3 || cached {
		t.Fatalf("read after expiry = %d cached=%v, want 3 from the database", v, cached)
	}
}

func TestCacheReadYourWrites(t *testing.T) {
	b, dsn := openTest(t, Config{})
	direct(t, dsn, `CREATE TABLE users (id int PRIMARY KEY, name text); CREATE TABLE other (id int);
		INSERT INTO users VALUES (1, 'old'); INSERT INTO other VALUES (1)`)
	mustQuery(t, b, "SELECT name FROM users WHERE id = 1")
	if r := mustQuery(t, b, "SELECT name FROM users WHERE id = 1"); !r.Cached {
		t.Fatal("second identical read was not cached")
	}
	mustQuery(t, b, "SELECT count(*) FROM other")
	// A write through the binding makes cached reads stale at once: those
	// of the table it names, and every other one (a write can reach tables
	// its text does not name: TestCacheReadYourWritesBeyondTheNamedTable).
	mustQuery(t, b, "UPDATE users SET name = ? WHERE id = 1", "new")
	r := mustQuery(t, b, "SELECT name FROM users WHERE id = 1")
	if r.Cached || r.Rows[0][0] != "new" {
		t.Fatalf("read after write = %v cached=%v, want 'new' from the database", r.Rows[0][0], r.Cached)
	}
	if r := mustQuery(t, b, "SELECT count(*) FROM other"); r.Cached {
		t.Fatal("a write to users left the cached read of other in place")
	}
	if r := mustQuery(t, b, "SELECT count(*) FROM other"); !r.Cached {
		t.Fatal("reads are cached again after the write")
	}
	// exec drops everything too.
	if _, err := b.exec(context.Background(), "UPDATE other SET id = 2; SELECT 1"); err != nil {
		t.Fatal(err)
	}
	if r := mustQuery(t, b, "SELECT count(*) FROM other"); r.Cached {
		t.Fatal("exec did not drop cached reads")
	}
	// Schema-qualified writes invalidate unqualified reads.
	mustQuery(t, b, "SELECT name FROM users WHERE id = 1")
	mustQuery(t, b, "UPDATE public.users SET name = 'q' WHERE id = 1")
	if r := mustQuery(t, b, "SELECT name FROM users WHERE id = 1"); r.Cached || r.Rows[0][0] != "q" {
		t.Fatalf("read after public.users write = %v cached=%v", r.Rows[0][0], r.Cached)
	}
}

// A write changes tables its text does not name: the rows behind a view,
// child rows deleted by ON DELETE CASCADE, tables a trigger updates. A read
// after the acknowledged write must still see it.
func TestCacheReadYourWritesBeyondTheNamedTable(t *testing.T) {
	tests := []struct {
		name, setup, read, write string
		before, after            any
	}{
		{
			name: "view",
			setup: `CREATE TABLE users (id int PRIMARY KEY, name text); INSERT INTO users VALUES (1, 'old');
				CREATE VIEW v_users AS SELECT * FROM users`,
			read:   "SELECT name FROM v_users WHERE id = 1",
			write:  "UPDATE users SET name = 'new' WHERE id = 1",
			before: "old", after: "new",
		},
		{
			name: "on delete cascade",
			setup: `CREATE TABLE parent (id int PRIMARY KEY);
				CREATE TABLE child (id int, pid int REFERENCES parent ON DELETE CASCADE);
				INSERT INTO parent VALUES (1); INSERT INTO child VALUES (10, 1)`,
			read:   "SELECT count(*) FROM child WHERE pid = 1",
			write:  "DELETE FROM parent WHERE id = 1",
			before: int64(1), after: int64(0),
		},
		{
			name: "trigger",
			setup: `CREATE TABLE orders (id int); CREATE TABLE totals (n int); INSERT INTO totals VALUES (0);
				CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE totals SET n = n + 1; RETURN NEW; END $$;
				CREATE TRIGGER t AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION bump()`,
			read:   "SELECT n FROM totals",
			write:  "INSERT INTO orders VALUES (1)",
			before: int64(0), after: int64(1),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, dsn := openTest(t, Config{})
			direct(t, dsn, tc.setup)
			mustQuery(t, b, tc.read)
			if r := mustQuery(t, b, tc.read); !r.Cached || r.Rows[0][0] != tc.before {
				t.Fatalf("second read = %v cached=%v, want the cached %v", r.Rows[0][0], r.Cached, tc.before)
			}
			mustQuery(t, b, tc.write)
			if r := mustQuery(t, b, tc.read); r.Cached || r.Rows[0][0] != tc.after {
				t.Fatalf("read after %q = %v cached=%v, want %v from the database", tc.write, r.Rows[0][0], r.Cached, tc.after)
			}
		})
	}
}

// A replica lags (here: a separate database that never receives the
// primary's writes). Its results must not be cached: a cached pre-image
// would be served to every request, the writer's own included.
func TestCacheNeverStoresReplicaResults(t *testing.T) {
	primary, replica := pgtest.NewDatabase(t), pgtest.NewDatabase(t)
	for _, dsn := range []string{primary, replica} {
		direct(t, dsn, `CREATE TABLE users (id int PRIMARY KEY, name text); INSERT INTO users VALUES (1, 'old')`)
	}
	b := openOn(t, Config{Name: "R", ConnString: primary, ReplicaConnStrings: []string{replica}})
	ctx := context.Background()
	writer, other := &isolates.Scope{}, &isolates.Scope{}
	read := mustStatements(t, b, "SELECT name FROM users WHERE id = 1")[0]
	write := mustStatements(t, b, "UPDATE users SET name = 'new' WHERE id = 1")[0]
	if _, err := b.execute(ctx, write, nil, writer, false); err != nil {
		t.Fatal(err)
	}
	for _, scope := range []*isolates.Scope{other, writer, other} {
		r, err := b.execute(ctx, read, nil, scope, false)
		if err != nil {
			t.Fatal(err)
		}
		if r.rows[0][0] != "new" || r.servedBy == "replica" {
			t.Fatalf("read after the write = %v served_by=%s cached=%v, want 'new' (never a replica's result)", r.rows[0][0], r.servedBy, r.cached)
		}
	}
	// The same read without the cache may use the replica; it is not stored.
	if r, err := b.execute(ctx, read, nil, other, true); err != nil || r.servedBy != "replica" {
		t.Fatalf("uncached read = %+v, %v; want it served by the replica", r, err)
	}
	if r, err := b.execute(ctx, read, nil, writer, false); err != nil || r.rows[0][0] != "new" {
		t.Fatalf("cached read after an uncached replica read = %+v, %v", r, err)
	}
	// A stale-while-revalidate refresh does not use the replica either.
	if r := b.fillRunner(read, nil); r == nil {
		t.Fatal("no fill runner")
	} else if res, err := r(ctx); err != nil || res.servedBy != "primary" {
		t.Fatalf("fill ran on %v (%v), want the primary", res, err)
	}
}

func TestCacheReadAfterWriteNeverSeesOldDataUnderConcurrency(t *testing.T) {
	b, dsn := openTest(t, Config{})
	direct(t, dsn, "CREATE TABLE c (id int PRIMARY KEY, n int); INSERT INTO c VALUES (1, 0)")
	var wg sync.WaitGroup
	stop := make(chan struct{})
	// Readers keep the cache and singleflight busy with the same read.
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					_, _ = b.Query(context.Background(), "SELECT n FROM c WHERE id = 1")
				}
			}
		}()
	}
	for i := 1; i <= 200; i++ {
		mustQuery(t, b, "UPDATE c SET n = ? WHERE id = 1", i)
		r := mustQuery(t, b, "SELECT n FROM c WHERE id = 1")
		if got := r.Rows[0][0].(int64); got < int64(i) {
			close(stop)
			wg.Wait()
			t.Fatalf("after acknowledged write %d a read returned %d (cached=%v)", i, got, r.Cached)
		}
	}
	close(stop)
	wg.Wait()
}

func TestCacheVolatileAndDisabled(t *testing.T) {
	b, dsn := openTest(t, Config{})
	direct(t, dsn, `CREATE TABLE users (id int, created_at timestamptz DEFAULT now());
		CREATE TABLE pitches (funding_goal numeric, status text)`)
	seedStats := `WITH user_stats AS (
      SELECT COUNT(*) as total_users,
             COUNT(CASE WHEN created_at > NOW() - INTERVAL '30 days' THEN 1 END) as recent_users
      FROM users
    ),
    pitch_stats AS (
      SELECT COUNT(*) as total_pitches,
             AVG(funding_goal) as avg_funding_goal
      FROM pitches
      WHERE status = 'active'
    )
    SELECT * FROM user_stats CROSS JOIN pitch_stats`
	for range 2 {
		if r := mustQuery(t, b, seedStats); r.Cached {
			t.Fatal("the seed's analytics query (NOW()) was served from the cache")
		}
	}
	for range 2 {
		if r := mustQuery(t, b, "SELECT random() AS r"); r.Cached {
			t.Fatal("random() was cached")
		}
	}
	off, _ := openTest(t, Config{Cache: CacheConfig{Disabled: true}})
	for range 2 {
		if r := mustQuery(t, off, "SELECT 1 AS one"); r.Cached {
			t.Fatal("caching.disabled still cached")
		}
	}
}

func TestCacheConcurrentIdenticalMissesRunOnce(t *testing.T) {
	b, dsn := openTest(t, Config{MaxConns: 20})
	// The counting function hides behind a view: called directly it would
	// (rightly) make the read a write, which is never cached.
	direct(t, dsn, `CREATE TABLE calls (n int); INSERT INTO calls VALUES (0);
		CREATE FUNCTION counted() RETURNS int LANGUAGE plpgsql AS $$
		BEGIN UPDATE calls SET n = n + 1; PERFORM pg_sleep(0.3); RETURN 42; END $$;
		CREATE VIEW counted_v AS SELECT counted() AS v`)
	const n = 1000
	var wg sync.WaitGroup
	errs := make(chan error, n)
	start := make(chan struct{})
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r, err := b.Query(context.Background(), "SELECT v FROM counted_v")
			if err == nil && r.Rows[0][0] != int64(42) {
				err = fmt.Errorf("got %v", r.Rows[0][0])
			}
			if err != nil {
				errs <- err
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var calls int
	if err := conn.QueryRow(context.Background(), "SELECT n FROM calls").Scan(&calls); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Fatalf("%d concurrent identical reads ran the query %d times on the server, want 1", n, calls)
	}
}

func TestCacheMemoryBounds(t *testing.T) {
	b, dsn := openTest(t, Config{Cache: CacheConfig{MaxBytes: 64 << 10, MaxEntryBytes: 4 << 10}})
	direct(t, dsn, "CREATE TABLE big (id int, body text); INSERT INTO big SELECT g, repeat('x', 100) FROM generate_series(1, 200) g")
	// Over the entry cap: returned, not cached.
	r := mustQuery(t, b, "SELECT * FROM big")
	if len(r.Rows) != 200 {
		t.Fatalf("rows = %d", len(r.Rows))
	}
	if r := mustQuery(t, b, "SELECT * FROM big"); r.Cached {
		t.Fatal("a result over max_entry_bytes was cached")
	}
	if s := b.CacheStats(); s.TooLarge < 2 {
		t.Fatalf("too-large count = %d", s.TooLarge)
	}
	// Many small entries stay within max_bytes.
	for i := range 2000 {
		mustQuery(t, b, "SELECT body FROM big WHERE id = ?", i%200+1+i/200*1000)
	}
	deadline := time.Now().Add(2 * time.Second)
	for b.CacheStats().Bytes > 64<<10 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // otter applies evictions asynchronously
	}
	if s := b.CacheStats(); s.Bytes > 64<<10 || s.Evictions == 0 {
		t.Fatalf("cache holds %d bytes with %d evictions; budget 64 KiB", s.Bytes, s.Evictions)
	}
}

// TestCacheHitsOnTheIsolateKeepTheirKeys: the isolate's cache hits build
// their keys in one reused buffer (cacheHit); a stale hit's refresh must
// keep its own key after the next reads have overwritten that buffer, and a
// parameter too long for the kept buffer hits all the same.
func TestCacheHitsOnTheIsolateKeepTheirKeys(t *testing.T) {
	clock := &fakeClock{}
	clock.ns.Store(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	b, dsn := openTest(t, Config{Now: clock.now, Cache: CacheConfig{MaxAge: 60 * time.Second, StaleWhileRevalidate: 15 * time.Second}})
	long := strings.Repeat("x", 2*maxKeyBuf)
	direct(t, dsn, "CREATE TABLE kv (k text PRIMARY KEY, v int)")
	direct(t, dsn, "INSERT INTO kv VALUES ('a', 1), ('b', 10), ($1, 100)", long)
	iso := isolateWith(t, b)
	// reads answers [v of a, v of b, v of long], read in one turn, as JSON.
	reads := func() string {
		t.Helper()
		out := make(chan string, 1)
		err := iso.Do(func() error {
			vm := iso.Runtime()
			_ = vm.Set("__out", func(s string) { out <- s })
			_ = vm.Set("LONG", long)
			_, err := vm.RunString(`{
				const read = (k) => db.prepare("SELECT v FROM kv WHERE k = ?").bind(k).first("v");
				Promise.all([read("a"), read("b"), read(LONG)]).then(r => __out(JSON.stringify(r)), e => __out(String(e)));
			}`)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return <-out
	}
	if got := reads(); got != "[1,10,100]" {
		t.Fatalf("first reads = %s", got)
	}
	hits := b.CacheStats().Hits
	direct(t, dsn, "UPDATE kv SET v = v + 1")
	if got := reads(); got != "[1,10,100]" || b.CacheStats().Hits != hits+3 {
		t.Fatalf("cached reads = %s, hits %d → %d, want the cached [1,10,100] as 3 hits", got, hits, b.CacheStats().Hits)
	}
	clock.advance(64 * time.Second) // stale: served, each refreshed behind under its own key
	if got := reads(); got != "[1,10,100]" {
		t.Fatalf("stale reads = %s, want the stale [1,10,100]", got)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := reads()
		if got == "[2,11,101]" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("stale entries were not all revalidated: %s", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
