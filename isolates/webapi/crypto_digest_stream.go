package webapi

import (
	"github.com/dop251/goja"
)

// digestStreamNatives are crypto-digest-stream.js's: an incremental hash
// for crypto.DigestStream, so a streamed body is hashed as it arrives
// instead of being gathered first.
func (w *Worker) digestStreamNatives(set nativeSet) {
	vm := w.vm
	// digestStream(name) is [update(bytes), finish() → Uint8Array] over one
	// hash of the algorithm (subtle.digest's names, MD5 included).
	set("digestStream", func(c goja.FunctionCall) goja.Value {
		newHash := hashFunc(c.Argument(0).String())
		if newHash == nil {
			panic(w.domException("Unrecognized algorithm name", "NotSupportedError"))
		}
		h := newHash()
		done := false
		update := func(c goja.FunctionCall) goja.Value {
			if !done {
				h.Write(w.bytesArg(c.Argument(0)))
			}
			return goja.Undefined()
		}
		finish := func(goja.FunctionCall) goja.Value {
			done = true
			return w.newUint8Array(h.Sum(nil))
		}
		return vm.ToValue([]any{update, finish})
	})
}
