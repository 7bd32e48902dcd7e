package webapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/dop251/goja"
	"github.com/fasthttp/websocket"
)

// websocketNatives are websocket.js's, over the Sockets of websocket.go:
//
//	wsNew() → id                       a socket the host will couple to its client
//	wsBind(id, onEvent)                where its events go
//	wsStart(id)                        the script accepted: reads may begin
//	wsSend(id, string|Uint8Array)      → false when it would pass the memory limit
//	wsClose(id, code, reason)          queue the Close frame
//	wsConnect(url, headers, forFetch)  → promise of the handshake's outcome
//	wsHold(promise)                    the current request lasts until it settles
//	respondWebSocket(reqId, status, statusText, headers, id)
//	wsSplice(clientId, fetchedId)      join two sockets in Go (websocket_splice.go)
//	wsCompat() → { closeReasonByteLimit, standardBinaryType, autoReplyToClose }
func (w *Worker) websocketNatives(set nativeSet) {
	set("wsCompat", func(goja.FunctionCall) goja.Value {
		return w.vm.ToValue(map[string]any{
			"closeReasonByteLimit": w.compat.WebSocketCloseReasonByteLimit,
			"standardBinaryType":   w.compat.WebSocketStandardBinaryType,
			"autoReplyToClose":     w.compat.WebSocketAutoReplyToClose,
		})
	})
	set("wsNew", func(goja.FunctionCall) goja.Value {
		return w.vm.ToValue(w.newSocket().id)
	})
	set("wsBind", func(c goja.FunctionCall) goja.Value {
		if s := w.socket(c.Argument(0)); s != nil {
			s.onEvent, _ = goja.AssertFunction(c.Argument(1))
		}
		return goja.Undefined()
	})
	set("wsStart", func(c goja.FunctionCall) goja.Value {
		if s := w.socket(c.Argument(0)); s != nil {
			s.startOnce.Do(func() { close(s.started) })
		}
		return goja.Undefined()
	})
	set("wsSend", w.nativeWSSend)
	set("wsClose", func(c goja.FunctionCall) goja.Value {
		if s := w.socket(c.Argument(0)); s != nil {
			s.queue(wsFrame{kind: websocket.CloseMessage, code: int(c.Argument(1).ToInteger()), reason: c.Argument(2).String()})
		}
		return goja.Undefined()
	})
	set("wsConnect", w.nativeWSConnect)
	set("wsHold", func(c goja.FunctionCall) goja.Value {
		_ = w.WaitUntil(c.Argument(0)) // outside a request nothing is held
		return goja.Undefined()
	})
	set("respondWebSocket", w.nativeRespondWebSocket)
	set("wsSplice", func(c goja.FunctionCall) goja.Value {
		a, b := w.socket(c.Argument(0)), w.socket(c.Argument(1))
		if a != nil && b != nil && a != b {
			splice(a, b)
		}
		return goja.Undefined()
	})
}

func (w *Worker) socket(id goja.Value) *Socket {
	st, _ := w.iso.Value(socketsKey{}).(*socketTable)
	if st == nil {
		return nil
	}
	return st.m[id.ToInteger()]
}

// socketTable holds an isolate's network-backed sockets, made on first use.
type socketTable struct {
	m    map[int64]*Socket
	next int64
}

type socketsKey struct{}

func (w *Worker) newSocket() *Socket {
	st, _ := w.iso.Value(socketsKey{}).(*socketTable)
	if st == nil {
		st = &socketTable{m: make(map[int64]*Socket)}
		w.iso.SetValue(socketsKey{}, st)
		// A retired isolate's sockets end with it.
		w.iso.OnRetire(func(error) {
			for _, s := range st.m {
				s.Shutdown(websocket.CloseGoingAway, "")
			}
		})
	}
	st.next++
	s := &Socket{w: w, iso: w.iso, id: st.next, table: st,
		attached: make(chan struct{}), started: make(chan struct{}), done: make(chan struct{}), wake: make(chan struct{}, 1)}
	s.scope = w.iso.Scope()
	st.m[s.id] = s
	return s
}

func (w *Worker) nativeWSSend(c goja.FunctionCall) goja.Value {
	s := w.socket(c.Argument(0))
	if s == nil {
		return w.vm.ToValue(true)
	}
	f := wsFrame{kind: websocket.BinaryMessage}
	if v := c.Argument(1); isString(v) {
		f.kind, f.data = websocket.TextMessage, []byte(v.String())
	} else {
		f.data = append([]byte(nil), w.bytesArg(v)...) // the script may reuse its buffer
	}
	if !w.iso.ChargeBuffer(int64(len(f.data))) {
		return w.vm.ToValue(false)
	}
	if !s.queue(f) {
		w.iso.UnchargeBuffer(int64(len(f.data)))
	}
	return w.vm.ToValue(true)
}

// wsDialer makes outbound WebSocket connections (shared by every isolate).
var wsDialer = &websocket.Dialer{Proxy: http.ProxyFromEnvironment, HandshakeTimeout: 30 * time.Second}

// wsHandshakeHeaders are the ones the dialer writes itself.
var wsHandshakeHeaders = map[string]bool{
	"upgrade": true, "connection": true, "sec-websocket-key": true, "sec-websocket-version": true,
	"sec-websocket-extensions": true, "content-length": true, "transfer-encoding": true,
}

// nativeWSConnect opens an outbound WebSocket off the loop: wsConnect(url
// (ws: or wss:), flatHeaders, forFetch). It resolves to {id, status,
// statusText, headers, protocol, extensions} on a 101; a refusal resolves to
// the response ({status, statusText, headers, body}) for fetch() and
// rejects for new WebSocket().
func (w *Worker) nativeWSConnect(c goja.FunctionCall) goja.Value {
	url := c.Argument(0).String()
	hdr := http.Header{}
	eachPair(c.Argument(1).String(), func(k, v string) {
		if !wsHandshakeHeaders[strings.ToLower(k)] {
			hdr.Add(k, v)
		}
	})
	forFetch := c.Argument(2).ToBoolean()
	return w.vm.ToValue(w.iso.Async(func(ctx context.Context) func(*goja.Runtime) (goja.Value, error) {
		conn, resp, err := wsDialer.DialContext(ctx, url, hdr)
		var body []byte
		if resp != nil && resp.Body != nil {
			body, _ = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
		}
		return func(vm *goja.Runtime) (goja.Value, error) {
			if err != nil && (resp == nil || !errors.Is(err, websocket.ErrBadHandshake)) {
				if forFetch {
					return nil, &fetchError{"fetch failed: " + err.Error()}
				}
				return nil, &fetchError{"WebSocket connection failed: " + err.Error()}
			}
			out := vm.NewObject()
			_ = out.Set("status", resp.StatusCode)
			text := resp.Status
			if _, after, ok := strings.Cut(text, " "); ok {
				text = after
			}
			_ = out.Set("statusText", text)
			_ = out.Set("headers", flatHTTPHeaders(resp.Header))
			if err != nil { // answered, but not with a 101
				if !forFetch {
					return nil, &fetchError{fmt.Sprintf("Failed to establish the WebSocket connection: expected server to reply with HTTP status code 101 (switching protocols), but received %d instead.", resp.StatusCode)}
				}
				_ = out.Set("body", vm.NewArrayBuffer(body))
				return out, nil
			}
			s := w.newSocket()
			_ = out.Set("id", s.id)
			_ = out.Set("protocol", resp.Header.Get("Sec-WebSocket-Protocol"))
			_ = out.Set("extensions", resp.Header.Get("Sec-WebSocket-Extensions"))
			go s.Serve(conn)
			return out, nil
		}
	}))
}

func flatHTTPHeaders(h http.Header) string {
	var b strings.Builder
	for k, vs := range h {
		for _, v := range vs {
			if b.Len() > 0 {
				b.WriteByte(0)
			}
			b.WriteString(strings.ToLower(k))
			b.WriteByte(0)
			b.WriteString(v)
		}
	}
	return b.String()
}

// nativeRespondWebSocket answers request reqId with a 101 carrying socket
// id, which the host couples to the client's connection.
func (w *Worker) nativeRespondWebSocket(c goja.FunctionCall) goja.Value {
	s := w.socket(c.Argument(4))
	x, ok := w.calls[c.Argument(0).ToInteger()]
	if !ok || x.responded || s == nil {
		if s != nil {
			s.Refuse(errors.New("the request this WebSocket answers has ended"))
		}
		return w.vm.ToValue(false)
	}
	resp := &Response{Status: 101, StatusText: c.Argument(2).String(), Headers: c.Argument(3).String(), WebSocket: s}
	x.responded = true
	// The status line and headers are checked as any response's are.
	if err := checkHead(200, resp.StatusText, resp.Headers, ""); err != nil {
		x.Sink.Respond(nil, err)
		s.Refuse(err)
		return w.vm.ToValue(false)
	}
	x.Sink.Respond(resp, nil)
	return w.vm.ToValue(true)
}
