package runtime

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"edgerun/runtime/config"
)

// Regression tests for the hardening issue: a hostile script or client must
// not crash edgerun, starve it, or reach another request. Each names the
// item it reproduces; all run against a real listening server.

func hostileDir() string { return "../testdata/workers/hostile" }

// sendAndLeave sends a GET and closes the connection without reading.
func sendAndLeave(t *testing.T, base, path string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", path)
	time.Sleep(50 * time.Millisecond) // reaches the worker
	conn.Close()
}

// Item 6: a request whose client left and whose handler never settles
// frees its slot; so does one whose waitUntil work never settles, once its
// 30 s (shortened here) are up.
func TestAbandonedRequestsFreeTheirSlots(t *testing.T) {
	a := startLimited(t, hostileDir(), func(cfg *config.Config) {
		cfg.Edgerun.Isolates = 1
		cfg.Edgerun.MaxConcurrentPerIsolate = 2
	})
	a.app.Server().waitUntilLimit.Store(int64(300 * time.Millisecond))
	for range 2 {
		sendAndLeave(t, a.base, "/hang")
	}
	for range 2 {
		code, body, err := quickGet(a.base + "/hang-wait-until")
		if err != nil || code != 200 || body != "answered" {
			t.Fatalf("/hang-wait-until = %d %q %v", code, body, err)
		}
	}
	waitFor(t, "the slots to be freed", func() bool { return a.pool().Stats().InFlight == 0 })
	code, body, err := quickGet(a.base + "/?id=after")
	if err != nil || code != 200 || body != "ok after" {
		t.Fatalf("GET / after the abandoned requests = %d %q %v", code, body, err)
	}
}

// Item 6: a connected client whose handler never answers gets a 504 once
// response_timeout_ms passes, and the slot is freed.
func TestResponseTimeout(t *testing.T) {
	a := startLimited(t, hostileDir(), func(cfg *config.Config) {
		cfg.Edgerun.Isolates = 1
		cfg.Limits.ResponseTimeoutMs = 600
	})
	code, body, err := quickGet(a.base + "/hang")
	if err != nil || code != http.StatusGatewayTimeout || !strings.Contains(body, "did not respond within 600ms") {
		t.Fatalf("/hang = %d %q %v; want 504 naming the limit", code, body, err)
	}
	waitFor(t, "the slot to be freed", func() bool { return a.pool().Stats().InFlight == 0 })
}

// Item 7: timers a finished request left behind stop with it.
func TestTimersEndWithTheirRequest(t *testing.T) {
	a := startLimited(t, hostileDir(), func(cfg *config.Config) { cfg.Edgerun.Isolates = 1 })
	if code, body, _ := quickGet(a.base + "/interval"); code != 200 || body != "armed" {
		t.Fatalf("/interval = %d %q", code, body)
	}
	time.Sleep(100 * time.Millisecond)
	_, first, _ := quickGet(a.base + "/ticks")
	time.Sleep(200 * time.Millisecond)
	_, second, _ := quickGet(a.base + "/ticks")
	if first != second {
		t.Fatalf("the interval kept firing after its request ended: ticks %s then %s", first, second)
	}
	waitFor(t, "no callbacks pending", func() bool { return a.pool().Stats().Pending == 0 })
	if _, msg, _ := quickGet(a.base + "/top-level-timer"); !strings.HasPrefix(msg, "Disallowed operation called within global scope") {
		t.Fatalf("setInterval at the top level: %q, want workerd's global-scope error", msg)
	}
}

// Item 9: the host's bookkeeping is out of the script's reach: ctx has no
// internal properties, a context cannot be forged for another request, and
// a setter on the request prototype sees no later request's headers.
func TestRequestStateUnreachable(t *testing.T) {
	a := startLimited(t, hostileDir(), func(cfg *config.Config) { cfg.Edgerun.Isolates = 1 })
	a.app.Server().waitUntilLimit.Store(int64(200 * time.Millisecond))
	_, keys, _ := quickGet(a.base + "/ctx-keys")
	if keys != `{"own":[],"proto":["constructor","waitUntil","passThroughOnException","props"],"id":null}` {
		t.Fatalf("ctx exposes: %s", keys)
	}
	// A slow request in flight, which a forged context would try to answer.
	slow := make(chan string, 1)
	go func() {
		_, body, err := quickGet(a.base + "/hang-wait-until")
		slow <- fmt.Sprint(body, err)
	}()
	time.Sleep(50 * time.Millisecond)
	for target := 1; target <= 6; target++ {
		code, body, err := quickGet(fmt.Sprintf("%s/ctx-forge?target=%d", a.base, target))
		if err != nil || code != 200 || body != "forge TypeError" {
			t.Fatalf("/ctx-forge = %d %q %v", code, body, err)
		}
	}
	if got := <-slow; got != "answered<nil>" {
		t.Fatalf("the other request got %q", got)
	}
	if code, body, _ := quickGet(a.base + "/spy"); code != 200 || body != "spying" {
		t.Fatalf("/spy = %d %q", code, body)
	}
	req, _ := http.NewRequest("GET", a.base+"/?id=secret", nil)
	req.Header.Set("Authorization", "Bearer hunter2")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, seen, _ := quickGet(a.base + "/seen"); strings.Contains(seen, "hunter2") || strings.Contains(seen, "secret") {
		t.Fatalf("a prototype setter saw a later request: %q", seen)
	}
}

// Item 10: CF-Connecting-IP is always the client's address.
func TestConnectingIPIsTheClients(t *testing.T) {
	a := startLimited(t, hostileDir(), nil)
	conn, err := net.Dial("tcp", strings.TrimPrefix(a.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /ip HTTP/1.1\r\nHost: x\r\nCF-Connecting-IP: 10.0.0.1\r\ncf-connecting-ip: 10.9.9.9\r\nConnection: close\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	_, _ = bufio.NewReader(resp.Body).WriteTo(&b)
	if b.String() != "127.0.0.1" {
		t.Fatalf("cf-connecting-ip = %q, want the client's 127.0.0.1", b.String())
	}
}

// Item 21: an exception thrown by the script's top-level code names the
// source file, line and column, not the bundle.
func TestTopLevelErrorNamesTheSource(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("wrangler.toml", "name = \"top\"\nmain = \"index.js\"\ncompatibility_date = \"2026-11-01\"\n")
	write("util.js", "export function need(v) {\n  if (!v) {\n    throw new Error(\"config is missing\");\n  }\n  return v;\n}\n")
	write("index.js", "import { need } from \"./util.js\";\nneed(globalThis.NOPE);\nexport default { fetch() { return new Response(\"x\"); } };\n")
	cfg, _, err := config.Load(config.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(context.Background(), AppOptions{Config: cfg, Log: slog.New(slog.DiscardHandler)})
	if err == nil || !strings.Contains(err.Error(), "util.js:3:") || !strings.Contains(err.Error(), "config is missing") {
		t.Fatalf("Open = %v; want the error at util.js:3", err)
	}
}

// Items 1–3: one call of a built-in that would allocate past the memory
// limit, or loop billions of times in Go, throws a RangeError the script can
// catch, and the process lives on.
func TestHugeAllocationsAreRangeErrors(t *testing.T) {
	a := startLimited(t, hostileDir(), func(cfg *config.Config) {
		cfg.Edgerun.Isolates = 1
		cfg.Limits.MemoryMB = 128
	})
	_, kinds, _ := quickGet(a.base + "/alloc-kinds")
	var names []string
	if err := json.Unmarshal([]byte(kinds), &names); err != nil || len(names) < 10 {
		t.Fatalf("/alloc-kinds = %q %v", kinds, err)
	}
	for _, kind := range names {
		code, body, err := quickGet(a.base + "/alloc?kind=" + kind)
		if err != nil || code != 200 || !strings.HasPrefix(body, "RangeError: ") || !strings.Contains(body, "memory limit (128 MiB)") {
			t.Errorf("%s: %d %q %v; want a RangeError naming the limit", kind, code, body, err)
		}
	}
	if code, body, _ := quickGet(a.base + "/?id=alive"); code != 200 || body != "ok alive" {
		t.Fatalf("after the allocations: %d %q", code, body)
	}
	_, sub, _ := quickGet(a.base + "/subclass")
	if want := `[true,true,131072,true,true,true,131072,131072,"1,2,3",true,"[object ArrayBuffer]",true,"function"]`; sub != want {
		t.Fatalf("/subclass = %s, want %s", sub, want)
	}
}

// Item 2: ArrayBuffers are charged to their isolate while they live: held
// past the limit, the next one is refused; let go, they are given back.
func TestArrayBuffersAreCharged(t *testing.T) {
	a := startLimited(t, hostileDir(), func(cfg *config.Config) {
		cfg.Edgerun.Isolates = 1
		cfg.Limits.MemoryMB = 64
	})
	if _, body, _ := quickGet(a.base + "/hold?mb=48"); body != "holding 48" {
		t.Fatalf("/hold 48 MiB = %q", body)
	}
	if _, body, _ := quickGet(a.base + "/hold?mb=32"); !strings.HasPrefix(body, "RangeError: Array buffer allocation failed") {
		t.Fatalf("/hold past the limit = %q, want a RangeError", body)
	}
	quickGet(a.base + "/release")
	if _, body, _ := quickGet(a.base + "/hold?mb=40"); body != "holding 40" {
		t.Fatalf("/hold after release = %q", body)
	}
}

// Item 15: a body over max_body_bytes gets a readable 413, even while the
// client is still sending it (the server drains what comes before it
// closes), and the connection is not read as a next request.
func TestOversizedUploadGetsA413(t *testing.T) {
	a := startLimited(t, hostileDir(), func(cfg *config.Config) { cfg.Limits.MaxBodyBytes = 1 << 20 })
	for _, chunked := range []bool{false, true} {
		var body io.Reader = bytes.NewReader(bytes.Repeat([]byte("x"), 3<<20))
		if chunked {
			body = io.MultiReader(body) // no length known: sent chunked
		}
		resp, err := client.Post(a.base+"/", "application/octet-stream", body)
		if err != nil {
			t.Fatalf("chunked=%v: %v (want a 413, not a reset)", chunked, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge || string(b) != "Payload Too Large" {
			t.Fatalf("chunked=%v: %d %q, want 413", chunked, resp.StatusCode, b)
		}
	}
	if code, body, _ := quickGet(a.base + "/?id=after"); code != 200 || body != "ok after" {
		t.Fatalf("after the uploads: %d %q", code, body)
	}
}

// Item 12: an exception that cannot be described (throwing getters, a
// Proxy, a getter past cpu_ms) is still a 500 (or the limit's 503), logged.
func TestUndescribableExceptionsAre500s(t *testing.T) {
	a := startLimited(t, hostileDir(), func(cfg *config.Config) {
		cfg.Edgerun.Isolates = 1
		cfg.Limits.CPUMs = 200
	})
	for path, want := range map[string]int{
		"/throw-getters": 500, "/throw-getters-async": 500, "/throw-proxy": 500, "/throw-slow-getter": 503,
	} {
		code, body, err := quickGet(a.base + path)
		if err != nil || code != want || body == "" {
			t.Errorf("%s = %d %q %v; want %d with a body", path, code, body, err, want)
		}
	}
	if code, body, _ := quickGet(a.base + "/?id=after"); code != 200 || body != "ok after" {
		t.Fatalf("after: %d %q", code, body)
	}
	if !strings.Contains(a.logs.String(), "/throw-proxy") {
		t.Errorf("the exception was not logged:\n%s", a.logs.String())
	}
}

// Item 13: a panic inside goja's built-ins is the script's TypeError, and
// the isolate (with the requests it serves) lives on.
func TestEnginePanicsAreTypeErrors(t *testing.T) {
	a := startLimited(t, hostileDir(), func(cfg *config.Config) { cfg.Edgerun.Isolates = 1 })
	before := a.pool().Stats().Replaced
	code, body, err := quickGet(a.base + "/to-locale-string")
	if err != nil || code != 200 || !strings.HasPrefix(body, "TypeError: ") {
		t.Fatalf("/to-locale-string = %d %q %v; want a caught TypeError", code, body, err)
	}
	if r := a.pool().Stats().Replaced; r != before {
		t.Fatalf("the isolate was replaced (%d → %d)", before, r)
	}
}

// Item 19: whatever a script writes into a response's internal slots, the
// host writes no malformed status line or header: the request fails with
// workerd's error instead.
func TestResponseHeadValidatedAtTheBoundary(t *testing.T) {
	a := startLimited(t, hostileDir(), nil)
	for _, attack := range []string{"status", "status&status=101", "status&status=1000", "status-text", "nul-value", "nul-value-async", "crlf-value", "space-name", "flat"} {
		conn, err := net.Dial("tcp", strings.TrimPrefix(a.base, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "GET /internals?attack=%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", attack)
		raw, _ := io.ReadAll(conn)
		conn.Close()
		head, _, _ := strings.Cut(string(raw), "\r\n\r\n")
		if !strings.HasPrefix(head, "HTTP/1.1 500 ") || strings.Contains(strings.ToLower(head), "x-injected") {
			t.Errorf("%s: %q, want a 500 with nothing injected", attack, head)
		}
	}
	if _, body, _ := quickGet(a.base + "/internals?attack=none"); body != "x" {
		t.Fatalf("untouched response = %q", body)
	}
}

// Item 8: when one request runs past cpu_ms, the requests that were queued
// on its isolate but had not started are served by a healthy one; only
// those interleaved with the runaway may fail.
func TestRunawayDoesNotFailQueuedRequests(t *testing.T) {
	a := startLimited(t, fixture("limits"), func(cfg *config.Config) {
		cfg.Edgerun.Isolates = 1 // the queued requests have nowhere else to go but the replacement
		cfg.Limits.CPUMs = 300
	})
	for round := range 3 {
		spun := make(chan int, 1)
		go func() {
			code, _, _ := quickGet(a.base + "/spin")
			spun <- code
		}()
		time.Sleep(5 * time.Millisecond)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var failed []string
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id := fmt.Sprintf("%d-%d", round, i)
				code, body, err := quickGet(a.base + "/?id=" + id)
				if err != nil || code != 200 || body != "ok "+id {
					mu.Lock()
					failed = append(failed, fmt.Sprintf("%d %q %v", code, body, err))
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if code := <-spun; code != 503 {
			t.Fatalf("/spin = %d, want 503", code)
		}
		if len(failed) > 0 {
			t.Fatalf("round %d: %d of 40 well-behaved requests failed: %v", round, len(failed), failed[:min(3, len(failed))])
		}
	}
}

// Item 21: console output is bounded per line and per request, and says so.
func TestConsoleOutputIsBounded(t *testing.T) {
	a := startLimited(t, hostileDir(), func(cfg *config.Config) { cfg.Limits.MemoryMB = 256 })
	if _, body, _ := quickGet(a.base + "/log?size=" + fmt.Sprint(128<<20)); body != "logged" {
		t.Fatalf("/log 128 MiB = %q", body)
	}
	logs := a.logs.String()
	if len(logs) > 1<<20 || !strings.Contains(logs, "[cut: 134152192 more characters; a console line is at most 65536]") {
		t.Fatalf("a 128 MiB line logged %d bytes: %.200q", len(logs), logs[max(0, len(logs)-200):])
	}
	before := len(a.logs.String())
	if _, body, _ := quickGet(a.base + "/log?size=60000&lines=100"); body != "logged" {
		t.Fatalf("/log 100 lines = %q", body)
	}
	logged := a.logs.String()[before:]
	if n := len(logged); n > 1100<<10 || !strings.Contains(logged, "limit, the rest is dropped]") {
		t.Fatalf("100 lines of 60000 logged %d bytes, want about 1 MiB and a note", n)
	}
}

// fetch() response bodies are charged to the isolate while they live: many
// large ones at once fail past memory_mb instead of growing the process.
func TestFetchBodiesAreCharged(t *testing.T) {
	big := bytes.Repeat([]byte("z"), 16<<20)
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(big) }))
	defer origin.Close()
	a := startLimited(t, hostileDir(), func(cfg *config.Config) {
		cfg.Edgerun.Isolates = 1
		cfg.Limits.MemoryMB = 64
	})
	if _, body, _ := quickGet(a.base + "/fetch-many?n=2&url=" + origin.URL); body != fmt.Sprintf("fetched %d", 32<<20) {
		t.Fatalf("two 16 MiB fetches = %q", body)
	}
	if _, body, _ := quickGet(a.base + "/fetch-many?n=8&url=" + origin.URL); body != "TypeError: fetch failed: the response body would take the worker past its memory limit" {
		t.Fatalf("eight 16 MiB fetches under 64 MiB = %q", body)
	}
}
