package modules

import (
	"github.com/dop251/goja"
)

// internals is the object every module factory gets as internal: the host
// hooks modules share. Scripts never see it.
//
//	internal.env            the worker's env (cloudflare:workers, process.env)
//	internal.waitUntil(p)   the current request's ctx.waitUntil
//	internal.inspect(v)     console.log's formatting of v
//	internal.mode           the compatibility mode: "", "als", "v1" or "v2"
//	internal.populateProcessEnv  whether process.env holds the text bindings
func (r *Registry) internals() *goja.Object {
	vm := r.vm
	o := vm.NewObject()
	env := r.opts.Env
	if env == nil {
		env = vm.NewObject()
	}
	_ = o.Set("env", env)
	_ = o.Set("waitUntil", func(c goja.FunctionCall) goja.Value {
		if r.opts.WaitUntil == nil {
			panic(r.iso.NewError("waitUntil: not available here"))
		}
		if err := r.opts.WaitUntil(c.Argument(0)); err != nil {
			panic(r.iso.NewError(err.Error()))
		}
		return goja.Undefined()
	})
	_ = o.Set("inspect", func(c goja.FunctionCall) goja.Value {
		if r.opts.Inspect == nil {
			return vm.ToValue(c.Argument(0).String())
		}
		return vm.ToValue(r.opts.Inspect(c.Argument(0)))
	})
	_ = o.Set("mode", string(r.opts.Compat.Mode))
	_ = o.Set("populateProcessEnv", r.opts.Compat.PopulateProcessEnv)
	return o
}
