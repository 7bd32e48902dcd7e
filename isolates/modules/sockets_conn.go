package modules

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"

	"github.com/dop251/goja"

	"edgerun/isolates"
)

// The connections behind cloudflare:sockets. Every field marked loop-only
// is touched on the isolate's goroutine only; the I/O (dial, handshake,
// each read and write) runs on a goroutine of its own and hands its result
// back through a callback reserved on the loop (iso.RegisterCallback), so
// the isolate never waits on the network. Goroutines, not iso.Async: Async
// may run the work on the goroutine of the HTTP request that called in,
// and a read can wait for as long as the peer is silent. They come from
// the isolates' pool (isolates.Go), whose parked goroutines keep the deep
// stack the completion's JavaScript grew.

// readChunk is the most one read hands the script: the socket's read
// buffer, charged to the isolate while the socket is open.
const readChunk = 64 << 10

// readBufs are sockets' read buffers, kept across connections: a driver that
// opens a connection per request (node-postgres' Client) made a new 64 KiB
// buffer per request, 6% of the bytes it allocated. A buffer goes back
// only once no Read uses it (the chunks handed to scripts are copies).
var readBufs = sync.Pool{New: func() any { b := make([]byte, readChunk); return &b }}

func getReadBuf() []byte { return *readBufs.Get().(*[]byte) }

func putReadBuf(b []byte) { readBufs.Put(&b) }

// defaultSocketsPerRequest is Workers' limit on a request's simultaneous
// open connections.
const defaultSocketsPerRequest = 6

// Errors as workerd words them.
const (
	errConnectFailed = "proxy request failed, cannot connect to the specified address"
	errHTTPPortHint  = ". It looks like you might be trying to connect to a HTTP-based service — consider using fetch instead"
	errPort25        = "Connections to port 25 are prohibited"
	errConnLost      = "Network connection lost."
	errSocketClosed  = "The socket has been closed."
	errRequestEnded  = "The request that opened this socket has ended; sockets do not outlive their request."
)

// sockets is one isolate's connections.
type sockets struct {
	iso   *isolates.Isolate
	limit int
	tls   *tls.Config // the base client config (roots, verification)
	// verified: in-process doors' chains verified for a name (doorKey),
	// read and written by the dials' goroutines (sockets_tls.go).
	verified sync.Map

	// Loop-only.
	next    int64
	byID    map[int64]*sock
	global  *requestSockets // sockets opened outside any request (tests)
	retired bool
}

// requestSockets is one request's connections: those holding one of its
// slots, and those queued for one (Workers queues a connection past the
// limit until an open one closes). Loop-only.
type requestSockets struct {
	open    int
	waiting []*sock
	all     map[*sock]struct{}
}

type sock struct {
	id    int64
	st    *sockets
	req   *requestSockets
	scope *isolates.Scope
	host  string // as dialled: no IPv6 brackets
	port  int
	tls   bool

	// mu guards conn and dead against the I/O goroutines and retirement.
	mu   sync.Mutex
	conn net.Conn // the connection the script reads and writes: raw, or TLS over it
	raw  net.Conn // TCP, or an in-process pipe (isolates.DialInProcessSecure)
	// door: the certificate chain of the in-process door raw reaches, whose
	// TLS is skipped (sockets_tls.go); set with raw, before opened settles.
	door   []*x509.Certificate
	dead   bool // closed: a dial or handshake that finishes now closes what it made
	cancel context.CancelFunc

	// Loop-only.
	slot       bool // holds one of the request's slots
	closed     bool
	resolve    func(any) error // opened
	reject     func(any) error
	reading    bool
	readDone   chan struct{} // closed when the outstanding read's Read has returned
	upgrades   int           // startTls calls: a read begun before one ends the old stream
	wq         []byte        // written by the script, not yet handed to the connection (sockets_io.go)
	wqCharge   int64         // of wq, charged to the isolate
	wwait      []waiter      // writes past writeBuffer, settled when wq is written
	flushing   bool          // a flush is scheduled or writing
	afterFlush []func()      // run when the flush ends (drained, shutdown)
	werr       int           // writeClosed or writeLost once a write failed
	readBuf    []byte
	readCharge int64
}

// socketsOf is the isolate's connections, made on the first require of
// cloudflare:sockets.
func socketsOf(r *Registry) *sockets {
	type key struct{}
	if st, ok := r.iso.Value(key{}).(*sockets); ok {
		return st
	}
	limit := r.opts.MaxSocketsPerRequest
	if limit <= 0 {
		limit = defaultSocketsPerRequest
	}
	st := &sockets{iso: r.iso, limit: limit, tls: clientTLSConfig(r.opts.TLSRoots), byID: make(map[int64]*sock)}
	r.iso.SetValue(key{}, st)
	r.iso.OnRetire(func(error) { st.retire() })
	return st
}

// closedPromise is what I/O on a socket that is gone (closed by its
// request's end, say) returns.
func (st *sockets) closedPromise() *goja.Promise {
	p, _, reject := st.iso.Runtime().NewPromise()
	_ = reject(st.iso.Runtime().NewTypeError(errSocketClosed))
	return p
}

func (st *sockets) requestOf(scope *isolates.Scope) *requestSockets {
	type key struct{}
	if scope == nil {
		if st.global == nil {
			st.global = &requestSockets{all: make(map[*sock]struct{})}
		}
		return st.global
	}
	if rs, ok := scope.Value(key{}).(*requestSockets); ok {
		return rs
	}
	rs := &requestSockets{all: make(map[*sock]struct{})}
	scope.SetValue(key{}, rs)
	scope.OnEnd(func() { st.endRequest(rs) })
	return rs
}

// connect starts a connection (or queues it behind the request's limit)
// and returns it with its opened promise.
func (st *sockets) connect(scope *isolates.Scope, host string, port int, useTLS bool, address string) (*sock, *goja.Promise) {
	vm := st.iso.Runtime()
	st.next++
	s := &sock{id: st.next, st: st, scope: scope, host: strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"), port: port, tls: useTLS}
	p, resolve, reject := vm.NewPromise()
	s.resolve, s.reject = resolve, reject
	st.byID[s.id] = s
	s.req = st.requestOf(scope)
	s.req.all[s] = struct{}{}
	switch {
	case st.retired:
		st.fail(s, st.iso.NewError(errConnectFailed))
	case port == 25:
		st.fail(s, st.iso.NewError(errPort25))
	case s.req.open < st.limit:
		st.dial(s)
	default:
		s.req.waiting = append(s.req.waiting, s)
	}
	return s, p
}

func (st *sockets) dial(s *sock) {
	s.slot = true
	s.req.open++
	ctx, cancel := context.WithCancel(s.scope.Context())
	s.cancel = cancel
	done := st.iso.RegisterCallback()
	cfg := st.tlsFor(s.host)
	useTLS := s.tls
	addr := net.JoinHostPort(s.host, strconv.Itoa(s.port))
	isolates.Go(func() {
		// A server of this process (the local Hyperdrive) is reached
		// through memory; anything else over TCP.
		raw, door := isolates.DialInProcessSecure(addr)
		var err error
		if raw == nil {
			var d net.Dialer
			raw, err = d.DialContext(ctx, "tcp", addr)
		}
		conn := raw
		var tlsErr error
		switch {
		case err != nil || !useTLS:
		case door != nil:
			// A door whose TLS is skipped: its certificate is checked, the
			// bytes go in clear (sockets_tls.go).
			if tlsErr = st.verifyDoor(door, cfg); tlsErr != nil {
				raw.Close()
			}
		default:
			tc := tls.Client(raw, cfg)
			if tlsErr = tc.HandshakeContext(ctx); tlsErr != nil {
				raw.Close()
			}
			conn = tc
		}
		s.mu.Lock()
		dead := s.dead
		if err == nil && tlsErr == nil && !dead {
			s.conn, s.raw, s.door = conn, raw, door
		} else if err == nil && tlsErr == nil {
			conn.Close()
		}
		s.mu.Unlock()
		done(func() {
			switch {
			case dead || s.closed:
				// closed meanwhile: close() or the request's end settled opened
			case err != nil:
				msg := errConnectFailed
				if s.port == 80 || s.port == 443 {
					msg += errHTTPPortHint
				}
				st.fail(s, st.iso.NewError(msg))
			case tlsErr != nil:
				st.fail(s, st.iso.NewError("TLS handshake failed: "+tlsErr.Error()))
			default:
				st.settle(s, s.resolve, goja.Undefined())
			}
		})
	})
}

// settle runs a promise's resolver as the request that owns s.
func (st *sockets) settle(s *sock, fn func(any) error, v any) {
	if fn == nil {
		return
	}
	prev := st.iso.Scope()
	st.iso.SetScope(s.scope)
	st.iso.Check(fn(v))
	st.iso.SetScope(prev)
}

// fail rejects s's opened promise and releases it.
func (st *sockets) fail(s *sock, err goja.Value) {
	reject := s.reject
	s.resolve, s.reject = nil, nil
	st.release(s)
	st.settle(s, reject, err)
}

// release closes s's connection, gives its slot to the next queued
// connection and forgets it. Loop-only.
func (st *sockets) release(s *sock) {
	if s.closed {
		return
	}
	s.closed = true
	s.mu.Lock()
	s.dead = true
	conn := s.conn
	s.mu.Unlock()
	if s.cancel != nil {
		s.cancel()
	}
	if conn != nil {
		conn.Close() // ends the outstanding read and write: their callbacks settle them
	}
	if s.readBuf != nil && !s.reading {
		st.iso.UnchargeBuffer(s.readCharge)
		putReadBuf(s.readBuf)
		s.readBuf, s.readCharge = nil, 0
	}
	delete(st.byID, s.id)
	delete(s.req.all, s)
	if s.slot {
		s.slot = false
		s.req.open--
		for len(s.req.waiting) > 0 && s.req.open < st.limit {
			next := s.req.waiting[0]
			s.req.waiting = s.req.waiting[1:]
			if !next.closed {
				st.dial(next)
			}
		}
	}
}

// close is the script's close(): the connection ends now; a pending
// opened resolves no more (the script's close settles the Socket).
func (st *sockets) close(s *sock) {
	if s.reject != nil {
		st.fail(s, st.iso.NewError(errSocketClosed))
		return
	}
	st.release(s)
}

// endRequest closes what a request left open, as workerd does when the
// request's I/O context ends.
func (st *sockets) endRequest(rs *requestSockets) {
	rs.waiting = nil
	for s := range rs.all {
		if s.reject != nil {
			st.fail(s, st.iso.NewError(errRequestEnded))
		} else {
			st.release(s)
		}
	}
}

// retire closes every connection of a retired isolate (on whichever
// goroutine retires it: only the mutex-guarded fields are touched, and the
// callbacks that would settle promises are dropped with the isolate).
func (st *sockets) retire() {
	st.retired = true
	for _, s := range st.byID {
		s.mu.Lock()
		s.dead = true
		conn := s.conn
		s.mu.Unlock()
		if s.cancel != nil {
			s.cancel()
		}
		if conn != nil {
			conn.Close()
		}
	}
}

func (st *sockets) connOf(s *sock) (net.Conn, error) {
	if s.closed {
		return nil, errors.New(errSocketClosed)
	}
	s.mu.Lock()
	conn := s.conn
	s.mu.Unlock()
	if conn == nil {
		return nil, errors.New("the socket is not open yet")
	}
	return conn, nil
}
