package webapi

import (
	"context"
	"os"
	"testing"

	"github.com/dop251/goja"

	"edgerun/isolates"
)

// BenchmarkFetchOnLoop measures the isolate side of one request — Request
// object, the handler, new Response, reading it back — without the hand-off
// between goroutines.
func BenchmarkFetchOnLoop(b *testing.B) {
	iso, w, env := benchHandlerIsolate(b, `({ default: { fetch(request, env, ctx) { return new Response("Hello World!") } } })`)
	req := Request{Method: "GET", URL: "http://127.0.0.1:8787/", Headers: "host\x00127.0.0.1:8787\x00user-agent\x00bench"}
	var got *Response
	x := &Exchange{Request: req, Sink: SinkFuncs{OnRespond: func(r *Response, _ error) { got = r }, OnFinish: func() {}}}
	b.ReportAllocs()
	b.ResetTimer()
	_ = iso.Do(func() error {
		for range b.N {
			x.Scope = isolates.NewScope(context.Background(), 1)
			x.responded = false
			w.Fetch(x, env)
		}
		return nil
	})
	if got == nil || string(got.Body) != "Hello World!" {
		b.Fatalf("response %+v", got)
	}
}

// benchHandlerIsolate is an isolate with the Web APIs whose handler is the
// module exports src evaluates to, and the env to call it with; retired
// when the benchmark ends.
func benchHandlerIsolate(b *testing.B, src string) (*isolates.Isolate, *Worker, goja.Value) {
	b.Helper()
	var w *Worker
	var env goja.Value
	iso, err := isolates.New(isolates.Options{Setup: func(iso *isolates.Isolate) error {
		var err error
		if w, err = Install(iso, Options{CF: map[string]any{"colo": "LOCAL"}}); err != nil {
			return err
		}
		exports, err := iso.Runtime().RunString(src)
		if err != nil {
			return err
		}
		env = iso.Runtime().NewObject()
		_, err = w.SetHandler(exports)
		return err
	}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { iso.Retire(nil) })
	return iso, w, env
}

// BenchmarkBodyStreamRead measures reading a 256 KiB body through its stream
// with a default reader (as a script piping or hashing a body does): the
// cost of the body's ReadableStream (a byte stream, as workerd's bodies
// are) and of its reads, one request at a time on one isolate.
func BenchmarkBodyStreamRead(b *testing.B) {
	iso, w, env := benchHandlerIsolate(b, `({ default: { async fetch() {
		const parts = [];
		for (let i = 0; i < 64; i++) parts.push(new Uint8Array(4096).fill(i));
		const body = new Blob(parts);
		const reader = body.stream().getReader();
		let n = 0;
		for (;;) {
			const { value, done } = await reader.read();
			if (done) break;
			n += value.byteLength;
		}
		const t = await new Response(new Response(body).body).arrayBuffer();
		return new Response(String(n + t.byteLength));
	} } })`)
	req := Request{Method: "GET", URL: "http://127.0.0.1:8787/", Headers: "host\x00127.0.0.1:8787"}
	var got *Response
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		done := make(chan struct{})
		x := &Exchange{Request: req, Scope: isolates.NewScope(context.Background(), 1),
			Sink: SinkFuncs{OnRespond: func(r *Response, _ error) { got = r }, OnFinish: func() { close(done) }}}
		if err := iso.Do(func() error { w.Fetch(x, env); return nil }); err != nil {
			b.Fatal(err)
		}
		<-done
	}
	if got == nil || string(got.Body) != "524288" {
		b.Fatalf("response %+v", got)
	}
}

// BenchmarkInstall measures what each new isolate pays for the Web APIs:
// running the prelude (compiled once per process) and taking its entry
// points.
func BenchmarkInstall(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		iso, err := isolates.New(isolates.Options{Setup: func(iso *isolates.Isolate) error {
			_, err := Install(iso, Options{})
			return err
		}})
		if err != nil {
			b.Fatal(err)
		}
		iso.Retire(nil)
		<-iso.Done()
	}
}

// BenchmarkWebAPIOps prices single Web API operations of the request path,
// each run b.N times in one JavaScript loop (no dispatch around it), so a
// change to one of them shows in its own number (callgrind: instructions
// per op with GOMAXPROCS=1).
func BenchmarkWebAPIOps(b *testing.B) {
	ops := []struct{ name, body string }{
		{"empty", `i`},
		{"response", `new Response("Hello World!")`},
		{"response-empty-init", `new Response("Hello World!", {})`},
		{"response-status", `new Response("not found", { status: 404 })`},
		{"response-headers", `new Response("Hello World!", { headers: { "content-type": "text/plain" } })`},
		{"response-json", `Response.json({ id: 5, name: "item-5" })`},
		{"headers-record", `new Headers({ "content-type": "text/plain" })`},
		{"headers-get", `h.get("user-agent")`},
		{"url", `new URL("http://127.0.0.1:8787/item?id=5")`},
		{"url-pathname", `new URL("http://127.0.0.1:8787/item?id=5").pathname`},
		{"request-url", `req.url`},
	}
	if body := os.Getenv("WEBAPI_OP"); body != "" { // an ad hoc expression, as the sub-benchmark "adhoc"
		ops = append(ops, struct{ name, body string }{"adhoc", body})
	}
	for _, op := range ops {
		b.Run(op.name, func(b *testing.B) {
			iso, _, _ := benchHandlerIsolate(b, `({ default: { fetch() { return new Response("") } } })`)
			var loop goja.Callable
			err := iso.Do(func() error {
				v, err := iso.Runtime().RunString(`(function () {
					const h = new Headers({ "user-agent": "bench", host: "127.0.0.1:8787" });
					const req = new Request("http://127.0.0.1:8787/item?id=5");
					const E = {}, H = { headers: { "content-type": "text/plain" } }, R = { "content-type": "text/plain" };
					return function (n) { let x; for (let i = 0; i < n; i++) x = ` + op.body + `; return x; };
				})()`)
				if err != nil {
					return err
				}
				loop, _ = goja.AssertFunction(v)
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			if out := os.Getenv("JSPROF"); out != "" && b.N > 1 { // goja's JavaScript profile: go tool pprof -top -lines
				f, err := os.Create(out)
				if err != nil {
					b.Fatal(err)
				}
				if err := goja.StartProfile(f); err != nil {
					b.Fatal(err)
				}
				defer func() { goja.StopProfile(); f.Close() }()
			}
			b.ReportAllocs()
			b.ResetTimer()
			if err := iso.Do(func() error { _, err := loop(goja.Undefined(), iso.Runtime().ToValue(b.N)); return err }); err != nil {
				b.Fatal(err)
			}
		})
	}
}
