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
	var w *Worker
	var env goja.Value
	iso, err := isolates.New(isolates.Options{Setup: func(iso *isolates.Isolate) error {
		var err error
		if w, err = Install(iso, Options{CF: map[string]any{"colo": "LOCAL"}}); err != nil {
			return err
		}
		exports, err := iso.Runtime().RunString(`({ default: { fetch(request, env, ctx) { return new Response("Hello World!") } } })`)
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
	defer iso.Retire(nil)
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
