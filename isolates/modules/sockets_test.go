package modules

import (
	"context"
	"crypto/x509"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"edgerun/isolates"
	"edgerun/isolates/jstest"
	"edgerun/isolates/webapi"
)

// TestSocketsJS runs testdata/sockets.js (cloudflare:sockets) and
// testdata/net.js (node:net, node:tls) against real servers, reached over
// TCP and, the same scripts again, in-process (isolates.ServeInProcess:
// an in-memory pipe with its backpressure, half-close, TLS and startTls),
// and in-process through a door whose TLS is skipped
// (isolates.ServeInProcessSecure, the local Hyperdrive's): the scripts
// see the same sockets, upgraded state and certificate errors, while the
// servers see no handshake on a pipe.
func TestSocketsJS(t *testing.T) {
	for _, file := range []string{"sockets.js", "net.js"} {
		for _, door := range []string{"tcp", "in-process", "in-process-secure"} {
			t.Run(file+"/"+door, func(t *testing.T) { runSocketsJS(t, "testdata/"+file, door) })
		}
	}
}

func runSocketsJS(t *testing.T, file, door string) {
	ca := newTestCA(t)
	inProcess := door != "tcp"
	var chain []*x509.Certificate
	if door == "in-process-secure" {
		chain, ca.sniff = ca.chain, true
	}
	echoSrv := startServerDoors(t, echo, inProcess, chain...)
	tlsSrv := startServerDoors(t, tlsEcho(ca), inProcess, chain...)
	startSrv := startServerDoors(t, starttls(ca), inProcess, chain...)
	byeSrv := startServerDoors(t, sayBye, inProcess, chain...)
	refused := closedPort(t)
	byName := strings.HasSuffix(file, "sockets.js") // its "TLS to localhost by name" dials TCP
	defer func() {
		// Each door took what it should: in-process, every connection to a
		// server's exact address (only the TLS to localhost by name dials
		// another name, over TCP); over TCP, none in-process.
		for name, srv := range map[string]*testServer{"echo": echoSrv, "tls": tlsSrv, "starttls": startSrv, "bye": byeSrv} {
			srv.mu.Lock()
			tcp, inproc := srv.seen, srv.inProcess
			srv.mu.Unlock()
			wantTCP := 0
			if inProcess && name == "tls" && byName {
				wantTCP = 1
			}
			used := tcp+inproc > 0
			if inProcess && (tcp != wantTCP || used && inproc == 0) || !inProcess && inproc != 0 {
				t.Errorf("%s server: %d TCP, %d in-process connections", name, tcp, inproc)
			}
		}
		// TLS: handshakes over TCP always; over a pipe unless the door is
		// secure, where the scripts went on in clear instead.
		tcpTLS, pipeTLS, clear := ca.tcpHandshakes.Load(), ca.pipeHandshakes.Load(), ca.cleartext.Load()
		var bad bool
		switch door {
		case "tcp":
			bad = tcpTLS == 0 || pipeTLS != 0 || clear != 0
		case "in-process":
			bad = pipeTLS == 0 || clear != 0 || byName != (tcpTLS == 1)
		default:
			bad = pipeTLS != 0 || clear == 0 || byName != (tcpTLS == 1)
		}
		if bad {
			t.Errorf("%s: %d TLS handshakes over TCP, %d over pipes, %d pipes in clear", door, tcpTLS, pipeTLS, clear)
		}
	}()
	iso, _ := newSocketIsolate(t, Options{TLSRoots: ca.pool}, 0)
	jstest.Run(t, iso, file, func(iso *isolates.Isolate) error {
		vm := iso.Runtime()
		for k, v := range map[string]string{"ECHO": echoSrv.addr(), "TLS_ECHO": tlsSrv.addr(), "STARTTLS": startSrv.addr(), "REFUSED": refused, "HALFCLOSE": byeSrv.addr()} {
			if err := vm.Set(k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// runIn runs src on iso as part of the request scope (nil: none).
func runIn(t *testing.T, iso *isolates.Isolate, scope *isolates.Scope, src string) goja.Value {
	t.Helper()
	var out goja.Value
	err := iso.Do(func() error {
		iso.SetScope(scope)
		defer iso.SetScope(nil)
		v, err := iso.Runtime().RunString(src)
		out = v
		return err
	})
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return out
}

// waitFor polls the JS expression until it is true.
func waitFor(t *testing.T, iso *isolates.Isolate, expr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if runIn(t, iso, nil, expr).ToBoolean() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s never became true (error: %v)", expr, runIn(t, iso, nil, "String(globalThis.err)"))
}

func waitOpen(t *testing.T, srv *testServer, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if open, _ := srv.counts(); open == want {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	open, _ := srv.counts()
	t.Fatalf("server has %d connections open, want %d", open, want)
}

// A reader that stops reading stops the reads: the server's writes block
// once the socket buffers are full, and the process holds at most one
// chunk of what the server tried to send.
func TestSocketBackpressure(t *testing.T) {
	const flood = 256 << 20
	blocked := make(chan int64, 1)
	srv := startServer(t, func(c net.Conn) {
		chunk := make([]byte, 64<<10)
		var sent int64
		for sent < flood {
			_ = c.SetWriteDeadline(time.Now().Add(500 * time.Millisecond))
			n, err := c.Write(chunk)
			sent += int64(n)
			if err != nil {
				break
			}
		}
		blocked <- sent
		_, _ = io.Copy(io.Discard, c)
	})
	iso, _ := newSocketIsolate(t, Options{}, 64<<20)
	runIn(t, iso, nil, `
		const s = require("cloudflare:sockets").connect(`+strconv.Quote(srv.addr())+`);
		globalThis.reader = s.readable.getReader();
		reader.read().then((r) => { globalThis.first = r.value.length; }, (e) => { globalThis.err = e; });
	`)
	waitFor(t, iso, "globalThis.first > 0")
	select {
	case sent := <-blocked:
		if sent >= flood {
			t.Fatalf("the server wrote all %d bytes to a reader that read one chunk", sent)
		}
		// Kernel socket buffers (both ends) take a few MiB; the process
		// itself read one chunk.
		if sent > 32<<20 {
			t.Fatalf("the server wrote %d bytes before blocking: more than socket buffers hold", sent)
		}
		t.Logf("the server blocked after %d bytes", sent)
	case <-time.After(30 * time.Second):
		t.Fatal("the server's writes never blocked")
	}
	// Reading resumes where it stopped.
	runIn(t, iso, nil, `reader.read().then((r) => { globalThis.second = r.value.length; });`)
	waitFor(t, iso, "globalThis.second > 0")
}

// Sockets belong to their request: its end closes them.
func TestSocketClosedWhenRequestEnds(t *testing.T) {
	srv := startServer(t, echo)
	iso, _ := newSocketIsolate(t, Options{}, 0)
	scope := isolates.NewScope(context.Background(), 1)
	runIn(t, iso, scope, `
		globalThis.s = require("cloudflare:sockets").connect(`+strconv.Quote(srv.addr())+`);
		s.opened.then(() => { globalThis.opened = true; });
	`)
	waitFor(t, iso, "globalThis.opened === true")
	waitOpen(t, srv, 1)
	if err := iso.Do(func() error { iso.EndScope(scope); return nil }); err != nil {
		t.Fatal(err)
	}
	waitOpen(t, srv, 0)
	// What the script does with it afterwards fails quietly.
	runIn(t, iso, nil, `s.writable.getWriter().write("late").catch((e) => { globalThis.late = e.message; }); s.close();`)
	waitFor(t, iso, "typeof globalThis.late === 'string'")
}

// A request's connections past its limit wait until one closes, as Workers
// queues them.
func TestSocketLimitQueues(t *testing.T) {
	srv := startServer(t, echo)
	iso, _ := newSocketIsolate(t, Options{MaxSocketsPerRequest: 2}, 0)
	scope := isolates.NewScope(context.Background(), 1)
	runIn(t, iso, scope, `
		const { connect } = require("cloudflare:sockets");
		globalThis.opened = [];
		globalThis.socks = [0, 1, 2].map((i) => {
			const s = connect(`+strconv.Quote(srv.addr())+`);
			s.opened.then(() => opened.push(i), (e) => { globalThis.err = e; });
			return s;
		});
	`)
	waitFor(t, iso, "opened.length === 2")
	waitOpen(t, srv, 2)
	time.Sleep(50 * time.Millisecond)
	if got := runIn(t, iso, nil, "opened.slice().sort().join()").String(); got != "0,1" {
		t.Fatalf("opened %s with a limit of 2, want 0,1", got)
	}
	runIn(t, iso, scope, "socks[0].close()")
	waitFor(t, iso, "opened.length === 3")
	waitOpen(t, srv, 2)
	// Another request has its own slots.
	other := isolates.NewScope(context.Background(), 2)
	runIn(t, iso, other, `connect(`+strconv.Quote(srv.addr())+`).opened.then(() => { globalThis.otherOpened = true; });`)
	waitFor(t, iso, "globalThis.otherOpened === true")
	// The end of the request drops what it still has queued.
	runIn(t, iso, scope, `
		globalThis.queued = connect(`+strconv.Quote(srv.addr())+`);
		queued.opened.catch((e) => { globalThis.queuedErr = e.message; });
	`)
	if err := iso.Do(func() error { iso.EndScope(scope); iso.EndScope(other); return nil }); err != nil {
		t.Fatal(err)
	}
	waitFor(t, iso, "typeof globalThis.queuedErr === 'string'")
	waitOpen(t, srv, 0)
}

// connect() at the top level is workerd's global-scope error.
func TestSocketConnectAtTopLevel(t *testing.T) {
	_, err := isolates.New(isolates.Options{Setup: func(iso *isolates.Isolate) error {
		if _, err := webapi.Install(iso, webapi.Options{}); err != nil {
			return err
		}
		reg, err := Install(iso, Options{})
		if err != nil {
			return err
		}
		_ = iso.Runtime().Set("require", reg.RequireFunc())
		_, err = iso.Runtime().RunString(`require("cloudflare:sockets").connect("127.0.0.1:1")`)
		return err
	}})
	if err == nil || !strings.Contains(err.Error(), isolates.ErrGlobalScope) {
		t.Fatalf("top-level connect: %v, want the global-scope error", err)
	}
}

// A retired isolate's connections are closed.
func TestSocketsClosedWhenIsolateRetires(t *testing.T) {
	srv := startServer(t, echo)
	iso, _ := newSocketIsolate(t, Options{}, 0)
	runIn(t, iso, nil, `
		const { connect } = require("cloudflare:sockets");
		for (let i = 0; i < 3; i++) connect(`+strconv.Quote(srv.addr())+`).opened.then(() => { globalThis.n = (globalThis.n || 0) + 1; });
		globalThis.reading = connect(`+strconv.Quote(srv.addr())+`);
		reading.readable.getReader().read();
	`)
	waitFor(t, iso, "globalThis.n === 3")
	waitOpen(t, srv, 4)
	iso.Retire(nil)
	<-iso.Done()
	waitOpen(t, srv, 0)
}

// Without the CA among the roots, the test server's certificate is refused.
func TestSocketTLSUnknownAuthority(t *testing.T) {
	ca := newTestCA(t)
	srv := startServer(t, tlsEcho(ca))
	iso, _ := newSocketIsolate(t, Options{}, 0)
	runIn(t, iso, nil, `
		require("cloudflare:sockets").connect(`+strconv.Quote(srv.addr())+`, { secureTransport: "on" })
			.opened.then(() => { globalThis.err = "opened"; }, (e) => { globalThis.msg = e.message; });
	`)
	waitFor(t, iso, "typeof globalThis.msg === 'string'")
	if msg := runIn(t, iso, nil, "msg").String(); !strings.Contains(msg, "unknown authority") {
		t.Fatalf("opened rejected with %q, want an unknown-authority error", msg)
	}
}
