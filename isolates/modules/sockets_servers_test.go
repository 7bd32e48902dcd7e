package modules

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"edgerun/isolates"
	"edgerun/isolates/pipe"
	"edgerun/isolates/webapi"
)

// Real servers on loopback for the socket tests: echo (plain, TLS, and
// STARTTLS), and a CA that signs their certificate.

// testCA is a throw-away certificate authority and a server certificate
// it signed for 127.0.0.1 and localhost.
type testCA struct {
	pool   *x509.CertPool
	server tls.Certificate
	chain  []*x509.Certificate // the server's, leaf first

	// sniff: the servers take cleartext where TLS could begin on a pipe
	// whose first byte is no TLS handshake record, as the local
	// Hyperdrive's in-process door does (isolates.ServeInProcessSecure).
	sniff bool
	// Handshakes the servers began, by transport, and the pipes that
	// went on in clear.
	tcpHandshakes, pipeHandshakes, cleartext atomic.Int32
}

// serverTLS is the TLS server side of c (see sniff).
func (ca *testCA) serverTLS(c net.Conn) net.Conn {
	_, isPipe := c.(*pipe.Conn)
	if isPipe && ca.sniff {
		pc := &peekedConn{Conn: c, r: bufio.NewReader(c)}
		first, err := pc.r.Peek(1)
		if err != nil {
			return c
		}
		c = pc
		if first[0] != 0x16 {
			ca.cleartext.Add(1)
			return c
		}
	}
	// Counted as begun, before the client can see the handshake end.
	if isPipe {
		ca.pipeHandshakes.Add(1)
	} else {
		ca.tcpHandshakes.Add(1)
	}
	return tls.Server(c, &tls.Config{Certificates: []tls.Certificate{ca.server}})
}

// peekedConn reads through r, which has looked ahead.
type peekedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *peekedConn) Read(b []byte) (int, error) { return c.r.Read(b) }

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "edgerun test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, KeyUsage: x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	return &testCA{pool: pool, server: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, chain: []*x509.Certificate{leaf, caCert}}
}

// testServer accepts on loopback and runs handle for each connection;
// it counts the connections open now.
type testServer struct {
	ln   net.Listener
	mu   sync.Mutex
	open int
	seen int // TCP connections accepted
	// inProcess: connections served through isolates.ServeInProcess
	// (startServer with inProcess set).
	inProcess int
	gone      chan struct{} // a connection ended
}

func (s *testServer) addr() string { return s.ln.Addr().String() }

func (s *testServer) counts() (open, seen int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.open, s.seen
}

func startServer(t *testing.T, handle func(net.Conn)) *testServer {
	t.Helper()
	return startServerDoors(t, handle, false)
}

// startServerDoors is startServer; with inProcess, scripts' connections
// to its address are also served in-process (isolates.ServeInProcess),
// over a pipe instead of TCP, as the local Hyperdrive's are; given a
// certificate chain, through isolates.ServeInProcessSecure with it (the
// scripts' TLS to the door is skipped).
func startServerDoors(t *testing.T, handle func(net.Conn), inProcess bool, chain ...*x509.Certificate) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &testServer{ln: ln, gone: make(chan struct{}, 64)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.seen++
			s.mu.Unlock()
			go s.serve(c, handle)
		}
	}()
	if inProcess {
		stop := isolates.ServeInProcessSecure(s.addr(), chain, func(c net.Conn) {
			s.mu.Lock()
			s.inProcess++
			s.mu.Unlock()
			s.serve(c, handle)
		})
		t.Cleanup(stop)
	}
	return s
}

func (s *testServer) serve(c net.Conn, handle func(net.Conn)) {
	s.mu.Lock()
	s.open++
	s.mu.Unlock()
	defer func() {
		c.Close()
		s.mu.Lock()
		s.open--
		s.mu.Unlock()
		select {
		case s.gone <- struct{}{}:
		default:
		}
	}()
	handle(c)
}

// echo copies what it reads back until the client ends its side.
func echo(c net.Conn) { _, _ = io.Copy(c, c) }

// sayBye writes "bye" and ends its side at once, then reads until the
// client ends its own: a peer that half-closes first.
func sayBye(c net.Conn) {
	_, _ = c.Write([]byte("bye"))
	if cw, ok := c.(interface{ CloseWrite() error }); ok { // TCP, or a pipe
		_ = cw.CloseWrite()
	}
	_, _ = io.Copy(io.Discard, c)
}

// starttls speaks a line protocol: "STARTTLS\n" is answered "GO\n" and the
// connection continues as TLS (an echo); any other line is echoed.
func starttls(ca *testCA) func(net.Conn) {
	return func(c net.Conn) {
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			if strings.TrimSpace(line) != "STARTTLS" {
				_, _ = c.Write([]byte(line))
				continue
			}
			if _, err := c.Write([]byte("GO\n")); err != nil {
				return
			}
			echo(ca.serverTLS(c))
			return
		}
	}
}

func tlsEcho(ca *testCA) func(net.Conn) {
	return func(c net.Conn) { echo(ca.serverTLS(c)) }
}

// newSocketIsolate is an isolate with the Web APIs and the built-in
// modules, require() as a global, and opts for the modules.
func newSocketIsolate(t *testing.T, opts Options, memory uint64) (*isolates.Isolate, *Registry) {
	t.Helper()
	var reg *Registry
	iso, err := isolates.New(isolates.Options{MemoryLimit: memory, Setup: func(iso *isolates.Isolate) error {
		if _, err := webapi.Install(iso, webapi.Options{}); err != nil {
			return err
		}
		if opts.Compat.Mode == ModeNone {
			opts.Compat.Mode = ModeV2
		}
		var err error
		if reg, err = Install(iso, opts); err != nil {
			return err
		}
		return iso.Runtime().Set("require", reg.RequireFunc())
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { iso.Retire(nil); <-iso.Done() })
	return iso, reg
}
