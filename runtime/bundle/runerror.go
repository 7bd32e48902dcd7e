package bundle

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dop251/goja"
)

// RunError is an exception thrown by a bundle's top-level code (while
// the script is first run into an isolate), placed in the original
// source as request-time stack traces are.
type RunError struct {
	File         string // the original source file; the bundle's name when no frame maps
	Line, Column int    // 1-based; 0 when goja recorded no frame
	Text         string // "Uncaught Error: message", as Workers logs it
	Stack        string // "    at fn (file:line:col)" lines, frames of bundler glue left out
	Err          error  // the *goja.Exception
}

func (e *RunError) Error() string {
	var b strings.Builder
	if e.File != "" && e.Line > 0 {
		fmt.Fprintf(&b, "%s:%d:%d: ", e.File, e.Line, e.Column)
	}
	b.WriteString(e.Text)
	if e.Stack != "" {
		b.WriteByte('\n')
		b.WriteString(e.Stack)
	}
	return b.String()
}

func (e *RunError) Unwrap() error { return e.Err }

// DescribeRunError turns an exception thrown while running the bundle
// named name (goja's RunProgram) into a *RunError naming the original
// file:line:col. goja maps each frame through the inline source map, but
// frames of esbuild's own glue (the module wrapper, __require, __commonJS)
// have no source and name the bundle; those are left out, and a thrown
// value that is not an Error (a string, a plain object) still gets the
// place it was thrown. Other errors (an interrupt, a stack overflow) are
// returned as they are.
func DescribeRunError(name string, err error) error {
	var ex *goja.Exception
	if !errors.As(err, &ex) {
		return err
	}
	out := &RunError{Text: "Uncaught " + describeThrown(ex.Value()), Err: err}
	var stack []string
	var fallback *RunError // the first frame in the bundle, when no frame maps
	for _, f := range ex.Stack() {
		p := f.Position()
		src := f.SrcName()
		fn := f.FuncName()
		switch {
		case src == "<native>":
			if fn != "<native>" {
				stack = append(stack, "    at "+fn+" (native)")
			}
			continue
		case strings.HasPrefix(src, "edgerun:"): // the host's own prelude
			continue
		case p.Filename == name || p.Filename == "":
			if fallback == nil && p.Line > 0 {
				fallback = &RunError{File: name, Line: p.Line, Column: p.Column}
			}
			continue
		}
		// goja reports the source map's 0-based original column.
		line, column := p.Line, p.Column+1
		if out.File == "" {
			out.File, out.Line, out.Column = p.Filename, line, column
		}
		where := fmt.Sprintf("%s:%d:%d", p.Filename, line, column)
		if fn == "<anonymous>" || fn == "" {
			stack = append(stack, "    at "+where)
		} else {
			stack = append(stack, "    at "+fn+" ("+where+")")
		}
	}
	if out.File == "" && fallback != nil {
		out.File, out.Line, out.Column = fallback.File, fallback.Line, fallback.Column
	}
	out.Stack = strings.Join(stack, "\n")
	return out
}

// describeThrown is "Name: message" for an Error-like object, the value
// itself otherwise. A hostile value's getters or toString may throw: the
// description then says what it could.
func describeThrown(v goja.Value) (s string) {
	defer func() {
		if recover() != nil {
			s = "an exception whose description threw"
		}
	}()
	if v == nil || goja.IsUndefined(v) {
		return "undefined"
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		if _, isString := v.Export().(string); isString {
			return fmt.Sprintf("%q", v.String())
		}
		return v.String()
	}
	name, message := propertyString(obj, "name"), propertyString(obj, "message")
	switch {
	case name != "" && message != "":
		return name + ": " + message
	case name != "":
		return name
	case message != "":
		return message
	}
	return v.String()
}

func propertyString(obj *goja.Object, key string) string {
	if v := obj.Get(key); v != nil && !goja.IsUndefined(v) && !goja.IsNull(v) {
		return v.String()
	}
	return ""
}
