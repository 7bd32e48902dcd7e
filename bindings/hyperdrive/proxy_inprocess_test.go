package hyperdrive

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"edgerun/isolates"
	"edgerun/isolates/pipe"
)

// The listener's two doors: TCP, and the in-process one a worker's
// connect() to the listener's address takes (isolates.DialInProcess).

// dialInProcess is a pgx DialFunc through the in-process door, as a
// worker's socket dials; it fails for an address nothing registered.
func dialInProcess(_ context.Context, _, addr string) (net.Conn, error) {
	if c := isolates.DialInProcess(addr); c != nil {
		return c, nil
	}
	return nil, errors.New("no in-process server at " + addr)
}

func connectVia(ctx context.Context, connString string, inProcess bool) (*pgx.Conn, error) {
	cc, err := pgx.ParseConfig(connString)
	if err != nil {
		return nil, err
	}
	if inProcess {
		cc.DialFunc = dialInProcess
	}
	return pgx.ConnectConfig(ctx, cc)
}

// Each door asks for the password its own way: SCRAM-SHA-256 over TCP,
// in clear over the in-process pipe.
func TestProxyDoorsAskForThePasswordTheirWay(t *testing.T) {
	b, _ := openTest(t, Config{})
	props := b.Properties()
	addr := b.ProxyStats().Addr
	for _, tc := range []struct {
		door string
		dial func() (net.Conn, error)
		want func(pgproto3.BackendMessage) bool
	}{
		{"tcp", func() (net.Conn, error) { return net.Dial("tcp", addr) }, func(m pgproto3.BackendMessage) bool {
			sasl, ok := m.(*pgproto3.AuthenticationSASL)
			return ok && len(sasl.AuthMechanisms) == 1 && sasl.AuthMechanisms[0] == "SCRAM-SHA-256"
		}},
		{"in-process", func() (net.Conn, error) { return dialInProcess(context.Background(), "", addr) }, func(m pgproto3.BackendMessage) bool {
			_, ok := m.(*pgproto3.AuthenticationCleartextPassword)
			return ok
		}},
	} {
		t.Run(tc.door, func(t *testing.T) {
			nc, err := tc.dial()
			if err != nil {
				t.Fatal(err)
			}
			defer nc.Close()
			_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
			fe := pgproto3.NewFrontend(nc, nc)
			fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
				Parameters: map[string]string{"user": props.User, "database": props.Database}})
			if err := fe.Flush(); err != nil {
				t.Fatal(err)
			}
			msg, err := fe.Receive()
			if err != nil {
				t.Fatal(err)
			}
			if !tc.want(msg) {
				t.Fatalf("first message %#v", msg)
			}
		})
	}
}

// A client through the in-process door is served as a TCP one is (the
// same queries, the same refusals with the same SQLSTATE and message),
// and counted as in-process, never as a TCP accept.
func TestProxyInProcessClients(t *testing.T) {
	b, _ := openTest(t, Config{Cache: CacheConfig{Disabled: true}})
	ctx := context.Background()
	props := b.Properties()
	before := b.ProxyStats()
	conn, err := connectVia(ctx, props.ConnectionString, true)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, ok := conn.PgConn().Conn().(*pipe.Conn); !ok {
		t.Fatalf("connection is a %T", conn.PgConn().Conn())
	}
	var db string
	var n int
	if err := conn.QueryRow(ctx, "SELECT current_database(), $1::int + 1", 41).Scan(&db, &n); err != nil || db != props.Database || n != 42 {
		t.Fatalf("query: %q %d %v", db, n, err)
	}
	after := b.ProxyStats()
	if got := after.InProcessConnections - before.InProcessConnections; got != 1 {
		t.Fatalf("in-process connections +%d, want +1", got)
	}
	if got := after.TCPConnections - before.TCPConnections; got != 0 {
		t.Fatalf("TCP connections +%d, want 0", got)
	}
	if after.Clients != before.Clients+1 {
		t.Fatalf("clients %d -> %d", before.Clients, after.Clients)
	}

	for _, tc := range []struct {
		name, code string
		mutate     func(u *url.URL)
	}{
		{"password", "28P01", func(u *url.URL) { u.User = url.UserPassword(props.User, props.Password+"x") }},
		{"empty password", "28P01", func(u *url.URL) { u.User = url.UserPassword(props.User, "") }},
		{"user", "28P01", func(u *url.URL) { u.User = url.UserPassword("postgres", props.Password) }},
		{"database", "3D000", func(u *url.URL) { u.Path = "/other" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, _ := url.Parse(props.ConnectionString)
			tc.mutate(u)
			var msgs [2]string
			for i, inProcess := range []bool{false, true} {
				c, err := connectVia(ctx, u.String(), inProcess)
				if err == nil {
					c.Close(ctx)
					t.Fatalf("in-process %v: connected", inProcess)
				}
				var pg *pgconn.PgError
				if !errors.As(err, &pg) || pg.Code != tc.code {
					t.Fatalf("in-process %v: %v, want SQLSTATE %s", inProcess, err, tc.code)
				}
				msgs[i] = pg.Severity + " " + pg.Message
			}
			if msgs[0] != msgs[1] {
				t.Fatalf("TCP says %q, in-process %q", msgs[0], msgs[1])
			}
		})
	}
	if got := b.ProxyStats().AuthenticationsRefused - after.AuthenticationsRefused; got != 8 {
		t.Fatalf("refused +%d, want 8", got)
	}
}

// Closing the binding ends in-process clients too, and the door with it:
// a dial after close finds nothing registered.
func TestProxyCloseEndsTheInProcessDoor(t *testing.T) {
	b, _ := openTest(t, Config{})
	addr := b.ProxyStats().Addr
	conn, err := connectVia(context.Background(), b.Properties().ConnectionString, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(context.Background(), "SELECT 1"); err == nil {
		t.Fatal("an in-process client outlived the binding's close")
	}
	if c := isolates.DialInProcess(addr); c != nil {
		c.Close()
		t.Fatal("the in-process door is still open after close")
	}
}

// TLS on each door: after its 'S', the TCP door handshakes whatever
// follows (a client sending its startup in clear is dropped), while the
// in-process one takes the startup in clear (a worker's socket skips TLS
// there: isolates.ServeInProcessSecure) and still handshakes with a client
// that does speak TLS (pgx, sslmode=require and verify-full against the
// door's certificate, as registered for the workers' sockets).
func TestProxyDoorsAndTLS(t *testing.T) {
	b, _ := openTest(t, Config{Cache: CacheConfig{Disabled: true}})
	props := b.Properties()
	addr := b.ProxyStats().Addr
	cleartextAfterS := func(nc net.Conn) (pgproto3.BackendMessage, error) {
		defer nc.Close()
		_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
		fe := pgproto3.NewFrontend(nc, nc)
		fe.Send(&pgproto3.SSLRequest{})
		if err := fe.Flush(); err != nil {
			return nil, err
		}
		var answer [1]byte
		if _, err := io.ReadFull(nc, answer[:]); err != nil || answer[0] != 'S' {
			return nil, fmt.Errorf("SSLRequest answered %q, %v", answer, err)
		}
		fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
			Parameters: map[string]string{"user": props.User, "database": props.Database}})
		if err := fe.Flush(); err != nil {
			return nil, err
		}
		return fe.Receive()
	}
	tcp, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	if msg, err := cleartextAfterS(tcp); err == nil {
		t.Fatalf("TCP door: cleartext after 'S' answered %#v", msg)
	}
	pc, _ := dialInProcess(context.Background(), "", addr)
	if msg, err := cleartextAfterS(pc); err != nil {
		t.Fatalf("in-process door: cleartext after 'S': %v", err)
	} else if _, ok := msg.(*pgproto3.AuthenticationCleartextPassword); !ok {
		t.Fatalf("in-process door: cleartext after 'S' answered %#v", msg)
	}

	_, chain := isolates.DialInProcessSecure(addr)
	if len(chain) != 2 || chain[0].VerifyHostname("127.0.0.1") != nil {
		t.Fatalf("the door's chain: %d certificates", len(chain))
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(b.ProxyCACertPEM()) || !roots.Equal(poolOf(chain[1])) {
		t.Fatal("the door's chain is not signed by the listener's CA")
	}
	ctx := context.Background()
	for _, mode := range []string{"require", "verify-full"} {
		u, _ := url.Parse(props.ConnectionString)
		u.RawQuery = "sslmode=" + mode
		cc, err := pgx.ParseConfig(u.String())
		if err != nil {
			t.Fatal(err)
		}
		cc.DialFunc = dialInProcess
		if cc.TLSConfig == nil {
			t.Fatalf("%s: no TLS", mode)
		}
		cc.TLSConfig.RootCAs = roots
		cc.Fallbacks = nil // TLS or nothing
		conn, err := pgx.ConnectConfig(ctx, cc)
		if err != nil {
			t.Fatalf("%s over the in-process door: %v", mode, err)
		}
		if _, ok := conn.PgConn().Conn().(*tls.Conn); !ok {
			t.Fatalf("%s: connection is a %T, want TLS", mode, conn.PgConn().Conn())
		}
		var n int
		if err := conn.QueryRow(ctx, "SELECT 41 + 1").Scan(&n); err != nil || n != 42 {
			t.Fatalf("%s: %d %v", mode, n, err)
		}
		conn.Close(ctx)
	}
}

func poolOf(c *x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(c)
	return p
}
