package isolates

import (
	"reflect"

	"github.com/dop251/goja"
)

// Export is v.Export() made safe for ArrayBuffer views. goja exports a
// typed array as a slice built from a pointer to its first element; for an
// empty view at its buffer's very end (new Uint8Array(8).subarray(8)) that
// pointer lies past the buffer's allocation, which a -race build's checkptr
// aborts the process on (and which the collector may trip on too). An empty
// typed array exports as an empty slice of its type instead. Host code that
// exports a value a script may hand it (any argument, a handler's result, a
// key's material) goes through here rather than Export.
//
// The view is known empty by its index 0, not by its "length": goja parses
// a name read off a typed array as an index first, and the failed parse of
// "length" allocates an error each time; "0" parses at once.
func Export(v goja.Value) any {
	o, ok := v.(*goja.Object)
	if !ok {
		if v == nil {
			return nil
		}
		return v.Export()
	}
	if t := o.ExportType(); t != nil && t.Kind() == reflect.Slice {
		if empty, ok := emptyViews[t]; ok && o.Get("0") == nil {
			return empty
		}
	}
	return o.Export()
}

// ViewBytes is the memory v shows as bytes, shared with it (not copied): a
// typed array of any kind or a DataView, and whatever else goja's ExportTo
// turns into []byte; its error otherwise. Safe for empty views (see Export).
func ViewBytes(vm *goja.Runtime, v goja.Value) ([]byte, error) {
	if b, ok := Export(v).([]byte); ok {
		return b, nil
	}
	// Other views: ExportTo slices the buffer's bytes (no pointer
	// arithmetic), so even an empty one at the end is safe.
	var b []byte
	err := vm.ExportTo(v, &b)
	return b, err
}

// emptyViews are the export types of typed arrays, each with its empty
// slice (one per type, so Export allocates nothing for an empty view).
var emptyViews = map[reflect.Type]any{}

func init() {
	for _, e := range []any{[]byte{}, []int8{}, []uint16{}, []int16{}, []uint32{}, []int32{},
		[]float32{}, []float64{}, []int64{}, []uint64{}} {
		emptyViews[reflect.TypeOf(e)] = e
	}
}
