package modules

import (
	"testing"

	"edgerun/isolates"
	"edgerun/isolates/jstest"
)

// TestEmptyViewsAtTheEndOfTheirBuffers runs testdata/emptyviews.js: every
// kind of host call that reads a view's bytes (node:buffer's natives, a
// socket's write, Web API bodies, decoders, digests, key material) or
// probes what a value is (util.types, WebAssembly, node:crypto's handles)
// handed an empty view at its buffer's end. Before isolates.Export and
// ViewBytes, the probes, the Web APIs and the socket's write each aborted a
// -race build on goja's Export (checkptr: "pointer arithmetic result
// points to invalid allocation"); node:buffer's natives (which read the
// view's length first then) and node:crypto's check the same answers on
// the shared helper.
func TestEmptyViewsAtTheEndOfTheirBuffers(t *testing.T) {
	srv := startServer(t, echo)
	iso, _ := newSocketIsolate(t, Options{}, 0)
	jstest.Run(t, iso, "testdata/emptyviews.js", func(iso *isolates.Isolate) error {
		return iso.Runtime().Set("ECHO", srv.addr())
	})
}
