package modules

import (
	"github.com/dop251/goja"
)

// lazyGlobals are the globals workerd adds under nodejs_compat_v2 (its
// global scope's lazy instance properties): each is read from its module
// the first time a script reads it, so a worker that never touches Buffer
// never loads node:buffer. export "" is the module's exports itself.
// A global whose module edgerun does not implement yet is left undefined
// rather than throwing on access.
var lazyGlobals = []struct{ name, module, export string }{
	{"Buffer", "node:buffer", "Buffer"},
	{"process", "node:process", ""},
	{"setImmediate", "node:timers", "setImmediate"},
	{"clearImmediate", "node:timers", "clearImmediate"},
}

// errorCtorsKey holds an isolate's Error constructors as they were before
// the script ran (see Registry.errorCtor).
type errorCtorsKey struct{}

// installGlobals runs at Install, before the worker's script: it takes
// the error constructors the modules build their errors from and, under
// v2, defines the lazy globals (and global, which is globalThis there).
func (r *Registry) installGlobals() error {
	vm := r.vm
	ctors := map[string]*goja.Object{}
	for _, k := range []string{"Error", "TypeError", "RangeError", "SyntaxError"} {
		if o, ok := vm.Get(k).(*goja.Object); ok {
			ctors[k] = o
		}
	}
	r.iso.SetValue(errorCtorsKey{}, ctors)
	if r.opts.Compat.Mode != ModeV2 {
		return nil
	}
	g := vm.GlobalObject()
	if err := g.DefineDataProperty("global", g, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	for _, lg := range lazyGlobals {
		if b, ok := registry[lg.module]; !ok || b.stub {
			continue
		}
		lg := lg
		// Whatever the script assigns replaces the accessor, as it would
		// replace workerd's value.
		set := func(c goja.FunctionCall) goja.Value {
			_ = g.DefineDataProperty(lg.name, c.Argument(0), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
			return goja.Undefined()
		}
		get := func(goja.FunctionCall) goja.Value {
			v := r.load(lg.module)
			if lg.export != "" {
				v = v.ToObject(vm).Get(lg.export)
			}
			_ = g.DefineDataProperty(lg.name, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
			return v
		}
		if err := g.DefineAccessorProperty(lg.name, vm.ToValue(get), vm.ToValue(set), goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return nil
}

// errorCtor is the constructor of an error kind, as the isolate had it
// before the script could replace it.
func (r *Registry) errorCtor(kind string) *goja.Object {
	if m, ok := r.iso.Value(errorCtorsKey{}).(map[string]*goja.Object); ok {
		if c := m[kind]; c != nil {
			return c
		}
	}
	return r.vm.Get("Error").ToObject(r.vm)
}
