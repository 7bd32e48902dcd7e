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

// read hands the script the next chunk the peer sent (at most readChunk
// bytes), or null at the end of the stream. One read at a time: the
// stream's consumer pulls, so a consumer that stops reading stops the
// reads, and TCP's flow control holds the peer back.
func (st *sockets) read(s *sock) *goja.Promise {
	iso, vm := st.iso, st.iso.Runtime()
	conn, err := st.connOf(s)
	if err != nil {
		return iso.Rejected(err)
	}
	if s.reading {
		return iso.Rejected(errors.New("a read is already in progress on this socket"))
	}
	if s.readBuf == nil {
		if !iso.ChargeBuffer(readChunk) {
			return iso.Rejected(errors.New("reading from the socket would take the worker past its memory limit"))
		}
		s.readBuf, s.readCharge = getReadBuf(), readChunk
	}
	p, resolve, reject := vm.NewPromise()
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
				st.settle(s, reject, iso.NewError("reading from the socket would take the worker past its memory limit"))
			case n > 0:
				iso.KeepCharged(chunk, int64(n))
				st.settle(s, resolve, iso.NewUint8Array(chunk))
			case s.closed || s.upgrades != upgrades || errors.Is(rerr, net.ErrClosed):
				// closed by the script or its request, or cut for startTls: the
				// stream just ends
				st.settle(s, resolve, goja.Null())
			case rerr == nil:
				st.settle(s, resolve, iso.NewUint8Array(nil))
			case isEOF(rerr):
				st.settle(s, resolve, goja.Null())
			default:
				st.settle(s, reject, iso.NewError(errConnLost))
			}
		})
	})
	return p
}

// write puts data on the connection; the promise settles once it is all
// written (so a peer that does not read holds the script's writes back).
// The bytes are copied (the script may reuse its buffer) and the copy is
// charged to the isolate until it is written.
func (st *sockets) write(s *sock, data []byte) *goja.Promise {
	iso, vm := st.iso, st.iso.Runtime()
	conn, err := st.connOf(s)
	if err != nil {
		return iso.Rejected(err)
	}
	if s.writing {
		return iso.Rejected(errors.New("a write is already in progress on this socket"))
	}
	n := int64(len(data))
	if n == 0 {
		p, resolve, _ := vm.NewPromise()
		_ = resolve(goja.Undefined())
		return p
	}
	if !iso.ChargeBuffer(n) {
		return iso.Rejected(errors.New("writing to the socket would take the worker past its memory limit"))
	}
	data = append([]byte(nil), data...)
	p, resolve, reject := vm.NewPromise()
	s.writing = true
	done := iso.RegisterCallback()
	isolates.Go(func() {
		_, werr := conn.Write(data)
		iso.UnchargeBuffer(n)
		done(func() {
			s.writing = false
			switch {
			case werr == nil:
				st.settle(s, resolve, goja.Undefined())
			case s.closed || errors.Is(werr, net.ErrClosed):
				st.settle(s, reject, vm.NewTypeError(errSocketClosed))
			default:
				st.settle(s, reject, iso.NewError(errConnLost))
			}
		})
	})
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
	done := iso.RegisterCallback()
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
	return p
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
	raw := s.raw
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
		tc := tls.Client(raw, cfg)
		herr := tc.HandshakeContext(ctx)
		s.mu.Lock()
		dead := s.dead
		if herr == nil && !dead {
			s.conn = tc
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
