package isolates

import (
	"fmt"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// TestBuiltinsDoNotPanic calls every built-in function goja provides, each
// with odd receivers and arguments (null-prototype objects, revoked
// proxies, primitives, huge and negative numbers), and fails on any Go
// panic: a panic inside goja unwinds the vm without restoring it, so the
// isolate must be replaced and the requests it serves fail. Each one found
// gets a guard in guards.js that throws the TypeError the spec asks for.
func TestBuiltinsDoNotPanic(t *testing.T) {
	iso, err := New(Options{MemoryLimit: 64 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer iso.Retire(ErrRetired)
	var names []string
	err = iso.Do(func() error {
		v, err := iso.Runtime().RunString(sweepList)
		if err != nil {
			return err
		}
		return iso.Runtime().ExportTo(v, &names)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 200 {
		t.Fatalf("only %d built-ins found", len(names))
	}
	var panics []string
	for _, name := range names {
		fresh, err := New(Options{MemoryLimit: 64 << 20})
		if err != nil {
			t.Fatal(err)
		}
		var msg string
		_ = fresh.Do(func() error {
			defer func() {
				if r := recover(); r != nil {
					if _, isEx := r.(*goja.Exception); !isEx {
						msg = fmt.Sprintf("%s: %v\n%s", name, r, firstGojaFrame(string(debug.Stack())))
					}
				}
			}()
			_, _ = fresh.Runtime().RunString(fmt.Sprintf(sweepCall, name))
			return nil
		})
		fresh.Retire(ErrRetired)
		if msg != "" {
			panics = append(panics, msg)
		}
	}
	if len(panics) > 0 {
		t.Fatalf("%d built-ins panic inside goja:\n%s", len(panics), strings.Join(panics, "\n"))
	}
}

func firstGojaFrame(stack string) string {
	for _, l := range strings.Split(stack, "\n") {
		if strings.Contains(l, "dop251/goja.") && !strings.Contains(l, "panic") {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

// sweepList names every function reachable from the intrinsics as a path
// ("Array.prototype.fill").
const sweepList = `(() => {
  const roots = ["Object", "Function", "Array", "String", "Number", "Boolean", "Symbol", "BigInt", "Math", "JSON",
    "Reflect", "Date", "RegExp", "Map", "Set", "WeakMap", "WeakSet", "Promise", "Proxy", "Error", "TypeError",
    "ArrayBuffer", "DataView", "Uint8Array", "Int32Array", "Float64Array", "BigInt64Array"];
  const out = [];
  for (const r of roots) {
    const root = globalThis[r];
    if (root === undefined) continue;
    for (const [base, obj] of [[r, root], [r + ".prototype", root.prototype]]) {
      if (obj === null || obj === undefined) continue;
      for (const k of Object.getOwnPropertyNames(obj)) {
        const d = Object.getOwnPropertyDescriptor(obj, k);
        if (d && typeof d.value === "function" && k !== "constructor") out.push(base + "." + k);
      }
    }
  }
  return out;
})()`

// sweepCall calls one built-in with each receiver and argument list.
const sweepCall = `(() => {
  const fn = %s;
  const revoked = Proxy.revocable({}, {}); revoked.revoke();
  const odd = [undefined, null, Object.create(null), {}, [], revoked.proxy, 1, -1, 2 ** 53, NaN, "s", Symbol("s"),
    10n, () => {}, new Proxy([], {}), Object.create(Array.prototype), Object.create(Date.prototype),
    Object.create(RegExp.prototype), Object.create(Map.prototype), Object.create(Promise.prototype),
    Object.create(Uint8Array.prototype), Object.create(ArrayBuffer.prototype), Object.create(Error.prototype)];
  for (const self of odd) {
    for (const args of [[], [Object.create(null)], [revoked.proxy], [undefined, null], [-1, -1], [Object.create(null), Object.create(null)]]) {
      try { Reflect.apply(fn, self, args); } catch (e) {}
      try { Reflect.construct(fn, args); } catch (e) {}
    }
  }
})()`
