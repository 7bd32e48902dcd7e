package hyperdrive

// A local Hyperdrive client's start: TLS on SSLRequest, the startup
// message, authentication (proxy_auth.go), the origin's parameters reported
// as ParameterStatus, BackendKeyData; then the session (proxy_session.go).

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// maxClientMessage bounds one frontend message (a Bind with its values, a
// CopyData): 64 MiB, or a whole result's limit if that is larger.
func (p *proxy) maxClientMessage() int {
	return int(max(p.b.cfg.MaxResultBytes, 64<<20))
}

// serve runs one client connection: startup, authentication, then the
// session (proxy_session.go). inProcess: nc is a pipe from a script of
// this process, which gives its password in clear.
func (p *proxy) serve(nc net.Conn, inProcess bool) {
	_ = nc.SetDeadline(time.Now().Add(startupTimeout))
	var conn net.Conn = nc
	be := pgproto3.NewBackend(conn, conn)
	be.SetMaxBodyLen(64 << 10)
	var startup *pgproto3.StartupMessage
	tlsDone := false
	for startup == nil {
		msg, err := be.ReceiveStartupMessage()
		if err != nil {
			return
		}
		switch m := msg.(type) {
		case *pgproto3.SSLRequest:
			if tlsDone {
				return
			}
			if _, err := conn.Write([]byte{'S'}); err != nil {
				return
			}
			var under net.Conn = nc
			if inProcess {
				// A worker's socket skips TLS on this door
				// (isolates.ServeInProcessSecure) and goes on in clear; any
				// other TLS client over the pipe (a test's pgx, a script's
				// own TLS) sends a handshake record first (0x16), which a
				// startup message, its length below 2^24 first, never begins
				// with.
				var first [1]byte
				if _, err := io.ReadFull(nc, first[:]); err != nil {
					return
				}
				under = &replayConn{Conn: nc, first: first[:]}
				if first[0] != tlsHandshakeRecord {
					conn, tlsDone = under, true
					be = pgproto3.NewBackend(conn, conn)
					be.SetMaxBodyLen(64 << 10)
					continue
				}
			}
			tc := tls.Server(under, p.tls)
			if err := tc.Handshake(); err != nil {
				return
			}
			conn, tlsDone = tc, true
			be = pgproto3.NewBackend(conn, conn)
			be.SetMaxBodyLen(64 << 10)
		case *pgproto3.GSSEncRequest:
			if _, err := conn.Write([]byte{'N'}); err != nil {
				return
			}
		case *pgproto3.CancelRequest:
			p.cancel(m.ProcessID, m.SecretKey)
			return
		case *pgproto3.StartupMessage:
			startup = m
		}
	}
	fatal := func(code, msg string) {
		be.Send(&pgproto3.ErrorResponse{Severity: "FATAL", SeverityUnlocalized: "FATAL", Code: code, Message: msg})
		_ = be.Flush()
	}
	user, db := startup.Parameters["user"], startup.Parameters["database"]
	if db == "" {
		db = user
	}
	authenticate := p.authenticate
	if inProcess {
		authenticate = p.authenticateCleartext
	}
	if err := authenticate(be, user); err != nil {
		p.refused.Add(1)
		fatal("28P01", fmt.Sprintf("password authentication failed for user %q", user))
		return
	}
	if db != p.database {
		p.refused.Add(1)
		fatal("3D000", fmt.Sprintf("database %q does not exist", db))
		return
	}
	c := &proxyClient{p: p, b: p.b, conn: conn, be: be, stmts: map[string]*clientStmt{}, txStatus: 'I'}
	if !p.register(c) {
		fatal("57P01", "terminating connection: the local Hyperdrive is shutting down")
		return
	}
	defer p.unregister(c)
	be.SetMaxBodyLen(p.maxClientMessage())
	be.Send(&pgproto3.AuthenticationOk{})
	for _, ps := range p.parameterStatuses(startup.Parameters) {
		be.Send(&ps)
	}
	be.Send(&pgproto3.BackendKeyData{ProcessID: c.pid, SecretKey: c.secret})
	be.Send(&pgproto3.ReadyForQuery{TxStatus: 'I'})
	if err := be.Flush(); err != nil {
		return
	}
	_ = nc.SetDeadline(time.Time{})
	c.run()
}

// tlsHandshakeRecord is the content type of a TLS record carrying a
// handshake message (a ClientHello first).
const tlsHandshakeRecord = 0x16

// replayConn is a connection whose first bytes were read to tell what
// they begin (serve's look after an in-process 'S'): Read gives them
// again, then reads on.
type replayConn struct {
	net.Conn
	first []byte
}

func (c *replayConn) Read(b []byte) (int, error) {
	if len(c.first) > 0 {
		n := copy(b, c.first)
		c.first = c.first[n:]
		return n, nil
	}
	return c.Conn.Read(b)
}

// certChain is the certificates cfg's server presents, leaf first (the
// in-process door's, which the workers' sockets verify instead of a
// handshake).
func certChain(cfg *tls.Config) ([]*x509.Certificate, error) {
	var chain []*x509.Certificate
	for _, der := range cfg.Certificates[0].Certificate {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("local Hyperdrive certificate: %w", err)
		}
		chain = append(chain, c)
	}
	return chain, nil
}

// parameterStatuses are the origin's (learnt from the first server
// connection the proxy used), with the client's application_name.
func (p *proxy) parameterStatuses(startup map[string]string) []pgproto3.ParameterStatus {
	ps := p.params.Load()
	if ps == nil {
		p.learnParams()
		ps = p.params.Load()
	}
	var out []pgproto3.ParameterStatus
	if ps != nil {
		out = append(out, *ps...)
	} else {
		out = []pgproto3.ParameterStatus{
			{Name: "server_version", Value: "16.0"}, {Name: "server_encoding", Value: "UTF8"},
			{Name: "client_encoding", Value: "UTF8"}, {Name: "DateStyle", Value: "ISO, MDY"},
			{Name: "integer_datetimes", Value: "on"}, {Name: "standard_conforming_strings", Value: "on"},
			{Name: "TimeZone", Value: "UTC"}, {Name: "IntervalStyle", Value: "postgres"},
		}
	}
	out = append(out, pgproto3.ParameterStatus{Name: "application_name", Value: startup["application_name"]},
		pgproto3.ParameterStatus{Name: "session_authorization", Value: p.user},
		pgproto3.ParameterStatus{Name: "is_superuser", Value: "off"})
	return out
}

var reportedParams = []string{"server_version", "server_encoding", "client_encoding", "DateStyle", "IntervalStyle",
	"TimeZone", "integer_datetimes", "standard_conforming_strings"}

// learnParams takes the origin's parameters from a pooled connection
// (bounded by acquire_timeout; without one the defaults above stand in).
func (p *proxy) learnParams() {
	ctx, cancel := context.WithTimeout(context.Background(), p.b.cfg.AcquireTimeout)
	defer cancel()
	conn, err := p.b.primary.pool.Acquire(ctx)
	if err != nil {
		return
	}
	defer conn.Release()
	p.rememberParams(conn.Conn().PgConn())
}

func (p *proxy) rememberParams(pc *pgconn.PgConn) {
	if p.params.Load() != nil {
		return
	}
	var ps []pgproto3.ParameterStatus
	for _, k := range reportedParams {
		if v := pc.ParameterStatus(k); v != "" {
			ps = append(ps, pgproto3.ParameterStatus{Name: k, Value: v})
		}
	}
	p.params.Store(&ps)
}
