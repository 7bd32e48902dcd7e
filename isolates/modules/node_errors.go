package modules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dop251/goja"

	"edgerun/isolates"
)

// Node's errors carry a code ("ERR_INVALID_ARG_TYPE") that code tests
// instead of the message; the modules that validate arguments the way
// Node does (buffer, util, assert, string_decoder) share these natives
// to build them, with Node's wording.
//
//	native.codedError(kind, code, message)    kind: "TypeError", "RangeError", "Error"
//	native.argTypeError(name, expected, value) ERR_INVALID_ARG_TYPE
//	native.outOfRange(name, range, value)     ERR_OUT_OF_RANGE
func errorNatives(r *Registry, set NativeSet) {
	set("codedError", func(c goja.FunctionCall) goja.Value {
		return r.codedError(c.Argument(0).String(), c.Argument(1).String(), c.Argument(2).String())
	})
	set("argTypeError", func(c goja.FunctionCall) goja.Value {
		name := c.Argument(0).String()
		what := "argument"
		if strings.Contains(name, ".") {
			what = "property"
		}
		msg := fmt.Sprintf("The %q %s must be %s. %s", name, what, c.Argument(1).String(), r.received(c.Argument(2)))
		return r.codedError("TypeError", "ERR_INVALID_ARG_TYPE", msg)
	})
	set("outOfRange", func(c goja.FunctionCall) goja.Value {
		v := c.Argument(2)
		var got string
		switch {
		case goja.IsBigInt(v):
			got = v.String() + "n"
		case goja.IsNumber(v):
			got = addUnderscores(v.String())
		default:
			got = r.inspect(v)
		}
		msg := fmt.Sprintf("The value of %q is out of range. It must be %s. Received %s", c.Argument(0).String(), c.Argument(1).String(), got)
		return r.codedError("RangeError", "ERR_OUT_OF_RANGE", msg)
	})
}

// addUnderscores writes an integer as Node does in range errors:
// 4294967296 is 4_294_967_296.
func addUnderscores(s string) string {
	if _, err := strconv.ParseInt(s, 10, 64); err != nil {
		return s
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, ch := range s {
		if i > 0 && (len(s)-i)%3 == 0 && len(s) > 3 {
			b.WriteByte('_')
		}
		b.WriteRune(ch)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// codedError is a kind (TypeError, RangeError, Error) with message and
// Node's code property, from the constructors taken before the script ran.
func (r *Registry) codedError(kind, code, message string) *goja.Object {
	ctor := r.errorCtor(kind)
	obj, err := r.vm.New(ctor, r.vm.ToValue(message))
	if err != nil {
		obj = r.iso.NewError(message)
	}
	_ = obj.Set("code", code)
	return obj
}

// received is how Node ends ERR_INVALID_ARG_TYPE: what the value was.
func (r *Registry) received(v goja.Value) string {
	switch {
	case goja.IsUndefined(v):
		return "Received undefined"
	case goja.IsNull(v):
		return "Received null"
	}
	if o, ok := v.(*goja.Object); ok {
		if _, fn := goja.AssertFunction(o); fn {
			name := o.Get("name")
			if name == nil || name.String() == "" {
				return "Received function "
			}
			return "Received function " + name.String()
		}
		if ctor, ok := o.Get("constructor").(*goja.Object); ok {
			if name := ctor.Get("name"); name != nil && name.String() != "" {
				return "Received an instance of " + name.String()
			}
		}
		return "Received " + r.inspect(v)
	}
	s := r.inspect(v)
	if goja.IsString(v) {
		s = "'" + strings.ReplaceAll(v.String(), "'", "\\'") + "'"
	}
	if goja.IsBigInt(v) {
		s = v.String() + "n"
	}
	if len(s) > 28 {
		s = s[:25] + "..."
	}
	return fmt.Sprintf("Received type %s (%s)", typeOf(v), s)
}

func typeOf(v goja.Value) string {
	switch {
	case goja.IsString(v):
		return "string"
	case goja.IsNumber(v):
		return "number"
	case goja.IsBigInt(v):
		return "bigint"
	}
	if _, ok := isolates.Export(v).(bool); ok {
		return "boolean"
	}
	return "symbol"
}

func (r *Registry) inspect(v goja.Value) string {
	if r.opts.Inspect != nil {
		return r.opts.Inspect(v)
	}
	return v.String()
}
