package webapi

import (
	"runtime"
	"testing"
)

// A WeakRef's target is collected once nothing else holds it (after the
// job that made it), and one still held is not.
func TestWeakRefLetsItsTargetGo(t *testing.T) {
	iso, _ := newTestWorker(t, nil)
	run := func(src string) string {
		t.Helper()
		var out string
		if err := iso.Do(func() error {
			v, err := iso.Runtime().RunString(src)
			if err == nil {
				out = v.String()
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got := run(`globalThis.held = {}; globalThis.refs = [new WeakRef({ dropped: true }), new WeakRef(held), new WeakRef(Symbol("s"))];
		String(refs[0].deref() !== undefined)`); got != "true" {
		t.Fatalf("deref in the creating job = %s, want the target", got)
	}
	run(`"next job"`) // the kept list empties in a microtask after the first job
	for i := 0; i < 5; i++ {
		runtime.GC()
	}
	if got := run(`[refs[0].deref(), typeof refs[1].deref(), refs[1].deref() === held, typeof refs[2].deref()].join()`); got != ",object,true,undefined" {
		t.Fatalf("after GC: %s, want the unheld targets gone and the held one there", got)
	}
}
