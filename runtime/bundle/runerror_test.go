package bundle

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// An exception thrown by top-level code is placed in the original source
// (file:line:col of the throw, 1-based), with a stack of source frames
// only: none of the bundle's glue, no bytecode offsets.
func TestDescribeRunErrorNamesTheSource(t *testing.T) {
	res, err := Build(Options{Entry: "src/index.ts", Dir: filepath.Join("testdata", "top-level-throw")})
	if err != nil {
		t.Fatal(err)
	}
	prg, err := Compile("worker.js", res.Code)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		mode  string
		where string // the error's start
		text  string
		stack string // a frame the stack must show
	}{
		{"error", "src/util.ts:7:13: ", "Uncaught Error: config is missing", "    at check (src/util.ts:7:13)"},
		{"string", "src/util.ts:9:7: ", `Uncaught "a string"`, "    at src/index.ts:7:30"},
		{"object", "src/util.ts:11:7: ", "Uncaught [object Object]", "    at check (src/util.ts:11:7)"},
		{"type", "src/util.ts:13:22: ", "Uncaught TypeError: Cannot read property 'value' of undefined", "    at check (src/util.ts:13:22)"},
		{"require", "src/util.ts:16:22: ", `Uncaught Error: Dynamic require of "fs" is not supported`, "    at check (src/util.ts:16:22)"},
		{"cjs", "src/legacy.cjs:3:9: ", "Uncaught TypeError: legacy module cannot start", "    at src/legacy.cjs (src/legacy.cjs:3:9)"},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			vm := goja.New()
			if err := vm.Set("MODE", tc.mode); err != nil {
				t.Fatal(err)
			}
			_, runErr := Run(vm, prg, nil)
			if runErr == nil {
				t.Fatal("the script did not throw")
			}
			err := DescribeRunError("worker.js", runErr)
			var re *RunError
			if !errors.As(err, &re) {
				t.Fatalf("DescribeRunError = %T %v", err, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tc.where+tc.text+"\n") || !strings.Contains(msg, tc.stack) {
				t.Fatalf("error =\n%s\nwant it to start %q and show %q", msg, tc.where+tc.text, tc.stack)
			}
			if strings.Contains(msg, "worker.js") || strings.Contains(msg, ")(") {
				t.Fatalf("the bundle or bytecode offsets show:\n%s", msg)
			}
			var ex *goja.Exception
			if !errors.As(err, &ex) {
				t.Fatal("the goja exception is not kept")
			}
		})
	}
}

// A script with no source map still gets the bundle's own position;
// errors that are no exception pass through.
func TestDescribeRunErrorWithoutAMap(t *testing.T) {
	vm := goja.New()
	_, err := vm.RunScript("worker.js", "var a = 1;\n  throw new RangeError('plain');")
	if got := DescribeRunError("worker.js", err).Error(); !strings.HasPrefix(got, "worker.js:2:9: Uncaught RangeError: plain") {
		t.Fatalf("error = %q", got)
	}
	other := errors.New("not an exception")
	if got := DescribeRunError("worker.js", other); got != other {
		t.Fatalf("DescribeRunError(%v) = %v", other, got)
	}
}
