package runtime

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"edgerun/runtime/config"
)

// The WebSocket tests drive testdata/workers/websocket-chat (and a Hono app) over real
// WebSocket connections: edgerun serves the worker on a loopback port, and Go clients dial it.

// startChat serves the chat worker on one isolate: its rooms (and what /stats reports) are the
// isolate's, as a Workers isolate's module state is, so every request must reach the same one.
func startChat(t *testing.T) *testApp {
	return startAppWith(t, config.Options{Dir: fixture("websocket-chat")}, true, oneIsolate)
}

func oneIsolate(cfg *config.Config) { cfg.Edgerun.Isolates = 1 }

func dialWS(t *testing.T, a *testApp, path string) *websocket.Conn {
	t.Helper()
	conn, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(a.base, "http")+path, nil)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial %s: %v (status %d)\nserver log:\n%s", path, err, status, a.logs.String())
	}
	t.Cleanup(func() { conn.Close() })
	lastApp = a
	return conn
}

func readText(t *testing.T, c *websocket.Conn) string {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	typ, data, err := c.ReadMessage()
	if err != nil {
		t.Fatalf("read: %v\nserver log:\n%s", err, lastLogs())
	}
	if typ != websocket.TextMessage {
		t.Fatalf("got a binary message %x, want text", data)
	}
	return string(data)
}

// readClose reads until the peer's Close frame and returns it.
func readClose(t *testing.T, c *websocket.Conn) *websocket.CloseError {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, data, err := c.ReadMessage()
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce
		}
		if err != nil {
			t.Fatalf("read: %v, want a Close frame", err)
		}
		t.Logf("message before the close: %q", data)
	}
}

func TestWebSocketEcho(t *testing.T) {
	a := startChat(t)
	c := dialWS(t, a, "/echo")
	if err := c.WriteMessage(websocket.TextMessage, []byte("héllo")); err != nil {
		t.Fatal(err)
	}
	if got := readText(t, c); got != "echo: héllo" {
		t.Fatalf("text echo = %q", got)
	}
	if err := c.WriteMessage(websocket.BinaryMessage, []byte{0, 1, 254}); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	typ, data, err := c.ReadMessage()
	if err != nil || typ != websocket.BinaryMessage || string(data) != string([]byte{255, 254, 1}) {
		t.Fatalf("binary echo = %d %x %v, want binary ff fe 01", typ, data, err)
	}
	// A large binary message, both ways (the worker inverts it byte by byte in JavaScript:
	// slow under -race).
	big := make([]byte, 1<<20)
	for i := range big {
		big[i] = byte(i)
	}
	if err := c.WriteMessage(websocket.BinaryMessage, big); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(60 * time.Second))
	if _, data, err = c.ReadMessage(); err != nil || len(data) != len(big) || data[1] != 254 || data[len(big)-1] != 255-byte(len(big)-1) {
		t.Fatalf("1 MiB echo: %d bytes, %v", len(data), err)
	}
	_ = c.WriteMessage(websocket.TextMessage, []byte("state"))
	if got := readText(t, c); got != `{"readyState":1,"binaryType":"arraybuffer"}` {
		t.Fatalf("state = %s", got)
	}
	// The server keeps serving while the socket is open.
	if code, body := a.get(t, "/stats"); code != 200 || !strings.Contains(body, `"closes":[]`) {
		t.Fatalf("/stats = %d %s", code, body)
	}
	// The client closes; the worker answers with its code and "bye <reason>".
	if err := c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4000, "done")); err != nil {
		t.Fatal(err)
	}
	ce := readClose(t, c)
	if ce.Code != 4000 || ce.Text != "bye done" {
		t.Fatalf("close = %d %q, want 4000 \"bye done\"", ce.Code, ce.Text)
	}
	waitForStats(t, a, `"closes":[{"code":4000,"reason":"done","wasClean":true,"readyState":2}]`)
	waitIdle(t, a)
}

func TestWebSocketServerCloses(t *testing.T) {
	a := startChat(t)
	c := dialWS(t, a, "/echo")
	_ = c.WriteMessage(websocket.TextMessage, []byte("close me"))
	ce := readClose(t, c) // the client library answers the Close with the same code
	if ce.Code != 4001 || ce.Text != "asked" {
		t.Fatalf("close = %d %q, want 4001 asked", ce.Code, ce.Text)
	}
	waitForStats(t, a, `"closes":[{"code":4001,"reason":"","wasClean":true,"readyState":3}]`)
	waitIdle(t, a)
}

func TestWebSocketClientVanishes(t *testing.T) {
	a := startChat(t)
	c := dialWS(t, a, "/echo")
	_ = c.WriteMessage(websocket.TextMessage, []byte("x"))
	readText(t, c)
	if inFlight(a) != 1 {
		t.Fatalf("in flight with the socket open: %d, want 1 (the socket holds its request)", inFlight(a))
	}
	c.NetConn().Close() // no Close frame
	waitForStats(t, a, `"closes":[{"code":1006,"reason":"WebSocket disconnected without sending Close frame.","wasClean":false,"readyState":1}]`)
	waitIdle(t, a)
}

func TestWebSocketChat(t *testing.T) {
	a := startChat(t)
	alice := dialWS(t, a, "/chat?room=r1&name=alice")
	if got := readText(t, alice); got != `{"joined":"alice","members":1}` {
		t.Fatalf("alice joined: %s", got)
	}
	bob := dialWS(t, a, "/chat?room=r1&name=bob")
	for _, c := range []*websocket.Conn{alice, bob} {
		if got := readText(t, c); got != `{"joined":"bob","members":2}` {
			t.Fatalf("bob joined: %s", got)
		}
	}
	_ = alice.WriteMessage(websocket.TextMessage, []byte("hi bob"))
	for _, c := range []*websocket.Conn{alice, bob} {
		if got := readText(t, c); got != `{"from":"alice","text":"hi bob"}` {
			t.Fatalf("broadcast: %s", got)
		}
	}
	_ = bob.WriteMessage(websocket.TextMessage, []byte("hi alice"))
	if got := readText(t, alice); got != `{"from":"bob","text":"hi alice"}` {
		t.Fatalf("alice heard %s", got)
	}
	if code, body := a.get(t, "/stats"); code != 200 || !strings.Contains(body, `"rooms":{"r1":2}`) {
		t.Fatalf("/stats = %s", body)
	}
	_ = bob.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(1000, ""))
	if ce := readClose(t, bob); ce.Code != 1000 || ce.Text != "left" {
		t.Fatalf("bob's close = %d %q", ce.Code, ce.Text)
	}
	if got := readText(t, alice); got != `{"left":"bob","members":1}` {
		t.Fatalf("alice heard %s", got)
	}
	_ = alice.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(1001, "bye"))
	readClose(t, alice)
	waitIdle(t, a)
}

func TestWebSocketNeedsAnUpgradeRequest(t *testing.T) {
	a := startChat(t)
	code, body := a.get(t, "/not-upgrade")
	if code != 500 || !strings.Contains(body, `did not contain the header "Upgrade: websocket"`) {
		t.Fatalf("GET /not-upgrade = %d %q", code, body)
	}
	waitIdle(t, a)
	if code, _ := a.get(t, "/stats"); code != 200 {
		t.Fatalf("the server stopped serving: %d", code)
	}
}

// upstream is a WebSocket server the worker's outbound sockets reach: text comes back as
// "upstream: <text>", bytes reversed, and a Close is answered with "upstream bye".
func upstream(t *testing.T) (wsURL string, headers chan http.Header) {
	t.Helper()
	headers = make(chan http.Header, 8)
	up := websocket.Upgrader{}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		headers <- r.Header.Clone()
		c, err := up.Upgrade(w, r, http.Header{"X-Upstream": {"yes"}})
		if err != nil {
			return
		}
		defer c.Close()
		c.SetCloseHandler(func(code int, text string) error {
			return c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, "upstream bye"), time.Now().Add(time.Second))
		})
		for {
			typ, data, err := c.ReadMessage()
			if err != nil {
				return
			}
			if typ == websocket.TextMessage {
				data = append([]byte("upstream: "), data...)
			} else {
				for i, j := 0, len(data)-1; i < j; i, j = i+1, j-1 {
					data[i], data[j] = data[j], data[i]
				}
			}
			if c.WriteMessage(typ, data) != nil {
				return
			}
		}
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "ws://" + ln.Addr().String() + "/socket", headers
}

func TestWebSocketOutbound(t *testing.T) {
	a := startChat(t)
	target, _ := upstream(t)
	code, body := a.get(t, "/outbound?target="+url.QueryEscape(target))
	want := `{"before":0,"opened":1,"first":"upstream: hello from the worker","second":[3,2,1],"close":{"code":1000,"reason":"upstream bye","wasClean":true},"after":3}`
	if code != 200 || body != want {
		t.Fatalf("/outbound = %d %s\nwant %s\nserver log:\n%s", code, body, want, a.logs.String())
	}
	waitIdle(t, a)
}

func TestWebSocketOutboundThroughFetch(t *testing.T) {
	a := startChat(t)
	target, headers := upstream(t)
	code, body := a.get(t, "/outbound-fetch?target="+url.QueryEscape(target))
	want := `{"status":101,"header":"yes","got":"upstream: hello through fetch","close":{"code":1000,"reason":"upstream bye"}}`
	if code != 200 || body != want {
		t.Fatalf("/outbound-fetch = %d %s\nwant %s\nserver log:\n%s", code, body, want, a.logs.String())
	}
	if h := <-headers; h.Get("X-From") != "worker" {
		t.Fatalf("upstream saw headers %v, want X-From: worker", h)
	}
	waitIdle(t, a)
}

func TestWebSocketRelay(t *testing.T) {
	a := startChat(t)
	target, _ := upstream(t)
	c := dialWS(t, a, "/relay?target="+url.QueryEscape(target))
	for _, m := range []string{"one", "two"} {
		_ = c.WriteMessage(websocket.TextMessage, []byte(m))
		if got := readText(t, c); got != "upstream: "+m {
			t.Fatalf("relayed %q, got %q", m, got)
		}
	}
	_ = c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(1000, ""))
	if ce := readClose(t, c); ce.Code != 1000 || ce.Text != "relay done" {
		t.Fatalf("close = %d %q", ce.Code, ce.Text)
	}
	waitIdle(t, a)
}

// TestWebSocketProxiedFromFetch answers the client with the WebSocket of a fetch() response:
// messages pass both ways without the script, and a Close comes back with the origin's answer.
func TestWebSocketProxiedFromFetch(t *testing.T) {
	a := startChat(t)
	target, headers := upstream(t)
	c := dialWS(t, a, "/proxy?target="+url.QueryEscape(target))
	<-headers
	for _, m := range []string{"one", "two"} {
		_ = c.WriteMessage(websocket.TextMessage, []byte(m))
		if got := readText(t, c); got != "upstream: "+m {
			t.Fatalf("proxied %q, got %q", m, got)
		}
	}
	_ = c.WriteMessage(websocket.BinaryMessage, []byte{1, 2, 3})
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if typ, data, err := c.ReadMessage(); err != nil || typ != websocket.BinaryMessage || string(data) != "\x03\x02\x01" {
		t.Fatalf("binary = %d %x %v", typ, data, err)
	}
	if code, body := a.get(t, "/stats"); code != 200 || !strings.Contains(body, `"closes":[]`) {
		t.Fatalf("/stats while proxying = %d %s", code, body)
	}
	_ = c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4000, "done"))
	if ce := readClose(t, c); ce.Code != 4000 || ce.Text != "upstream bye" {
		t.Fatalf("close = %d %q, want the origin's 4000 \"upstream bye\"", ce.Code, ce.Text)
	}
	waitIdle(t, a)

	// A client that drops its connection takes the origin's down too, and the request ends.
	c2 := dialWS(t, a, "/proxy?target="+url.QueryEscape(target))
	<-headers
	_ = c2.WriteMessage(websocket.TextMessage, []byte("x"))
	readText(t, c2)
	c2.NetConn().Close()
	waitIdle(t, a)
}

func TestWebSocketShutdownClosesSockets(t *testing.T) {
	a := startChat(t)
	c := dialWS(t, a, "/echo")
	_ = c.WriteMessage(websocket.TextMessage, []byte("x"))
	readText(t, c)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := a.app.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown with a socket open: %v", err)
	}
	if ce := readClose(t, c); ce.Code != websocket.CloseGoingAway {
		t.Fatalf("close on shutdown = %d, want 1001", ce.Code)
	}
}

func TestWebSocketHono(t *testing.T) {
	ensureNodeModules(t)
	a := startAppWith(t, config.Options{Dir: filepath.Join(appsDir, "hono-websocket")}, true, oneIsolate)
	c := dialWS(t, a, "/ws")
	_ = c.WriteMessage(websocket.TextMessage, []byte("hi hono"))
	if got := readText(t, c); got != "hono echo: hi hono" {
		t.Fatalf("hono echo = %q", got)
	}
	_ = c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4002, "hono bye"))
	c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, body := a.get(t, "/closes")
		if body == `[{"code":4002,"reason":"hono bye"}]` {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/closes = %s", body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitForStats polls /stats until it contains want.
func waitForStats(t *testing.T, a *testApp, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, body := a.get(t, "/stats")
		if strings.Contains(body, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("/stats = %s, want it to contain %s", body, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func inFlight(a *testApp) int { return a.app.server.Version().Pool.Stats().InFlight }

// waitIdle waits until no request is in flight: every socket has released its request.
func waitIdle(t *testing.T, a *testApp) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for inFlight(a) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d requests still in flight", inFlight(a))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// lastApp is the app the last dialWS reached, for the logs a failed read shows.
var lastApp *testApp

func lastLogs() string {
	if lastApp == nil {
		return ""
	}
	return lastApp.logs.String()
}

// A message over Workers' 32 MiB ends the socket: the client gets 1009 (message too big), the
// worker an error event.
func TestWebSocketMessageLimit(t *testing.T) {
	a := startChat(t)
	c := dialWS(t, a, "/echo")
	if err := c.WriteMessage(websocket.BinaryMessage, make([]byte, 32<<20+1)); err != nil {
		t.Fatal(err)
	}
	if ce := readClose(t, c); ce.Code != websocket.CloseMessageTooBig {
		t.Fatalf("close = %d %q, want 1009", ce.Code, ce.Text)
	}
	waitForStats(t, a, `"errors":1`)
	waitIdle(t, a)
}

// TestWebSocketCompatibilityDates checks the three WebSocket behaviours a compatibility date
// changes, as workerd's flags do: binaryType "blob" (2026-03-17), a 123-byte limit on close
// reasons (2026-03-03) and the peer's Close answered for the script (2026-04-07).
func TestWebSocketCompatibilityDates(t *testing.T) {
	legacy := []string{"no_websocket_standard_binary_type", "no_websocket_close_reason_byte_limit", "web_socket_manual_reply_to_close"}
	enable := []string{"websocket_standard_binary_type", "websocket_close_reason_byte_limit", "web_socket_auto_reply_to_close"}
	for _, tc := range []struct {
		name  string
		date  string
		flags []string
		new   bool
	}{
		{"before the dates", "2025-09-01", nil, false},
		{"from the dates", "2026-04-07", nil, true},
		{"disabled by flags", "2026-11-01", legacy, false},
		{"enabled by flags", "2025-09-01", enable, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := startAppWith(t, config.Options{Dir: fixture("websocket-chat")}, true, func(cfg *config.Config) {
				cfg.Edgerun.Isolates = 1
				cfg.CompatibilityDate, cfg.CompatibilityFlags = tc.date, tc.flags
			})
			c := dialWS(t, a, "/echo")
			_ = c.WriteMessage(websocket.TextMessage, []byte("state"))
			wantType := map[bool]string{false: "arraybuffer", true: "blob"}[tc.new]
			if got := readText(t, c); got != `{"readyState":1,"binaryType":"`+wantType+`"}` {
				t.Fatalf("state = %s, want binaryType %s", got, wantType)
			}
			// Binary messages reach the worker as a Blob or an ArrayBuffer; either way the bytes echo.
			if err := c.WriteMessage(websocket.BinaryMessage, []byte{0, 1, 254}); err != nil {
				t.Fatal(err)
			}
			_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
			if typ, data, err := c.ReadMessage(); err != nil || typ != websocket.BinaryMessage || string(data) != "\xff\xfe\x01" {
				t.Fatalf("binary echo = %d %x %v", typ, data, err)
			}
			_ = c.WriteMessage(websocket.TextMessage, []byte("close long"))
			if tc.new {
				const want = "SyntaxError: WebSocket close reason must not be longer than 123 bytes when UTF-8 encoded."
				if got := readText(t, c); got != want {
					t.Fatalf("a 124-byte reason: %q, want %q", got, want)
				}
			} else {
				// Accepted, and cut to what a Close frame holds (122 bytes: 123 would split an é).
				if ce := readClose(t, c); ce.Code != 4002 || ce.Text != strings.Repeat("é", 61) {
					t.Fatalf("close = %d with a %d-byte reason, want 4002 with 61 é", ce.Code, len(ce.Text))
				}
				return
			}
			// The client closes: from 2026-04-07 edgerun answers with the same code and reason and
			// the script sees CLOSED; before, the socket is half-open and the script answers.
			if err := c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4000, "done")); err != nil {
				t.Fatal(err)
			}
			if ce := readClose(t, c); ce.Code != 4000 || ce.Text != "done" {
				t.Fatalf("close = %d %q, want 4000 \"done\" sent for the script", ce.Code, ce.Text)
			}
			waitForStats(t, a, `"closes":[{"code":4000,"reason":"done","wasClean":true,"readyState":3}]`)
			waitIdle(t, a)
		})
	}
}
