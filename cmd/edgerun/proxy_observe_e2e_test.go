package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"edgerun/bindings/localpg/pgtest"
	"edgerun/runtime/admin"
)

// TestHealthAndMetricsShowTheLocalHyperdrive connects pgx clients to a
// served worker's local Hyperdrive (origin_connection_limit 5) and reads
// /health and /metrics while they are connected: clients, statements,
// cache hits and misses, server connections held, an acquire timeout.
func TestHealthAndMetricsShowTheLocalHyperdrive(t *testing.T) {
	srv, adminBase := startMonitored(t, pgtest.NewDatabase(t))
	code, url := mustFetch(t, "GET", srv.base+"/connection-string", "")
	if code != 200 {
		t.Fatalf("/connection-string = %d %s", code, url)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	connect := func() *pgx.Conn {
		c, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatalf("connect to the local Hyperdrive: %v", err)
		}
		t.Cleanup(func() { c.Close(context.Background()) })
		return c
	}
	first := connect()
	for range 2 { // a cacheable read: one miss, one hit
		var n int
		if err := first.QueryRow(ctx, "SELECT $1::int + 1", 41).Scan(&n); err != nil || n != 42 {
			t.Fatalf("read = %d, %v", n, err)
		}
	}
	// Five clients in a transaction hold the pool's five connections; a
	// sixth client's statement waits acquire_timeout_ms (2 s) in vain.
	var held []pgx.Tx
	for range 5 {
		tx, err := connect().Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, "SELECT now()"); err != nil {
			t.Fatal(err)
		}
		held = append(held, tx)
	}
	sixth := connect()
	_, err := sixth.Exec(ctx, "SELECT now()")
	var pg *pgconn.PgError
	if !errors.As(err, &pg) || pg.Code != "58000" {
		t.Fatalf("sixth client with the pool held: %v, want SQLSTATE 58000", err)
	}
	// Four transactions end; one stays open (so /health's probe finds a
	// connection).
	for _, tx := range held[1:] {
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}

	_, rep := health(t, adminBase)
	if len(rep.Bindings) != 1 || rep.Bindings[0].Proxy == nil {
		t.Fatalf("/health has no local Hyperdrive: %+v", rep)
	}
	p := rep.Bindings[0].Proxy
	want := admin.ProxyReport{Address: p.Address, Clients: 7, ClientsTotal: 7, Statements: p.Statements,
		CacheHits: 1, CacheMisses: 1, ServerConnections: 1, AcquireTimeouts: 1,
		TCPConnections: 7} // the test's pgx clients come over TCP; no worker dialled in-process
	if *p != want || p.Address == "" {
		t.Errorf("/health proxy = %+v, want %+v", *p, want)
	}
	// 2 reads, 5×(BEGIN, SELECT), 4 COMMITs; the sixth client's statement
	// never ran.
	if p.Statements != 16 {
		t.Errorf("/health proxy statements = %d, want 16", p.Statements)
	}

	m := scrapeMetrics(t, adminBase)
	for _, c := range []struct {
		name string
		want float64
	}{
		{"edgerun_hyperdrive_proxy_clients", 7},
		{"edgerun_hyperdrive_proxy_clients_total", 7},
		{"edgerun_hyperdrive_proxy_statements_total", 16},
		{"edgerun_hyperdrive_proxy_cache_hits_total", 1},
		{"edgerun_hyperdrive_proxy_cache_misses_total", 1},
		{"edgerun_hyperdrive_proxy_server_connections", 1},
		{"edgerun_hyperdrive_proxy_acquire_timeouts_total", 1},
		{"edgerun_hyperdrive_proxy_authentications_refused_total", 0},
	} {
		if got := metricValue(m, c.name, "binding=DB"); got != c.want {
			t.Errorf("%s = %v, want %v", c.name, got, c.want)
		}
	}

	// The last transaction ends and the clients leave: the gauges go back.
	if err := held[0].Commit(ctx); err != nil {
		t.Fatal(err)
	}
	first.Close(ctx)
	waitFor(t, 5*time.Second, srv, "the proxy gauges to settle", func() bool {
		m := scrapeMetrics(t, adminBase)
		return metricValue(m, "edgerun_hyperdrive_proxy_clients", "binding=DB") == 6 &&
			metricValue(m, "edgerun_hyperdrive_proxy_server_connections", "binding=DB") == 0
	})
}
