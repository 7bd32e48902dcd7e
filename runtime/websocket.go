package runtime

import (
	"strings"
	"sync"

	"github.com/fasthttp/websocket"
	"github.com/valyala/fasthttp"

	"edgerun/isolates/webapi"
)

// The server's side of a worker's WebSocket: a 101 response carries the
// client end of a WebSocketPair (webapi.Socket), which is coupled here to
// the client's connection, taken over from fasthttp (hijacked) once the 101
// is written. The socket runs on the connection's goroutine until either
// side closes it; its request lasts as long (the socket holds it, as on
// Workers), and the handler returns at once, so the server keeps serving.

// wsUpgrader checks the handshake and writes the 101. Origins are the
// worker's business (Workers checks none); compression is not negotiated
// (clients then send uncompressed frames).
var wsUpgrader = &websocket.FastHTTPUpgrader{
	CheckOrigin: func(*fasthttp.RequestCtx) bool { return true },
}

// liveSockets are the coupled sockets of a server, closed with 1001
// (going away) when it shuts down.
type liveSockets struct {
	mu sync.Mutex
	m  map[*webapi.Socket]struct{}
}

func (l *liveSockets) add(s *webapi.Socket) {
	l.mu.Lock()
	if l.m == nil {
		l.m = make(map[*webapi.Socket]struct{})
	}
	l.m[s] = struct{}{}
	l.mu.Unlock()
}

func (l *liveSockets) remove(s *webapi.Socket) {
	l.mu.Lock()
	delete(l.m, s)
	l.mu.Unlock()
}

func (l *liveSockets) closeAll() {
	l.mu.Lock()
	all := make([]*webapi.Socket, 0, len(l.m))
	for s := range l.m {
		all = append(all, s)
	}
	l.mu.Unlock()
	for _, s := range all {
		s.Shutdown(websocket.CloseGoingAway, "")
	}
}

// errNoUpgrade is workerd's error for a WebSocket answering a request
// that did not ask for one.
var errNoUpgrade = &webapi.ScriptError{Name: "TypeError",
	Message: `Worker tried to return a WebSocket in a response to a request which did not contain the header "Upgrade: websocket".`}

// serveWebSocket answers ctx with the worker's 101 and couples its socket
// to the connection.
func (s *Server) serveWebSocket(ctx *fasthttp.RequestCtx, req *webapi.Request, resp *webapi.Response, requestID uint64) {
	sock := resp.WebSocket
	// Headers are matched case-insensitively; the upgrader looks them up
	// by its own spelling (the server keeps names as the client sent them).
	var upgrade bool
	for k, v := range ctx.Request.Header.All() {
		switch name := strings.ToLower(string(k)); name {
		case "upgrade":
			upgrade = strings.EqualFold(strings.TrimSpace(string(v)), "websocket")
			fallthrough
		case "connection", "sec-websocket-key", "sec-websocket-version", "sec-websocket-protocol", "origin":
			ctx.Request.Header.Set(wsHeaderNames[name], string(v))
		}
	}
	if !upgrade {
		sock.Refuse(errNoUpgrade)
		s.writeError(ctx, req, requestID, errNoUpgrade)
		return
	}
	if resp.StatusText != "" {
		ctx.Response.Header.SetStatusMessage([]byte(resp.StatusText))
	}
	resp.HeaderPairs(func(name, value string) {
		switch name {
		case "content-length", "transfer-encoding", "connection", "upgrade", "sec-websocket-accept", "sec-websocket-extensions":
			// The handshake's own; no extension is negotiated.
		case "sec-websocket-protocol":
			ctx.Response.Header.Set("Sec-Websocket-Protocol", value)
		default:
			ctx.Response.Header.Add(name, value)
		}
	})
	s.sockets.add(sock)
	err := wsUpgrader.Upgrade(ctx, func(conn *websocket.Conn) {
		defer s.sockets.remove(sock)
		sock.Serve(conn)
	})
	if err != nil {
		s.sockets.remove(sock)
		sock.Refuse(err)
		s.log.Warn("WebSocket handshake refused: "+err.Error(), "url", req.URL, "request_id", requestID)
	}
}

var wsHeaderNames = map[string]string{
	"upgrade": "Upgrade", "connection": "Connection", "sec-websocket-key": "Sec-Websocket-Key",
	"sec-websocket-version": "Sec-Websocket-Version", "sec-websocket-protocol": "Sec-Websocket-Protocol", "origin": "Origin",
}
