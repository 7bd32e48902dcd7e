package hyperdrive

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// proxyConnect connects pgx to b's listener (connectionString as a worker
// gets it), with mode's exec mode.
func proxyConnect(t testing.TB, b *Binding, mode pgx.QueryExecMode) *pgx.Conn {
	t.Helper()
	cc, err := pgx.ParseConfig(b.Properties().ConnectionString)
	if err != nil {
		t.Fatal(err)
	}
	cc.DefaultQueryExecMode = mode
	conn, err := pgx.ConnectConfig(context.Background(), cc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func TestProxyPropertiesNameTheListener(t *testing.T) {
	b, dsn := openTest(t, Config{})
	props, origin := b.Properties(), b.OriginProperties()
	if props.Port == origin.Port || props.Password == origin.Password || props.User == origin.User {
		t.Fatalf("properties %+v name the origin %+v", props, origin)
	}
	if strings.Contains(props.ConnectionString, origin.Password) || props.Database != origin.Database {
		t.Fatalf("connectionString %q, database %q (origin's %q)", props.ConnectionString, props.Database, origin.Database)
	}
	if props.Host != "127.0.0.1" {
		t.Fatalf("host %q, want loopback", props.Host)
	}
	_ = dsn
}

func TestProxySimpleAndExtended(t *testing.T) {
	b, _ := openTest(t, Config{Cache: CacheConfig{Disabled: true}})
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeCacheStatement, pgx.QueryExecModeCacheDescribe,
		pgx.QueryExecModeDescribeExec, pgx.QueryExecModeExec, pgx.QueryExecModeSimpleProtocol} {
		t.Run(mode.String(), func(t *testing.T) {
			conn := proxyConnect(t, b, mode)
			ctx := context.Background()
			if _, err := conn.Exec(ctx, "CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY, name text NOT NULL)"); err != nil {
				t.Fatal(err)
			}
			if _, err := conn.Exec(ctx, "TRUNCATE t"); err != nil {
				t.Fatal(err)
			}
			for i := range 5 {
				if _, err := conn.Exec(ctx, "INSERT INTO t VALUES ($1, $2)", i, fmt.Sprint("n", i)); err != nil {
					t.Fatal(err)
				}
			}
			var n int
			var s string
			for i := range 5 {
				if err := conn.QueryRow(ctx, "SELECT id, name FROM t WHERE id = $1", i).Scan(&n, &s); err != nil || n != i || s != fmt.Sprint("n", i) {
					t.Fatalf("row %d: %d %q %v", i, n, s, err)
				}
			}
			rows, _ := conn.Query(ctx, "SELECT id FROM t ORDER BY id")
			ids, err := pgx.CollectRows(rows, pgx.RowTo[int])
			if err != nil || len(ids) != 5 || ids[4] != 4 {
				t.Fatalf("ids %v %v", ids, err)
			}
			_, err = conn.Exec(ctx, "INSERT INTO t VALUES ($1, $2)", 1, "dup")
			var pg *pgconn.PgError
			if !errors.As(err, &pg) || pg.Code != "23505" || pg.ConstraintName != "t_pkey" || pg.TableName != "t" || pg.Detail == "" {
				t.Fatalf("duplicate: %#v", err)
			}
			// The connection works after an error.
			if err := conn.QueryRow(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil || n != 5 {
				t.Fatalf("count %d %v", n, err)
			}
		})
	}
}

// A transaction's statements run on one server connection, and statements
// outside one do not keep it.
func TestProxyTransactionOnOneServerConnection(t *testing.T) {
	b, _ := openTest(t, Config{Cache: CacheConfig{Disabled: true}, MaxConns: 4})
	ctx := context.Background()
	conn := proxyConnect(t, b, pgx.QueryExecModeCacheStatement)
	// Other clients keep the pool's connections busy in turn.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			other := proxyConnect(t, b, pgx.QueryExecModeCacheStatement)
			for {
				select {
				case <-stop:
					return
				default:
				}
				var x int
				_ = other.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&x)
			}
		}()
	}
	stopOthers := sync.OnceFunc(func() { close(stop); wg.Wait() })
	defer stopOthers()
	for range 5 {
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var first uint32
		if err := tx.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&first); err != nil {
			t.Fatal(err)
		}
		for range 10 {
			var pid uint32
			if err := tx.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil || pid != first {
				t.Fatalf("pid %d in a transaction begun on %d (%v)", pid, first, err)
			}
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// A statement outside a transaction does not keep its server
	// connection: with the pool's 4 connections each held by another
	// client's open transaction, one of them is the connection conn's
	// statement ran on. (Had conn kept it, the fourth Begin would wait out
	// the acquire timeout.) The background clients stop first, so nothing
	// but these transactions holds a connection.
	stopOthers()
	var ran uint32
	if err := conn.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&ran); err != nil {
		t.Fatal(err)
	}
	held := map[uint32]bool{}
	for range 4 {
		other := proxyConnect(t, b, pgx.QueryExecModeCacheStatement)
		tx, err := other.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		var pid uint32
		if err := tx.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
			t.Fatalf("a transaction while conn holds nothing: %v", err)
		}
		held[pid] = true
	}
	if len(held) != 4 || !held[ran] {
		t.Fatalf("4 open transactions hold server connections %v; conn's statement ran on %d, which it should have given back", held, ran)
	}
}

// A statement prepared once is run on whichever server connection serves
// the client next: prepared there on demand.
func TestProxyPreparedStatementsSurviveServerConnections(t *testing.T) {
	b, _ := openTest(t, Config{Cache: CacheConfig{Disabled: true}, MaxConns: 3})
	ctx := context.Background()
	conn := proxyConnect(t, b, pgx.QueryExecModeCacheStatement)
	if _, err := conn.Prepare(ctx, "mine", "SELECT $1::int + 1, pg_backend_pid()"); err != nil {
		t.Fatal(err)
	}
	// Force new server connections: close the pool's idle ones.
	pids := map[uint32]bool{}
	for i := range 20 {
		if i%5 == 4 {
			for _, c := range b.primary.pool.AcquireAllIdle(ctx) {
				c.Conn().Close(ctx)
				c.Release()
			}
		}
		var n int
		var pid uint32
		if err := conn.QueryRow(ctx, "mine", i).Scan(&n, &pid); err != nil || n != i+1 {
			t.Fatalf("execute %d: %d %v", i, n, err)
		}
		pids[pid] = true
	}
	if len(pids) < 2 {
		t.Fatalf("one server connection only: %v", pids)
	}
	// Deallocating forgets it for this client.
	if err := conn.Deallocate(ctx, "mine"); err != nil {
		t.Fatal(err)
	}
	_, err := conn.Exec(ctx, "mine", 1)
	if err == nil {
		t.Fatal("a deallocated statement ran")
	}
}

func TestProxyRefusesWrongCredentials(t *testing.T) {
	b, _ := openTest(t, Config{})
	props := b.Properties()
	for name, mutate := range map[string]func(u *url.URL){
		"password": func(u *url.URL) { u.User = url.UserPassword(props.User, "wrong") },
		"user":     func(u *url.URL) { u.User = url.UserPassword("postgres", props.Password) },
		"database": func(u *url.URL) { u.Path = "/other" },
	} {
		u, _ := url.Parse(props.ConnectionString)
		mutate(u)
		conn, err := pgx.Connect(context.Background(), u.String())
		if err == nil {
			conn.Close(context.Background())
			t.Fatalf("%s: connected", name)
		}
		var pg *pgconn.PgError
		if !errors.As(err, &pg) || (pg.Code != "28P01" && pg.Code != "3D000") {
			t.Fatalf("%s: %v", name, err)
		}
		if name == "database" && pg.Code != "3D000" {
			t.Fatalf("database: %v", err)
		}
	}
}

func TestProxyTLS(t *testing.T) {
	b, _ := openTest(t, Config{})
	cc, err := pgx.ParseConfig(strings.Replace(b.Properties().ConnectionString, "sslmode=disable", "sslmode=verify-full", 1))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(b.ProxyCACertPEM())
	cc.TLSConfig = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
	conn, err := pgx.ConnectConfig(context.Background(), cc)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, ok := conn.PgConn().Conn().(*tls.Conn); !ok {
		t.Fatal("not TLS")
	}
	var one int
	if err := conn.QueryRow(context.Background(), "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatal(one, err)
	}
}

// 1,000 identical reads reach the server once; a write through the proxy
// makes the next read run again.
func TestProxyCachedReads(t *testing.T) {
	b, dsn := openTest(t, Config{})
	ctx := context.Background()
	direct := countedItems(t, dsn)
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeCacheStatement, pgx.QueryExecModeSimpleProtocol} {
		conn := proxyConnect(t, b, mode)
		before := serverRuns(t, direct)
		hitsBefore := b.ProxyStats().CacheHits
		for range 1000 {
			var v string
			if err := conn.QueryRow(ctx, "SELECT v, counted() FROM items WHERE id = $1", 2).Scan(&v, nil); err != nil || v != "b" {
				t.Fatalf("%s: %q %v", mode, v, err)
			}
		}
		hits := b.ProxyStats().CacheHits - hitsBefore
		if hits < 999 {
			t.Fatalf("%s: %d cache hits of 1000 reads", mode, hits)
		}
		if n := serverRuns(t, direct) - before; n != 1 {
			t.Fatalf("%s: 1000 identical reads ran %d times on the server, want 1", mode, n)
		}
		if _, err := conn.Exec(ctx, "UPDATE items SET v = 'c' WHERE id = 2"); err != nil {
			t.Fatal(err)
		}
		var v string
		if err := conn.QueryRow(ctx, "SELECT v FROM items WHERE id = $1", 2).Scan(&v); err != nil || v != "c" {
			t.Fatalf("%s: after the write: %q %v", mode, v, err)
		}
		if _, err := conn.Exec(ctx, "UPDATE items SET v = 'b' WHERE id = 2"); err != nil {
			t.Fatal(err)
		}
	}
}

// serverRuns is how many times the server ran counted().
func serverRuns(t *testing.T, conn *pgx.Conn) int64 {
	t.Helper()
	var n int64
	if err := conn.QueryRow(context.Background(), "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM runs").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Many more clients than server connections: all succeed, and the origin
// never sees more than origin_connection_limit connections.
func TestProxyManyClients(t *testing.T) {
	const limit = 5
	b, dsn := openTest(t, Config{MaxConns: limit, Cache: CacheConfig{Disabled: true}})
	ctx := context.Background()
	direct, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close(ctx)
	db := b.OriginProperties().Database
	var peak atomic.Int64
	stop := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			var n int64
			if err := direct.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'edgerun'", db).Scan(&n); err == nil && n > peak.Load() {
				peak.Store(n)
			}
		}
	}()
	const clients = 2000
	var wg sync.WaitGroup
	var failed atomic.Int64
	var firstErr atomic.Value
	sem := make(chan struct{}, 400) // the test's own sockets, not the proxy's limit
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			conn, err := pgx.Connect(ctx, b.Properties().ConnectionString)
			if err != nil {
				failed.Add(1)
				firstErr.CompareAndSwap(nil, err)
				return
			}
			defer conn.Close(ctx)
			var n int
			if err := conn.QueryRow(ctx, "SELECT $1::int * 2, pg_sleep(0.001)", i).Scan(&n, nil); err != nil || n != 2*i {
				failed.Add(1)
				firstErr.CompareAndSwap(nil, fmt.Errorf("%d: %v", n, err))
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-watched
	if failed.Load() > 0 {
		t.Fatalf("%d of %d clients failed; first: %v", failed.Load(), clients, firstErr.Load())
	}
	if p := peak.Load(); p > limit {
		t.Fatalf("the origin saw %d connections, limit %d", p, limit)
	}
	t.Logf("%d clients, peak %d server connections (limit %d), total server connections made %d", clients, peak.Load(), limit, b.Stats()[0].NewConns)
}
