package hyperdrive

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// COPY in and out through the listener, by the simple protocol (pgx's
// CopyFrom and CopyTo) and the extended one (libpq's Parse, Bind, Execute,
// Sync, then CopyDone and Sync), rows checked on the server; a bad row or
// a CopyFail comes back with its SQLSTATE, and the one server connection
// is reused afterwards.
func TestProxyCopy(t *testing.T) {
	b, dsn := openTest(t, Config{MaxConns: 1, Cache: CacheConfig{Disabled: true}})
	ctx := context.Background()
	direct, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close(ctx)
	if _, err := direct.Exec(ctx, "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	// onServer is the table as the server holds it, in COPY's text format.
	onServer := func() string {
		t.Helper()
		var buf bytes.Buffer
		if _, err := direct.PgConn().CopyTo(ctx, &buf, "COPY (SELECT id, v FROM t ORDER BY id) TO STDOUT"); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	conn := proxyConnect(t, b, pgx.QueryExecModeCacheStatement)
	var pid uint32
	if err := conn.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	// samePid: the pool's one server connection is still the one that ran
	// the COPY (an error did not cost it), and it works.
	samePid := func(what string) {
		t.Helper()
		var now uint32
		if err := conn.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&now); err != nil || now != pid {
			t.Fatalf("%s: server connection %d (%v), want %d reused", what, now, err, pid)
		}
	}

	t.Run("pgx CopyFrom and CopyTo", func(t *testing.T) {
		tag, err := conn.PgConn().CopyFrom(ctx, strings.NewReader("1\ta\n2\tb é\n"), "COPY t FROM STDIN")
		if err != nil || tag.RowsAffected() != 2 {
			t.Fatalf("CopyFrom: %v %v", tag, err)
		}
		if got := onServer(); got != "1\ta\n2\tb é\n" {
			t.Fatalf("on the server: %q", got)
		}
		var out bytes.Buffer
		tag, err = conn.PgConn().CopyTo(ctx, &out, "COPY (SELECT id, v FROM t ORDER BY id) TO STDOUT")
		if err != nil || tag.RowsAffected() != 2 || out.String() != onServer() {
			t.Fatalf("CopyTo: %q %v %v, server has %q", out.String(), tag, err, onServer())
		}
		// A bad row in the middle: its error, nothing applied.
		_, err = conn.PgConn().CopyFrom(ctx, strings.NewReader("3\tc\nfour\td\n5\te\n"), "COPY t FROM STDIN")
		var pg *pgconn.PgError
		if !errors.As(err, &pg) || pg.Code != "22P02" || !strings.Contains(pg.Where, "COPY t") {
			t.Fatalf("bad row: %#v", err)
		}
		if got := onServer(); got != "1\ta\n2\tb é\n" {
			t.Fatalf("after a failed COPY the server has %q", got)
		}
		samePid("after a bad row")
	})

	w := dialWire(t, b)
	copyIn := func(sql string) {
		t.Helper()
		w.send(&pgproto3.Parse{Query: sql}, &pgproto3.Bind{}, &pgproto3.Execute{}, &pgproto3.Sync{})
		w.want("COPY FROM STDIN", w.recv("CopyInResponse"), "ParseComplete", "BindComplete", "CopyInResponse")
	}
	t.Run("extended COPY FROM, Sync sent with CopyDone", func(t *testing.T) {
		copyIn("COPY t FROM STDIN")
		w.send(&pgproto3.CopyData{Data: []byte("10\tx\n")}, &pgproto3.CopyData{Data: []byte("11\ty\n")}, &pgproto3.CopyDone{}, &pgproto3.Sync{})
		w.want("CopyDone", w.recv("ReadyForQuery"), "CommandComplete", "ReadyForQuery")
		if got := onServer(); got != "1\ta\n2\tb é\n10\tx\n11\ty\n" {
			t.Fatalf("on the server: %q", got)
		}
	})
	t.Run("extended COPY FROM, Flush, CommandComplete, then Sync", func(t *testing.T) {
		copyIn("COPY t (v, id) FROM STDIN")
		w.send(&pgproto3.CopyData{Data: []byte("z\t12\n")}, &pgproto3.CopyDone{}, &pgproto3.Flush{})
		w.want("CopyDone", w.recv("CommandComplete"), "CommandComplete")
		w.send(&pgproto3.Sync{})
		w.want("Sync", w.recv("ReadyForQuery"), "ReadyForQuery")
		if got := onServer(); !strings.HasSuffix(got, "11\ty\n12\tz\n") {
			t.Fatalf("on the server: %q", got)
		}
	})
	before := onServer()
	for _, tc := range []struct {
		name string
		send []pgproto3.FrontendMessage
		code string
	}{
		{"a bad row", []pgproto3.FrontendMessage{&pgproto3.CopyData{Data: []byte("13\tok\n")}, &pgproto3.CopyData{Data: []byte("14\n")},
			&pgproto3.CopyData{Data: []byte("15\tok\n")}, &pgproto3.CopyDone{}, &pgproto3.Sync{}}, "22P04"},
		{"a duplicate key", []pgproto3.FrontendMessage{&pgproto3.CopyData{Data: []byte("10\tagain\n")}, &pgproto3.CopyDone{}, &pgproto3.Sync{}}, "23505"},
		{"CopyFail", []pgproto3.FrontendMessage{&pgproto3.CopyData{Data: []byte("16\tok\n")}, &pgproto3.CopyFail{Message: "the client gave up"}, &pgproto3.Sync{}}, "57014"},
	} {
		t.Run("extended COPY FROM, "+tc.name, func(t *testing.T) {
			copyIn("COPY t FROM STDIN")
			w.send(tc.send...)
			a := w.recv("ReadyForQuery")
			w.want("the COPY's end", a, "ErrorResponse", "ReadyForQuery")
			if a.errCode != tc.code {
				t.Fatalf("SQLSTATE %s, want %s", a.errCode, tc.code)
			}
			if got := onServer(); got != before {
				t.Fatalf("after a failed COPY the server has %q, had %q", got, before)
			}
			samePid("after " + tc.name)
		})
	}
	t.Run("extended COPY TO", func(t *testing.T) {
		w.send(&pgproto3.Parse{Query: "COPY (SELECT id, v FROM t ORDER BY id) TO STDOUT"}, &pgproto3.Bind{}, &pgproto3.Execute{}, &pgproto3.Sync{})
		a := w.recv("ReadyForQuery")
		if a.copied != onServer() || a.types[0] != "ParseComplete" || a.types[2] != "CopyOutResponse" || a.types[len(a.types)-3] != "CopyDone" {
			t.Fatalf("COPY TO: %v %q, server has %q", a.types, a.copied, onServer())
		}
	})
	// The wire client's session works on after all of it.
	w.send(&pgproto3.Query{String: "SELECT count(*) FROM t"})
	if a := w.recv("ReadyForQuery"); len(a.rows) != 1 || a.rows[0][0] != "5" {
		t.Fatalf("count: %v %v", a.types, a.rows)
	}
	samePid("at the end")
}
