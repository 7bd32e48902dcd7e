package hyperdrive

import (
	"context"
	"fmt"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// wireClient is a connection to the listener spoken message by message
// (pgconn does the startup and SCRAM, then hands the socket over), to send
// exactly what a driver sends.
type wireClient struct {
	t  *testing.T
	nc net.Conn
	fe *pgproto3.Frontend
}

func dialWire(t *testing.T, b *Binding) *wireClient {
	t.Helper()
	pc, err := pgconn.Connect(context.Background(), b.Properties().ConnectionString)
	if err != nil {
		t.Fatal(err)
	}
	hc, err := pc.Hijack()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hc.Conn.Close() })
	return &wireClient{t: t, nc: hc.Conn, fe: hc.Frontend}
}

// send writes msgs as one write, as drivers do.
func (w *wireClient) send(msgs ...pgproto3.FrontendMessage) {
	w.t.Helper()
	for _, m := range msgs {
		w.fe.Send(m)
	}
	if err := w.fe.Flush(); err != nil {
		w.t.Fatal(err)
	}
}

// answer is what the listener said: each message's type name, the
// DataRows' values, the parameter types and column names described.
type answer struct {
	types   []string
	rows    [][]string
	params  []uint32
	columns []string
	errCode string
	copied  string // CopyData, joined
}

// recv reads messages until one of type last (a name as in answer.types)
// has arrived, within 10 s.
func (w *wireClient) recv(last string) answer {
	w.t.Helper()
	_ = w.nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	var a answer
	for {
		msg, err := w.fe.Receive()
		if err != nil {
			w.t.Fatalf("after %v: %v", a.types, err)
		}
		name := strings.TrimPrefix(fmt.Sprintf("%T", msg), "*pgproto3.")
		a.types = append(a.types, name)
		switch m := msg.(type) {
		case *pgproto3.DataRow:
			var row []string
			for _, v := range m.Values {
				row = append(row, string(v))
			}
			a.rows = append(a.rows, row)
		case *pgproto3.ParameterDescription:
			a.params = append([]uint32(nil), m.ParameterOIDs...)
		case *pgproto3.RowDescription:
			a.columns = nil
			for _, f := range m.Fields {
				a.columns = append(a.columns, string(f.Name))
			}
		case *pgproto3.ErrorResponse:
			a.errCode = m.Code
		case *pgproto3.CopyData:
			a.copied += string(m.Data)
		}
		if name == last {
			return a
		}
	}
}

func (w *wireClient) want(what string, got answer, types ...string) {
	w.t.Helper()
	if !reflect.DeepEqual(got.types, types) {
		w.t.Fatalf("%s: answered %v, want %v", what, got.types, types)
	}
}

// countedItems makes the table items and counted(), which takes a number
// from the sequence runs each time the server runs it (serverRuns reads
// it). It is declared IMMUTABLE (which it is not, but the server allows
// it), so a read calling it stays cacheable (functions.go asks pg_proc).
func countedItems(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	direct, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { direct.Close(ctx) })
	if _, err := direct.Exec(ctx, `CREATE TABLE items (id int PRIMARY KEY, v text); INSERT INTO items VALUES (1, 'a'), (2, 'b');
		CREATE SEQUENCE runs;
		CREATE FUNCTION counted() RETURNS bigint LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN nextval('runs'); END $$`); err != nil {
		t.Fatal(err)
	}
	return direct
}

// The message sequences drivers send for one read, 1,000 times each: the
// server runs the statement once (counted on the server) and the cache
// answers the other 999, each answer the server's own messages.
func TestProxyCachesDriverPatterns(t *testing.T) {
	b, dsn := openTest(t, Config{})
	direct := countedItems(t, dsn)
	read := func(tag string) string { return "/* " + tag + " */ SELECT v, counted() FROM items WHERE id = $1" }
	two := [][]byte{[]byte("2")}
	// Each pattern runs read i on a client of its own and returns the row.
	patterns := []struct {
		name string
		run  func(w *wireClient, sql string, i int) []string
	}{
		{"postgres.js prepare: true", func(w *wireClient, sql string, i int) []string {
			// A new statement name each time, as each request's new
			// postgres() client has: Parse, Describe, Flush; the
			// description; then Bind, Execute, Sync.
			name := fmt.Sprint("s", i)
			w.send(&pgproto3.Parse{Name: name, Query: sql}, &pgproto3.Describe{ObjectType: 'S', Name: name}, &pgproto3.Flush{})
			d := w.recv("RowDescription")
			w.want("describe", d, "ParseComplete", "ParameterDescription", "RowDescription")
			if !reflect.DeepEqual(d.params, []uint32{23}) || !reflect.DeepEqual(d.columns, []string{"v", "counted"}) {
				w.t.Fatalf("described %v %v", d.params, d.columns)
			}
			w.send(&pgproto3.Bind{PreparedStatement: name, Parameters: two}, &pgproto3.Execute{}, &pgproto3.Sync{})
			a := w.recv("ReadyForQuery")
			w.want("execute", a, "BindComplete", "DataRow", "CommandComplete", "ReadyForQuery")
			return a.rows[0]
		}},
		{"postgres.js prepare: false", func(w *wireClient, sql string, _ int) []string {
			w.send(&pgproto3.Parse{Query: sql}, &pgproto3.Describe{ObjectType: 'S'}, &pgproto3.Flush{})
			w.want("describe", w.recv("RowDescription"), "ParseComplete", "ParameterDescription", "RowDescription")
			w.send(&pgproto3.Bind{Parameters: two}, &pgproto3.Execute{}, &pgproto3.Sync{})
			a := w.recv("ReadyForQuery")
			w.want("execute", a, "BindComplete", "DataRow", "CommandComplete", "ReadyForQuery")
			return a.rows[0]
		}},
		{"postgres.js no parameters, prepare: true", func(w *wireClient, sql string, i int) []string {
			// A statement without parameters is described and run in one
			// go: Parse, Describe, Bind, Execute, Sync.
			name := fmt.Sprint("s", i)
			sql = strings.Replace(sql, "$1", "2", 1)
			w.send(&pgproto3.Parse{Name: name, Query: sql}, &pgproto3.Describe{ObjectType: 'S', Name: name},
				&pgproto3.Bind{PreparedStatement: name}, &pgproto3.Execute{}, &pgproto3.Sync{})
			a := w.recv("ReadyForQuery")
			w.want("run", a, "ParseComplete", "ParameterDescription", "RowDescription", "BindComplete", "DataRow", "CommandComplete", "ReadyForQuery")
			if len(a.params) != 0 || !reflect.DeepEqual(a.columns, []string{"v", "counted"}) {
				w.t.Fatalf("described %v %v", a.params, a.columns)
			}
			return a.rows[0]
		}},
		{"postgres.js no parameters, prepare: false", func(w *wireClient, sql string, _ int) []string {
			sql = strings.Replace(sql, "$1", "2", 1)
			w.send(&pgproto3.Parse{Query: sql}, &pgproto3.Describe{ObjectType: 'S'}, &pgproto3.Bind{}, &pgproto3.Execute{}, &pgproto3.Sync{})
			a := w.recv("ReadyForQuery")
			w.want("run", a, "ParseComplete", "ParameterDescription", "RowDescription", "BindComplete", "DataRow", "CommandComplete", "ReadyForQuery")
			return a.rows[0]
		}},
		{"pg", func(w *wireClient, sql string, _ int) []string {
			w.send(&pgproto3.Parse{Query: sql}, &pgproto3.Bind{Parameters: two}, &pgproto3.Describe{ObjectType: 'P'}, &pgproto3.Execute{}, &pgproto3.Sync{})
			a := w.recv("ReadyForQuery")
			w.want("run", a, "ParseComplete", "BindComplete", "RowDescription", "DataRow", "CommandComplete", "ReadyForQuery")
			return a.rows[0]
		}},
		{"pg named query", func(w *wireClient, sql string, i int) []string {
			// pg parses a named query once per client, then binds it.
			if i == 0 {
				w.send(&pgproto3.Parse{Name: "q", Query: sql}, &pgproto3.Bind{PreparedStatement: "q", Parameters: two},
					&pgproto3.Describe{ObjectType: 'P'}, &pgproto3.Execute{}, &pgproto3.Sync{})
				a := w.recv("ReadyForQuery")
				w.want("first run", a, "ParseComplete", "BindComplete", "RowDescription", "DataRow", "CommandComplete", "ReadyForQuery")
				return a.rows[0]
			}
			w.send(&pgproto3.Bind{PreparedStatement: "q", Parameters: two}, &pgproto3.Describe{ObjectType: 'P'}, &pgproto3.Execute{}, &pgproto3.Sync{})
			a := w.recv("ReadyForQuery")
			w.want("run", a, "BindComplete", "RowDescription", "DataRow", "CommandComplete", "ReadyForQuery")
			return a.rows[0]
		}},
	}
	for _, p := range patterns {
		t.Run(p.name, func(t *testing.T) {
			w := dialWire(t, b)
			sql := read(p.name)
			countReads(t, b, direct, func(i int) []string { return p.run(w, sql, i) })
		})
	}
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeCacheStatement, pgx.QueryExecModeCacheDescribe,
		pgx.QueryExecModeDescribeExec, pgx.QueryExecModeExec, pgx.QueryExecModeSimpleProtocol} {
		t.Run("pgx "+mode.String(), func(t *testing.T) {
			conn := proxyConnect(t, b, mode)
			sql := read(mode.String())
			countReads(t, b, direct, func(int) []string {
				var v, n string
				if err := conn.QueryRow(context.Background(), sql, 2).Scan(&v, &n); err != nil {
					t.Fatal(err)
				}
				return []string{v, n}
			})
		})
	}
}

// countReads runs read 1,000 times: every answer is row 2 with the same
// counted() value, the server ran it once, and the cache answered 999.
func countReads(t *testing.T, b *Binding, direct *pgx.Conn, read func(i int) []string) {
	t.Helper()
	runs, stats := serverRuns(t, direct), b.ProxyStats()
	var first []string
	for i := range 1000 {
		row := read(i)
		if i == 0 {
			first = row
		}
		if len(row) != 2 || row[0] != "b" || !reflect.DeepEqual(row, first) {
			t.Fatalf("read %d: %q, first %q", i, row, first)
		}
	}
	after := b.ProxyStats()
	if n := serverRuns(t, direct) - runs; n != 1 {
		t.Fatalf("1000 identical reads ran %d times on the server, want 1", n)
	}
	if hits, misses := after.CacheHits-stats.CacheHits, after.CacheMisses-stats.CacheMisses; hits != 999 || misses != 1 {
		t.Fatalf("%d cache hits and %d misses, want 999 and 1", hits, misses)
	}
}

// postgres.js's describe-first Flush is ended by the proxy's own Sync: an
// error in it reaches the client at once, what the client sends before
// its Sync is skipped (as the server would), its Sync gets ReadyForQuery,
// and nothing holds a server connection in between.
func TestProxyDescribeFlush(t *testing.T) {
	b, dsn := openTest(t, Config{MaxConns: 1})
	countedItems(t, dsn)
	w := dialWire(t, b)
	w.send(&pgproto3.Parse{Name: "bad", Query: "SELECT nope FROM items WHERE id = $1"}, &pgproto3.Describe{ObjectType: 'S', Name: "bad"}, &pgproto3.Flush{})
	if a := w.recv("ErrorResponse"); a.errCode != "42703" {
		t.Fatalf("answered %v (%s), want 42703", a.types, a.errCode)
	}
	if held := b.ProxyStats().ServerConnections; held != 0 {
		t.Fatalf("%d server connections held after a describe's error", held)
	}
	w.send(&pgproto3.Bind{PreparedStatement: "bad", Parameters: [][]byte{[]byte("1")}}, &pgproto3.Execute{}, &pgproto3.Sync{})
	w.want("after the error", w.recv("ReadyForQuery"), "ReadyForQuery")

	// A described statement holds nothing while the client decides what
	// to bind: another client runs a transaction on the only server
	// connection in between.
	w.send(&pgproto3.Parse{Name: "good", Query: "UPDATE items SET v = $2 WHERE id = $1"}, &pgproto3.Describe{ObjectType: 'S', Name: "good"}, &pgproto3.Flush{})
	d := w.recv("NoData")
	w.want("describe", d, "ParseComplete", "ParameterDescription", "NoData")
	if !reflect.DeepEqual(d.params, []uint32{23, 25}) {
		t.Fatalf("parameters %v", d.params)
	}
	if held := b.ProxyStats().ServerConnections; held != 0 {
		t.Fatalf("%d server connections held after a describe", held)
	}
	other := proxyConnect(t, b, pgx.QueryExecModeCacheStatement)
	tx, err := other.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(context.Background(), "UPDATE items SET v = 'z' WHERE id = 1"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.send(&pgproto3.Bind{PreparedStatement: "good", Parameters: [][]byte{[]byte("1"), []byte("x")}}, &pgproto3.Execute{}, &pgproto3.Sync{})
	w.want("execute", w.recv("ReadyForQuery"), "BindComplete", "CommandComplete", "ReadyForQuery")
	var v string
	if err := other.QueryRow(context.Background(), "SELECT v FROM items WHERE id = 1").Scan(&v); err != nil || v != "x" {
		t.Fatalf("v = %q %v, want x", v, err)
	}
}
