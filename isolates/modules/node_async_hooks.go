package modules

import "github.com/dop251/goja"

// asyncHooksNatives give node:async_hooks the isolate's async context
// frame.
func asyncHooksNatives(r *Registry, set NativeSet) {
	set("getFrame", func(goja.FunctionCall) goja.Value {
		if f := r.iso.AsyncFrame(); f != nil {
			return f
		}
		return goja.Undefined()
	})
	set("setFrame", func(c goja.FunctionCall) goja.Value {
		r.iso.SetAsyncFrame(c.Argument(0))
		return goja.Undefined()
	})
}
