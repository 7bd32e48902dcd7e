package webapi

import (
	"context"
	"errors"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/dop251/goja"
	"github.com/fasthttp/websocket"

	"edgerun/isolates"
)

// WebSockets backed by a network connection. A WebSocketPair whose ends are
// both accepted in the isolate never reaches Go (websocket.js delivers its
// messages itself); a Socket is one end that talks to the network: the
// client end of a pair the worker answered an Upgrade request with (the
// host couples it to the HTTP connection: [Socket.Serve]), or an outbound
// socket (new WebSocket(url), fetch() with Upgrade: websocket).
//
// Reads run on the connection's goroutine and are delivered through the
// isolate's loop one message at a time: the next frame is read only once
// the script has had the last one, so a slow script pushes back on its
// peer through TCP. Writes queue (send() cannot wait) on a writer
// goroutine; what is queued is charged to the isolate's memory budget, so a
// script that outruns its peer meets its memory limit, not the host's.

// Limits, as Workers': a message may be 32 MiB (workerd's
// WEBSOCKET_MAX_MESSAGE_SIZE; Cloudflare documents the same).
const (
	MaxWebSocketMessage = 32 << 20
	// wsCloseWait is how long a socket that sent its Close waits for the
	// peer's before the connection is dropped.
	wsCloseWait = 5 * time.Second
	// wsHalfOpenGrace is how long a socket whose peer closed waits for the
	// script to close too (workerd lets it send more meanwhile) before the
	// host answers the Close itself and releases the request.
	wsHalfOpenGrace = 30 * time.Second
	// wsWriteTimeout bounds one write to a peer that stopped reading.
	wsWriteTimeout = 60 * time.Second
)

// Socket is one network-backed WebSocket of an isolate.
type Socket struct {
	w     *Worker
	iso   *isolates.Isolate
	table *socketTable
	id    int64
	scope *isolates.Scope // the request it belongs to (nil outside one)

	// onEvent is websocket.js's receiver (loop only): onEvent(kind, data,
	// code, reason) with kind "text", "binary", "close", "error" or "end".
	onEvent goja.Callable

	attached chan struct{} // closed once conn is set (or the socket ended first)
	started  chan struct{} // closed when the script accepts: reads may begin
	done     chan struct{} // closed when the connection is over
	wake     chan struct{}

	startOnce, attachOnce, endOnce sync.Once

	mu        sync.Mutex
	conn      *websocket.Conn
	out       []wsFrame
	closeSent bool // our Close frame went out
	closeRecv bool // the peer's Close frame came in
	ended     bool
	// spliced is the socket this one's messages go out on, in Go, when a
	// worker answered with a WebSocket it got from fetch() (splice.go).
	spliced *Socket
	// Protocol and Extensions are the handshake's, for outbound sockets.
	Protocol, Extensions string
}

type wsFrame struct {
	kind   int // websocket.TextMessage, BinaryMessage or CloseMessage
	data   []byte
	code   int
	reason string
	sent   chan struct{} // closed once written, for a spliced socket's reader
}

// Serve runs the socket over conn, the upgraded connection of the request
// that answered with it, until the socket is over (the host calls it from
// the connection's goroutine). It ends the socket when the request ends
// (aborted, the isolate retired) and on [Socket.Shutdown].
func (s *Socket) Serve(conn *websocket.Conn) {
	conn.SetReadLimit(MaxWebSocketMessage)
	// The script answers a Close (workerd's allowHalfOpen): no automatic
	// echo from the library.
	conn.SetCloseHandler(func(int, string) error { return nil })
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		_ = conn.Close()
		return
	}
	s.conn = conn
	s.mu.Unlock()
	s.attachOnce.Do(func() { close(s.attached) })
	stop := context.AfterFunc(s.scope.Context(), func() { s.Shutdown(websocket.CloseGoingAway, "") })
	defer stop()
	go s.writeLoop(conn)
	select {
	case <-s.started:
		s.readLoop(conn)
	case <-s.done:
	}
	<-s.done
}

// Refuse ends a socket the host could not couple to its client (the
// request did not ask for a WebSocket, the handshake was bad): the script
// hears an error event, and the request its socket held can finish.
func (s *Socket) Refuse(err error) {
	go func() {
		s.deliver("error", goja.Undefined(), 0, err.Error())
		s.finish()
	}()
}

// Shutdown closes the socket now with code (best effort: the Close frame
// is not waited for) and ends it.
func (s *Socket) Shutdown(code int, reason string) {
	s.mu.Lock()
	conn, ended := s.conn, s.ended
	s.mu.Unlock()
	if ended {
		return
	}
	if conn != nil {
		_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
	}
	s.finish()
}

// finish ends the socket once: the connection is closed, queued frames are
// dropped (their charge given back) and the script hears "end".
func (s *Socket) finish() {
	s.endOnce.Do(func() {
		s.mu.Lock()
		s.ended = true
		conn, peer, clean := s.conn, s.spliced, s.closeSent && s.closeRecv
		var dropped int64
		for _, f := range s.out {
			dropped += int64(len(f.data))
		}
		s.out = nil
		s.mu.Unlock()
		s.iso.UnchargeBuffer(dropped)
		close(s.done)
		s.attachOnce.Do(func() { close(s.attached) })
		if conn != nil {
			_ = conn.Close()
		}
		if peer != nil {
			peer.peerEnded(clean)
		}
		s.iso.Enqueue(func() {
			delete(s.table.m, s.id)
			s.call("end", goja.Undefined(), 0, "")
		})
	})
}

// call hands one event to the script (loop only).
func (s *Socket) call(kind string, data goja.Value, code int, reason string) {
	if s.onEvent == nil {
		return
	}
	vm := s.w.vm
	s.iso.SetScope(s.scope)
	_, err := s.onEvent(goja.Undefined(), vm.ToValue(kind), data, vm.ToValue(code), vm.ToValue(reason))
	s.iso.Check(err)
	s.iso.SetScope(nil)
}

// deliver runs call on the loop and waits until it has run: the reader's
// backpressure. False when the isolate is gone.
func (s *Socket) deliver(kind string, data any, code int, reason string) bool {
	ran := make(chan struct{})
	ok := s.iso.Enqueue(func() {
		defer close(ran)
		v := goja.Undefined()
		switch d := data.(type) {
		case string:
			v = s.w.vm.ToValue(d)
		case []byte:
			v = s.w.vm.ToValue(s.w.vm.NewArrayBuffer(d))
		}
		s.call(kind, v, code, reason)
	})
	if !ok {
		return false
	}
	select {
	case <-ran:
		return true
	case <-s.iso.Done():
		return false
	}
}

func (s *Socket) readLoop(conn *websocket.Conn) {
	for {
		typ, data, err := conn.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			switch {
			case errors.As(err, &ce) && ce.Code != websocket.CloseAbnormalClosure: // 1006 is the library's word for a dropped connection
				s.mu.Lock()
				s.closeRecv = true
				sent, peer := s.closeSent, s.spliced
				s.mu.Unlock()
				if peer != nil {
					// The peer's connection closes with the same code and reason,
					// and its answer comes back here (splice.go).
					peer.queue(wsFrame{kind: websocket.CloseMessage, code: ce.Code, reason: ce.Text})
					if sent {
						s.finish()
					}
					return
				}
				s.deliver("close", nil, ce.Code, ce.Text)
				if sent {
					s.finish()
				} else {
					code := ce.Code
					t := time.AfterFunc(wsHalfOpenGrace, func() { s.queue(wsFrame{kind: websocket.CloseMessage, code: code}) })
					go func() { <-s.done; t.Stop() }()
				}
				return
			case errors.Is(err, websocket.ErrReadLimit):
				s.deliver("error", nil, 0, "WebSocket message is too large: the limit is 32 MiB.")
			}
			s.finish()
			return
		}
		if peer := s.splicedPeer(); peer != nil {
			if !s.forward(peer, typ, data) {
				return
			}
			continue
		}
		var payload any = data
		if typ == websocket.TextMessage {
			payload = string(data)
		} else {
			if !s.iso.ChargeBuffer(int64(len(data))) {
				s.deliver("error", nil, 0, "A WebSocket message would take the worker past its memory limit.")
				s.Shutdown(websocket.CloseMessageTooBig, "")
				return
			}
			s.iso.KeepCharged(data, int64(len(data)))
		}
		if !s.deliver(kindName(typ), payload, 0, "") {
			s.finish()
			return
		}
	}
}

func kindName(typ int) string {
	if typ == websocket.TextMessage {
		return "text"
	}
	return "binary"
}

// queue adds a frame for the writer; false when the socket has ended.
func (s *Socket) queue(f wsFrame) bool {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return false
	}
	s.out = append(s.out, f)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return true
}

func (s *Socket) writeLoop(conn *websocket.Conn) {
	for {
		s.mu.Lock()
		for len(s.out) == 0 && !s.ended {
			s.mu.Unlock()
			select {
			case <-s.wake:
			case <-s.done:
			}
			s.mu.Lock()
		}
		if s.ended {
			s.mu.Unlock()
			return
		}
		f := s.out[0]
		s.out[0] = wsFrame{}
		s.out = s.out[1:]
		s.mu.Unlock()
		_ = conn.SetWriteDeadline(time.Now().Add(wsWriteTimeout))
		var err error
		if f.kind == websocket.CloseMessage {
			err = conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(f.code, wireCloseReason(f.reason)))
		} else {
			err = conn.WriteMessage(f.kind, f.data)
			s.iso.UnchargeBuffer(int64(len(f.data)))
			if f.sent != nil {
				close(f.sent)
			}
		}
		if err != nil {
			s.finish()
			return
		}
		if f.kind == websocket.CloseMessage {
			s.mu.Lock()
			s.closeSent = true
			recv := s.closeRecv
			s.mu.Unlock()
			if recv {
				s.finish()
			} else {
				t := time.AfterFunc(wsCloseWait, s.finish)
				go func() { <-s.done; t.Stop() }()
			}
			return
		}
	}
}

// wireCloseReason cuts a close reason to the 123 bytes a Close frame can
// carry (RFC 6455 §5.5), at a character boundary. Before the
// websocket_close_reason_byte_limit date close() accepts longer reasons, as
// workerd's did; a frame too long for the protocol would make the peer drop
// the connection, so the reason is shortened instead.
func wireCloseReason(reason string) string {
	const limit = 123
	if len(reason) <= limit {
		return reason
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(reason[cut]) {
		cut--
	}
	return reason[:cut]
}
