package webapi

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"weak"

	"github.com/dop251/goja"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/sys"

	"edgerun/isolates"
)

// wasmIsolate is an isolate's side of WebAssembly: the error classes and
// wrappers of js/wasm.js (given on first use), and the context the CPU
// limit cancels.
type wasmIsolate struct {
	w                                   *Worker
	compileError, linkError, runtimeErr *goja.Object
	rangeError, syntaxError             *goja.Object
	wrapModule, wrapMemory, wrapGlobal  goja.Callable
	wrapTable, wrapInstance             goja.Callable
	ctx                                 context.Context
}

// wasmInstance is one instantiated module and the host module holding the
// JavaScript functions it imports. When the JavaScript objects that use it
// (its exports, its Instance) are collected, both are closed.
type wasmInstance struct {
	mod     api.Module
	host    *wasmHost // the imported functions (the host module holds it weakly)
	memory  []*wasmMemory
	exports *goja.Object
}

// wasmHost is what the host functions an instance imports call. The host
// module reaches it through a weak pointer: the store keeps host modules
// reachable, and a strong pointer to the vm from there would keep every
// instance alive.
type wasmHost struct {
	st  *wasmIsolate
	fns []goja.Callable
}

// wasmThrown carries a JavaScript exception through wasm frames: a host
// function panics with it and the export that called into wasm rethrows it.
type wasmThrown struct{ raw any }

func (t *wasmThrown) Error() string { return "wasm: JavaScript exception" }

var typeBigInt = reflect.TypeOf((*big.Int)(nil))

func (w *Worker) wasmNatives(set nativeSet) {
	st := &wasmIsolate{w: w}
	vm := w.vm
	set("wasmSetup", func(c goja.FunctionCall) goja.Value {
		o := c.Argument(0).ToObject(vm)
		st.compileError = o.Get("CompileError").ToObject(vm)
		st.linkError = o.Get("LinkError").ToObject(vm)
		st.runtimeErr = o.Get("RuntimeError").ToObject(vm)
		st.rangeError = o.Get("RangeError").ToObject(vm)
		st.syntaxError = o.Get("SyntaxError").ToObject(vm)
		fn := func(name string) goja.Callable { f, _ := goja.AssertFunction(o.Get(name)); return f }
		st.wrapModule, st.wrapMemory, st.wrapGlobal, st.wrapTable, st.wrapInstance =
			fn("module"), fn("memory"), fn("global"), fn("table"), fn("instance")
		st.ctx = w.iso.InterruptContext()
		return goja.Undefined()
	})
	// wasmCompile(bytes, who): a module handle, or a CompileError. Only
	// while the top-level code runs, as on Workers.
	set("wasmCompile", func(c goja.FunctionCall) goja.Value {
		who := c.Argument(1).String()
		if !w.iso.InSetup() {
			panic(st.newError(st.compileError, who+": "+errWasmDisallowed.Error()))
		}
		bin := st.bufferSource(c.Argument(0), who)
		m, err := wasmCompile(bin)
		if err != nil {
			panic(st.newError(st.compileError, wasmCompileMessage(who, err)))
		}
		return vm.ToValue(m)
	})
	set("wasmBundled", func(c goja.FunctionCall) goja.Value {
		text := c.Argument(0).String()
		if !w.iso.InSetup() && !wasmIsBundled(text) {
			// The hook is reachable by scripts: in a handler it loads only
			// what the bundle imported, never bytes made at run time.
			panic(st.newError(st.compileError, "WebAssembly.Module(): "+errWasmDisallowed.Error()))
		}
		m, err := wasmCompileText(text)
		if err != nil {
			panic(st.newError(st.compileError, wasmCompileMessage("WebAssembly.Module()", err)))
		}
		return vm.ToValue(m)
	})
	set("wasmValidate", func(c goja.FunctionCall) goja.Value {
		bin := st.bufferSource(c.Argument(0), "WebAssembly.validate()")
		_, err := wasmCompile(bin)
		return vm.ToValue(err == nil)
	})
	set("wasmModuleImports", func(c goja.FunctionCall) goja.Value {
		m := st.module(c.Argument(0))
		out := make([]any, 0, len(m.info.imports))
		for _, im := range m.info.imports {
			out = append(out, map[string]any{"module": im.module, "name": im.name, "kind": wasmKindNames[im.kind]})
		}
		return st.jsonish(out)
	})
	set("wasmModuleExports", func(c goja.FunctionCall) goja.Value {
		m := st.module(c.Argument(0))
		out := make([]any, 0, len(m.info.exports))
		for _, ex := range m.info.exports {
			kind := "function"
			if int(ex.kind) < len(wasmKindNames) {
				kind = wasmKindNames[ex.kind]
			}
			out = append(out, map[string]any{"name": ex.name, "kind": kind})
		}
		return st.jsonish(out)
	})
	set("wasmCustomSections", func(c goja.FunctionCall) goja.Value {
		m := st.module(c.Argument(0))
		name := c.Argument(1).String()
		var out []any
		for _, cs := range m.info.customs {
			if cs.name == name {
				out = append(out, vm.NewArrayBuffer(append([]byte(nil), cs.data...)))
			}
		}
		return vm.NewArray(out...)
	})
	// wasmInstantiate(module, importObject): the exports object.
	set("wasmInstantiate", func(c goja.FunctionCall) goja.Value {
		return st.instantiate(st.module(c.Argument(0)), c.Argument(1), c.Argument(2).String())
	})
	set("wasmMemoryNew", func(c goja.FunctionCall) goja.Value {
		initial, maximum := uint32(c.Argument(0).ToInteger()), uint32(math.MaxUint32)
		if !goja.IsUndefined(c.Argument(1)) {
			maximum = uint32(c.Argument(1).ToInteger())
		}
		return vm.ToValue(st.newMemory(initial, maximum))
	})
	set("wasmMemoryBuffer", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(st.buffer(st.memory(c.Argument(0))))
	})
	set("wasmMemoryGrow", func(c goja.FunctionCall) goja.Value {
		m := st.memory(c.Argument(0))
		old, ok := m.mem.Grow(uint32(c.Argument(1).ToInteger()))
		if !ok {
			panic(st.newError(st.rangeError, "WebAssembly.Memory.grow(): Maximum memory size exceeded"))
		}
		st.refresh(m)
		return vm.ToValue(old)
	})
	set("wasmGlobalNew", func(c goja.FunctionCall) goja.Value {
		t, ok := wasmValTypes[c.Argument(0).String()]
		if !ok {
			panic(vm.NewTypeError("WebAssembly.Global(): Descriptor property 'value' must be a WebAssembly type"))
		}
		var bits uint64
		if !goja.IsUndefined(c.Argument(2)) {
			bits = st.toWasm(c.Argument(2), t)
		}
		return vm.ToValue(st.newGlobal(t, c.Argument(1).ToBoolean(), bits))
	})
	set("wasmGlobalGet", func(c goja.FunctionCall) goja.Value {
		return st.globalValue(st.global(c.Argument(0)))
	})
	set("wasmGlobalSet", func(c goja.FunctionCall) goja.Value {
		g := st.global(c.Argument(0))
		if !g.mutable {
			panic(vm.NewTypeError("set WebAssembly.Global.value): Can't set the value of an immutable global."))
		}
		g.g.(api.MutableGlobal).Set(st.toWasm(c.Argument(1), g.typ))
		return goja.Undefined()
	})
}

var wasmValTypes = map[string]wasmValType{"i32": wasmI32, "i64": wasmI64, "f32": wasmF32, "f64": wasmF64}
var wasmValTypeNames = map[wasmValType]string{wasmI32: "i32", wasmI64: "i64", wasmF32: "f32", wasmF64: "f64"}

func (st *wasmIsolate) newError(ctor *goja.Object, msg string) *goja.Object {
	obj, err := st.w.vm.New(ctor, st.w.vm.ToValue(msg))
	if err != nil {
		return st.w.vm.NewTypeError(msg)
	}
	return obj
}

func (st *wasmIsolate) jsonish(v any) goja.Value {
	out := st.w.vm.NewArray()
	for i, e := range v.([]any) {
		o := st.w.vm.NewObject()
		for _, k := range []string{"module", "name", "kind"} {
			if s, ok := e.(map[string]any)[k]; ok {
				_ = o.Set(k, s)
			}
		}
		_ = out.Set(strconv.Itoa(i), o)
	}
	return out
}

// bufferSource is the bytes of an ArrayBuffer or view, copied (a module is
// compiled from the bytes as they are now).
func (st *wasmIsolate) bufferSource(v goja.Value, who string) []byte {
	if !st.w.iso.IsArrayBuffer(v) && !st.w.iso.IsView(v) {
		panic(st.w.vm.NewTypeError(who + ": Argument 0 must be a buffer source"))
	}
	return append([]byte(nil), st.w.bytesArg(v)...)
}

func (st *wasmIsolate) module(v goja.Value) *wasmCompiled {
	if m, ok := isolates.Export(v).(*wasmCompiled); ok {
		return m
	}
	panic(st.w.vm.NewTypeError("WebAssembly.Instance(): Argument 0 must be a WebAssembly.Module"))
}

func (st *wasmIsolate) memory(v goja.Value) *wasmMemory {
	if m, ok := isolates.Export(v).(*wasmMemory); ok {
		return m
	}
	panic(st.w.vm.NewTypeError("Receiver is not a WebAssembly.Memory"))
}

func (st *wasmIsolate) global(v goja.Value) *wasmGlobal {
	if g, ok := isolates.Export(v).(*wasmGlobal); ok {
		return g
	}
	panic(st.w.vm.NewTypeError("Receiver is not a WebAssembly.Global"))
}

// instantiate links m's imports from importObject, instantiates it (its
// start function runs) and builds its exports object.
func (st *wasmIsolate) instantiate(m *wasmCompiled, importObject goja.Value, who string) goja.Value {
	vm := st.w.vm
	info := m.info
	var imports *goja.Object
	if len(info.imports) > 0 {
		if !isObject(importObject) {
			panic(vm.NewTypeError(who + ": Imports argument must be present and must be an object"))
		}
		imports = importObject.ToObject(vm)
	}
	host := &wasmHost{st: st}
	builders := map[string]wazero.HostModuleBuilder{}
	var names []string
	for i, im := range info.imports {
		modv := imports.Get(im.module)
		if !isObject(modv) {
			panic(vm.NewTypeError(fmt.Sprintf("%s: Import #%d \"%s\": module is not an object or function", who, i, im.module)))
		}
		v := modv.ToObject(vm).Get(im.name)
		if v == nil {
			v = goja.Undefined()
		}
		if im.kind != wasmKindFunc {
			panic(st.newError(st.linkError, fmt.Sprintf("%s: Import #%d \"%s\" \"%s\": importing a %s from JavaScript is not supported by edgerun", who, i, im.module, im.name, wasmKindNames[im.kind])))
		}
		fn, ok := goja.AssertFunction(v)
		if !ok {
			panic(st.newError(st.linkError, fmt.Sprintf("%s: Import #%d \"%s\" \"%s\": function import requires a callable", who, i, im.module, im.name)))
		}
		for _, t := range append(append([]wasmValType(nil), im.fn.params...), im.fn.results...) {
			if _, ok := wasmValTypeNames[t]; !ok {
				panic(vm.NewTypeError(fmt.Sprintf("%s: Import #%d \"%s\" \"%s\": type incompatibility when transforming from/to JS", who, i, im.module, im.name)))
			}
		}
		host.fns = append(host.fns, fn)
		b, ok := builders[im.module]
		if !ok {
			// The name is only the host module's own (the resolver below
			// links it); it is instantiated without one, so any number of
			// instances may import the same module name.
			b = wasmRuntime().NewHostModuleBuilder(im.module)
			builders[im.module] = b
			names = append(names, im.module)
		}
		b.NewFunctionBuilder().WithGoModuleFunction(wasmHostFunc(weak.Make(host), len(host.fns)-1, im.fn), im.fn.params, im.fn.results).Export(im.name)
	}
	ctx, alloc, ok := st.allocatorContext(st.ctx, info.memMin)
	if !ok {
		panic(st.newError(st.rangeError, who+": "+errWasmOutOfMemory.Error()))
	}
	defer alloc.release()
	inst := &wasmInstance{host: host}
	var mods []api.Module
	resolved := map[string]api.Module{}
	for _, name := range names {
		compiled, err := builders[name].Compile(ctx)
		var hm api.Module
		if err == nil {
			hm, err = wasmRuntime().InstantiateModule(ctx, compiled, wazero.NewModuleConfig().WithName("").WithStartFunctions())
		}
		if err != nil {
			closeAll(mods)
			panic(st.newError(st.linkError, who+": "+err.Error()))
		}
		mods = append(mods, hm)
		resolved[name] = hm
	}
	ctx = experimental.WithImportResolver(ctx, func(name string) api.Module { return resolved[name] })
	mod, err := wasmRuntime().InstantiateModule(ctx, m.compiled, wazero.NewModuleConfig().WithName("").WithStartFunctions())
	if err != nil {
		closeAll(mods)
		panic(st.wasmError(err, st.linkError, who))
	}
	inst.mod = mod
	mods = append(mods, mod)
	runtime.AddCleanup(inst, closeAll, mods)
	inst.exports = st.exportsObject(inst, m.info)
	return inst.exports
}

func closeAll(mods []api.Module) {
	for _, m := range mods {
		_ = m.Close(context.Background())
	}
}

var errWasmOutOfMemory = errors.New("Out of memory: Cannot allocate Wasm memory for new instance")

// wasmError is the JavaScript error for a failed call or instantiation:
// the exception a JavaScript import threw, a RuntimeError for a trap,
// the interrupt when the CPU limit stopped the module, other for the rest.
func (st *wasmIsolate) wasmError(err error, other *goja.Object, who string) any {
	var thrown *wasmThrown
	if errors.As(err, &thrown) {
		return thrown.raw
	}
	if err.Error() == "stack overflow" {
		return st.newError(st.rangeError, "Maximum call stack size exceeded")
	}
	var exit *sys.ExitError
	if errors.As(err, &exit) || st.ctx.Err() != nil {
		// Stopped by the CPU or memory limit: the vm is interrupted too,
		// and raises its InterruptedError as soon as this returns.
		return st.newError(st.runtimeErr, "Execution terminated: "+fmt.Sprint(context.Cause(st.ctx)))
	}
	if msg, ok := wasmTrapMessage(err); ok {
		if msg == "Maximum call stack size exceeded" {
			return st.newError(st.rangeError, msg)
		}
		return st.newError(st.runtimeErr, msg)
	}
	return st.newError(other, who+": "+err.Error())
}

// exportsObject is an instance's exports: a frozen object without
// prototype, its properties in the module's export order.
func (st *wasmIsolate) exportsObject(inst *wasmInstance, info *wasmInfo) *goja.Object {
	vm := st.w.vm
	o := vm.NewObject()
	_ = o.SetPrototype(nil)
	for _, ex := range info.exports {
		var v goja.Value = goja.Undefined()
		switch ex.kind {
		case wasmKindFunc:
			if int(ex.index) < len(info.funcs) {
				v = st.exportFunc(inst, ex.name, ex.index, info.funcs[ex.index])
			}
		case wasmKindMemory:
			mem := &wasmMemory{mem: inst.mod.ExportedMemory(ex.name), inst: inst}
			inst.memory = append(inst.memory, mem)
			v = st.wrap(st.wrapMemory, mem)
			mem.obj = v.(*goja.Object)
		case wasmKindGlobal:
			g := inst.mod.ExportedGlobal(ex.name)
			_, mutable := g.(api.MutableGlobal)
			v = st.wrap(st.wrapGlobal, &wasmGlobal{g: g, typ: g.Type(), mutable: mutable, inst: inst})
		case wasmKindTable:
			v = st.wrap(st.wrapTable, inst)
		}
		_ = o.DefineDataProperty(ex.name, v, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	}
	return o
}

func (st *wasmIsolate) wrap(fn goja.Callable, h any) goja.Value {
	v, err := fn(goja.Undefined(), st.w.vm.ToValue(h))
	if err != nil {
		panic(err)
	}
	return v
}

// exportFunc is the JavaScript function for an exported wasm function:
// its arguments converted by the parameter types (ToInt32, ToBigInt,
// ToNumber), its result(s) back (one value, or an array for several).
func (st *wasmIsolate) exportFunc(inst *wasmInstance, name string, index uint32, ft wasmFuncType) goja.Value {
	vm := st.w.vm
	for _, t := range append(append([]wasmValType(nil), ft.params...), ft.results...) {
		if _, ok := wasmValTypeNames[t]; !ok {
			f := vm.ToValue(func(goja.FunctionCall) goja.Value {
				panic(vm.NewTypeError("type incompatibility when transforming from/to JS"))
			}).(*goja.Object)
			st.nameFunc(f, index, len(ft.params))
			return f
		}
	}
	fn := inst.mod.ExportedFunction(name)
	stack := make([]uint64, max(len(ft.params), len(ft.results)))
	busy := false
	f := vm.ToValue(func(c goja.FunctionCall) goja.Value {
		s := stack
		if busy { // called again from inside itself, through an import
			s = make([]uint64, len(stack))
		}
		for i, t := range ft.params {
			s[i] = st.toWasm(c.Argument(i), t)
		}
		call := fn
		if busy {
			call = inst.mod.ExportedFunction(name)
		} else {
			busy = true
			defer func() { busy = false }()
		}
		if err := call.CallWithStack(st.ctx, s); err != nil {
			panic(st.wasmError(err, st.runtimeErr, ""))
		}
		for _, m := range inst.memory {
			st.refresh(m)
		}
		switch len(ft.results) {
		case 0:
			return goja.Undefined()
		case 1:
			return st.fromWasm(s[0], ft.results[0])
		}
		out := make([]any, len(ft.results))
		for i, t := range ft.results {
			out[i] = st.fromWasm(s[i], t)
		}
		return vm.NewArray(out...)
	}).(*goja.Object)
	st.nameFunc(f, index, len(ft.params))
	return f
}

// nameFunc gives an exported function V8's name (its index) and length.
func (st *wasmIsolate) nameFunc(f *goja.Object, index uint32, params int) {
	_ = f.DefineDataProperty("name", st.w.vm.ToValue(strconv.Itoa(int(index))), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	_ = f.DefineDataProperty("length", st.w.vm.ToValue(params), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
}

func isObject(v goja.Value) bool { _, ok := v.(*goja.Object); return ok }

// wasmHostFunc is the host function for import i of host: it converts the
// arguments, calls the JavaScript function and converts what it returns.
func wasmHostFunc(host weak.Pointer[wasmHost], i int, ft wasmFuncType) api.GoModuleFunc {
	return func(ctx context.Context, _ api.Module, stack []uint64) {
		h := host.Value()
		if h == nil {
			panic(errors.New("wasm: the instance's JavaScript is gone"))
		}
		st := h.st
		args := make([]goja.Value, len(ft.params))
		for j, t := range ft.params {
			args[j] = st.fromWasm(stack[j], t)
		}
		var out goja.Value
		raw := catchJS(func() {
			v, err := h.fns[i](goja.Undefined(), args...)
			if err != nil {
				panic(err)
			}
			switch len(ft.results) {
			case 0:
			case 1:
				stack[0] = st.toWasm(v, ft.results[0])
			default:
				out = v
				vals := st.iterate(out, len(ft.results))
				for j, t := range ft.results {
					stack[j] = st.toWasm(vals[j], t)
				}
			}
		})
		if raw != nil {
			panic(&wasmThrown{raw})
		}
	}
}

// catchJS runs f and returns what it threw (a JavaScript exception, the
// vm's interrupt), or nil.
func catchJS(f func()) (raw any) {
	defer func() {
		if r := recover(); r != nil {
			raw = r
		}
	}()
	f()
	return nil
}

// iterate is the first n values of an iterable (a host function's results).
func (st *wasmIsolate) iterate(v goja.Value, n int) []goja.Value {
	vm := st.w.vm
	if !isObject(v) {
		panic(vm.NewTypeError("multi-return value must be iterable"))
	}
	var out []goja.Value
	vm.ForOf(v, func(x goja.Value) bool {
		out = append(out, x)
		return true
	})
	if len(out) != n {
		panic(vm.NewTypeError("multi-return length mismatch"))
	}
	return out
}

// toWasm converts a JavaScript value to a wasm value of type t, as the
// JS API does: ToInt32, ToBigInt (wrapped to 64 bits), ToNumber.
func (st *wasmIsolate) toWasm(v goja.Value, t wasmValType) uint64 {
	switch t {
	case wasmI32:
		return uint64(jsToInt32(v.ToFloat()))
	case wasmI64:
		return uint64(st.toBigInt(v).Int64())
	case wasmF32:
		return f32bits(v.ToFloat())
	case wasmF64:
		return math.Float64bits(v.ToFloat())
	}
	panic(st.w.vm.NewTypeError("type incompatibility when transforming from/to JS"))
}

func jsToInt32(f float64) uint32 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	if f >= math.MinInt32 && f <= math.MaxUint32 {
		return uint32(int64(f))
	}
	m := math.Mod(math.Trunc(f), 4294967296)
	if m < 0 {
		m += 4294967296
	}
	return uint32(m)
}

// toBigInt is ECMAScript's ToBigInt: BigInts and booleans and strings that
// parse, a TypeError for numbers and the rest.
func (st *wasmIsolate) toBigInt(v goja.Value) *big.Int {
	vm := st.w.vm
	if isObject(v) {
		// ToPrimitive(number hint) through valueOf, as the spec's ToBigInt
		// does for objects.
		if f, ok := goja.AssertFunction(v.ToObject(vm).Get("valueOf")); ok {
			p, err := f(v)
			if err != nil {
				panic(err)
			}
			if !isObject(p) {
				v = p
			}
		}
	}
	if v.ExportType() == typeBigInt {
		return isolates.Export(v).(*big.Int)
	}
	switch x := isolates.Export(v).(type) {
	case bool:
		if x {
			return big.NewInt(1)
		}
		return big.NewInt(0)
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return big.NewInt(0)
		}
		n, ok := new(big.Int).SetString(s, 0)
		if !ok || strings.ContainsAny(s, "_") {
			panic(st.newError(st.syntaxError, "Cannot convert "+x+" to a BigInt"))
		}
		return n
	}
	panic(vm.NewTypeError("Cannot convert " + v.String() + " to a BigInt"))
}

// fromWasm is a wasm value of type t as JavaScript: a Number, or a BigInt
// for i64.
func (st *wasmIsolate) fromWasm(x uint64, t wasmValType) goja.Value {
	vm := st.w.vm
	switch t {
	case wasmI32:
		return vm.ToValue(int32(uint32(x)))
	case wasmI64:
		return vm.ToValue(big.NewInt(int64(x)))
	case wasmF32:
		return vm.ToValue(float64(math.Float32frombits(uint32(x))))
	case wasmF64:
		return vm.ToValue(math.Float64frombits(x))
	}
	return goja.Undefined()
}

// instantiateGenerated instantiates a module edgerun generated (a memory
// or a global a script made), with pages of initial memory.
func (st *wasmIsolate) instantiateGenerated(bin []byte, pages uint32) *wasmInstance {
	c, err := wasmCompile(bin)
	if err != nil {
		panic(st.w.vm.NewTypeError(err.Error()))
	}
	ctx, alloc, ok := st.allocatorContext(st.ctx, pages)
	if !ok {
		panic(st.newError(st.rangeError, "WebAssembly.Memory(): could not allocate memory"))
	}
	defer alloc.release()
	mod, err := wasmRuntime().InstantiateModule(ctx, c.compiled, wazero.NewModuleConfig().WithName("").WithStartFunctions())
	if err != nil {
		panic(st.newError(st.rangeError, "WebAssembly.Memory(): could not allocate memory"))
	}
	inst := &wasmInstance{mod: mod}
	runtime.AddCleanup(inst, closeAll, []api.Module{mod})
	return inst
}
