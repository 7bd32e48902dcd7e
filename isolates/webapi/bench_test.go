package webapi

import (
	"context"
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
