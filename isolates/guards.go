package isolates

import (
	_ "embed"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"
)

//go:embed guards.js
var guardsSource string

// guardsProgram is compiled once per process and run in every isolate
// before anything else (see guards.js for what it guards and why).
var guardsProgram = goja.MustCompile("edgerun:guards.js", guardsSource, true)

// countedBuffer is the size from which an ArrayBuffer is allocated by the
// host and charged to its isolate: smaller ones cost the limit nothing
// worth a cleanup each.
const countedBuffer = 64 << 10

// unlimitedBuffers bounds one isolate's live ArrayBuffers when no memory
// limit is configured: a single allocation past the machine's memory is a
// fatal error in Go, not an exception.
const unlimitedBuffers = 2 << 30

// bufferBudget is the bytes of counted ArrayBuffers an isolate holds. It is
// its own object, not a field of the Isolate: the cleanups that give bytes
// back hold it, and must not keep the isolate (and so the buffers) alive.
type bufferBudget struct {
	live  atomic.Int64
	limit int64
}

// installGuards runs guards.js with the natives it needs.
func (iso *Isolate) installGuards(limit uint64) error {
	if limit == 0 {
		limit = unlimitedBuffers
	}
	iso.buffers = &bufferBudget{limit: int64(limit)}
	vm := iso.vm
	fnVal, err := vm.RunProgram(guardsProgram)
	if err != nil {
		return fmt.Errorf("guards: %w", err)
	}
	fn, ok := goja.AssertFunction(fnVal)
	if !ok {
		return fmt.Errorf("guards: not a function")
	}
	native := vm.NewObject()
	_ = native.Set("counted", countedBuffer)
	_ = native.Set("buffer", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(iso.newCountedBuffer(c.Argument(0).ToInteger()))
	})
	if _, err = fn(goja.Undefined(), native, vm.ToValue(float64(limit))); err != nil {
		return err
	}
	for _, path := range panickyBuiltins {
		if err := iso.guardPanics(path[0], path[1]); err != nil {
			return err
		}
	}
	return nil
}

// panickyBuiltins are goja built-ins that dereference nil on some receivers
// (found by TestBuiltinsDoNotPanic): Object.prototype.toLocaleString on an
// object without toString, Function.prototype.toString on a revoked proxy.
var panickyBuiltins = [][2]string{
	{"Object.prototype", "toLocaleString"},
	{"Function.prototype", "toString"},
}

// guardPanics puts a wrapper in place of the built-in name on the object at
// path that turns a Go runtime error inside it into a TypeError. That is
// safe here and not in general: the call into the built-in is made through
// goja's own try frame, which puts the vm back as it was before the call
// when the panic unwinds it.
func (iso *Isolate) guardPanics(path, name string) error {
	vm := iso.vm
	holder, err := vm.RunString(path)
	if err != nil {
		return fmt.Errorf("guards: %s: %w", path, err)
	}
	obj := holder.ToObject(vm)
	orig, ok := goja.AssertFunction(obj.Get(name))
	if !ok {
		return fmt.Errorf("guards: %s.%s is not a function", path, name)
	}
	wrapped := func(call goja.FunctionCall) goja.Value {
		var ret goja.Value
		var callErr error
		func() {
			defer func() {
				if r := recover(); r != nil {
					if _, isRuntime := r.(runtime.Error); isRuntime {
						panic(vm.NewTypeError("%s.%s called on an object it cannot work with", path, name))
					}
					panic(r)
				}
			}()
			ret, callErr = orig(call.This, call.Arguments...)
		}()
		if callErr != nil {
			panic(callErr)
		}
		return ret
	}
	f := vm.ToValue(wrapped).ToObject(vm)
	_ = f.DefineDataProperty("name", vm.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return obj.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// newCountedBuffer allocates an n-byte ArrayBuffer charged to the isolate
// until the garbage collector frees it, or throws V8's RangeError when the
// isolate's live buffers would go past its limit. Bytes already garbage but
// not yet collected would make the check too strict, so a refusal is only
// final after a collection has given back what it could.
func (iso *Isolate) newCountedBuffer(n int64) goja.ArrayBuffer {
	b := iso.buffers
	if n < 0 || n > b.limit {
		panic(iso.rangeError(fmt.Sprintf("Array buffer allocation failed: %d bytes is more than the worker's memory limit (%s) allows", n, mib(uint64(b.limit)))))
	}
	if b.live.Load()+n > b.limit {
		runtime.GC()
		// Cleanups run on their own goroutine after the collection.
		for i := 0; i < 20 && b.live.Load()+n > b.limit; i++ {
			time.Sleep(time.Millisecond)
		}
		if b.live.Load()+n > b.limit {
			panic(iso.rangeError(fmt.Sprintf("Array buffer allocation failed: the worker's ArrayBuffers would hold %s, more than its memory limit (%s)",
				mib(uint64(b.live.Load()+n)), mib(uint64(b.limit)))))
		}
	}
	data := make([]byte, n)
	b.live.Add(n)
	if n > 0 {
		runtime.AddCleanup(&data[0], func(n int64) { b.live.Add(-n) }, n)
	}
	return iso.vm.NewArrayBuffer(data)
}
