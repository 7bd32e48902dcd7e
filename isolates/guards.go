package isolates

import (
	_ "embed"
	"fmt"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"
)

// Built-ins goja runs in Go cannot be interrupted (the CPU limit's
// interrupt is checked between JavaScript instructions, the memory watchdog
// only sees the heap after a collection), so a script could ask one call for
// more than the machine has — new ArrayBuffer(2**36), "x".repeat(2**36) —
// which is a fatal error in Go, not an exception, or for billions of
// iterations over a sparse array (a = []; a.length = 4e9; a.indexOf(1))
// that no interrupt stops. Each guard checks the size a call implies before
// the built-in runs, against the isolate's memory limit, and throws the
// RangeError V8 throws for the same call. The guards are Go functions in the
// built-ins' places: a JavaScript wrapper cost 1–8 µs a call, a Go one
// nothing measurable.

//go:embed guards.js
var guardsSource string

// guardsProgram wires the guarded constructors in (see guards.js); compiled
// once per process.
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

// installGuards puts the guards in place: the constructors through
// guards.js, the methods directly (see guardedMethods).
func (iso *Isolate) installGuards(limit uint64) error {
	if limit == 0 {
		limit = unlimitedBuffers
	}
	iso.buffers = &bufferBudget{limit: int64(limit)}
	g := newGuard(iso, int64(limit))
	vm := iso.vm
	fnVal, err := vm.RunProgram(guardsProgram)
	if err != nil {
		return fmt.Errorf("guards: %w", err)
	}
	fn, ok := goja.AssertFunction(fnVal)
	if !ok {
		return fmt.Errorf("guards: not a function")
	}
	ctors := vm.NewObject()
	_ = ctors.Set("ArrayBuffer", g.arrayBufferConstructor())
	for _, name := range typedArrays {
		if c := g.typedArrayConstructor(name); c != nil {
			_ = ctors.Set(name, c)
		}
	}
	if _, err := fn(goja.Undefined(), ctors); err != nil {
		return fmt.Errorf("guards: %w", err)
	}
	for _, m := range guardedMethods {
		if err := g.wrapMethod(m); err != nil {
			return err
		}
	}
	return nil
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

// guard holds what the guards of one isolate compare against.
type guard struct {
	iso *Isolate
	vm  *goja.Runtime
	// maxBytes is the isolate's memory limit; maxString the longest string
	// V8 makes, or the limit if smaller; maxElements the longest array
	// (an element takes at least 16 bytes: more would not fit the limit,
	// and a sparse array that long is only a way to loop in Go).
	maxBytes, maxString, maxElements int64
	limitText                        string
}

func newGuard(iso *Isolate, limit int64) *guard {
	return &guard{iso: iso, vm: iso.vm, maxBytes: limit, maxString: min(limit, 1<<29-24),
		maxElements: max(limit/16, 1<<20), limitText: mib(uint64(limit))}
}

func (g *guard) tooLong(what string, n int64) *goja.Object {
	return g.iso.rangeError(fmt.Sprintf("%s: %d is more than the worker's memory limit (%s) allows", what, n, g.limitText))
}

// check is what a guarded method looks at before the built-in runs; it
// returns the exception to throw, or nil.
type check func(g *guard, name string, call goja.FunctionCall) *goja.Object

// guardedMethod is one built-in method and its check.
type guardedMethod struct {
	holder, name string
	check        check
}

// typedArrays are the constructors guarded as typed arrays.
var typedArrays = []string{"Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
	"Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"}

// guardedMethods: the Array methods whose work grows with the length,
// present elements or not; those that build one string or array of a size
// a call names; and goja built-ins that dereference nil on some receivers
// (found by TestBuiltinsDoNotPanic), whose Go panic becomes a TypeError.
var guardedMethods = func() []guardedMethod {
	var ms []guardedMethod
	for _, name := range []string{"fill", "toString", "toLocaleString", "indexOf", "lastIndexOf", "includes",
		"reverse", "sort", "copyWithin", "slice", "splice", "flat", "flatMap", "forEach", "map", "filter",
		"some", "every", "reduce", "reduceRight", "find", "findIndex", "findLast", "findLastIndex",
		"toReversed", "toSorted", "toSpliced", "with"} {
		ms = append(ms, guardedMethod{"Array.prototype", name, thisLength})
	}
	return append(ms,
		guardedMethod{"Array.prototype", "join", joinLength},
		guardedMethod{"Array.prototype", "concat", concatLength},
		guardedMethod{"Array", "from", fromLength},
		guardedMethod{"Object.getPrototypeOf(Uint8Array)", "from", fromLength},
		guardedMethod{"String.prototype", "repeat", repeatLength},
		guardedMethod{"String.prototype", "padStart", padLength},
		guardedMethod{"String.prototype", "padEnd", padLength},
		guardedMethod{"String.prototype", "concat", stringConcatLength},
		guardedMethod{"Object.prototype", "toLocaleString", nil},
		guardedMethod{"Function.prototype", "toString", nil},
	)
}()

// wrapMethod puts a Go function in the place of the built-in m: it runs the
// check, then the built-in, and turns a Go runtime error inside the
// built-in into a TypeError. Recovering is safe here and not in general:
// the call into the built-in is made through goja's own try frame, which
// puts the vm back as it was before the call when the panic unwinds it.
func (g *guard) wrapMethod(m guardedMethod) error {
	vm := g.vm
	holderVal, err := vm.RunString(m.holder)
	if err != nil {
		return fmt.Errorf("guards: %s: %w", m.holder, err)
	}
	holder := holderVal.ToObject(vm)
	orig, ok := goja.AssertFunction(holder.Get(m.name))
	if !ok {
		return nil // not in this goja
	}
	length := holder.Get(m.name).ToObject(vm).Get("length")
	fn := func(call goja.FunctionCall) goja.Value {
		if m.check != nil {
			if ex := m.check(g, m.name, call); ex != nil {
				panic(ex)
			}
		}
		var ret goja.Value
		var callErr error
		func() {
			defer func() {
				if r := recover(); r != nil {
					if _, isRuntime := r.(runtime.Error); isRuntime {
						panic(vm.NewTypeError("%s.%s called on an object it cannot work with", m.holder, m.name))
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
	f := vm.ToValue(fn).ToObject(vm)
	_ = f.DefineDataProperty("name", vm.ToValue(m.name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = f.DefineDataProperty("length", length, goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return holder.DefineDataProperty(m.name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// lengthOf is v.length as a number (0 when v has none). It reads the
// property, which a getter or a Proxy may answer: what it throws is thrown.
func lengthOf(v goja.Value) int64 {
	obj, ok := v.(*goja.Object)
	if !ok {
		if s, ok := v.(goja.String); ok {
			return int64(s.Length())
		}
		return 0
	}
	l := obj.Get("length")
	if l == nil {
		return 0
	}
	f := l.ToFloat()
	if f != f || f < 0 {
		return 0
	}
	return int64(min(f, 1<<62))
}

func thisLength(g *guard, name string, call goja.FunctionCall) *goja.Object {
	if n := lengthOf(call.This); n > g.maxElements {
		return g.tooLong("Invalid array length (Array.prototype."+name+")", n)
	}
	return nil
}

func concatLength(g *guard, _ string, call goja.FunctionCall) *goja.Object {
	n := lengthOf(call.This)
	for _, a := range call.Arguments {
		n += lengthOf(a)
	}
	if n > g.maxElements {
		return g.tooLong("Invalid array length (Array.prototype.concat)", n)
	}
	return nil
}

// joinLength bounds the string join builds: the separators and the string
// elements' lengths (one 1 MiB string 10,000 times is 10 GiB).
func joinLength(g *guard, _ string, call goja.FunctionCall) *goja.Object {
	n := lengthOf(call.This)
	if n > g.maxElements {
		return g.tooLong("Invalid array length (Array.prototype.join)", n)
	}
	obj, ok := call.This.(*goja.Object)
	if !ok || n == 0 {
		return nil
	}
	sep := int64(1)
	if a := call.Argument(0); !goja.IsUndefined(a) {
		sep = lengthOf(a.ToString())
	}
	total := (n - 1) * sep
	for i := int64(0); i < n && total <= g.maxString; i++ {
		if s, ok := obj.Get(strconv.FormatInt(i, 10)).(goja.String); ok {
			total += int64(s.Length())
		}
	}
	if total > g.maxString {
		return g.tooLong("Invalid string length (Array.prototype.join)", total)
	}
	return nil
}

func fromLength(g *guard, _ string, call goja.FunctionCall) *goja.Object {
	items, ok := call.Argument(0).(*goja.Object)
	if !ok {
		return nil
	}
	if it := items.GetSymbol(goja.SymIterator); it != nil && !goja.IsUndefined(it) && !goja.IsNull(it) {
		return nil // an iterable: its elements exist already
	}
	if n := lengthOf(items); n > g.maxElements {
		return g.tooLong("Invalid array length (from)", n)
	}
	return nil
}

func repeatLength(g *guard, _ string, call goja.FunctionCall) *goja.Object {
	count := call.Argument(0).ToFloat()
	if n := float64(lengthOf(call.This.ToString())) * count; n > float64(g.maxString) {
		return g.tooLong("Invalid string length (String.prototype.repeat)", int64(min(n, 1<<62)))
	}
	return nil
}

func padLength(g *guard, name string, call goja.FunctionCall) *goja.Object {
	if n := call.Argument(0).ToFloat(); n > float64(g.maxString) {
		return g.tooLong("Invalid string length (String.prototype."+name+")", int64(min(n, 1<<62)))
	}
	return nil
}

func stringConcatLength(g *guard, _ string, call goja.FunctionCall) *goja.Object {
	n := lengthOf(call.This.ToString())
	for _, a := range call.Arguments {
		n += lengthOf(a.ToString())
	}
	if n > g.maxString {
		return g.tooLong("Invalid string length (String.prototype.concat)", n)
	}
	return nil
}

// byteCount is ToIndex of a constructor's length argument, roughly: NaN
// and undefined are 0; what the built-in refuses (negative, too large for
// it) is left for it to refuse.
func byteCount(v goja.Value) int64 {
	if v == nil || goja.IsUndefined(v) {
		return 0
	}
	f := v.ToFloat()
	if f != f {
		return 0
	}
	return int64(max(min(f, 1<<62), -1))
}

// construct finishes a guarded constructor: obj gets new.target's
// prototype when it is a subclass.
func (g *guard) construct(obj *goja.Object, self *goja.Object, call goja.ConstructorCall) *goja.Object {
	if call.NewTarget != nil && call.NewTarget != self {
		if proto, ok := call.NewTarget.Get("prototype").(*goja.Object); ok {
			_ = obj.SetPrototype(proto)
		}
	}
	return obj
}

func (g *guard) arrayBufferConstructor() goja.Value {
	vm := g.vm
	orig := g.iso.intrinsics.arrayBuffer
	var self *goja.Object
	ctor := func(call goja.ConstructorCall) *goja.Object {
		n := byteCount(call.Argument(0))
		if n < countedBuffer || len(call.Arguments) > 1 {
			if n > g.maxBytes {
				panic(g.tooLong("Array buffer allocation failed", n))
			}
			obj, err := vm.New(orig, call.Arguments...)
			if err != nil {
				panic(err)
			}
			return g.construct(obj, self, call)
		}
		return g.construct(vm.ToValue(g.iso.newCountedBuffer(n)).ToObject(vm), self, call)
	}
	self = vm.ToValue(ctor).ToObject(vm)
	return self
}

func (g *guard) typedArrayConstructor(name string) goja.Value {
	vm := g.vm
	origVal := vm.Get(name)
	if origVal == nil || goja.IsUndefined(origVal) {
		return nil
	}
	orig := origVal.ToObject(vm)
	size := orig.Get("BYTES_PER_ELEMENT").ToInteger()
	var self *goja.Object
	ctor := func(call goja.ConstructorCall) *goja.Object {
		args := call.Arguments
		switch a := call.Argument(0).(type) {
		case *goja.Object:
			if !g.iso.IsArrayBuffer(a) && !g.iso.IsView(a) {
				if it := a.GetSymbol(goja.SymIterator); it == nil || goja.IsUndefined(it) || goja.IsNull(it) {
					if n := lengthOf(a); n > g.maxElements || n*size > g.maxBytes {
						panic(g.tooLong("Invalid typed array length", n))
					}
				}
			}
		default:
			if n := byteCount(a) * size; n >= countedBuffer {
				args = []goja.Value{vm.ToValue(g.iso.newCountedBuffer(n))}
			}
		}
		obj, err := vm.New(orig, args...)
		if err != nil {
			panic(err)
		}
		return g.construct(obj, self, call)
	}
	self = vm.ToValue(ctor).ToObject(vm)
	return self
}
