package webapi

import (
	"errors"

	"github.com/dop251/goja"

	"edgerun/isolates"
)

// The Web APIs' own byte streams made outside this package (cloudflare:sockets'
// socket.readable, in isolates/modules) queue their chunks as the bodies here do:
// as they are, neither moved nor copied into a default read's autoAllocateChunkSize
// buffer (what a script's controller.enqueue gets, as in workerd). streams-bytes.js
// hands the Go side that enqueue once, when the isolate is set up; EnqueueBytes
// calls it. Nothing here is reachable from a script.

type byteStreamBridgeKey struct{}

func (w *Worker) streamsNatives(set nativeSet) {
	set("byteStreamBridge", func(c goja.FunctionCall) goja.Value {
		if fn, ok := goja.AssertFunction(c.Argument(0)); ok && w.iso.Value(byteStreamBridgeKey{}) == nil {
			w.iso.SetValue(byteStreamBridgeKey{}, fn)
		}
		return goja.Undefined()
	})
}

// EnqueueBytes queues chunk (a Uint8Array the caller made and keeps no
// reference to) on the byte stream stream; its errors are the controller's
// (a closed or errored stream, a stream that is not a byte stream).
func EnqueueBytes(iso *isolates.Isolate, stream, chunk goja.Value) error {
	fn, _ := iso.Value(byteStreamBridgeKey{}).(goja.Callable)
	if fn == nil {
		return errors.New("Web Streams are not installed")
	}
	_, err := fn(goja.Undefined(), stream, chunk)
	return err
}
