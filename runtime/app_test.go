package runtime

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"edgerun/bindings/localpg/pgtest"
	"edgerun/bindings/r2/s3test"
	"edgerun/runtime/config"
)

// logBuffer collects log output safely across goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

type testApp struct {
	app  *App
	base string
	logs *logBuffer
}

// startApp serves the project in dir on a free loopback port.
func startApp(t *testing.T, dir string, vars map[string]string) *testApp {
	t.Helper()
	return startAppWith(t, config.Options{Dir: dir, Vars: vars}, true, nil)
}

// startAppWith loads opts, lets edit adjust the configuration (limits, pool
// size) before the app opens, and serves it on a free loopback port.
func startAppWith(t testing.TB, opts config.Options, logRequests bool, edit func(cfg *config.Config)) *testApp {
	t.Helper()
	cfg, _, err := config.Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(cfg)
	}
	logs := &logBuffer{}
	log, _ := NewLogger(logs, "pretty", slog.LevelDebug)
	app, err := Open(context.Background(), AppOptions{Config: cfg, Dev: true, LogRequests: logRequests, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := app.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return &testApp{app: app, base: "http://" + ln.Addr().String(), logs: logs}
}

var client = &http.Client{
	Timeout:   30 * time.Second,
	Transport: &http.Transport{MaxIdleConnsPerHost: 200},
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	},
}

func (a *testApp) do(t *testing.T, method, path string, body io.Reader, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, a.base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func (a *testApp) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, body := a.do(t, "GET", path, nil, nil)
	return resp.StatusCode, body
}

func decodeJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("not JSON: %q: %v", s, err)
	}
	return m
}

func fixture(name string) string { return filepath.Join("..", "testdata", "workers", name) }

func TestModuleWorkerServesRequests(t *testing.T) {
	a := startApp(t, fixture("module-js"), map[string]string{"FROM_CLI": "cli-value"})

	if code, body := a.get(t, "/"); code != 200 || body != "hello from module" {
		t.Fatalf("GET / = %d %q", code, body)
	}

	_, body := a.do(t, "GET", "/env", nil, nil)
	env := decodeJSON(t, body)
	if env["greeting"] != "hello" || env["token"] != "s3cret" || env["cli"] != "cli-value" {
		t.Fatalf("env = %v", env)
	}
	limits, _ := env["limits"].(map[string]any)
	if limits["max"] != float64(3) || fmt.Sprint(limits["tags"]) != "[a b]" {
		t.Fatalf("JSON var = %v", env["limits"])
	}

	resp, body := a.do(t, "POST", "/echo?q=search+term", strings.NewReader("payload ✓"),
		map[string]string{"Content-Type": "text/plain", "X-Custom": "yes"})
	echo := decodeJSON(t, body)
	want := map[string]any{
		"method": "POST", "url": a.base + "/echo?q=search+term", "search": "search term",
		"contentType": "text/plain", "custom": "yes", "body": "payload ✓", "cf": true, "ip": "127.0.0.1",
	}
	for k, v := range want {
		if echo[k] != v {
			t.Errorf("echo[%s] = %#v, want %#v", k, echo[k], v)
		}
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Response.json content-type = %q", ct)
	}

	_, body = a.do(t, "POST", "/json", strings.NewReader(`{"a":[1,2,{"b":null}]}`), nil)
	if body != `{"got":{"a":[1,2,{"b":null}]}}` {
		t.Errorf("/json = %s", body)
	}

	form := url.Values{"name": {"Ada Lovelace"}, "lang": {"en"}}
	_, body = a.do(t, "POST", "/form", strings.NewReader(form.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if f := decodeJSON(t, body); f["name"] != "Ada Lovelace" || f["lang"] != "en" {
		t.Errorf("/form = %s", body)
	}

	resp, body = a.do(t, "POST", "/bytes", bytes.NewReader([]byte{1, 2, 3, 250}), nil)
	if !bytes.Equal([]byte(body), []byte{250, 3, 2, 1}) || resp.Header.Get("Content-Type") != "application/octet-stream" {
		t.Errorf("/bytes = %v %q", []byte(body), resp.Header.Get("Content-Type"))
	}

	resp, body = a.do(t, "GET", "/headers", nil, nil)
	if resp.StatusCode != 201 || resp.Status != "201 Made" || body != "ok" {
		t.Errorf("/headers status = %q body %q", resp.Status, body)
	}
	if got := resp.Header.Values("Set-Cookie"); strings.Join(got, ";") != "a=1;b=2" {
		t.Errorf("Set-Cookie = %v", got)
	}
	if resp.Header.Get("X-One") != "1" || resp.Header.Get("Content-Type") != "text/plain;charset=UTF-8" {
		t.Errorf("headers = %v", resp.Header)
	}

	resp, _ = a.do(t, "GET", "/redirect", nil, nil)
	if resp.StatusCode != 301 || resp.Header.Get("Location") != "https://example.com/next" {
		t.Errorf("/redirect = %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}

	if code, body := a.get(t, "/nope"); code != 404 || body != "not found" {
		t.Errorf("/nope = %d %q", code, body)
	}
	if !strings.Contains(a.logs.String(), "GET /nope 404 Not Found (") {
		t.Errorf("request log line missing:\n%s", a.logs.String())
	}
}

func TestWaitUntilRunsAfterResponse(t *testing.T) {
	a := startApp(t, fixture("module-js"), nil)
	if code, body := a.get(t, "/wait-until"); code != 200 || body != "queued" {
		t.Fatalf("/wait-until = %d %q", code, body)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		// Every isolate may have served it; ask until the isolate that ran it answers.
		if _, body := a.get(t, "/after"); body == "1" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("waitUntil work never ran")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestErrorsBecome500AndServerKeepsServing(t *testing.T) {
	a := startApp(t, fixture("module-js"), nil)
	cases := []struct{ path, want string }{
		{"/throw", "Error: boom from handler"},
		{"/reject", "TypeError: async boom"},
		{"/not-a-response", "did not resolve to 'Response'"},
	}
	for _, c := range cases {
		code, body := a.get(t, c.path)
		if code != 500 || !strings.Contains(body, c.want) {
			t.Errorf("%s = %d %q, want 500 containing %q", c.path, code, body, c.want)
		}
		if c.path == "/throw" && !strings.Contains(body, "index.js:") {
			t.Errorf("%s: stack does not name the source file: %q", c.path, body)
		}
	}
	if code, body := a.get(t, "/"); code != 200 || body != "hello from module" {
		t.Fatalf("after errors GET / = %d %q", code, body)
	}
	if !strings.Contains(a.logs.String(), "boom from handler") {
		t.Errorf("exception not logged:\n%s", a.logs.String())
	}
}

func TestConsoleLogPrintsObjectsReadably(t *testing.T) {
	a := startApp(t, fixture("module-js"), nil)
	a.get(t, "/console")
	want := "logged { a: 1, nested: { b: [ 1, 2 ] } }"
	if !strings.Contains(a.logs.String(), want) {
		t.Fatalf("log lacks %q:\n%s", want, a.logs.String())
	}
}

func TestServiceWorkerSyntax(t *testing.T) {
	a := startApp(t, fixture("service-worker"), nil)
	resp, body := a.do(t, "PUT", "/", strings.NewReader("x"), nil)
	if resp.StatusCode != 200 || body != "hello from sw PUT" {
		t.Fatalf("PUT / = %d %q", resp.StatusCode, body)
	}
	if code, body := a.get(t, "/later"); code != 200 || body != "later sw" {
		t.Fatalf("GET /later = %d %q", code, body)
	}
	if m := a.app.Server().Version().Mode; m != "service-worker" {
		t.Fatalf("mode = %q", m)
	}
}

func TestTypeScriptWorkerWithImports(t *testing.T) {
	a := startApp(t, fixture("ts-app"), nil)
	_, body := a.do(t, "GET", "/?name=Grace", nil, nil)
	got := decodeJSON(t, body)
	if got["text"] != "Hello, Grace!" || got["length"] != float64(13) || got["label"] != "counter" {
		t.Fatalf("ts app = %v", got)
	}
	code, body := a.get(t, "/explode")
	if code != 500 || !strings.Contains(body, "exploded in greet.ts") {
		t.Fatalf("/explode = %d %q", code, body)
	}
	// The stack names the original TypeScript files, lines and columns
	// (source map), as V8 prints them, without edgerun's own frames.
	for _, frame := range []string{"at explode (src/greet.ts:12:8)", "at fetch (src/index.ts:16:14)"} {
		if !strings.Contains(body, frame) {
			t.Errorf("stack lacks %q:\n%s", frame, body)
		}
	}
	if strings.Contains(body, "prelude") {
		t.Errorf("stack shows edgerun internals:\n%s", body)
	}
}

func TestThousandConcurrentAsyncRequests(t *testing.T) {
	a := startApp(t, fixture("async-timer"), nil)
	const n = 1000
	var wg sync.WaitGroup
	errs := make(chan string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := client.Get(fmt.Sprintf("%s/?id=%d", a.base, i))
			if err != nil {
				errs <- err.Error()
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if want := fmt.Sprintf("id=%d", i); resp.StatusCode != 200 || string(b) != want {
				errs <- fmt.Sprintf("request %d got %d %q", i, resp.StatusCode, b)
			}
		}()
	}
	wg.Wait()
	close(errs)
	var failures []string
	for e := range errs {
		failures = append(failures, e)
	}
	if len(failures) > 0 {
		t.Fatalf("%d of %d requests failed; first: %s", len(failures), n, failures[0])
	}
}

func TestTypeScriptSyntaxErrorNamesFileLineColumn(t *testing.T) {
	cfg, _, err := config.Load(config.Options{Dir: fixture("syntax-error")})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = BuildScript(VersionOptions{Dir: cfg.Dir, Main: cfg.Main})
	if err == nil {
		t.Fatal("syntax error built")
	}
	if !strings.Contains(err.Error(), "src/index.ts:4:") {
		t.Fatalf("error does not name src/index.ts:4: %v", err)
	}
}

func TestBadConfigNamesLine(t *testing.T) {
	_, _, err := config.Load(config.Options{Dir: fixture("bad-config")})
	if err == nil || !strings.Contains(err.Error(), "wrangler.toml:5") {
		t.Fatalf("error = %v, want wrangler.toml:5", err)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopAll()
	s3test.StopAll()
	os.Exit(code)
}
