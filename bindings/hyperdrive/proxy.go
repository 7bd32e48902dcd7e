package hyperdrive

// The local Hyperdrive: a PostgreSQL-wire listener per binding, which
// env.HYPERDRIVE.connectionString names (as production's names Hyperdrive,
// never the origin). Any driver connects to it; every client's statements
// run on the binding's own endpoint pools, cache, breakers and Observer, in
// transaction-mode pooling (proxy_session.go): a client holds a server
// connection only while a statement outside a transaction runs, or from
// BEGIN to COMMIT/ROLLBACK.
//
// This file: the listener (start, the connections it tracks and close),
// the clients it knows by BackendKeyData (register, CancelRequest) and
// ProxyStats. A client's startup exchange is proxy_startup.go's, its
// credentials (a random user and password per process, SCRAM-SHA-256) and
// the certificate made at start proxy_auth.go's.
//
// Two doors: the TCP listener, for anything (psql, pgx, Node, a worker of
// another process), and an in-process one for this process's own scripts
// (isolates.ServeInProcess on the listener's address): a worker's connect()
// to connectionString gets an in-memory pipe served by the same code,
// asked for its password in clear (AuthenticationCleartextPassword)
// instead of SCRAM. See authenticateCleartext for why that is as safe.
// Its TLS is skipped likewise (isolates.ServeInProcessSecure): a worker's
// socket that starts TLS there checks the listener's certificate and goes
// on in clear, which serve takes after its 'S' (proxy_startup.go).

import (
	"crypto/rand"
	"crypto/subtle"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"edgerun/isolates"
)

// proxy is a binding's listener.
type proxy struct {
	b        *Binding
	ln       net.Listener
	user     string
	password string
	database string
	secret   scramSecret
	tls      *tls.Config
	caPEM    []byte

	mu      sync.Mutex
	clients map[uint32]*proxyClient // by BackendKeyData process id
	conns   map[net.Conn]struct{}
	// servers: the server connections held for clients and cache fills
	// (hold, letGo), which close closes: a server that stopped answering
	// would otherwise keep their goroutines reading forever.
	servers map[*pgconn.PgConn]struct{}
	closed  bool
	wg      sync.WaitGroup
	// stopInProcess ends the in-process door (isolates.ServeInProcess).
	stopInProcess func()

	params atomic.Pointer[[]pgproto3.ParameterStatus] // what the origin reported

	active, total, queries, cacheHits, cacheMisses, refused atomic.Int64
	// held: server connections proxy clients (and the proxy's own cache
	// fills) hold now; acquireTimeouts: acquires that waited
	// acquire_timeout in vain (58000 to the client).
	held, acquireTimeouts, idleTimeouts atomic.Int64
	// Connections by door, since start (cancel requests included).
	tcpConns, inProcessConns atomic.Int64
}

// startupTimeout bounds a client's TLS handshake, startup and
// authentication.
const startupTimeout = 10 * time.Second

// startProxy listens on addr (loopback; port 0 picks one).
func (b *Binding) startProxy(addr string) (*proxy, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("hyperdrive %q: local Hyperdrive listener: %w", b.cfg.Name, err)
	}
	host, _, _ := net.SplitHostPort(ln.Addr().String())
	tlsConf, caPEM, err := selfSignedTLS(host)
	if err != nil {
		ln.Close()
		return nil, err
	}
	user, password := b.cfg.ProxyUser, b.cfg.ProxyPassword
	if (user == "") != (password == "") {
		ln.Close()
		return nil, fmt.Errorf("hyperdrive %q: local Hyperdrive credentials: set both the user and the password, or neither (random ones per process)", b.cfg.Name)
	}
	if user == "" {
		user, password = "edgerun_"+randomToken(4), randomToken(16)
	}
	p := &proxy{
		b: b, ln: ln, tls: tlsConf, caPEM: caPEM,
		user:     user,
		password: password,
		database: b.origin.Database,
		clients:  map[uint32]*proxyClient{},
		conns:    map[net.Conn]struct{}{},
		servers:  map[*pgconn.PgConn]struct{}{},
	}
	if p.database == "" {
		p.database = b.origin.User // PostgreSQL's default database is the user's name
	}
	if p.secret, err = newSCRAMSecret(p.password); err != nil {
		ln.Close()
		return nil, err
	}
	// Set before the first client can be served: acquireOn reads it from
	// client goroutines.
	b.proxy = p
	p.wg.Add(1)
	go p.accept()
	chain, err := certChain(tlsConf)
	if err != nil {
		ln.Close()
		return nil, err
	}
	p.stopInProcess = isolates.ServeInProcessSecure(ln.Addr().String(), chain, func(nc net.Conn) {
		p.inProcessConns.Add(1)
		if p.track(nc) {
			p.serveTracked(nc, true)
		}
	})
	return p, nil
}

// properties are what env.HYPERDRIVE says: the listener, with the origin's
// sslmode carried over (a project that asks the origin for TLS asks the
// listener for it, which offers its own certificate).
func (p *proxy) properties() Properties {
	host, portText, _ := net.SplitHostPort(p.ln.Addr().String())
	port, _ := strconv.Atoi(portText)
	u := url.URL{Scheme: "postgresql", User: url.UserPassword(p.user, p.password), Host: net.JoinHostPort(host, portText), Path: "/" + p.database}
	if mode := sslmodeOf(p.b.cfg.ConnString); mode != "" {
		if mode == "verify-ca" || mode == "verify-full" {
			mode = "require" // the listener's own CA, not the origin's
		}
		u.RawQuery = "sslmode=" + mode
	}
	return Properties{ConnectionString: u.String(), Host: host, Port: port, User: p.user, Password: p.password, Database: p.database}
}

func sslmodeOf(connString string) string {
	if u, err := url.Parse(connString); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		return u.Query().Get("sslmode")
	}
	return ""
}

// close stops the listener, closes every client and every server
// connection held for one (what they wait for fails at once), and waits
// for the clients' goroutines.
func (p *proxy) close() {
	p.stopInProcess()
	p.mu.Lock()
	p.closed = true
	p.ln.Close()
	for c := range p.conns {
		c.Close()
	}
	for pc := range p.servers {
		// A read deadline, not Close: pgconn answers a closed socket
		// mid-statement with a CancelRequest to the (stalled) server,
		// which the pool's Close then waits for up to 15 s; a timeout it
		// leaves to its owner, which closes the connection as broken.
		_ = pc.Conn().SetReadDeadline(time.Now())
	}
	p.mu.Unlock()
	p.wg.Wait()
}

// hold counts a server connection taken for a client or a cache fill
// (ProxyStats.ServerConnections) until letGo; false once close began (the
// caller gives it back unused).
func (p *proxy) hold(pc *pgconn.PgConn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.held.Add(1)
	p.servers[pc] = struct{}{}
	return true
}

func (p *proxy) letGo(pc *pgconn.PgConn) {
	p.held.Add(-1)
	p.mu.Lock()
	delete(p.servers, pc)
	p.mu.Unlock()
}

func (p *proxy) accept() {
	defer p.wg.Done()
	for {
		nc, err := p.ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			return
		}
		p.tcpConns.Add(1)
		if !p.track(nc) {
			return
		}
		go p.serveTracked(nc, false)
	}
}

// track counts nc among the connections close ends (and waits for), or
// closes it and says false once close began.
func (p *proxy) track(nc net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		nc.Close()
		return false
	}
	p.conns[nc] = struct{}{}
	p.wg.Add(1)
	return true
}

// serveTracked serves a tracked connection and then forgets and closes it.
func (p *proxy) serveTracked(nc net.Conn, inProcess bool) {
	defer p.wg.Done()
	defer func() {
		p.mu.Lock()
		delete(p.conns, nc)
		p.mu.Unlock()
		nc.Close()
	}()
	p.serve(nc, inProcess)
}

func (p *proxy) register(c *proxyClient) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	for {
		var buf [8]byte
		_, _ = rand.Read(buf[:])
		c.pid = binary.BigEndian.Uint32(buf[:4])&0x7fffffff | 1
		c.secret = append([]byte(nil), buf[4:]...)
		if _, taken := p.clients[c.pid]; !taken {
			break
		}
	}
	p.clients[c.pid] = c
	p.active.Add(1)
	p.total.Add(1)
	return true
}

func (p *proxy) unregister(c *proxyClient) {
	p.mu.Lock()
	delete(p.clients, c.pid)
	p.mu.Unlock()
	p.active.Add(-1)
	c.releaseServer(true)
}

// cancel forwards a CancelRequest to the server connection running the
// client's statement, if any (like PostgreSQL, nothing is said either way).
func (p *proxy) cancel(pid uint32, secret []byte) {
	p.mu.Lock()
	c := p.clients[pid]
	p.mu.Unlock()
	if c == nil || subtle.ConstantTimeCompare(c.secret, secret) != 1 {
		return
	}
	c.cancelRunning()
}

// ProxyStats is the local Hyperdrive listener's counters.
type ProxyStats struct {
	Addr                    string
	Clients                 int64 // connected now
	ClientsTotal            int64 // accepted since start
	Queries                 int64 // statements run for clients (simple queries and Executes)
	CacheHits               int64 // of which answered from the cache
	CacheMisses             int64 // cacheable statements the cache did not hold (run on the server)
	ServerConnections       int64 // server connections held for clients now
	AcquireTimeouts         int64 // acquires that waited acquire_timeout in vain
	IdleTransactionTimeouts int64 // clients disconnected idle in a transaction (IdleTransactionTimeout)
	AuthenticationsRefused  int64
	// Connections since start by door (cancel requests and refused ones
	// included): TCPConnections accepted by the listener, and
	// InProcessConnections from this process's scripts, over a pipe.
	TCPConnections, InProcessConnections int64
}

// ProxyStats reports the listener's counters (zero without a listener).
func (b *Binding) ProxyStats() ProxyStats {
	p := b.proxy
	if p == nil {
		return ProxyStats{}
	}
	return ProxyStats{Addr: p.ln.Addr().String(), Clients: p.active.Load(), ClientsTotal: p.total.Load(),
		Queries: p.queries.Load(), CacheHits: p.cacheHits.Load(), CacheMisses: p.cacheMisses.Load(),
		ServerConnections: p.held.Load(), AcquireTimeouts: p.acquireTimeouts.Load(), IdleTransactionTimeouts: p.idleTimeouts.Load(), AuthenticationsRefused: p.refused.Load(),
		TCPConnections: p.tcpConns.Load(), InProcessConnections: p.inProcessConns.Load()}
}

// ProxyCACertPEM is the listener's CA certificate (PEM), which clients
// verifying the server (workerd's sockets do) must trust; nil without a
// listener.
func (b *Binding) ProxyCACertPEM() []byte {
	if b.proxy == nil {
		return nil
	}
	return b.proxy.caPEM
}
