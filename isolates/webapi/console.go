package webapi

import (
	"fmt"

	"github.com/dop251/goja"

	"edgerun/isolates"
)

// Console output is bounded, so that one console.log of a huge value (or a
// loop of them) cannot fill the disk or the log pipeline: a line is cut at
// consoleLineLimit characters and says so; a request's lines stop at
// consoleRequestLimit characters in all, with one line saying that the rest
// was dropped. Workers bounds its logs the same way (they are truncated,
// never the cause of an error).
const (
	consoleLineLimit    = 64 << 10
	consoleRequestLimit = 1 << 20
)

// consoleNatives are console.js's: print(level, message) hands a line to
// the host's Console.
func (w *Worker) consoleNatives(set nativeSet) {
	set("print", func(c goja.FunctionCall) goja.Value {
		if w.console != nil {
			if msg, ok := consoleLine(w.iso.Scope(), c.Argument(1)); ok {
				w.console(w.iso.Scope(), c.Argument(0).String(), msg)
			}
		}
		return goja.Undefined()
	})
}

// consoleBudgetKey holds, in a request's scope, the characters it may
// still log.
type consoleBudgetKey struct{}

// consoleLine is what of v is logged, or ok=false when the request's budget
// is spent.
func consoleLine(scope *isolates.Scope, v goja.Value) (line string, ok bool) {
	s, isString := v.(goja.String)
	if !isString {
		s = v.ToString().(goja.String)
	}
	n := s.Length()
	left := consoleRequestLimit
	if scope != nil {
		if b, ok := scope.Value(consoleBudgetKey{}).(int); ok {
			left = b
		}
	}
	if left <= 0 {
		return "", false
	}
	keep := min(n, consoleLineLimit, left)
	left -= keep
	if scope != nil {
		scope.SetValue(consoleBudgetKey{}, left)
	}
	if keep == n {
		return s.String(), true
	}
	line = s.Substring(0, keep).String()
	if left <= 0 {
		return line + fmt.Sprintf("… [cut: %d more characters; this request's console output reached its %d-character limit, the rest is dropped]", n-keep, consoleRequestLimit), true
	}
	return line + fmt.Sprintf("… [cut: %d more characters; a console line is at most %d]", n-keep, consoleLineLimit), true
}
