package hyperdrive

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"edgerun/bindings/hyperdrive/faultproxy"
	"edgerun/bindings/localpg/pgtest"
)

// openListeningPair opens bindings A and B with cfg, as two processes on
// one database, once both listen on cfg's notify channel.
func openListeningPair(t *testing.T, cfg Config) (a, b *Binding) {
	t.Helper()
	cfg.Name = "A"
	a = openOn(t, cfg)
	cfg.Name = "B"
	b = openOn(t, cfg)
	for _, x := range []*Binding{a, b} {
		waitFor(t, x.cfg.Name+" listening", x.invalidator.listening.Load)
	}
	return a, b
}

// waitFor polls cond for up to ten seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Two bindings on one database stand for two edgerun processes: with
// caching.notify_channel, a write through one makes the other's cached
// reads stale, and so does a NOTIFY from anywhere else.
func TestNotifyKeepsInstancesCachesCoherent(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	direct(t, dsn, "CREATE TABLE t (v int); INSERT INTO t VALUES (1)")
	a, b := openListeningPair(t, Config{ConnString: dsn, Cache: CacheConfig{MaxAge: time.Hour, NotifyChannel: "test_cache"}})
	read := func(x *Binding) (int64, bool) {
		r := mustQuery(t, x, "SELECT v FROM t")
		return r.Rows[0][0].(int64), r.Cached
	}
	read(b)
	if v, cached := read(b); !cached || v != 1 {
		t.Fatalf("B's second read = %d cached=%v; want 1 from the cache", v, cached)
	}

	mustQuery(t, a, "UPDATE t SET v = 2") // returns once the notification is sent
	waitFor(t, "B to see A's write", func() bool { v, _ := read(b); return v == 2 })
	if v, cached := read(b); !cached || v != 2 {
		t.Fatalf("B after refilling = %d cached=%v; want 2 from the cache", v, cached)
	}

	// A writer that is not edgerun: NOTIFY invalidates every instance.
	direct(t, dsn, "UPDATE t SET v = 3; NOTIFY test_cache")
	waitFor(t, "B to see an outside write announced by NOTIFY", func() bool { v, _ := read(b); return v == 3 })

	// An instance's own notification does not empty its cache again. A
	// must have applied the outside NOTIFY first (a barrier: a round trip
	// on its listening connection), or, on a loaded machine, that late
	// NOTIFY empties the cache the assertion below looks in.
	if !a.invalidator.barrier(context.Background()) {
		t.Fatal("A's barrier failed")
	}
	read(a)
	mustQuery(t, a, "UPDATE t SET v = 4")
	if v, cached := read(a); cached || v != 4 {
		t.Fatalf("A after its write = %d cached=%v; want 4 from the database", v, cached)
	}
	if !a.invalidator.barrier(context.Background()) { // A's own notification has arrived
		t.Fatal("A's barrier failed")
	}
	if v, cached := read(a); !cached || v != 4 {
		t.Fatalf("A = %d cached=%v; want 4 from the cache (its own notification is no news)", v, cached)
	}
}

// While the listening connection is down, a cache cannot hear of other
// instances' writes: reads bypass it, and it reconnects by itself.
func TestNotifyListenerLossBypassesTheCache(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	direct(t, dsn, "CREATE TABLE t (v int); INSERT INTO t VALUES (1)")
	b := openOn(t, Config{Name: "B", ConnString: dsn, Cache: CacheConfig{MaxAge: time.Hour, NotifyChannel: "test_cache"}})
	waitFor(t, "listening", b.invalidator.listening.Load)
	if s := b.CacheStats().Invalidation; s != "listening" {
		t.Fatalf("CacheStats().Invalidation = %q", s)
	}
	mustQuery(t, b, "SELECT v FROM t")
	if r := mustQuery(t, b, "SELECT v FROM t"); !r.Cached {
		t.Fatal("not cached while listening")
	}

	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	// Keep the listener from coming back while the reads below run.
	if _, err := conn.Exec(context.Background(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'edgerun cache invalidation' AND datname = current_database()"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the listener to notice", func() bool { return !b.invalidator.listening.Load() })
	direct(t, dsn, "UPDATE t SET v = 2") // no NOTIFY: missed while not listening
	// Either the listener is still down (the read bypasses the cache) or it
	// is back (and dropped everything cached before): never the old value.
	if r := mustQuery(t, b, "SELECT v FROM t"); r.Rows[0][0] != int64(2) {
		t.Fatalf("read after the listener was lost = %v cached=%v; want 2", r.Rows[0][0], r.Cached)
	}
	waitFor(t, "the listener to reconnect", b.invalidator.listening.Load)
	mustQuery(t, b, "SELECT v FROM t")
	if r := mustQuery(t, b, "SELECT v FROM t"); !r.Cached || r.Rows[0][0] != int64(2) {
		t.Fatalf("after reconnecting = %v cached=%v; want 2 from the cache", r.Rows[0][0], r.Cached)
	}
}

// A write is announced on its own connection before that connection goes
// back to the pool: a busy pool (here one connection, wanted next by a
// long query) does not delay the announcement.
func TestNotifyOnTheWritesOwnConnection(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	direct(t, dsn, "CREATE TABLE t (v int); INSERT INTO t VALUES (1)")
	a := openOn(t, Config{Name: "A", ConnString: dsn, MaxConns: 1, Cache: CacheConfig{MaxAge: time.Hour, NotifyChannel: "busy_cache"}})
	b := openOn(t, Config{Name: "B", ConnString: dsn, Cache: CacheConfig{MaxAge: time.Hour, NotifyChannel: "busy_cache"}})
	waitFor(t, "B listening", b.invalidator.listening.Load)
	mustQuery(t, b, "SELECT v FROM t")
	if r := mustQuery(t, b, "SELECT v FROM t"); !r.Cached {
		t.Fatal("B's read is not cached")
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		time.Sleep(100 * time.Millisecond) // queued behind the UPDATE for A's only connection
		if _, err := a.Query(context.Background(), "SELECT pg_sleep(3)"); err != nil {
			t.Error(err)
		}
	}()
	mustQuery(t, a, "UPDATE t SET v = 2 FROM pg_sleep(0.3) AS s")
	acked := time.Now()
	waitFor(t, "B to see A's write", func() bool { return mustQuery(t, b, "SELECT v FROM t").Rows[0][0] == int64(2) })
	if d := time.Since(acked); d > 2*time.Second {
		t.Fatalf("B saw the write %v after it was acknowledged: the announcement waited for the pool", d)
	}
	<-done
}

// A listening connection that stops answering (a stalled network) stops
// being trusted after a heartbeat, and is made again when traffic flows.
func TestNotifyHeartbeatNoticesAStalledListener(t *testing.T) {
	dsn, proxy := proxiedDatabase(t)
	cfg := faultConfig()
	cfg.Name = "HB"
	cfg.ConnString = withPort(t, dsn, proxy.Port())
	cfg.Cache = CacheConfig{MaxAge: time.Hour, NotifyChannel: "hb_cache"}
	b := openOn(t, cfg)
	waitFor(t, "listening", b.invalidator.listening.Load)
	proxy.SetMode(faultproxy.Blackhole)
	stalled := time.Now()
	waitFor(t, "the stalled listener to be distrusted", func() bool { return !b.invalidator.listening.Load() })
	if d := time.Since(stalled); d > heartbeatEvery+heartbeatTimeout+2*time.Second {
		t.Fatalf("distrusted after %v; the heartbeat allows %v", d, heartbeatEvery+heartbeatTimeout)
	}
	proxy.SetMode(faultproxy.Forward)
	proxy.ResetAll()
	waitFor(t, "listening again", b.invalidator.listening.Load)
}

// LISTEN does not work through a transaction-mode pooler: without a direct
// connection to listen on, the configuration is refused.
func TestNotifyNeedsADirectConnectionBehindAPooler(t *testing.T) {
	_, err := Open(context.Background(), Config{Name: "POOLED", ConnString: "postgres://u:secret@127.0.0.1:6432/db",
		Cache: CacheConfig{NotifyChannel: "c"}})
	if err == nil || !strings.Contains(err.Error(), "fallback_connection_string") || strings.Contains(err.Error(), "secret") {
		t.Fatalf("Open = %v; want an error naming fallback_connection_string (and no password)", err)
	}
}

// With strict_coherence, a read through B that begins after a write
// through A was acknowledged is never served B's old cached result: each
// cached read first waits for a round trip on B's listening connection,
// which brings every notification committed before it. The cache still
// answers (reads between writes are hits).
func TestStrictCoherenceNeverServesAReadOlderThanAnAcknowledgedWrite(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	direct(t, dsn, "CREATE TABLE t (v int); INSERT INTO t VALUES (0)")
	a, b := openListeningPair(t, Config{ConnString: dsn, Cache: CacheConfig{MaxAge: time.Hour, NotifyChannel: "strict_cache", StrictCoherence: true}})
	read := func() (int64, bool) {
		r := mustQuery(t, b, "SELECT v FROM t")
		return r.Rows[0][0].(int64), r.Cached
	}
	const rounds = 100
	for i := 1; i <= rounds; i++ {
		read()
		if v, cached := read(); !cached || v != int64(i-1) {
			t.Fatalf("round %d: B's second read = %d cached=%v; want %d from the cache", i, v, cached, i-1)
		}
		mustQuery(t, a, "UPDATE t SET v = $1", i)
		if v, _ := read(); v != int64(i) {
			t.Fatalf("round %d: B read %d after A's acknowledged write of %d", i, v, i)
		}
	}
	// Concurrent cached reads share barriers and all see the last write.
	mustQuery(t, a, "UPDATE t SET v = -1")
	errs := make(chan error, 50)
	for range 50 {
		go func() {
			r, err := b.Query(context.Background(), "SELECT v FROM t")
			if err == nil && r.Rows[0][0].(int64) != -1 {
				err = fmt.Errorf("read %v after the write of -1", r.Rows[0][0])
			}
			errs <- err
		}()
	}
	for range 50 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
