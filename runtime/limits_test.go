package runtime

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	goruntime "runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"edgerun/isolates"
	"edgerun/isolates/webapi"
	"edgerun/runtime/config"
)

// startLimited serves the fixture in dir with its configuration adjusted
// by edit (limits, pool size) before the app opens.
func startLimited(t *testing.T, dir string, edit func(cfg *config.Config)) *testApp {
	t.Helper()
	return startAppWith(t, config.Options{Dir: dir}, false, edit)
}

func (a *testApp) pool() *isolates.Pool { return a.app.Server().Version().Pool }

// wellBehaved sends GET /?id=n requests from a few goroutines until stop is
// called, checking every answer; stop returns how many were answered and
// the failures.
func (a *testApp) wellBehaved(workers int) (stop func() (ok int, failures []string)) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var n atomic.Int64
	var fails []string
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				id := fmt.Sprintf("%d-%d", w, i)
				code, body, err := quickGet(a.base + "/?id=" + id)
				if err != nil || code != 200 || body != "ok "+id {
					mu.Lock()
					fails = append(fails, fmt.Sprintf("GET /?id=%s = %d %q %v", id, code, body, err))
					mu.Unlock()
					continue
				}
				n.Add(1)
			}
		}()
	}
	return func() (int, []string) {
		close(done)
		wg.Wait()
		return int(n.Load()), fails
	}
}

func quickGet(url string) (int, string, error) {
	resp, err := client.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

type result struct {
	code    int
	body    string
	elapsed time.Duration
	err     error
}

// goGet starts a GET in the background.
func (a *testApp) goGet(path string) <-chan result {
	out := make(chan result, 1)
	go func() {
		start := time.Now()
		code, body, err := quickGet(a.base + path)
		out <- result{code, body, time.Since(start), err}
	}()
	return out
}

// waitFor polls cond (state that changes on other goroutines) for up to 10s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func isolateIDs(p *isolates.Pool) []int {
	var ids []int
	for _, iso := range p.Isolates() {
		ids = append(ids, iso.ID())
	}
	slices.Sort(ids)
	return ids
}

func checkWellBehaved(t *testing.T, stop func() (int, []string)) {
	t.Helper()
	ok, fails := stop()
	if len(fails) > 0 {
		t.Errorf("%d well-behaved requests failed while the bad one ran; first: %s", len(fails), fails[0])
	}
	if ok == 0 {
		t.Error("no well-behaved request was answered while the bad one ran")
	}
}

func TestCPULimitInterruptsRunawayHandler(t *testing.T) {
	a := startLimited(t, fixture("limits"), func(cfg *config.Config) {
		cfg.Limits.CPUMs = 300
		cfg.Edgerun.Isolates = 2
	})
	p := a.pool()
	before := isolateIDs(p)

	// One request waits at an await point on each isolate, so the runaway
	// handler shares its isolate with one of them.
	waits := []<-chan result{a.goGet("/wait?id=a&ms=3000"), a.goGet("/wait?id=b&ms=3000")}
	waitFor(t, "two waiting requests", func() bool { return p.Stats().InFlight == 2 })
	spin := a.goGet("/finally")
	waitFor(t, "the runaway request", func() bool { return p.Stats().InFlight == 3 })
	stop := a.wellBehaved(3)

	r := <-spin
	if r.err != nil || r.code != 503 || !strings.Contains(r.body, "Worker exceeded CPU time limit (300ms)") {
		t.Fatalf("runaway handler = %d %q %v, want 503 naming the CPU time limit", r.code, r.body, r.err)
	}
	// The request that shared the isolate fails at once with a clear
	// error; the other finishes normally.
	var reset, waited int
	for _, w := range waits {
		r := <-w
		switch {
		case r.code == 503 && strings.Contains(r.body, "reset because a request running in it exceeded a resource limit"):
			reset++
			if r.elapsed > 2500*time.Millisecond {
				t.Errorf("the request sharing the isolate failed after %s, not when the isolate was reset", r.elapsed)
			}
		case r.code == 200 && strings.HasPrefix(r.body, "waited "):
			waited++
		default:
			t.Errorf("waiting request = %d %q %v", r.code, r.body, r.err)
		}
	}
	if reset != 1 || waited != 1 {
		t.Errorf("waiting requests: %d reset, %d finished; want 1 and 1", reset, waited)
	}
	checkWellBehaved(t, stop)

	// The interrupted isolate was replaced, not reused: its finally never
	// ran, and no isolate serving now has the flag it left set.
	waitFor(t, "the replacement isolate", func() bool { s := p.Stats(); return s.Replaced == 1 && s.Isolates == 2 })
	after := isolateIDs(p)
	if common := intersect(before, after); len(common) != 1 {
		t.Errorf("isolates before %v, after %v: want exactly one replaced", before, after)
	}
	// No interrupt leaks into later requests on the replacement.
	for i := range 50 {
		held := a.goGet(fmt.Sprintf("/wait?id=h%d&ms=1", i))
		if code, body := a.get(t, "/inside"); code != 200 || body != "false" {
			t.Fatalf("after the interrupt GET /inside = %d %q", code, body)
		}
		if r := <-held; r.code != 200 {
			t.Fatalf("after the interrupt GET /wait = %d %q", r.code, r.body)
		}
	}
	if logs := a.logs.String(); !strings.Contains(logs, "Worker exceeded CPU time limit (300ms)") || !strings.Contains(logs, "isolate replaced") {
		t.Errorf("log does not report the limit and the replacement:\n%s", logs)
	}
}

func intersect(a, b []int) []int {
	var out []int
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func TestUnboundedRecursionIsAnErrorResponse(t *testing.T) {
	a := startLimited(t, fixture("limits"), func(cfg *config.Config) {
		cfg.Edgerun.Isolates = 2
	})
	stop := a.wellBehaved(2)
	// goja's stack overflow cannot be caught (see isolates.StackOverflowError),
	// so the try/catch in /recurse-caught does not see it either.
	for _, path := range []string{"/recurse", "/recurse-caught"} {
		code, body := a.get(t, path)
		if code != 500 || !strings.Contains(body, "RangeError: Maximum call stack size exceeded") {
			t.Errorf("%s = %d %q, want 500 with the stack overflow message", path, code, body)
		}
	}
	checkWellBehaved(t, stop)
	waitFor(t, "replacement isolates", func() bool { s := a.pool().Stats(); return s.Replaced == 2 && s.Isolates == 2 })
	if code, body := a.get(t, "/?id=after"); code != 200 || body != "ok after" {
		t.Fatalf("after the overflows GET / = %d %q", code, body)
	}
}

func TestMemoryLimitInterruptsAllocationBomb(t *testing.T) {
	a := startLimited(t, fixture("limits"), func(cfg *config.Config) {
		cfg.Limits.MemoryMB = 64
		cfg.Limits.CPUMs = 30000 // the default: the memory limit must act first
		cfg.Edgerun.Isolates = 2
	})
	before := isolateIDs(a.pool())
	heapBefore := liveHeap()
	stop := a.wellBehaved(2)
	code, body := a.get(t, "/bomb")
	if code != 503 || !strings.Contains(body, "Worker exceeded memory limit (64 MiB)") {
		t.Fatalf("allocation bomb = %d %q, want 503 naming the memory limit", code, body)
	}
	checkWellBehaved(t, stop)
	waitFor(t, "the replacement isolate", func() bool { return len(intersect(before, isolateIDs(a.pool()))) == 1 })
	// The process survived and serves, and what the bomb held is garbage.
	if code, body := a.get(t, "/?id=after"); code != 200 || body != "ok after" {
		t.Fatalf("after the bomb GET / = %d %q", code, body)
	}
	// (Its replacement's builder lets go of it a moment after the swap.)
	waitFor(t, "the retired isolate's heap to be collected", func() bool { return liveHeap() < heapBefore+32<<20 })
}

func liveHeap() uint64 {
	goruntime.GC()
	var ms goruntime.MemStats
	goruntime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func TestMemoryBudgetRecyclesLeakingIsolate(t *testing.T) {
	goruntime.GC() // a current baseline: what earlier tests left is garbage
	a := startLimited(t, fixture("limits"), func(cfg *config.Config) {
		cfg.Limits.MemoryMB = 16
		cfg.Edgerun.Isolates = 1
	})
	// Each request keeps 1.6 MB in module state. Past the budget the
	// isolate is recycled between requests, so none fails and the count
	// starts again.
	recycled := false
	for i := 1; i <= 300 && !recycled; i++ {
		code, body := a.get(t, "/leak")
		var kept int
		if _, err := fmt.Sscanf(body, "kept %d", &kept); code != 200 || err != nil {
			t.Fatalf("request %d: GET /leak = %d %q", i, code, body)
		}
		recycled = kept < i
	}
	if !recycled {
		t.Fatal("the leaking isolate was never recycled")
	}
	if r := a.pool().Stats().Replaced; r < 1 {
		t.Errorf("replaced = %d", r)
	}
	if logs := a.logs.String(); !strings.Contains(logs, "recycling isolate: Worker exceeded memory limit (16 MiB per isolate)") {
		t.Errorf("log does not say why the isolate was recycled:\n%s", logs)
	}
}

// rawRequest writes req on a new connection and returns the status line and
// the rest of the response. It reads while writing: the server may answer
// and close before the whole request is sent.
func rawRequest(t *testing.T, base, req string) (status, rest string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	go io.WriteString(conn, req)
	br := bufio.NewReader(conn)
	status, err = br.ReadString('\n')
	if err != nil {
		t.Fatalf("reading the status line: %v", err)
	}
	b, _ := io.ReadAll(br)
	return strings.TrimSpace(status), string(b)
}

func TestRequestLimits(t *testing.T) {
	a := startLimited(t, fixture("limits"), func(cfg *config.Config) {
		cfg.Limits.MaxBodyBytes = 1024
	})
	stop := a.wellBehaved(2)
	host := strings.TrimPrefix(a.base, "http://")
	post := "POST /echo HTTP/1.1\r\nHost: " + host + "\r\n"
	tests := []struct {
		name, req string
		status    string // status line
		rest      string // what the rest of the response ends with; "" = anything
	}{
		{"declared body over the limit", post + "Content-Length: 1025\r\n\r\n",
			"HTTP/1.1 413 Request Entity Too Large", "Payload Too Large"},
		{"100-continue over the limit: refused before the body", post + "Content-Length: 5000000\r\nExpect: 100-continue\r\n\r\n",
			"HTTP/1.1 413 Request Entity Too Large", ""},
		{"chunked body over the limit", post + "Transfer-Encoding: chunked\r\n\r\n400\r\n" + strings.Repeat("a", 1024) + "\r\n1\r\nb\r\n0\r\n\r\n",
			"HTTP/1.1 413 Request Entity Too Large", "Payload Too Large"},
		{"headers over the limit", "GET / HTTP/1.1\r\nHost: " + host + "\r\nX-Big: " + strings.Repeat("h", 40<<10) + "\r\n\r\n",
			"HTTP/1.1 431 Request Header Fields Too Large", "Request Header Fields Too Large"},
		{"body at the limit", post + "Content-Length: 1024\r\nConnection: close\r\n\r\n" + strings.Repeat("x", 1024),
			"HTTP/1.1 200 OK", "\r\n\r\n1024:xxxxxxxxxxxxxxxx"},
		{"100-continue within the limit", post + "Content-Length: 4\r\nExpect: 100-continue\r\nConnection: close\r\n\r\nabcd",
			"HTTP/1.1 100 Continue", "\r\n\r\n4:abcd"},
		{"malformed request line", "NOT HTTP\r\n\r\n", "HTTP/1.1 400 Bad Request", "Bad Request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, rest := rawRequest(t, a.base, tt.req)
			if status != tt.status || !strings.HasSuffix(rest, tt.rest) {
				t.Fatalf("response = %q …%.300q, want %q … %q", status, rest, tt.status, tt.rest)
			}
			if tt.status == "HTTP/1.1 413 Request Entity Too Large" && strings.Contains(rest, "100 Continue") {
				t.Errorf("the server invited a body over the limit: %q", rest)
			}
		})
	}
	checkWellBehaved(t, stop)
	if s := a.pool().Stats(); s.Replaced != 0 {
		t.Errorf("a rejected request reached an isolate: %+v", s)
	}
}

func TestSlowClientDoesNotHoldAnIsolate(t *testing.T) {
	a := startLimited(t, fixture("limits"), func(cfg *config.Config) {
		cfg.Edgerun.Isolates = 1
		cfg.Edgerun.MaxConcurrentPerIsolate = 1 // one slot: a held one would block everything
	})
	p := a.pool()
	conn, err := net.Dial("tcp", strings.TrimPrefix(a.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := "trickled body, 32 bytes long...."
	fmt.Fprintf(conn, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", len(body))
	fastCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for i, c := range []byte(body[:len(body)-1]) {
		if _, err := conn.Write([]byte{c}); err != nil {
			t.Fatal(err)
		}
		// While the body trickles in, the only slot stays free.
		req, _ := http.NewRequestWithContext(fastCtx, "GET", fmt.Sprintf("%s/?id=%d", a.base, i), nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("a request behind the slow client: %v", err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if want := fmt.Sprintf("ok %d", i); resp.StatusCode != 200 || string(b) != want {
			t.Fatalf("GET /?id=%d = %d %q", i, resp.StatusCode, b)
		}
		if s := p.Stats(); s.InFlight != 0 || s.Queued != 0 {
			t.Fatalf("after %d of %d body bytes the pool has %+v, want nothing in flight", i+1, len(body), s)
		}
	}
	if _, err := io.WriteString(conn, body[len(body)-1:]); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	if want := "32:trickled body, 3"; resp.StatusCode != 200 || !strings.HasPrefix(string(b), want[:19]) {
		t.Fatalf("slow request = %d %q", resp.StatusCode, b)
	}
}

// sandboxGlobals is every global a worker may see. A name missing here is a
// leak (or a new Web API: add it deliberately).
var sandboxGlobals = []string{
	// ECMAScript, as goja provides it.
	"AggregateError", "Array", "ArrayBuffer", "BigInt", "BigInt64Array", "BigUint64Array", "Boolean",
	"DataView", "Date", "Error", "EvalError", "Float32Array", "Float64Array", "Function", "Infinity",
	"Int16Array", "Int32Array", "Int8Array", "JSON", "Map", "Math", "NaN", "Number", "Object", "Promise",
	"Proxy", "RangeError", "ReferenceError", "Reflect", "RegExp", "Set", "String", "Symbol", "SyntaxError",
	"TypeError", "URIError", "Uint16Array", "Uint32Array", "Uint8Array", "Uint8ClampedArray", "WeakMap",
	"WeakSet", "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent", "escape", "eval",
	"globalThis", "isFinite", "isNaN", "parseFloat", "parseInt", "undefined", "unescape",
	// Web and Workers APIs (isolates/webapi, isolates timers).
	"AbortController", "AbortSignal", "Blob", "DOMException", "Event", "EventTarget", "File", "FormData",
	"Headers", "ReadableStream", "Request", "Response", "TextDecoder", "TextEncoder", "URL", "URLSearchParams",
	"WritableStream", "WritableStreamDefaultWriter", "TransformStream", "IdentityTransformStream", "FixedLengthStream", "TextEncoderStream", "TextDecoderStream",
	"CompressionStream", "DecompressionStream",
	"caches", "Cache", "CacheStorage", "Performance", "performance", "CryptoKey", "SubtleCrypto",
	"HTMLRewriter",
	"WebAssembly",
	"WebSocket", "WebSocketPair", "MessageEvent", "CloseEvent", "ErrorEvent",
	"addEventListener", "atob", "btoa", "clearInterval", "clearTimeout", "console", "crypto", "fetch",
	"navigator", "Intl", "queueMicrotask", "removeEventListener", "self", "setInterval", "setTimeout", "structuredClone",
	"navigator", "queueMicrotask", "removeEventListener", "self", "setInterval", "setTimeout", "structuredClone",
	// Built-ins goja lacks and the WinterTC events (isolates/webapi builtins.js, events-wintertc.js).
	"WeakRef", "FinalizationRegistry", "scheduler", "reportError", "CustomEvent", "ErrorEvent",
	"PromiseRejectionEvent", "MessageEvent", "MessageChannel", "MessagePort", "Crypto",
	"ByteLengthQueuingStrategy", "CountQueuingStrategy", "ReadableStreamDefaultReader",
	// The Streams classes (isolates/webapi streams-*.js).
	"ReadableStreamDefaultController", "ReadableByteStreamController", "ReadableStreamBYOBRequest",
	"ReadableStreamBYOBReader", "WritableStreamDefaultController", "TransformStreamDefaultController",
	"URLPattern", // isolates/webapi urlpattern.js
}

func TestSandboxExposesOnlyWebAPIs(t *testing.T) {
	a := startApp(t, fixture("sandbox"), nil)
	_, body := a.do(t, "GET", "/globals", nil, nil)
	var got []string
	for _, name := range strings.Split(strings.Trim(body, "[]"), ",") {
		got = append(got, strings.Trim(name, `"`))
	}
	want := slices.Sorted(slices.Values(sandboxGlobals))
	for _, name := range got {
		if !slices.Contains(want, name) {
			t.Errorf("unexpected global %q: a leak, or a new API to add to sandboxGlobals", name)
		}
	}
	for _, name := range want {
		if !slices.Contains(got, name) {
			t.Errorf("global %q is gone (remove it from sandboxGlobals if that is intended)", name)
		}
	}

	probes := decodeJSON(t, a.mustGet(t, "/"))
	want2 := map[string]string{
		"require": "undefined", "process": "undefined", "module": "undefined", "Deno": "undefined",
		"Bun": "undefined", "global": "undefined", "__dirname": "undefined", "importScripts": "undefined",
		"GoError": "undefined", "exports": "undefined",
		"dynamic require": "threw Error",
		// Reaching the global object another way yields the same sandbox.
		"Function-this is globalThis":           "true",
		"indirect eval this is globalThis":      "true",
		"generator Function-this is globalThis": "true",
		"Function sees require":                 "undefined",
		"Function sees process":                 "undefined",
		"bundle exports after setup":            "undefined",
		"env keys":                              "GREETING",
		"Go names on Response":                  "none",
		"timers are native":                     "true",
	}
	for k, v := range want2 {
		if probes[k] != v {
			t.Errorf("probe %q = %v, want %q", k, probes[k], v)
		}
	}
	if len(probes) != len(want2) {
		t.Errorf("probes = %v, want exactly %v", probes, want2)
	}
}

func (a *testApp) mustGet(t *testing.T, path string) string {
	t.Helper()
	code, body := a.get(t, path)
	if code != 200 {
		t.Fatalf("GET %s = %d %q", path, code, body)
	}
	return body
}

// BenchmarkDispatchHelloWithLimits is BenchmarkDispatchHello with the
// default limits on, so the watchdog ticks every 10ms meanwhile.
func BenchmarkDispatchHelloWithLimits(b *testing.B) {
	wk, err := StartVersion(VersionOptions{
		Dir:      filepath.Join("..", "examples", "hello"),
		Main:     "index.js",
		CPULimit: 30 * time.Second,
		MemoryMB: 128,
		Log:      slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { wk.Close(context.Background()) })
	req := &webapi.Request{Method: "GET", URL: "http://127.0.0.1:8787/", Headers: "host\x00127.0.0.1:8787\x00user-agent\x00bench"}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := wk.Fetch(context.Background(), req, isolates.NewScope(context.Background(), 1), nil)
			if err != nil || resp.Status != 200 || string(resp.Body) != "Hello World!" {
				b.Fatalf("resp %+v err %v", resp, err)
			}
		}
	})
}
