package webapi

import (
	"context"
	"testing"

	"github.com/dop251/goja"

	"edgerun/isolates"
)

// BenchmarkBodyStreamRead measures reading a 256 KiB body through its stream
// with a default reader (as a script piping or hashing a body does): the
// cost of the body's ReadableStream (a byte stream, as workerd's bodies
// are) and of its reads, one request at a time on one isolate.
func BenchmarkBodyStreamRead(b *testing.B) {
	var w *Worker
	var env goja.Value
	iso, err := isolates.New(isolates.Options{Setup: func(iso *isolates.Isolate) error {
		var err error
		if w, err = Install(iso, Options{}); err != nil {
			return err
		}
		exports, err := iso.Runtime().RunString(`({ default: { async fetch() {
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
