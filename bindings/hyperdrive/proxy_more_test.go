package hyperdrive

import (
	"context"
	"errors"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgproto3"

	"edgerun/bindings/localpg/pgtest"
)

// Waiting for a server connection is bounded: past acquire_timeout the
// client gets Hyperdrive's error as an ErrorResponse, and keeps working.
func TestProxyAcquireTimeout(t *testing.T) {
	b, _ := openTest(t, Config{MaxConns: 1, AcquireTimeout: 300 * time.Millisecond, Retries: -1, Cache: CacheConfig{Disabled: true}})
	ctx := context.Background()
	holder := proxyConnect(t, b, pgx.QueryExecModeCacheStatement)
	tx, err := holder.Begin(ctx) // holds the only server connection
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "SELECT 1"); err != nil {
		t.Fatal(err)
	}
	waiter := proxyConnect(t, b, pgx.QueryExecModeCacheStatement)
	start := time.Now()
	_, err = waiter.Exec(ctx, "SELECT 2")
	var pg *pgconn.PgError
	if !errors.As(err, &pg) || pg.Code != "58000" || !strings.Contains(pg.Message, "Failed to acquire a connection from the pool") {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("waited %s", d)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := waiter.QueryRow(ctx, "SELECT 3").Scan(&n); err != nil || n != 3 {
		t.Fatalf("after the timeout: %d %v", n, err)
	}
}

// A CancelRequest reaches the server connection running the client's
// query, through either door: pgx dials it with the connection's
// DialFunc at its RemoteAddr, so an in-process client's cancel comes
// in-process too.
func TestProxyCancelRequest(t *testing.T) {
	b, _ := openTest(t, Config{Cache: CacheConfig{Disabled: true}})
	for _, inProcess := range []bool{false, true} {
		t.Run(map[bool]string{false: "tcp", true: "in-process"}[inProcess], func(t *testing.T) {
			cc, err := pgx.ParseConfig(b.Properties().ConnectionString)
			if err != nil {
				t.Fatal(err)
			}
			if inProcess {
				cc.DialFunc = dialInProcess
			}
			// pgx's default gives up on the connection (a deadline, then a
			// cancel sent as it closes); this sends the CancelRequest at once
			// and waits for the server's answer, so the 57014 below can only
			// come from the cancel reaching the server.
			cc.BuildContextWatcherHandler = func(pc *pgconn.PgConn) ctxwatch.Handler {
				return &pgconn.CancelRequestContextWatcherHandler{Conn: pc, DeadlineDelay: time.Minute}
			}
			conn, err := pgx.ConnectConfig(context.Background(), cc)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(context.Background())
			before := b.ProxyStats()
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			_, err = conn.Exec(ctx, "SELECT pg_sleep(20)")
			var pg *pgconn.PgError
			if !errors.As(err, &pg) || pg.Code != "57014" {
				t.Fatalf("pg_sleep(20) after a CancelRequest: %v, want the server's 57014", err)
			}
			after := b.ProxyStats()
			tcp, inproc := after.TCPConnections-before.TCPConnections, after.InProcessConnections-before.InProcessConnections
			if (inProcess && (tcp != 0 || inproc != 1)) || (!inProcess && (tcp != 1 || inproc != 0)) {
				t.Fatalf("the cancel's connection: +%d TCP, +%d in-process", tcp, inproc)
			}
			var n int
			if err := conn.QueryRow(context.Background(), "SELECT 7").Scan(&n); err != nil || n != 7 {
				t.Fatalf("the session after the cancel: %d %v", n, err)
			}
		})
	}
}

// Session-only features: SET outside a transaction lasts for its
// statement (the server connection is not handed to anyone with it), SET
// inside one for the transaction; LISTEN is refused.
func TestProxySessionFeatures(t *testing.T) {
	b, _ := openTest(t, Config{Cache: CacheConfig{Disabled: true}, MaxConns: 2})
	ctx := context.Background()
	conn := proxyConnect(t, b, pgx.QueryExecModeCacheStatement)
	other := proxyConnect(t, b, pgx.QueryExecModeCacheStatement)
	if _, err := conn.Exec(ctx, "SET search_path TO nowhere"); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		var sp string
		if err := other.QueryRow(ctx, "SHOW search_path").Scan(&sp); err != nil || strings.Contains(sp, "nowhere") {
			t.Fatalf("another client sees search_path %q (%v)", sp, err)
		}
	}
	tx, _ := conn.Begin(ctx)
	if _, err := tx.Exec(ctx, "SET LOCAL statement_timeout = 1234"); err != nil {
		t.Fatal(err)
	}
	var st string
	if err := tx.QueryRow(ctx, "SHOW statement_timeout").Scan(&st); err != nil || st != "1234ms" {
		t.Fatalf("in the transaction: %q %v", st, err)
	}
	tx.Commit(ctx)
	_, err := conn.Exec(ctx, "LISTEN things")
	var pg *pgconn.PgError
	if !errors.As(err, &pg) || pg.Code != "0A000" {
		t.Fatalf("LISTEN: %v", err)
	}
	var one int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		t.Fatal(err)
	}
}

// psql, the reference client, against the listener.
func TestProxyPsql(t *testing.T) {
	psql := pgtest.Psql(t)
	b, _ := openTest(t, Config{})
	out, err := exec.Command(psql, b.Properties().ConnectionString, "-XAtc", "SELECT 40 + 2; SELECT 'x' || 'y'").CombinedOutput()
	if err != nil || string(out) != "42\nxy\n" {
		t.Fatalf("psql: %q %v", out, err)
	}
	out, err = exec.Command(psql, b.Properties().ConnectionString, "-XAtc", "SELECT nope").CombinedOutput()
	if err == nil || !strings.Contains(string(out), `column "nope" does not exist`) {
		t.Fatalf("psql error: %q %v", out, err)
	}
	// COPY out and in through the simple protocol.
	cs := b.Properties().ConnectionString
	if out, err := exec.Command(psql, cs, "-XAtc", "CREATE TABLE c (a int, b text)").CombinedOutput(); err != nil {
		t.Fatalf("%s %v", out, err)
	}
	cmd := exec.Command(psql, cs, "-XAtc", "COPY c FROM STDIN")
	cmd.Stdin = strings.NewReader("1\tone\n2\ttwo\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("COPY FROM: %s %v", out, err)
	}
	out, err = exec.Command(psql, cs, "-XAtc", "COPY (SELECT * FROM c ORDER BY a) TO STDOUT").CombinedOutput()
	if err != nil || string(out) != "1\tone\n2\ttwo\n" {
		t.Fatalf("COPY TO: %q %v", out, err)
	}
}

// FuzzProxyMessages feeds frontend messages after a proper login: the
// listener must answer or close, never panic or hang, and a well-behaved
// client keeps working.
func FuzzProxyMessages(f *testing.F) {
	seed := func(msgs ...pgproto3.FrontendMessage) []byte {
		var buf []byte
		for _, m := range msgs {
			buf, _ = m.Encode(buf)
		}
		return buf
	}
	f.Add(seed(&pgproto3.Query{String: "SELECT 1"}))
	f.Add(seed(&pgproto3.Parse{Name: "a", Query: "SELECT $1::int"}, &pgproto3.Bind{PreparedStatement: "a", Parameters: [][]byte{[]byte("1")}},
		&pgproto3.Describe{ObjectType: 'P'}, &pgproto3.Execute{}, &pgproto3.Sync{}))
	f.Add(seed(&pgproto3.Bind{PreparedStatement: "missing"}, &pgproto3.Execute{}, &pgproto3.Sync{}))
	f.Add(seed(&pgproto3.Parse{Query: "SELECT 1"}, &pgproto3.Flush{}, &pgproto3.Close{ObjectType: 'S'}, &pgproto3.Sync{}))
	f.Add(seed(&pgproto3.Query{String: "BEGIN"}, &pgproto3.Query{String: "SELECT 1/0"}, &pgproto3.Query{String: "ROLLBACK"}))
	f.Add(seed(&pgproto3.Query{String: "COPY (SELECT 1) TO STDOUT"}, &pgproto3.CopyData{Data: []byte("x")}, &pgproto3.CopyDone{}))
	f.Add([]byte{'Q', 0, 0, 0, 3})
	f.Add([]byte{'B', 0, 0, 0, 9, 0, 0, 0xff, 0xff, 0})
	f.Add([]byte{'P', 0xff, 0xff, 0xff, 0xff})
	b, _ := openTest(f, Config{MaxConns: 4, AcquireTimeout: time.Second, QueryTimeout: 2 * time.Second})
	f.Fuzz(func(t *testing.T, data []byte) {
		cc, err := pgconn.ParseConfig(b.Properties().ConnectionString)
		if err != nil {
			t.Fatal(err)
		}
		pc, err := pgconn.ConnectConfig(context.Background(), cc)
		if err != nil {
			t.Fatal(err)
		}
		nc := pc.Conn()
		_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
		_, _ = nc.Write(data)
		_, _ = nc.Write(seed(&pgproto3.Sync{}, &pgproto3.Query{String: "SELECT 'fuzz-end'"}))
		// Nothing more comes: a message whose length runs past the input
		// ends at EOF, as a real client's would end when it goes away.
		if tc, ok := nc.(*net.TCPConn); ok {
			_ = tc.CloseWrite()
		}
		// Read until the listener closes or answers the last query; a hang
		// ends at the deadline, which fails.
		fe := pgproto3.NewFrontend(nc, nc)
		for {
			msg, err := fe.Receive()
			if err != nil {
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					t.Fatalf("the listener hung on %q", data)
				}
				break
			}
			if dr, ok := msg.(*pgproto3.DataRow); ok && len(dr.Values) == 1 && string(dr.Values[0]) == "fuzz-end" {
				break
			}
		}
		nc.Close()
		// Others keep working.
		conn, err := pgx.Connect(context.Background(), b.Properties().ConnectionString)
		if err != nil {
			t.Fatalf("after %q: %v", data, err)
		}
		defer conn.Close(context.Background())
		var n int
		if err := conn.QueryRow(context.Background(), "SELECT 7").Scan(&n); err != nil || n != 7 {
			t.Fatalf("after %q: %d %v", data, n, err)
		}
	})
}
