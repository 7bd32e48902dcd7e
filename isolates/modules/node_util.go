package modules

import (
	"math/big"

	"github.com/dop251/goja"

	"edgerun/isolates"
)

// typesNatives are util/types.js's: what only the engine knows about a
// value (its internal class, whether it is a Proxy or a Promise), which a
// script could fake through Symbol.toStringTag.
func typesNatives(r *Registry, set NativeSet) {
	vm := r.vm
	// kind(v) → "" for a primitive, else "Proxy", "Promise", "ArrayBuffer",
	// "BigInt" (a boxed bigint) or goja's class name ("Error", "RegExp",
	// "Date", "Number", "String", "Boolean", "Arguments", "Object", …).
	set("kind", func(c goja.FunctionCall) goja.Value {
		o, ok := c.Argument(0).(*goja.Object)
		if !ok {
			return vm.ToValue("")
		}
		switch x := isolates.Export(o).(type) {
		case goja.Proxy:
			return vm.ToValue("Proxy")
		case *goja.Promise:
			return vm.ToValue("Promise")
		case goja.ArrayBuffer:
			return vm.ToValue("ArrayBuffer")
		case *big.Int:
			_ = x
			return vm.ToValue("BigInt")
		}
		return vm.ToValue(o.ClassName())
	})
}

// utilNatives are util.js's: the coded errors and what inspect cannot
// read from JavaScript (a promise's state).
func utilNatives(r *Registry, set NativeSet) {
	vm := r.vm
	errorNatives(r, set)
	// promiseState(p) → ["pending"] | ["fulfilled", value] | ["rejected", reason].
	set("promiseState", func(c goja.FunctionCall) goja.Value {
		o, ok := c.Argument(0).(*goja.Object)
		if !ok {
			return goja.Undefined()
		}
		p, ok := isolates.Export(o).(*goja.Promise)
		if !ok {
			return goja.Undefined()
		}
		switch p.State() {
		case goja.PromiseStateFulfilled:
			return vm.NewArray("fulfilled", p.Result())
		case goja.PromiseStateRejected:
			return vm.NewArray("rejected", p.Result())
		}
		return vm.NewArray("pending")
	})
	// proxyParts(p) → [target, handler] of a Proxy, for showProxy.
	set("proxyParts", func(c goja.FunctionCall) goja.Value {
		o, ok := c.Argument(0).(*goja.Object)
		if !ok {
			return goja.Undefined()
		}
		p, ok := isolates.Export(o).(goja.Proxy)
		if !ok {
			return goja.Undefined()
		}
		return vm.NewArray(p.Target(), p.Handler())
	})
}
