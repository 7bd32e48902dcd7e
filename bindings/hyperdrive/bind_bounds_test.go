package hyperdrive

import (
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// Bound values cost bounded work whatever a script builds: a Proxy posing
// as an array (its traps would run once per claimed element) is refused
// before any trap runs, and nested arrays cannot multiply their lengths
// past one statement's budget of values.
func TestBindRefusesProxiesAndUnboundedNesting(t *testing.T) {
	tests := []struct {
		name, script, wantErr string
	}{
		{"proxy array as a value", `[posing]`, "cannot bind a Proxy"},
		{"proxy array as the values", `posing`, "cannot bind a Proxy"},
		{"proxy inside an object", `[{ list: posing }]`, "cannot bind a Proxy"},
		{"proxy inside an array of objects", `[[{ a: 1 }, posing]]`, "cannot bind a Proxy"},
		{"nested sparse arrays", `(() => { const inner = new Array(1 << 20); return [[inner, inner]]; })()`, "more than 1048576 values"},
		{"many sparse array values", `(() => { const a = new Array(1 << 19); return [a, a, a]; })()`, "more than 1048576 values"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vm := goja.New()
			stringify, _ := goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("stringify"))
			c := newBinder(vm, stringify)
			_, err := vm.RunString(`var traps = 0; var posing = new Proxy([], { get(t, k) {
				traps++;
				if (traps > 1000) throw new Error("trap ran " + traps + " times");
				return k === "length" ? 1 << 20 : posing;
			} });`)
			if err != nil {
				t.Fatal(err)
			}
			v, err := vm.RunString(tc.script)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.params(v)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("params(%s) error = %v; want %q", tc.script, err, tc.wantErr)
			}
			if traps := vm.Get("traps").ToInteger(); traps > 1 { // JSON.stringify reads toJSON first
				t.Fatalf("the Proxy's traps ran %d times; want at most once (toJSON)", traps)
			}
		})
	}
	// An ordinary nested array still binds.
	vm := goja.New()
	stringify, _ := goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("stringify"))
	c := newBinder(vm, stringify)
	v, _ := vm.RunString(`[[[1, 2], [3, 4]], { a: [1, { b: 2 }] }]`)
	if args, err := c.params(v); err != nil || len(args) != 2 {
		t.Fatalf("params of ordinary values = %v, %v", args, err)
	}
}
