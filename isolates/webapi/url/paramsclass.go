package url

import (
	"slices"
	"strings"

	"github.com/dop251/goja"
)

const badPair = "Failed to construct 'URLSearchParams': Sequence initializer must only contain pair elements"

func (b *binding) thisParams(v goja.Value) *searchParams {
	p, _ := exportAs(v, paramsObjectType).(*searchParams)
	if p == nil {
		b.throwTypeError("Illegal invocation")
	}
	return p
}

func (b *binding) newParams(p *searchParams, proto *goja.Object) *goja.Object {
	obj := b.vm.NewDynamicObject(p)
	_ = obj.SetPrototype(proto)
	return obj
}

// initParams fills p from the constructor's init argument, converted as
// WebIDL converts (sequence<sequence<USVString>> or
// record<USVString, USVString> or USVString).
func (b *binding) initParams(p *searchParams, init goja.Value) {
	if goja.IsUndefined(init) {
		return
	}
	obj, ok := init.(*goja.Object)
	if !ok {
		p.list = parseForm(strings.TrimPrefix(b.toUSV(init), "?"))
		return
	}
	iterMethod := obj.GetSymbol(goja.SymIterator)
	if iterMethod == nil || goja.IsUndefined(iterMethod) || goja.IsNull(iterMethod) {
		// A record: own enumerable string keys, in order.
		for _, k := range obj.Keys() {
			p.list = append(p.list, pair{k, b.toUSV(obj.Get(k))})
		}
		return
	}
	if other, _ := exportAs(obj, paramsObjectType).(*searchParams); other != nil && iterMethod == b.paramsEntries {
		// Iterating another URLSearchParams with the built-in iterator
		// yields exactly its list.
		p.list = slices.Clone(other.list)
		return
	}
	b.iterate(obj, iterMethod, func(item goja.Value) {
		inner, ok := item.(*goja.Object)
		if !ok {
			b.throwTypeError(badPair)
		}
		var strs []string
		innerIter := inner.GetSymbol(goja.SymIterator)
		if innerIter == nil || goja.IsUndefined(innerIter) || goja.IsNull(innerIter) {
			b.throwTypeError(badPair)
		}
		b.iterate(inner, innerIter, func(v goja.Value) {
			if len(strs) > 2 {
				return
			}
			strs = append(strs, b.toUSV(v))
		})
		if len(strs) != 2 {
			b.throwTypeError(badPair)
		}
		p.list = append(p.list, pair{strs[0], strs[1]})
	})
}

// iterate runs the iteration protocol over obj with the given @@iterator
// method.
func (b *binding) iterate(obj *goja.Object, method goja.Value, each func(goja.Value)) {
	fn, ok := goja.AssertFunction(method)
	if !ok {
		b.throwTypeError("Failed to construct 'URLSearchParams': The object must have a callable @@iterator property.")
	}
	itv, err := fn(obj)
	if err != nil {
		panic(err)
	}
	it, ok := itv.(*goja.Object)
	if !ok {
		b.throwTypeError("Result of the Symbol.iterator method is not an object")
	}
	next, ok := goja.AssertFunction(it.Get("next"))
	if !ok {
		b.throwTypeError("Iterator's next is not a function")
	}
	for {
		rv, err := next(it)
		if err != nil {
			panic(err)
		}
		res, ok := rv.(*goja.Object)
		if !ok {
			b.throwTypeError("Iterator result %s is not an object", rv.String())
		}
		if res.Get("done").ToBoolean() {
			return
		}
		each(res.Get("value"))
	}
}

func (b *binding) installSearchParams() {
	vm := b.vm
	b.paramsCtor, b.paramsProto = b.class("URLSearchParams", 0, func(args []goja.Value, proto *goja.Object) *goja.Object {
		p := &searchParams{}
		if len(args) > 0 {
			b.initParams(p, args[0])
		}
		return b.newParams(p, proto)
	})
	proto := b.paramsProto
	const class = "URLSearchParams"

	b.method(proto, "append", 2, func(call goja.FunctionCall) goja.Value {
		p := b.thisParams(call.This)
		b.requireArgs(call, 2, class, "append")
		p.append(b.toUSV(call.Arguments[0]), b.toUSV(call.Arguments[1]))
		return goja.Undefined()
	})
	b.method(proto, "delete", 1, func(call goja.FunctionCall) goja.Value {
		p := b.thisParams(call.This)
		b.requireArgs(call, 1, class, "delete")
		value, withValue := "", given(call.Arguments, 1)
		if withValue {
			value = b.toUSV(call.Arguments[1])
		}
		p.delete(b.toUSV(call.Arguments[0]), value, withValue)
		return goja.Undefined()
	})
	b.method(proto, "get", 1, func(call goja.FunctionCall) goja.Value {
		p := b.thisParams(call.This)
		b.requireArgs(call, 1, class, "get")
		if v, ok := p.get(b.toUSV(call.Arguments[0])); ok {
			return vm.ToValue(v)
		}
		return goja.Null()
	})
	b.method(proto, "getAll", 1, func(call goja.FunctionCall) goja.Value {
		p := b.thisParams(call.This)
		b.requireArgs(call, 1, class, "getAll")
		values := p.getAll(b.toUSV(call.Arguments[0]))
		items := make([]any, len(values))
		for i, v := range values {
			items[i] = v
		}
		return vm.NewArray(items...)
	})
	b.method(proto, "has", 1, func(call goja.FunctionCall) goja.Value {
		p := b.thisParams(call.This)
		b.requireArgs(call, 1, class, "has")
		value, withValue := "", given(call.Arguments, 1)
		if withValue {
			value = b.toUSV(call.Arguments[1])
		}
		return vm.ToValue(p.has(b.toUSV(call.Arguments[0]), value, withValue))
	})
	b.method(proto, "set", 2, func(call goja.FunctionCall) goja.Value {
		p := b.thisParams(call.This)
		b.requireArgs(call, 2, class, "set")
		p.set(b.toUSV(call.Arguments[0]), b.toUSV(call.Arguments[1]))
		return goja.Undefined()
	})
	b.method(proto, "sort", 0, func(call goja.FunctionCall) goja.Value {
		b.thisParams(call.This).sort()
		return goja.Undefined()
	})
	b.method(proto, "forEach", 1, func(call goja.FunctionCall) goja.Value {
		p := b.thisParams(call.This)
		b.requireArgs(call, 1, class, "forEach")
		cb, ok := goja.AssertFunction(call.Arguments[0])
		if !ok {
			b.throwTypeError("Failed to execute 'forEach' on 'URLSearchParams': The callback provided as parameter 1 is not a function.")
		}
		// Index-based over the live list, as WebIDL iteration is.
		for i := 0; i < len(p.list); i++ {
			e := p.list[i]
			if _, err := cb(call.Argument(1), vm.ToValue(e.value), vm.ToValue(e.name), call.This); err != nil {
				panic(err)
			}
		}
		return goja.Undefined()
	})
	iterMethod := func(name string, kind iterKind) *goja.Object {
		return b.method(proto, name, 0, func(call goja.FunctionCall) goja.Value {
			return b.newIterator(b.thisParams(call.This), kind)
		})
	}
	iterMethod("keys", iterKeys)
	iterMethod("values", iterValues)
	b.paramsEntries = iterMethod("entries", iterEntries)
	_ = proto.DefineDataPropertySymbol(goja.SymIterator, b.paramsEntries, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	b.method(proto, "toString", 0, func(call goja.FunctionCall) goja.Value {
		return vm.ToValue(b.thisParams(call.This).String())
	})
	b.attribute(proto, "size", func(call goja.FunctionCall) goja.Value {
		return vm.ToValue(len(b.thisParams(call.This).list))
	}, nil)
}

type iterKind int

const (
	iterKeys iterKind = iota
	iterValues
	iterEntries
)

// paramsIterator is a URLSearchParams iterator: an index into the live list.
type paramsIterator struct {
	expandos
	params *searchParams
	kind   iterKind
	index  int
}

func (b *binding) newIterator(p *searchParams, kind iterKind) *goja.Object {
	if b.iterProto == nil {
		b.installIterator()
	}
	obj := b.vm.NewDynamicObject(&paramsIterator{params: p, kind: kind})
	_ = obj.SetPrototype(b.iterProto)
	return obj
}

// installIterator builds %URLSearchParamsIteratorPrototype%, whose
// prototype is %IteratorPrototype%.
func (b *binding) installIterator() {
	vm := b.vm
	proto := vm.NewObject()
	_ = proto.SetPrototype(b.iteratorProto)
	b.method(proto, "next", 0, func(call goja.FunctionCall) goja.Value {
		it, _ := exportAs(call.This, iteratorType).(*paramsIterator)
		if it == nil {
			b.throwTypeError("Illegal invocation")
		}
		res := vm.NewObject()
		if it.index >= len(it.params.list) {
			_ = res.Set("value", goja.Undefined())
			_ = res.Set("done", true)
			return res
		}
		e := it.params.list[it.index]
		it.index++
		switch it.kind {
		case iterKeys:
			_ = res.Set("value", e.name)
		case iterValues:
			_ = res.Set("value", e.value)
		default:
			_ = res.Set("value", vm.NewArray(e.name, e.value))
		}
		_ = res.Set("done", false)
		return res
	})
	b.toStringTag(proto, "URLSearchParams Iterator")
	b.iterProto = proto
}
