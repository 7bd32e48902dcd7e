package url

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/dop251/goja"
)

// Enable defines the globals URL and URLSearchParams on vm. Call it once per
// runtime, before any script runs; like the runtime itself, what it defines
// must only be used from the goroutine that owns vm.
func Enable(vm *goja.Runtime) (err error) {
	defer func() {
		// goja reports JS-level failures (a frozen global object, say) as
		// panics carrying a JS value.
		if r := recover(); r != nil {
			err = fmt.Errorf("url: enable: %v", r)
		}
	}()
	b := &binding{vm: vm, iteratorProto: iteratorPrototype(vm)}
	b.installURL()
	b.installSearchParams()
	global := vm.GlobalObject()
	if err := global.DefineDataProperty("URL", b.urlCtor, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return fmt.Errorf("url: define URL: %w", err)
	}
	if err := global.DefineDataProperty("URLSearchParams", b.paramsCtor, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return fmt.Errorf("url: define URLSearchParams: %w", err)
	}
	return nil
}

// binding holds one runtime's classes.
type binding struct {
	vm *goja.Runtime

	urlCtor, urlProto       *goja.Object
	paramsCtor, paramsProto *goja.Object
	paramsEntries           *goja.Object // URLSearchParams.prototype.entries, also its @@iterator
	iterProto               *goja.Object // built on first use: few scripts iterate
	// iteratorProto is %IteratorPrototype%, taken before any script runs:
	// found later, through globals, a script could have replaced them.
	iteratorProto *goja.Object
}

// iteratorPrototype finds %IteratorPrototype% through an array iterator,
// with Go calls only (no global lookups).
func iteratorPrototype(vm *goja.Runtime) *goja.Object {
	arr := vm.NewArray()
	values, ok := goja.AssertFunction(arr.GetSymbol(goja.SymIterator))
	if !ok {
		panic(vm.NewTypeError("url: Array.prototype[Symbol.iterator] is not a function"))
	}
	it, err := values(arr)
	if err != nil {
		panic(err)
	}
	arrayIterProto := it.ToObject(vm).Prototype()
	if arrayIterProto == nil || arrayIterProto.Prototype() == nil {
		panic(vm.NewTypeError("url: no %IteratorPrototype%"))
	}
	return arrayIterProto.Prototype()
}

// Instances are goja dynamic objects: Export gives back the Go state
// directly, and their own properties are only what scripts add, so
// Object.keys(url) is [] while the attributes live on the prototype.
var (
	urlObjectType    = reflect.TypeOf((*urlObject)(nil))
	paramsObjectType = reflect.TypeOf((*searchParams)(nil))
	iteratorType     = reflect.TypeOf((*paramsIterator)(nil))
)

// exportAs returns v's Go state when v is one of our objects of type t.
// It checks the type first because Export of an ordinary object would copy
// all its properties.
func exportAs(v goja.Value, t reflect.Type) any {
	o, ok := v.(*goja.Object)
	if !ok || o.ExportType() != t {
		return nil
	}
	return o.Export()
}

func (b *binding) throwTypeError(format string, args ...any) {
	panic(b.vm.NewTypeError(fmt.Sprintf(format, args...)))
}

// toUSV is WebIDL's USVString conversion: ToString, with lone surrogates
// replaced by U+FFFD (goja's String does that).
func (b *binding) toUSV(v goja.Value) string {
	if _, ok := v.(*goja.Symbol); ok {
		b.throwTypeError("Cannot convert a Symbol value to a string")
	}
	return v.String()
}

// given reports whether optional argument i was passed (undefined counts as
// missing, as in WebIDL).
func given(args []goja.Value, i int) bool {
	return i < len(args) && !goja.IsUndefined(args[i])
}

func (b *binding) requireArgs(call goja.FunctionCall, n int, class, method string) {
	if len(call.Arguments) < n {
		b.throwTypeError("Failed to execute '%s' on '%s': %d argument%s required, but only %d present.",
			method, class, n, plural(n), len(call.Arguments))
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// function makes a native function named name with the given length (goja
// would otherwise name it after the Go closure).
func (b *binding) function(name string, length int, f func(goja.FunctionCall) goja.Value) *goja.Object {
	fn := b.vm.ToValue(f).(*goja.Object)
	b.setNameAndLength(fn, name, length)
	return fn
}

func (b *binding) setNameAndLength(fn *goja.Object, name string, length int) {
	_ = fn.DefineDataProperty("name", b.vm.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	if length != 0 { // goja's default
		_ = fn.DefineDataProperty("length", b.vm.ToValue(length), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
}

// Property shapes of WebIDL interface members.

func (b *binding) method(proto *goja.Object, name string, length int, f func(goja.FunctionCall) goja.Value) *goja.Object {
	fn := b.function(name, length, f)
	_ = proto.DefineDataProperty(name, fn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	return fn
}

func (b *binding) attribute(proto *goja.Object, name string, get func(goja.FunctionCall) goja.Value, set func(goja.FunctionCall) goja.Value) {
	var setter goja.Value
	if set != nil {
		setter = b.function("set "+name, 1, set)
	}
	_ = proto.DefineAccessorProperty(name, b.function("get "+name, 0, get), setter, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

func (b *binding) toStringTag(proto *goja.Object, tag string) {
	_ = proto.DefineDataPropertySymbol(goja.SymToStringTag, b.vm.ToValue(tag), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// class makes a constructor named name, and returns it with its prototype.
// goja passes the same ConstructorCall for `new URL(x)` and `URL(x)`, so
// unlike in Workers a call without new constructs too.
func (b *binding) class(name string, length int, construct func(args []goja.Value, proto *goja.Object) *goja.Object) (ctor, proto *goja.Object) {
	ctor = b.vm.ToValue(func(call goja.ConstructorCall) *goja.Object {
		p := proto
		if call.NewTarget != nil {
			// A subclass: goja made call.This from new.target's prototype.
			p = call.This.Prototype()
		}
		return construct(call.Arguments, p)
	}).(*goja.Object)
	b.setNameAndLength(ctor, name, length)
	proto = ctor.Get("prototype").(*goja.Object)
	_ = ctor.DefineDataProperty("prototype", proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	b.toStringTag(proto, name)
	return ctor, proto
}

// expandos stores the properties scripts add to an instance, in insertion
// order. They are rare; the map is only made on the first one.
type expandos struct {
	values map[string]goja.Value
	order  []string
}

func (e *expandos) Get(key string) goja.Value { return e.values[key] }

func (e *expandos) Set(key string, val goja.Value) bool {
	if e.values == nil {
		e.values = map[string]goja.Value{}
	}
	if _, ok := e.values[key]; !ok {
		e.order = append(e.order, key)
	}
	e.values[key] = val
	return true
}

func (e *expandos) Has(key string) bool {
	_, ok := e.values[key]
	return ok
}

func (e *expandos) Delete(key string) bool {
	if _, ok := e.values[key]; ok {
		delete(e.values, key)
		e.order = slices.DeleteFunc(e.order, func(k string) bool { return k == key })
	}
	return true
}

func (e *expandos) Keys() []string { return slices.Clone(e.order) }
