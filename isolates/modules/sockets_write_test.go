package modules

import (
	"io"
	"net"
	"strconv"
	"testing"
)

// Writes made in one turn of the loop reach the connection as one write
// (node-postgres writes each message of a query separately); a later
// turn's write is a write of its own. In-process, where one Write is what
// the server's Read gets.
func TestSocketWritesOfOneTurnGoOutTogether(t *testing.T) {
	reads := make(chan string, 4)
	srv := startServerDoors(t, func(c net.Conn) {
		buf := make([]byte, 1024)
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			reads <- string(buf[:n])
			_, _ = c.Write([]byte("ok"))
		}
	}, true)
	iso, _ := newSocketIsolate(t, Options{}, 0)
	runIn(t, iso, nil, `
		const s = require("cloudflare:sockets").connect(`+strconv.Quote(srv.addr())+`);
		const w = s.writable.getWriter(), r = s.readable.getReader();
		globalThis.done = [];
		for (const m of ["Parse", "Bind", "Describe", "Execute", "Sync"]) w.write(new TextEncoder().encode(m)).then(() => done.push(m));
		r.read().then(() => w.write(new TextEncoder().encode("Terminate"))).then(() => { globalThis.second = true; });
	`)
	for i, want := range []string{"ParseBindDescribeExecuteSync", "Terminate"} {
		if got := <-reads; got != want {
			t.Fatalf("server read %d = %q, want %q", i, got, want)
		}
	}
	waitFor(t, iso, `globalThis.second === true && done.join() === "Parse,Bind,Describe,Execute,Sync"`)
}

// A write past the socket's queue waits until the peer has read enough of
// it: a server that reads nothing holds it back.
func TestSocketWriteWaitsForTheReader(t *testing.T) {
	const size = 1 << 20
	release, got := make(chan struct{}), make(chan int64, 1)
	srv := startServerDoors(t, func(c net.Conn) {
		<-release
		n, _ := io.Copy(io.Discard, c)
		got <- n
	}, true)
	iso, _ := newSocketIsolate(t, Options{}, 64<<20)
	runIn(t, iso, nil, `
		globalThis.s = require("cloudflare:sockets").connect(`+strconv.Quote(srv.addr())+`);
		globalThis.w = s.writable.getWriter();
		w.write(new Uint8Array(`+strconv.Itoa(size)+`)).then(() => { globalThis.wrote = true; }, (e) => { globalThis.err = e; });
		w.write(new Uint8Array(10)).then(() => { globalThis.wroteSmall = true; });
	`)
	waitFor(t, iso, `typeof globalThis.wrote === "undefined"`) // a turn for the flush to start
	if v := runIn(t, iso, nil, `String(globalThis.wrote) + String(globalThis.wroteSmall)`).String(); v != "undefinedundefined" {
		t.Fatalf("writes done before the server read anything: %s", v)
	}
	close(release)
	waitFor(t, iso, `globalThis.wrote === true && globalThis.wroteSmall === true`)
	runIn(t, iso, nil, `w.close()`)
	if n := <-got; n != size+10 {
		t.Fatalf("server read %d bytes, want %d", n, size+10)
	}
}

// A write the connection refused fails the next write: the peer is gone.
func TestSocketWriteAfterThePeerLeft(t *testing.T) {
	srv := startServer(t, func(c net.Conn) {
		_, _ = c.Read(make([]byte, 1)) // the client is connected
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // a reset, so that writes fail at once
		}
	})
	iso, _ := newSocketIsolate(t, Options{}, 0)
	runIn(t, iso, nil, `
		const s = require("cloudflare:sockets").connect(`+strconv.Quote(srv.addr())+`);
		const w = s.writable.getWriter();
		(async () => {
			await s.opened;
			await w.write(new Uint8Array(1));
			await s.readable.getReader().read().catch(() => {}); // the server has closed (or reset)
			for (let i = 0; i < 100; i++) await w.write(new Uint8Array(1000)).then(() => new Promise((r) => setTimeout(r, 1)));
			globalThis.err = "100 writes to a closed connection succeeded";
		})().catch((e) => { globalThis.failed = e.message; });
	`)
	waitFor(t, iso, `typeof globalThis.failed === "string" || typeof globalThis.err === "string"`)
	if v := runIn(t, iso, nil, `String(globalThis.failed)`).String(); v != errConnLost {
		t.Fatalf("write failed with %q (%v), want %q", v, runIn(t, iso, nil, "String(globalThis.err)"), errConnLost)
	}
}
