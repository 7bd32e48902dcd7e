package modules

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"time"

	"github.com/dop251/goja"

	"edgerun/isolates"
)

// A socket's I/O once it is open: each read, write, half-close and TLS
// upgrade runs on a goroutine of its own and settles on the loop (see
// sockets_conn.go).

// read starts reading the next chunk the peer sends (at most readChunk
// bytes) and calls back onRead(chunk) with it, onRead(null) at the end of
// the stream, or onRead(undefined, error). One read at a time: the stream's
// consumer pulls, so a consumer that stops reading stops the reads, and
// TCP's flow control holds the peer back. A callback, not a promise: a
// driver reads a chunk per message exchange, and a promise and its then
// were two promises, their resolving functions and two closures per read.
// The error is returned at once when the read cannot start (nil: started).
func (st *sockets) read(s *sock, onRead goja.Callable) goja.Value {
	iso, vm := st.iso, st.iso.Runtime()
	conn, err := st.connOf(s)
	if err != nil {
		return vm.NewTypeError(err.Error())
	}
	if s.reading {
		return iso.NewError("a read is already in progress on this socket")
	}
	if s.readBuf == nil {
		if !iso.ChargeBuffer(readChunk) {
			return iso.NewError("reading from the socket would take the worker past its memory limit")
		}
		s.readBuf, s.readCharge = getReadBuf(), readChunk
	}
	s.reading = true
	readDone := make(chan struct{})
	s.readDone = readDone
	upgrades := s.upgrades
	buf := s.readBuf
	done := iso.RegisterCallback()
	isolates.Go(func() {
		n, rerr := conn.Read(buf)
		var chunk []byte
		charged := false
		if n > 0 {
			// The script keeps the chunk: a copy of its own size, charged
			// until the script's ArrayBuffer of it is collected.
			if charged = iso.ChargeBuffer(int64(n)); charged {
				chunk = append([]byte(nil), buf[:n]...)
			}
		}
		close(readDone)
		done(func() {
			s.reading = false
			if s.closed && s.readBuf != nil {
				iso.UnchargeBuffer(s.readCharge)
				putReadBuf(s.readBuf)
				s.readBuf, s.readCharge = nil, 0
			}
			switch {
			case n > 0 && !charged:
				st.call(s, onRead, goja.Undefined(), iso.NewError("reading from the socket would take the worker past its memory limit"))
			case n > 0:
				iso.KeepCharged(chunk, int64(n))
				st.call(s, onRead, iso.NewUint8Array(chunk), goja.Undefined())
			case s.closed || s.upgrades != upgrades || errors.Is(rerr, net.ErrClosed):
				// closed by the script or its request, or cut for startTls: the
				// stream just ends
				st.call(s, onRead, goja.Null(), goja.Undefined())
			case rerr == nil:
				st.call(s, onRead, iso.NewUint8Array(nil), goja.Undefined())
			case isEOF(rerr):
				st.call(s, onRead, goja.Null(), goja.Undefined())
			default:
				st.call(s, onRead, goja.Undefined(), iso.NewError(errConnLost))
			}
		})
	})
	return nil
}

// call runs a script's callback as the request that owns s.
func (st *sockets) call(s *sock, fn goja.Callable, args ...goja.Value) {
	prev := st.iso.Scope()
	st.iso.SetScope(s.scope)
	_, err := fn(goja.Undefined(), args...)
	st.iso.Check(err)
	st.iso.SetScope(prev)
}

// writeBuffer is how many bytes a socket takes from the script ahead of the
// connection before a write waits: what a kernel's send buffer is to a TCP
// write. Below it a write is done at once.
const writeBuffer = 64 << 10

// Write failures kept for the writes after the one that failed.
const (
	writeOK = iota
	writeClosed
	writeLost
)

// write queues data for the connection. The bytes are copied (the script
// may reuse its buffer) and charged to the isolate until written. It
// returns nil when the queue had room (the write is done, as a TCP write
// that fits the send buffer), else a promise that settles once the queue's
// bytes are on the connection (so a peer that does not read holds the
// script's writes back). Writes made in one turn of the loop go out as one
// write on the connection: node-postgres writes Parse, Bind, Describe,
// Execute and Sync separately, and each had its goroutine hop, its pipe or
// TCP write and its wake-up of the peer. A failure is the next write's (or
// close's) error.
func (st *sockets) write(s *sock, data []byte) *goja.Promise {
	iso, vm := st.iso, st.iso.Runtime()
	if _, err := st.connOf(s); err != nil {
		return iso.Rejected(err)
	}
	if s.werr != writeOK {
		p, _, reject := vm.NewPromise()
		_ = reject(st.writeError(s.werr))
		return p
	}
	n := int64(len(data))
	if n == 0 {
		return nil
	}
	if !iso.ChargeBuffer(n) {
		return iso.Rejected(errors.New("writing to the socket would take the worker past its memory limit"))
	}
	s.wq = append(s.wq, data...)
	s.wqCharge += n
	if !s.flushing {
		// Flushed once this turn's microtasks have run: the job queued
		// runs after the current one.
		s.flushing = true
		done := iso.RegisterCallback()
		done(func() { st.flush(s) })
	}
	if len(s.wq) <= writeBuffer {
		return nil
	}
	p, resolve, reject := vm.NewPromise()
	s.wwait = append(s.wwait, waiter{resolve, reject})
	return p
}

type waiter struct{ resolve, reject func(any) error }

func (st *sockets) writeError(kind int) goja.Value {
	if kind == writeClosed {
		return st.iso.Runtime().NewTypeError(errSocketClosed)
	}
	return st.iso.NewError(errConnLost)
}

// flush writes the queue on a goroutine of the pool, then what was queued
// meanwhile, until the queue is empty or a write fails. Loop-only.
func (st *sockets) flush(s *sock) {
	iso := st.iso
	data, charge, waiters := s.wq, s.wqCharge, s.wwait
	s.wq, s.wqCharge, s.wwait = nil, 0, nil
	conn, err := st.connOf(s)
	if err != nil {
		iso.UnchargeBuffer(charge)
		st.flushed(s, waiters, writeClosed)
		return
	}
	done := iso.RegisterCallback()
	isolates.Go(func() {
		_, werr := conn.Write(data)
		iso.UnchargeBuffer(charge)
		done(func() {
			switch {
			case werr == nil:
				for _, w := range waiters {
					st.settle(s, w.resolve, goja.Undefined())
				}
				switch {
				case s.closed: // what was queued meanwhile goes nowhere
					st.flushed(s, nil, writeClosed)
				case len(s.wq) > 0:
					st.flush(s)
				default:
					st.flushed(s, nil, writeOK)
				}
			case s.closed || errors.Is(werr, net.ErrClosed):
				st.flushed(s, waiters, writeClosed)
			default:
				st.flushed(s, waiters, writeLost)
			}
		})
	})
}

// flushed ends a flush: waiters (and, after a failure, what is still
// queued) fail with kind, and what waited for the queue to drain runs.
func (st *sockets) flushed(s *sock, waiters []waiter, kind int) {
	if kind != writeOK {
		s.werr = kind
		st.iso.UnchargeBuffer(s.wqCharge)
		waiters = append(waiters, s.wwait...)
		s.wq, s.wqCharge, s.wwait = nil, 0, nil
		for _, w := range waiters {
			st.settle(s, w.reject, st.writeError(kind))
		}
	}
	s.flushing = false
	after := s.afterFlush
	s.afterFlush = nil
	for _, fn := range after {
		fn()
	}
}

// drained is a promise that resolves once the queued writes are on the
// connection (or have failed), or nil when nothing is queued.
func (st *sockets) drained(s *sock) *goja.Promise {
	if !s.flushing {
		return nil
	}
	p, resolve, _ := st.iso.Runtime().NewPromise()
	s.afterFlush = append(s.afterFlush, func() { st.settle(s, resolve, goja.Undefined()) })
	return p
}

// shutdown closes the write side (the peer reads end of stream); reads
// go on.
func (st *sockets) shutdown(s *sock) *goja.Promise {
	iso, vm := st.iso, st.iso.Runtime()
	conn, err := st.connOf(s)
	if err != nil {
		return iso.Rejected(err)
	}
	p, resolve, _ := vm.NewPromise()
	if s.flushing { // what was written goes first
		s.afterFlush = append(s.afterFlush, func() { st.closeWrite(s, conn, resolve) })
	} else {
		st.closeWrite(s, conn, resolve)
	}
	return p
}

func (st *sockets) closeWrite(s *sock, conn net.Conn, resolve func(any) error) {
	done := st.iso.RegisterCallback()
	isolates.Go(func() {
		if tc, ok := conn.(*tls.Conn); ok {
			_ = tc.CloseWrite() // close_notify
			s.mu.Lock()
			conn = s.raw
			s.mu.Unlock()
		}
		if cw, ok := conn.(interface{ CloseWrite() error }); ok {
			_ = cw.CloseWrite()
		}
		done(func() { st.settle(s, resolve, goja.Undefined()) })
	})
}

// startTLS upgrades s in place: the read the old stream may still have
// outstanding is cut (it cannot take the server's handshake bytes: the
// server speaks only after the ClientHello, which is sent once that read
// has returned), then the handshake runs off the loop.
func (st *sockets) startTLS(s *sock, serverName string) *goja.Promise {
	iso, vm := st.iso, st.iso.Runtime()
	if _, err := st.connOf(s); err != nil {
		return iso.Rejected(err)
	}
	s.upgrades++
	s.mu.Lock()
	raw, door := s.raw, s.door
	s.mu.Unlock()
	var readDone chan struct{}
	if s.reading {
		readDone = s.readDone
		_ = raw.SetReadDeadline(time.Now())
	}
	ctx, cancel := context.WithCancel(s.scope.Context())
	s.cancel = cancel
	if serverName == "" {
		serverName = s.host
	}
	cfg := st.tlsFor(serverName)
	p, resolve, reject := vm.NewPromise()
	done := iso.RegisterCallback()
	isolates.Go(func() {
		if readDone != nil {
			<-readDone
		}
		_ = raw.SetReadDeadline(time.Time{})
		var herr error
		var conn net.Conn = raw
		if door != nil {
			// The in-process door: its certificate checked, no handshake
			// (sockets_tls.go); the connection goes on as it is.
			herr = st.verifyDoor(door, cfg)
		} else {
			tc := tls.Client(raw, cfg)
			herr = tc.HandshakeContext(ctx)
			conn = tc
		}
		s.mu.Lock()
		dead := s.dead
		if herr == nil && !dead {
			s.conn = conn
		}
		s.mu.Unlock()
		if herr != nil || dead {
			raw.Close()
		}
		done(func() {
			switch {
			case s.closed || dead:
				st.settle(s, reject, iso.NewError(errSocketClosed))
			case herr != nil:
				st.release(s)
				st.settle(s, reject, iso.NewError("TLS handshake failed: "+herr.Error()))
			default:
				st.settle(s, resolve, goja.Undefined())
			}
		})
	})
	return p
}

func isEOF(err error) bool { return errors.Is(err, io.EOF) }
