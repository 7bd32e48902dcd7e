package webapi

import (
	"time"

	"github.com/fasthttp/websocket"
)

// Splicing: a worker that answers an Upgrade request with the WebSocket of
// a fetch() response (`return fetch(request)` to an origin that speaks
// WebSockets) proxies one connection to the other. Workers does that
// without the script seeing the messages; so does edgerun: each socket's
// reader hands what it reads to the other socket's writer, in Go, one
// message at a time (the next frame is read once the last one is written,
// so a slow side pushes back on the fast one through TCP). A Close is
// passed on with its code and reason and the other side's answer comes
// back; a connection that drops takes the other down with 1001.

// splice joins a (the client's socket) and b (the fetched one) and starts
// both readers.
func splice(a, b *Socket) {
	a.mu.Lock()
	a.spliced = b
	a.mu.Unlock()
	b.mu.Lock()
	b.spliced = a
	b.mu.Unlock()
	for _, s := range []*Socket{a, b} {
		s.startOnce.Do(func() { close(s.started) })
	}
}

func (s *Socket) splicedPeer() *Socket {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.spliced
}

// forward writes one message read from s on peer and waits until it is
// written (charged to the isolate meanwhile, as a send() is). False when
// either side is over: s has been finished.
func (s *Socket) forward(peer *Socket, typ int, data []byte) bool {
	if !s.iso.ChargeBuffer(int64(len(data))) {
		s.Shutdown(websocket.CloseMessageTooBig, "")
		return false
	}
	sent := make(chan struct{})
	if !peer.queue(wsFrame{kind: typ, data: data, sent: sent}) {
		s.iso.UnchargeBuffer(int64(len(data)))
		s.finish()
		return false
	}
	select {
	case <-sent:
		return true
	case <-peer.done:
		s.finish()
		return false
	case <-s.done:
		return false
	}
}

// peerEnded is told that the socket spliced to s has ended: after a clean
// close s has its own Close exchange under way and is given the time to
// finish it; otherwise it goes away now.
func (s *Socket) peerEnded(clean bool) {
	if !clean {
		s.Shutdown(websocket.CloseGoingAway, "")
		return
	}
	t := time.AfterFunc(wsCloseWait, s.finish)
	go func() { <-s.done; t.Stop() }()
}
