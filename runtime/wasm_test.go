package runtime

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"edgerun/runtime/config"
)

// The wasm app (testdata/workers/wasm) imports app.wasm from its bundle and
// is driven over real HTTP: arithmetic, recursion, a body through wasm
// memory, the ?module form, and workerd's refusal to compile in a handler.
func TestWasmAppOverHTTP(t *testing.T) {
	a := startApp(t, fixture("wasm"), nil)
	for path, want := range map[string]string{
		"/add?a=40&b=2":         `{"sum":42}`,
		"/add?a=2147483647&b=1": `{"sum":-2147483648}`,
		"/fib?n=25":             `{"fib":75025}`,
	} {
		if code, body := a.get(t, path); code != 200 || body != want {
			t.Errorf("GET %s = %d %s, want %s", path, code, body, want)
		}
	}
	// 300 KB: the module grows its memory from 1 page to 5.
	in := strings.Repeat("Hello, wasm! ", 300_000/13)
	resp, err := http.Post(a.base+"/upper", "text/plain", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(out) != strings.ToUpper(in) {
		t.Fatalf("/upper = %d, %d bytes (prefix %q)", resp.StatusCode, len(out), out[:min(20, len(out))])
	}
	changed := strings.Count(in, "ello")*4 + strings.Count(in, "wasm")*4
	if got := resp.Header.Get("x-changed"); got != fmt.Sprint(changed) {
		t.Errorf("x-changed = %s, want %d", got, changed)
	}
	if got := resp.Header.Get("x-logged"); got != fmt.Sprint(changed) {
		t.Errorf("the import was told %s, want %d", got, changed)
	}
	code, body := a.get(t, "/module")
	var m struct {
		Same    bool
		Exports []string
		Fresh   int
	}
	if err := json.Unmarshal([]byte(body), &m); code != 200 || err != nil || !m.Same || m.Fresh != 42 ||
		strings.Join(m.Exports, ",") != "memory:memory,function:add,function:fib,function:upper,function:grow,function:pages,function:spin" {
		t.Errorf("/module = %d %s", code, body)
	}
	if code, body := a.get(t, "/compile"); code != 400 || body != "CompileError: WebAssembly.Module(): Wasm code generation disallowed by embedder" {
		t.Errorf("/compile = %d %q", code, body)
	}
	if code, body := a.get(t, "/hook"); code != 400 || body != "CompileError: WebAssembly.Module(): Wasm code generation disallowed by embedder" {
		t.Errorf("/hook = %d %q", code, body)
	}
}

// A wasm function that never returns is stopped by the CPU limit like a
// JavaScript loop: the request gets the limit's 503, its isolate is
// replaced, and requests on the other isolates are served throughout.
func TestWasmRunawayStoppedByCPULimit(t *testing.T) {
	a := startLimited(t, fixture("wasm"), func(cfg *config.Config) {
		cfg.Edgerun.Isolates = 2
		cfg.Limits.CPUMs = 300
	})
	stop := a.wellBehaved(4)
	for range 3 {
		start := time.Now()
		code, body, err := quickGet(a.base + "/spin")
		if err != nil || code != 503 || !strings.Contains(body, "Worker exceeded CPU time limit (300ms)") {
			t.Fatalf("/spin = %d %q %v", code, body, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("/spin took %v to be stopped", d)
		}
	}
	ok, failures := stop()
	if len(failures) > 0 {
		t.Fatalf("%d well-behaved requests failed while wasm spun: %v", len(failures), failures[:min(3, len(failures))])
	}
	if ok == 0 {
		t.Fatal("no well-behaved request was answered while wasm spun")
	}
	if code, body := a.get(t, "/add?a=1&b=2"); code != 200 || body != `{"sum":3}` {
		t.Fatalf("after the runaways, /add = %d %s", code, body)
	}
	t.Logf("%d requests served beside 3 runaway wasm loops", ok)
}

// Linear memory counts against memory_mb: memory.grow past the budget
// answers -1 (as an engine out of memory does) instead of taking the
// process's memory, and a grow within it works.
func TestWasmMemoryIsCharged(t *testing.T) {
	a := startLimited(t, fixture("wasm"), func(cfg *config.Config) {
		cfg.Edgerun.Isolates = 1
		cfg.Limits.MemoryMB = 64
	})
	var r struct{ Grew, Pages int }
	get := func(path string) {
		t.Helper()
		code, body := a.get(t, path)
		if err := json.Unmarshal([]byte(body), &r); code != 200 || err != nil {
			t.Fatalf("%s = %d %s", path, code, body)
		}
	}
	get("/grow?pages=1600") // 100 MiB
	if r.Grew != -1 || r.Pages != 1 {
		t.Fatalf("growing by 100 MiB under a 64 MiB limit: grew %d, %d pages", r.Grew, r.Pages)
	}
	get("/grow?pages=320") // 20 MiB
	if r.Grew != 1 || r.Pages != 321 {
		t.Fatalf("growing by 20 MiB: grew %d, %d pages", r.Grew, r.Pages)
	}
	// A 5 MB body still goes through the grown memory.
	in := bytes.Repeat([]byte("abc"), 5<<20/3)
	resp, err := http.Post(a.base+"/upper", "text/plain", bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(out, bytes.ToUpper(in)) {
		t.Fatalf("/upper after growing = %d, %d bytes", resp.StatusCode, len(out))
	}
}
