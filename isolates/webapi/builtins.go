package webapi

import (
	"weak"

	"github.com/dop251/goja"

	"edgerun/isolates"
)

// builtinsNatives are builtins.js's: the call stack for
// Error.captureStackTrace, weak references for WeakRef, and the moves of
// ArrayBuffer memory that transfer (structuredClone's, ArrayBuffer's
// transfer) needs. goja has none of these on the JS side.
func (w *Worker) builtinsNatives(set nativeSet) {
	vm := w.vm
	// callFrames is the script's call stack as [function, file, line,
	// column] rows, innermost first: the prelude's frames (and the natives
	// it called to get here) are left out, as CleanStack leaves them out
	// of stacks.
	set("callFrames", func(c goja.FunctionCall) goja.Value {
		limit := int(c.Argument(0).ToInteger())
		if limit <= 0 {
			return vm.NewArray()
		}
		frames := vm.CaptureCallStack(0, nil)
		rows := make([]any, 0, min(limit, len(frames)))
		started := false
		for i := range frames {
			f := &frames[i]
			src := f.SrcName()
			if src == preludeName || (!started && src == "<native>") {
				continue
			}
			started = true
			pos := f.Position()
			rows = append(rows, []any{f.FuncName(), src, pos.Line, pos.Column})
			if len(rows) == limit {
				break
			}
		}
		return vm.ToValue(rows)
	})
	// weakRef is a function that returns target while the garbage
	// collector has not taken it, then undefined: a WeakRef's [[Target]].
	// goja's objects and symbols are Go pointers, one per JS value (its
	// WeakMap keys them the same way), so Go's weak pointers are exact.
	set("weakRef", func(c goja.FunctionCall) goja.Value {
		var deref func() goja.Value
		switch t := c.Argument(0).(type) {
		case *goja.Object:
			p := weak.Make(t)
			deref = func() goja.Value {
				if o := p.Value(); o != nil {
					return o
				}
				return goja.Undefined()
			}
		case *goja.Symbol:
			p := weak.Make(t)
			deref = func() goja.Value {
				if s := p.Value(); s != nil {
					return s
				}
				return goja.Undefined()
			}
		default:
			panic(vm.NewTypeError("WeakRef: invalid target"))
		}
		return vm.ToValue(func(goja.FunctionCall) goja.Value { return deref() })
	})
	// moveBuffer is a new ArrayBuffer over buffer's memory, which is not
	// copied (the caller detaches buffer once the transfer has succeeded;
	// the bytes stay charged to the isolate, as they are the same bytes).
	set("moveBuffer", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(vm.NewArrayBuffer(w.arrayBufferArg(c.Argument(0)).Bytes()))
	})
	set("detach", func(c goja.FunctionCall) goja.Value {
		w.arrayBufferArg(c.Argument(0)).Detach()
		return goja.Undefined()
	})
	set("isDetached", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(w.arrayBufferArg(c.Argument(0)).Detached())
	})
}

// arrayBufferArg is v as an ArrayBuffer, or a TypeError.
func (w *Worker) arrayBufferArg(v goja.Value) goja.ArrayBuffer {
	if obj, ok := v.(*goja.Object); ok {
		if ab, ok := isolates.Export(obj).(goja.ArrayBuffer); ok {
			return ab
		}
	}
	panic(w.vm.NewTypeError("Expected an ArrayBuffer"))
}
