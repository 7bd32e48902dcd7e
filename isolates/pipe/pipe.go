// Package pipe is an in-memory, full-duplex connection: two net.Conn ends
// that behave as the two ends of a loopback TCP connection do, without the
// kernel. Scripts reach servers of their own process over it (see
// isolates.ServeInProcess): the local Hyperdrive's listener, first.
//
// What it keeps of TCP, because its users depend on it:
//   - Buffering with backpressure: a Write returns once its bytes are
//     buffered, and blocks while the other end has [BufferSize] bytes unread
//     (net.Pipe blocks every Write until the peer has read it all, which
//     would put a goroutine switch on every message).
//   - Deadlines (SetDeadline, SetReadDeadline, SetWriteDeadline): past one,
//     Read and Write fail with os.ErrDeadlineExceeded, a net.Error whose
//     Timeout() is true, as a TCP connection's do; one set in the past cuts
//     a Read that is waiting.
//   - Half-close: CloseWrite is TCP's shutdown(SHUT_WR): the peer reads
//     what was written, then io.EOF, and can still write back.
//   - Close: this end's own Reads and Writes fail with net.ErrClosed (as a
//     closed TCP connection's do); the peer reads what was written before,
//     then io.EOF, and its Writes fail with io.ErrClosedPipe.
package pipe

import (
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// BufferSize is how many unread bytes one direction holds before its
// writer blocks: a loopback socket buffer's order of magnitude.
const BufferSize = 64 << 10

// New returns the two ends of a new connection. addr names the server
// side (the dialled address): it is the client end's RemoteAddr and the
// server end's LocalAddr.
func New(addr string) (client, server *Conn) {
	toServer, toClient := newStream(), newStream()
	srvAddr, cliAddr := Addr(addr), Addr("in-process client of "+addr)
	client = &Conn{in: toClient, out: toServer, local: cliAddr, remote: srvAddr, done: make(chan struct{})}
	server = &Conn{in: toServer, out: toClient, local: srvAddr, remote: cliAddr, done: make(chan struct{})}
	client.readDL.init()
	client.writeDL.init()
	server.readDL.init()
	server.writeDL.init()
	return client, server
}

// Addr is an end's address: network "pipe".
type Addr string

func (Addr) Network() string  { return "pipe" }
func (a Addr) String() string { return string(a) }

// stream is one direction: bytes one end wrote that the other has not read.
type stream struct {
	mu     sync.Mutex
	buf    []byte // unread bytes are buf[off:]
	off    int
	eof    bool // the writer closed its side: reads end once buf is drained
	broken bool // the reader closed: writes fail

	// One-slot signals, sent without blocking: readable when bytes or eof
	// arrive, writable when room is made or the reader goes away. A
	// waiter re-checks the state after waking, so a stale signal costs a
	// loop, never a wrong answer.
	readable, writable chan struct{}
}

func newStream() *stream {
	return &stream{readable: make(chan struct{}, 1), writable: make(chan struct{}, 1)}
}

// take moves unread bytes into b. s.mu is held.
func (s *stream) take(b []byte) int {
	n := copy(b, s.buf[s.off:])
	s.off += n
	if s.off == len(s.buf) {
		s.buf, s.off = s.buf[:0], 0
	}
	return n
}

// put appends b, which fits within BufferSize, to the unread bytes,
// moving them down rather than growing the buffer past BufferSize. s.mu
// is held.
func (s *stream) put(b []byte) {
	if s.off > 0 && len(s.buf)+len(b) > cap(s.buf) {
		m := copy(s.buf, s.buf[s.off:])
		s.buf, s.off = s.buf[:m], 0
	}
	s.buf = append(s.buf, b...)
}

func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// Conn is one end. Reads are serialised among themselves and so are
// writes (a net.Conn may be used from several goroutines), so at most one
// reader and one writer wait on a stream.
type Conn struct {
	in, out       *stream
	local, remote net.Addr
	rdMu, wrMu    sync.Mutex
	readDL        deadline
	writeDL       deadline
	closeOnce     sync.Once
	done          chan struct{} // closed by Close
}

var _ net.Conn = (*Conn)(nil)

func (c *Conn) opError(op string, err error) error {
	return &net.OpError{Op: op, Net: "pipe", Source: c.local, Addr: c.remote, Err: err}
}

func (c *Conn) closed() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// Read reads what the peer wrote, waiting for it; io.EOF once the peer
// closed (or half-closed) and everything it wrote has been read.
func (c *Conn) Read(b []byte) (int, error) {
	c.rdMu.Lock()
	defer c.rdMu.Unlock()
	s := c.in
	for {
		if c.closed() {
			return 0, c.opError("read", net.ErrClosed)
		}
		if c.readDL.passed() {
			return 0, c.opError("read", os.ErrDeadlineExceeded)
		}
		s.mu.Lock()
		if s.off < len(s.buf) {
			n := s.take(b)
			s.mu.Unlock()
			signal(s.writable)
			return n, nil
		}
		eof := s.eof
		s.mu.Unlock()
		if eof {
			return 0, io.EOF
		}
		if len(b) == 0 {
			return 0, nil
		}
		select {
		case <-s.readable:
		case <-c.done:
		case <-c.readDL.wait():
		}
	}
}

// Write buffers b for the peer, waiting while the peer has BufferSize
// bytes unread; it returns once every byte is buffered (or with how many
// were, and why not).
func (c *Conn) Write(b []byte) (int, error) {
	c.wrMu.Lock()
	defer c.wrMu.Unlock()
	s := c.out
	n := 0
	for {
		// Done first: once every byte is buffered the write succeeded,
		// even if the peer has already read them and closed (a fast
		// server's reply-and-hang-up must not turn a delivered write
		// into an error).
		if n > 0 && len(b) == 0 {
			return n, nil
		}
		if c.closed() {
			return n, c.opError("write", net.ErrClosed)
		}
		if c.writeDL.passed() {
			return n, c.opError("write", os.ErrDeadlineExceeded)
		}
		s.mu.Lock()
		switch {
		case s.eof: // this end shut its write side down
			s.mu.Unlock()
			return n, c.opError("write", net.ErrClosed)
		case s.broken:
			s.mu.Unlock()
			return n, c.opError("write", io.ErrClosedPipe)
		case len(b) == 0:
			s.mu.Unlock()
			return n, nil
		}
		if room := BufferSize - (len(s.buf) - s.off); room > 0 {
			k := min(room, len(b))
			s.put(b[:k])
			b, n = b[k:], n+k
			s.mu.Unlock()
			signal(s.readable)
			continue
		}
		s.mu.Unlock()
		select {
		case <-s.writable:
		case <-c.done:
		case <-c.writeDL.wait():
		}
	}
}

// CloseWrite shuts the write side down: the peer reads what was written,
// then io.EOF. Reads on this end go on.
func (c *Conn) CloseWrite() error {
	if c.closed() {
		return c.opError("close", net.ErrClosed)
	}
	s := c.out
	s.mu.Lock()
	s.eof = true
	s.mu.Unlock()
	signal(s.readable)
	return nil
}

// Close ends this end: its waiting Read and Write return net.ErrClosed,
// the peer reads what was written and then io.EOF, and the peer's Writes
// fail from now on. Bytes the peer wrote that this end never read are
// dropped.
func (c *Conn) Close() error {
	first := false
	c.closeOnce.Do(func() {
		first = true
		close(c.done)
		out, in := c.out, c.in
		out.mu.Lock()
		out.eof = true
		out.mu.Unlock()
		signal(out.readable)
		in.mu.Lock()
		in.broken, in.buf, in.off = true, nil, 0
		in.mu.Unlock()
		signal(in.writable)
		c.readDL.set(time.Time{})
		c.writeDL.set(time.Time{})
	})
	if !first {
		return c.opError("close", net.ErrClosed)
	}
	return nil
}

func (c *Conn) LocalAddr() net.Addr  { return c.local }
func (c *Conn) RemoteAddr() net.Addr { return c.remote }

func (c *Conn) SetDeadline(t time.Time) error {
	if c.closed() {
		return c.opError("set", net.ErrClosed)
	}
	c.readDL.set(t)
	c.writeDL.set(t)
	return nil
}

func (c *Conn) SetReadDeadline(t time.Time) error {
	if c.closed() {
		return c.opError("set", net.ErrClosed)
	}
	c.readDL.set(t)
	return nil
}

func (c *Conn) SetWriteDeadline(t time.Time) error {
	if c.closed() {
		return c.opError("set", net.ErrClosed)
	}
	c.writeDL.set(t)
	return nil
}

// deadline is one of an end's deadlines: expired is closed once it has
// passed, so a waiting Read or Write can select on it.
type deadline struct {
	mu      sync.Mutex
	timer   *time.Timer
	expired chan struct{}
}

func (d *deadline) init() { d.expired = make(chan struct{}) }

// set moves the deadline to t (zero: none). A timer that already fired
// has closed expired, so a new channel replaces it.
func (d *deadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil && !d.timer.Stop() {
		<-d.expired // the timer fired: wait for its close
	}
	d.timer = nil
	passed := isClosed(d.expired)
	if t.IsZero() {
		if passed {
			d.expired = make(chan struct{})
		}
		return
	}
	wait := time.Until(t)
	if wait <= 0 {
		if !passed {
			close(d.expired)
		}
		return
	}
	if passed {
		d.expired = make(chan struct{})
	}
	ch := d.expired
	d.timer = time.AfterFunc(wait, func() { close(ch) })
}

func (d *deadline) wait() <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.expired
}

func (d *deadline) passed() bool { return isClosed(d.wait()) }

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
