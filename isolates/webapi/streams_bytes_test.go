package webapi

import (
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// TestEnqueueBytes: the Web APIs' own byte streams outside this package
// (socket.readable) queue chunks through Go, as they are; anything but a
// Uint8Array onto an open byte stream is the controller's TypeError.
func TestEnqueueBytes(t *testing.T) {
	iso, _ := newTestWorker(t, nil)
	cases := []struct {
		name, stream, chunk, wantErr string
	}{
		{"a chunk bigger than autoAllocateChunkSize reaches a default read whole", `new ReadableStream({ type: "bytes" })`, `new Uint8Array(5000)`, ""},
		{"a default stream", `new ReadableStream()`, `new Uint8Array(1)`, "not a byte stream"},
		{"not a stream", `({})`, `new Uint8Array(1)`, "not a byte stream"},
		{"a string chunk", `new ReadableStream({ type: "bytes" })`, `"text"`, "must be a Uint8Array"},
		{"a closed stream", `new ReadableStream({ type: "bytes", start(c) { c.close(); } })`, `new Uint8Array(1)`, "is closed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stream goja.Value
			var err error
			if doErr := iso.Do(func() error {
				vm := iso.Runtime()
				s, e := vm.RunString(tc.stream)
				if e != nil {
					return e
				}
				stream = s
				chunk, e := vm.RunString(tc.chunk)
				if e != nil {
					return e
				}
				if tc.wantErr == "" {
					// A read waits first: the chunk must reach it uncopied.
					if e := vm.Set("s", s); e != nil {
						return e
					}
					if _, e := vm.RunString(`globalThis.got = null; s.getReader().read().then((r) => { got = [r.value.byteLength, r.value.buffer.byteLength]; })`); e != nil {
						return e
					}
				}
				err = EnqueueBytes(iso, stream, chunk)
				return nil
			}); doErr != nil {
				t.Fatal(doErr)
			}
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want one saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got string
			if doErr := iso.Do(func() error {
				v, e := iso.Runtime().RunString(`JSON.stringify(got)`)
				got = v.String()
				return e
			}); doErr != nil {
				t.Fatal(doErr)
			}
			if got != "[5000,5000]" {
				t.Fatalf("the default read got %s, want [5000,5000]", got)
			}
		})
	}
}
