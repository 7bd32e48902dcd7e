package hyperdrive

// Fault tests: real PostgreSQL servers (and a real PgBouncer), faults
// injected by stopping servers, terminating backends, or through
// faultproxy. Each scenario reports requests sent / succeeded / failed /
// hung, writes acknowledged vs rows present, and seconds to recover; with
// EDGERUN_FAULT_REPORT=<file> the rows are appended there as Markdown
// (docs/faults.md holds a run's table).

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"edgerun/bindings/hyperdrive/faultproxy"
	"edgerun/bindings/localpg"
	"edgerun/bindings/localpg/pgtest"
)

// hungAfter: a call that takes longer than this counts as hung.
const hungAfter = 15 * time.Second

type load struct {
	b       *Binding
	sent    atomic.Int64
	ok      atomic.Int64
	failed  atomic.Int64
	hung    atomic.Int64
	mu      sync.Mutex
	errs    map[string]int
	acked   map[string]bool
	unknown map[string]bool // writes that failed: applied or not, the client cannot know
	served  map[string]int
	lastOK  atomic.Int64 // unix nanos of the latest success
	okTimes []time.Time
}

func newLoad(b *Binding) *load {
	return &load{b: b, errs: map[string]int{}, acked: map[string]bool{}, unknown: map[string]bool{}, served: map[string]int{}}
}

// run sends reads and writes from several workers until ctx ends.
func (l *load) run(ctx context.Context, writers, readers int) {
	var wg sync.WaitGroup
	for w := range writers + readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				if w < writers {
					l.write(fmt.Sprintf("w%d-%d", w, i))
				} else {
					l.read(i)
				}
			}
		}()
	}
	wg.Wait()
}

func (l *load) call(sql string, args ...any) (*Result, error) {
	l.sent.Add(1)
	ctx, cancel := context.WithTimeout(context.Background(), 2*hungAfter)
	defer cancel()
	start := time.Now()
	r, err := l.b.Query(ctx, sql, args...)
	if time.Since(start) > hungAfter {
		l.hung.Add(1)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		l.failed.Add(1)
		defer time.Sleep(5 * time.Millisecond) // a client backs off a little after an error
		msg := err.Error()
		if e := (*Error)(nil); errors.As(err, &e) {
			msg = e.Code + " " + firstWords(e.Message, 9)
		}
		l.errs[msg]++
		return nil, err
	}
	l.ok.Add(1)
	l.served[r.ServedBy]++
	l.okTimes = append(l.okTimes, time.Now())
	return r, nil
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = f[:n]
	}
	return strings.Join(f, " ")
}

func (l *load) write(token string) {
	_, err := l.call("INSERT INTO writes (token) VALUES (?) RETURNING id", token)
	l.mu.Lock()
	defer l.mu.Unlock()
	if err == nil {
		l.acked[token] = true
	} else {
		l.unknown[token] = true
	}
}

func (l *load) read(i int) {
	_, _ = l.call("SELECT count(*) AS n FROM writes WHERE id > ?", i%1000)
}

// start runs the load in the background until the returned stop is called
// (stop waits for the workers to finish).
func (l *load) start(writers, readers int) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { l.run(ctx, writers, readers); close(done) }()
	return func() { cancel(); <-done }
}

// recoveredAfter is the time from t to the first success after it.
func (l *load) recoveredAfter(t time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, ok := range l.okTimes {
		if ok.After(t) {
			return ok.Sub(t)
		}
	}
	return -1
}

// verify checks nothing acknowledged was lost and nothing was applied twice.
func (l *load) verify(t *testing.T, dsn string) (present int) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(context.Background(), "SELECT token, count(*) FROM writes GROUP BY token")
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for rows.Next() {
		var tok string
		var n int
		if err := rows.Scan(&tok, &n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("write %s applied %d times", tok, n)
		}
		have[tok] = true
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for tok := range l.acked {
		if !have[tok] {
			t.Errorf("acknowledged write %s is missing", tok)
		}
	}
	for tok := range have {
		if !l.acked[tok] && !l.unknown[tok] {
			t.Errorf("row %s was never written", tok)
		}
	}
	return len(have)
}

// report logs the scenario's row and appends it to EDGERUN_FAULT_REPORT.
func (l *load) report(t *testing.T, scenario string, present int, recover time.Duration) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var errs []string
	for e, n := range l.errs {
		errs = append(errs, fmt.Sprintf("%d× %s", n, e))
	}
	sort.Strings(errs)
	var served []string
	for s, n := range l.served {
		served = append(served, fmt.Sprintf("%s %d", s, n))
	}
	sort.Strings(served)
	rec := "—"
	if recover >= 0 {
		rec = fmt.Sprintf("%.2f", recover.Seconds())
	}
	inDoubt := 0
	for tok := range l.unknown {
		_ = tok
		inDoubt++
	}
	row := fmt.Sprintf("| %s | %d | %d | %d | %d | %d / %d (%d failed writes) | %s | %s | %s |",
		scenario, l.sent.Load(), l.ok.Load(), l.failed.Load(), l.hung.Load(), len(l.acked), present, inDoubt,
		rec, strings.Join(served, ", "), strings.Join(errs, "; "))
	t.Log(row)
	if l.hung.Load() != 0 {
		t.Errorf("%d requests hung", l.hung.Load())
	}
	if path := os.Getenv("EDGERUN_FAULT_REPORT"); path != "" {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintln(f, row)
			f.Close()
		}
	}
}

const writesTable = `CREATE TABLE IF NOT EXISTS writes (id bigserial PRIMARY KEY, token text UNIQUE NOT NULL)`

func faultConfig() Config {
	return Config{
		MaxConns:         8,
		QueryTimeout:     2 * time.Second,
		AcquireTimeout:   time.Second,
		OpenTimeout:      300 * time.Millisecond,
		FailureThreshold: 3,
		Cache:            CacheConfig{Disabled: true},
	}
}

// ownServer starts a PostgreSQL this test may stop and start again on the
// same data directory (and port).
func ownServer(t *testing.T) (srv *localpg.Server, dsn, dataDir string) {
	t.Helper()
	pgtest.Start(t) // fails or skips exactly as the shared server would
	dataDir = filepath.Join(traversableTempDir(t), "pg")
	srv, err := localpg.Start(context.Background(), localpg.Options{DataDir: dataDir, Database: "faults"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop(context.Background()) })
	return srv, srv.ConnString(), dataDir
}

func openOn(t *testing.T, cfg Config) *Binding {
	t.Helper()
	if cfg.Name == "" {
		cfg.Name = "FAULTS"
	}
	b, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close(context.Background()) })
	return b
}

func withPort(t *testing.T, dsn string, port int) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = "127.0.0.1:" + strconv.Itoa(port)
	return u.String()
}

func TestFaultRestartUnderLoad(t *testing.T) {
	srv, dsn, dataDir := ownServer(t)
	direct(t, dsn, writesTable)
	cfg := faultConfig()
	cfg.ConnString = dsn
	b := openOn(t, cfg)
	l := newLoad(b)
	stop := l.start(4, 4)
	time.Sleep(time.Second)
	if err := srv.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	srv2, err := localpg.Start(context.Background(), localpg.Options{DataDir: dataDir, Database: "faults"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv2.Stop(context.Background()) })
	back := time.Now()
	time.Sleep(2 * time.Second)
	stop()
	if srv2.ConnString() != dsn {
		t.Fatalf("restarted server moved: %s", srv2.ConnString())
	}
	present := l.verify(t, dsn)
	l.report(t, "a) PostgreSQL restarted under read+write load", present, l.recoveredAfter(back))
	if l.recoveredAfter(back) < 0 {
		t.Fatal("never recovered after the restart")
	}
}

func TestFaultTerminateEveryBackend(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	direct(t, dsn, writesTable)
	cfg := faultConfig()
	cfg.ConnString = dsn
	b := openOn(t, cfg)
	l := newLoad(b)
	stop := l.start(4, 4)
	time.Sleep(700 * time.Millisecond)
	var killed time.Time
	for range 3 {
		direct(t, dsn, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE application_name = 'edgerun' AND datname = current_database() AND pid <> pg_backend_pid()`)
		killed = time.Now()
		time.Sleep(300 * time.Millisecond)
	}
	time.Sleep(time.Second)
	stop()
	present := l.verify(t, dsn)
	l.report(t, "b) pg_terminate_backend on every pooled connection, 3× mid-load", present, l.recoveredAfter(killed))
}

func TestFaultFallbackAndBack(t *testing.T) {
	dsn, pooler := proxiedDatabase(t)
	cfg := faultConfig()
	cfg.ConnString = withPort(t, dsn, pooler.Port()) // the "pooler" in front
	cfg.FallbackConnString = dsn                     // the direct connection
	b := openOn(t, cfg)
	l := newLoad(b)
	stop := l.start(2, 4)
	time.Sleep(500 * time.Millisecond)
	pooler.SetMode(faultproxy.Refuse)
	time.Sleep(1500 * time.Millisecond)
	l.mu.Lock()
	fallbackServed := l.served["fallback"]
	l.mu.Unlock()
	pooler.SetMode(faultproxy.Forward)
	back := time.Now()
	time.Sleep(1500 * time.Millisecond)
	stop()
	present := l.verify(t, dsn)
	l.report(t, "c) primary (pooler) refused → fallback (direct) → primary back", present, -1)
	if fallbackServed == 0 {
		t.Fatal("the fallback never served while the primary was down")
	}
	// Traffic returned to the primary after it came back.
	r, err := b.Query(context.Background(), "SELECT 1 AS one")
	if err != nil || r.ServedBy != "primary" {
		t.Fatalf("after recovery served_by = %v, err %v; want primary", r, err)
	}
	_ = back
	for _, h := range b.Health() {
		if h.Breaker != "closed" {
			t.Errorf("%s breaker %s after recovery", h.Name, h.Breaker)
		}
	}
}

func TestFaultSlowDatabaseTimesOut(t *testing.T) {
	dsn, proxy := proxiedDatabase(t)
	cfg := faultConfig()
	cfg.ConnString = withPort(t, dsn, proxy.Port())
	cfg.QueryTimeout = 300 * time.Millisecond
	cfg.Retries = -1
	b := openOn(t, cfg)
	if _, err := b.Query(context.Background(), "SELECT 1"); err != nil {
		t.Fatal(err)
	}
	proxy.SetLatency(time.Second)
	l := newLoad(b)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	l.run(ctx, 1, 4)
	cancel()
	failedSlow, okSlow := l.failed.Load(), l.ok.Load()
	proxy.SetLatency(0)
	back := time.Now()
	ctx, cancel = context.WithTimeout(context.Background(), time.Second)
	l.run(ctx, 1, 2)
	cancel()
	if failedSlow == 0 {
		t.Fatal("no statement timed out against a database slower than query_timeout")
	}
	if l.ok.Load() == okSlow {
		t.Fatal("nothing succeeded after the database was fast again")
	}
	deadline := time.Now().Add(5 * time.Second)
	for b.Stats()[0].Acquired != 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if a := b.Stats()[0].Acquired; a != 0 {
		t.Fatalf("%d connections still held after the load stopped", a)
	}
	present := l.verify(t, dsn)
	l.report(t, "d) database 1 s slower per round trip than query_timeout (300 ms), then fast", present, l.recoveredAfter(back))
}

func TestFaultReplicaDown(t *testing.T) {
	dsn, replica := proxiedDatabase(t)
	cfg := faultConfig()
	cfg.ConnString = dsn
	cfg.ReplicaConnStrings = []string{withPort(t, dsn, replica.Port())}
	b := openOn(t, cfg)
	l := newLoad(b)
	stop := l.start(1, 4)
	time.Sleep(700 * time.Millisecond)
	l.mu.Lock()
	before := l.served["replica"]
	l.mu.Unlock()
	replica.SetMode(faultproxy.Refuse)
	time.Sleep(1500 * time.Millisecond)
	stop()
	present := l.verify(t, dsn)
	l.report(t, "e) replica refused mid-load (reads move to the primary)", present, -1)
	if before == 0 {
		t.Fatal("reads never went to the replica while it was up")
	}
	if n := l.failed.Load(); n != 0 {
		t.Fatalf("%d requests failed; reads should have moved to the primary: %v", n, l.errs)
	}
	r, err := b.Query(context.Background(), "SELECT 1 AS one")
	if err != nil || r.ServedBy != "primary" {
		t.Fatalf("read with the replica down served by %v (err %v), want primary", r, err)
	}
}

func TestFaultCancelledRequestCancelsQuery(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	cfg := faultConfig()
	cfg.ConnString = dsn
	cfg.QueryTimeout = 30 * time.Second
	b := openOn(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(200 * time.Millisecond); cancel() }()
	start := time.Now()
	_, err := b.Query(ctx, "SELECT pg_sleep(20) AS never")
	if err == nil || time.Since(start) > 3*time.Second {
		t.Fatalf("cancelled query returned %v after %s", err, time.Since(start))
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		var active int
		conn, cerr := pgx.Connect(context.Background(), dsn)
		if cerr != nil {
			t.Fatal(cerr)
		}
		_ = conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(20)%' AND pid <> pg_backend_pid()`).Scan(&active)
		conn.Close(context.Background())
		if active == 0 && b.Stats()[0].Acquired == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the request was cancelled: %d statements still active, %d connections held", active, b.Stats()[0].Acquired)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if r, err := b.Query(context.Background(), "SELECT 2 AS two"); err != nil || r.Rows[0][0] != int64(2) {
		t.Fatalf("pool unusable after a cancelled query: %v %v", r, err)
	}
}

func TestFaultDatabaseDownAtStart(t *testing.T) {
	dsn, proxy := proxiedDatabase(t)
	proxy.SetMode(faultproxy.Refuse)
	cfg := faultConfig()
	cfg.ConnString = withPort(t, dsn, proxy.Port())
	b := openOn(t, cfg) // must not fail: the database is down, the binding still opens
	l := newLoad(b)
	stop := l.start(1, 2)
	time.Sleep(time.Second)
	start := time.Now()
	_, qerr := b.Query(context.Background(), "SELECT 1")
	failFast := time.Since(start)
	proxy.SetMode(faultproxy.Forward)
	up := time.Now()
	time.Sleep(1500 * time.Millisecond)
	stop()
	present := l.verify(t, dsn)
	rec := l.recoveredAfter(up)
	l.report(t, "g) database down when the binding opens, up 1 s later", present, rec)
	var he *Error
	if !errors.As(qerr, &he) || he.Code != CodeConnection {
		t.Fatalf("query with the database down = %v, want code %s", qerr, CodeConnection)
	}
	if failFast > time.Second {
		t.Fatalf("failing with the database down took %s; want fast", failFast)
	}
	if rec < 0 || rec > 3*time.Second {
		t.Fatalf("recovery took %s", rec)
	}
}

// traversableTempDir is a t.TempDir() the postgres user can enter (the
// testing package makes its parent 0700 and owned by root).
func traversableTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// proxiedDatabase is a fresh database with the writes table and a
// faultproxy in front of its server (closed at cleanup).
func proxiedDatabase(t *testing.T) (dsn string, proxy *faultproxy.Proxy) {
	t.Helper()
	dsn = pgtest.NewDatabase(t)
	direct(t, dsn, writesTable)
	_, port := hostPort(t, dsn)
	proxy, err := faultproxy.Start("127.0.0.1:" + port)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proxy.Close() })
	return dsn, proxy
}

func hostPort(t *testing.T, dsn string) (string, string) {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return u.Hostname(), u.Port()
}

// ---- PgBouncer ---------------------------------------------------------------

func freeTCPPort(t *testing.T) int {
	t.Helper()
	p, err := faultproxy.Start("127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	port := p.Port()
	p.Close()
	return port
}

// bounce runs many different statements concurrently through the pooler, so
// PgBouncer hands each transaction to whichever of its 3 server connections
// is free.
func bounce(b *Binding, n int) (failures []string) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sql := fmt.Sprintf("SELECT ?::int + %d AS v", i%17)
			r, err := b.Query(context.Background(), sql, i)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failures = append(failures, err.Error())
			} else if r.Rows[0][0] != int64(i+i%17) {
				failures = append(failures, fmt.Sprintf("wrong result %v", r.Rows[0][0]))
			}
		}()
	}
	wg.Wait()
	return failures
}

func TestPgBouncerTransactionMode(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	bouncer := pgtest.PgBouncer(t, dsn)

	// pgbouncer=true in the URL selects describe mode (as for Neon's pooler).
	cfg := faultConfig()
	cfg.ConnString = bouncer + "&pgbouncer=true"
	// What is checked is correctness through the pooler, not timeouts: 400
	// statements on 8 connections must not time out waiting on a loaded machine.
	cfg.AcquireTimeout, cfg.QueryTimeout = 30*time.Second, 30*time.Second
	b := openOn(t, cfg)
	if f := bounce(b, 400); len(f) > 0 {
		t.Fatalf("%d of 400 statements failed through PgBouncer: %s", len(f), f[0])
	}
	tx, _, err := b.batchOnce(context.Background(), mustStatements(t, b, "SELECT 1", "SELECT ?::int AS x"), [][]any{nil, {jsInt(5)}})
	if err != nil || tx[1].rows[0][0] != int64(5) {
		t.Fatalf("batch through PgBouncer: %v %v", tx, err)
	}

	// Control: named prepared statements are what breaks behind a
	// transaction-mode pooler — the test would catch a regression.
	cfg2 := faultConfig()
	cfg2.ConnString = bouncer
	cfg2.StatementCache = "prepare"
	cfg2.Retries = -1
	b2 := openOn(t, cfg2)
	if f := bounce(b2, 400); len(f) == 0 {
		t.Log("note: named prepared statements happened to work through this PgBouncer (1.21+ tracks them)")
	} else {
		t.Logf("control: %d of 400 statements failed with named prepared statements, e.g. %s", len(f), f[0])
	}
}

func mustStatements(t *testing.T, b *Binding, sqls ...string) []*statement {
	t.Helper()
	out := make([]*statement, len(sqls))
	for i, s := range sqls {
		st, err := b.prepare(s)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = st
	}
	return out
}
