package webapi

import (
	"errors"
	"regexp"
	"strings"

	"github.com/dop251/goja"

	"edgerun/isolates"
)

// ScriptError is an exception thrown (or a promise rejected) by the worker.
type ScriptError struct {
	Name    string
	Message string
	Stack   string // includes the message line when the script provided one
}

func (e *ScriptError) Error() string {
	if e.Stack != "" {
		return e.Stack
	}
	if e.Name == "" {
		return e.Message
	}
	return e.Name + ": " + e.Message
}

// scriptError converts an error from calling into JS into a *ScriptError,
// keeping uncatchable reasons (CPU limit, stack overflow) as they are.
func (w *Worker) scriptError(err error) error {
	var ex *goja.Exception
	if errors.As(err, &ex) {
		return w.jsError(ex.Value())
	}
	var ie *goja.InterruptedError
	if errors.As(err, &ie) {
		if reason, ok := ie.Value().(error); ok {
			return reason
		}
	}
	var so *goja.StackOverflowError
	if errors.As(err, &so) {
		return &isolates.StackOverflowError{}
	}
	return err
}

// jsError describes a thrown JS value. Reading it runs the script's code
// (getters, a Proxy's traps, toString): an exception there leaves the part
// undescribed; an interrupt (CPU limit) is passed on as a panic, for the
// isolate to retire.
func (w *Worker) jsError(v goja.Value) *ScriptError {
	obj, ok := v.(*goja.Object)
	if !ok || obj == nil {
		return &ScriptError{Message: w.Inspect(v)}
	}
	e := &ScriptError{}
	e.Name, _ = w.readString(obj, "name")
	if m, ok := w.readString(obj, "message"); ok {
		e.Message = m
	} else if m, ok := w.tryString(func() string { return w.Inspect(v) }); ok {
		e.Message = m
	} else {
		e.Message = "(an exception that could not be described: reading it threw)"
	}
	if s, ok := w.readString(obj, "stack"); ok {
		e.Stack = CleanStack(s)
	}
	return e
}

// readString is obj[key] as a string, if it is defined and reading it does
// not throw.
func (w *Worker) readString(obj *goja.Object, key string) (string, bool) {
	defined := false
	s, ok := w.tryString(func() string {
		v := obj.Get(key)
		if v == nil || goja.IsUndefined(v) {
			return ""
		}
		defined = true
		return v.String()
	})
	return s, ok && defined
}

// tryString runs f, which may call into the script; ok is false when the
// script threw.
func (w *Worker) tryString(f func() string) (s string, ok bool) {
	if ex := w.vm.Try(func() { s = f() }); ex != nil {
		return "", false
	}
	return s, true
}

// goja appends the bytecode offset to each frame ("file.ts:12:8(3)").
var framePC = regexp.MustCompile(`(:\d+:\d+)\(\d+\)`)

// CleanStack makes a goja stack read like V8's: no bytecode offsets, no
// frames from edgerun's own prelude.
func CleanStack(stack string) string {
	lines := strings.Split(stack, "\n")
	out := lines[:0]
	for _, l := range lines {
		if strings.Contains(l, preludeName) {
			continue
		}
		out = append(out, framePC.ReplaceAllString(l, "$1"))
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n")
}
