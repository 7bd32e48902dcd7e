package hyperdrive

import (
	"strings"
	"testing"

	"edgerun/isolates"
)

// binderIsolate is a bare isolate for the binder (its intrinsics are taken
// when it is made); run code on it with iso.Do.
func binderIsolate(t *testing.T) *isolates.Isolate {
	t.Helper()
	iso, err := isolates.New(isolates.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { iso.Retire(nil); <-iso.Done() })
	return iso
}

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
			iso := binderIsolate(t)
			var bindErr error
			var traps int64
			if err := iso.Do(func() error {
				vm := iso.Runtime()
				c := newBinder(iso)
				_, err := vm.RunString(`var traps = 0; var posing = new Proxy([], { get(t, k) {
				traps++;
				if (traps > 1000) throw new Error("trap ran " + traps + " times");
				return k === "length" ? 1 << 20 : posing;
			} });`)
				if err != nil {
					return err
				}
				v, err := vm.RunString(tc.script)
				if err != nil {
					return err
				}
				_, bindErr = c.params(v)
				traps = vm.Get("traps").ToInteger()
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if bindErr == nil || !strings.Contains(bindErr.Error(), tc.wantErr) {
				t.Fatalf("params(%s) error = %v; want %q", tc.script, bindErr, tc.wantErr)
			}
			if traps > 1 { // JSON.stringify reads toJSON first
				t.Fatalf("the Proxy's traps ran %d times; want at most once (toJSON)", traps)
			}
		})
	}
	// An ordinary nested array still binds.
	iso := binderIsolate(t)
	var args []any
	var bindErr error
	if err := iso.Do(func() error {
		c := newBinder(iso)
		v, _ := iso.Runtime().RunString(`[[[1, 2], [3, 4]], { a: [1, { b: 2 }] }]`)
		args, bindErr = c.params(v)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if bindErr != nil || len(args) != 2 {
		t.Fatalf("params of ordinary values = %v, %v", args, bindErr)
	}
}
