package hyperdrive

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"edgerun/bindings/hyperdrive/faultproxy"
)

// A server that stops answering mid-statement (a faultproxy blackhole in
// front of PostgreSQL) does not stop the binding from closing: closing the
// listener closes the server connections its clients hold, a statement's
// exchange and a cache fill alike, and their clients get an error instead
// of waiting for a ReadyForQuery that never comes. (The query timeout is an
// hour, so nothing else would end them.)
func TestProxyCloseWithStalledServer(t *testing.T) {
	dsn, fp := proxiedDatabase(t)
	cfg := faultConfig()
	cfg.Name = "STALLED"
	cfg.ConnString = withPort(t, dsn, fp.Port())
	cfg.QueryTimeout = time.Hour
	cfg.MaxConns = 2
	cfg.Cache = CacheConfig{}
	b := openOn(t, cfg)
	ctx := context.Background()
	// Two server connections made before the stall, handed out at once
	// (pgxpool pings only connections idle for over a second).
	var warm []interface{ Release() }
	for range 2 {
		c, err := b.primary.pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		warm = append(warm, c)
	}
	clients := make([]*pgx.Conn, 2)
	for i := range clients {
		clients[i] = proxyConnect(t, b, pgx.QueryExecModeCacheStatement)
	}
	for _, c := range warm {
		c.Release()
	}
	fp.SetMode(faultproxy.Blackhole)
	errs := make(chan error, 2)
	// random() keeps the first read out of the cache (a statement's
	// exchange); the second is a cache fill.
	for i, sql := range []string{"SELECT random()", "SELECT 1"} {
		go func() { _, err := clients[i].Exec(ctx, sql); errs <- err }()
	}
	waitFor(t, "both statements to hold a stalled server connection", func() bool { return b.ProxyStats().ServerConnections == 2 })
	closed := make(chan struct{})
	go func() { b.Close(ctx); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return within 10 s with two statements stalled on the server")
	}
	for range 2 {
		select {
		case err := <-errs:
			if err == nil {
				t.Fatal("a statement on a stalled server succeeded")
			}
		case <-time.After(10 * time.Second):
			t.Fatal("a client still waits after Close")
		}
	}
}
