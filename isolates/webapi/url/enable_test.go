package url

import (
	"testing"

	"github.com/dop251/goja"
)

// TestEnableFrozenGlobal checks that Enable reports, rather than panics on,
// a global object it cannot extend.
func TestEnableFrozenGlobal(t *testing.T) {
	vm := goja.New()
	if _, err := vm.RunString("Object.freeze(globalThis)"); err != nil {
		t.Fatal(err)
	}
	if err := Enable(vm); err == nil {
		t.Fatal("Enable on a frozen global object succeeded")
	}
}
