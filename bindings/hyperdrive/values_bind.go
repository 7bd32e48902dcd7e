package hyperdrive

// JS → PostgreSQL, first half: the binder turns a statement's bound JS
// values into Go values (values_encode.go says how pgx encodes them).
// Isolate goroutine only.

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja"

	"edgerun/isolates"
)

// binder converts bound JS values to Go values pgx encodes:
// null/undefined → NULL, number → int64 (whole numbers within int64's range)
// or float64, string, boolean, BigInt → int64 (or its decimal string beyond
// int64), Date → time.Time in UTC, Uint8Array/ArrayBuffer → []byte,
// arrays → *jsArray (PostgreSQL arrays of any dimension, or JSON), plain
// objects → JSON text. It runs on the isolate goroutine.
type binder struct {
	// iso gives the intrinsic JSON.stringify and ArrayBuffer.isView (a
	// script replacing the globals changes nothing): objects are bound as
	// JavaScript serialises them.
	iso *isolates.Isolate
	// replacer is given to JSON.stringify: it counts the values JSON visits
	// against the same budget and refuses Proxies, whose traps could make
	// one bound value unbounded work.
	replacer goja.Value
	// left is what remains of one statement's budget of bound values (array
	// elements and JSON values, nested ones included): a script's lengths
	// are just numbers, and nested arrays multiply them.
	left *int
}

// newBinder makes the binder of one isolate.
func newBinder(iso *isolates.Isolate) binder {
	vm := iso.Runtime()
	c := binder{iso: iso, left: new(int)}
	c.replacer = vm.ToValue(func(call goja.FunctionCall) goja.Value {
		v := call.Argument(1)
		if isProxy(v) {
			panic(vm.NewTypeError("cannot bind a Proxy: bind a plain array or object"))
		}
		if *c.left--; *c.left < 0 {
			panic(vm.NewGoError(fmt.Errorf("more than %d values in one statement's parameters", maxBoundValues)))
		}
		return v
	})
	return c
}

var proxyType = reflect.TypeOf(goja.Proxy{})

func isProxy(v goja.Value) bool {
	o, ok := v.(*goja.Object)
	return ok && o.ExportType() == proxyType
}

// spend takes n values from the statement's budget.
func (c binder) spend(n int64) error {
	if n > int64(*c.left) {
		*c.left = 0
		return fmt.Errorf("more than %d values in one statement's parameters", maxBoundValues)
	}
	*c.left -= int(n)
	return nil
}

// params converts a statement's bound values.
func (c binder) params(v goja.Value) ([]any, error) {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil, nil
	}
	if isProxy(v) {
		return nil, encodeError(errors.New("bound values: cannot bind a Proxy"))
	}
	*c.left = maxBoundValues
	obj := v.ToObject(c.iso.Runtime())
	length := lengthOf(obj)
	if length < 0 || length > maxParams {
		return nil, encodeError(fmt.Errorf("%d bound values; PostgreSQL takes at most %d", length, maxParams))
	}
	n := int(length)
	out := make([]any, n)
	for i := range n {
		p, err := c.param(obj.Get(strconv.Itoa(i)), 0)
		if err != nil {
			return nil, encodeError(fmt.Errorf("parameter %d: %w", i+1, err))
		}
		out[i] = p
	}
	return out, nil
}

// Bounds on what a script can make the binding allocate: a JavaScript
// length is just a number (a sparse array can claim 2^32-1 elements).
const (
	maxParams     = 65535   // the protocol's limit on bind parameters
	maxArrayParam = 1 << 20 // elements in one array value
	maxBatch      = 10000   // statements in one batch
	// maxBoundValues bounds every value of one statement's parameters,
	// nested array elements and JSON values included.
	maxBoundValues = 1 << 20
)

func (c binder) param(v goja.Value, depth int) (any, error) {
	if depth > 32 {
		return nil, fmt.Errorf("value nested too deeply")
	}
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil, nil
	}
	if isProxy(v) {
		return nil, errors.New("cannot bind a Proxy: bind a plain array or object")
	}
	// Arrays first: goja's Export would allocate whatever length claims.
	if obj, ok := v.(*goja.Object); ok && obj.ClassName() == "Array" {
		return c.array(obj, depth)
	}
	switch x := isolates.Export(v).(type) {
	case string:
		return x, nil
	case bool:
		return jsBool(x), nil
	case int64:
		return jsInt(x), nil
	case float64:
		// Every whole number int64 holds is an integer, 2**60 included (its
		// float text, 1.152921504606847e+18, is no int8 input); -0 stays a
		// float so that float8 keeps its sign.
		if x == math.Trunc(x) && x >= -(1<<63) && x < 1<<63 && !(x == 0 && math.Signbit(x)) {
			return jsInt(x), nil
		}
		return jsFloat(x), nil
	case *big.Int:
		if x.IsInt64() {
			return jsInt(x.Int64()), nil // binds to int8, numeric, float and text alike
		}
		return x.String(), nil
	case time.Time:
		// A Date is an instant; goja exports it in the process's time zone,
		// whose wall clock a timestamp or date parameter would take.
		return x.UTC(), nil
	case goja.ArrayBuffer:
		return append([]byte(nil), x.Bytes()...), nil
	case []byte:
		return append([]byte(nil), x...), nil
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		return v.String(), nil
	}
	switch obj.ClassName() {
	case "Function", "Symbol":
		return nil, fmt.Errorf("cannot bind a %s", strings.ToLower(obj.ClassName()))
	}
	if b := typedArrayBytes(c.iso, obj); b != nil {
		return b, nil
	}
	// Plain objects (and anything else) travel as JSON, as D1 stores them:
	// JSON.stringify's text (toJSON, Dates as ISO strings, undefined
	// properties left out), not Go's encoding of the exported value.
	text, ok, err := c.iso.JSONStringify(obj, c.replacer)
	if err != nil {
		return nil, fmt.Errorf("cannot bind object as JSON: %w", exceptionText(err))
	}
	if !ok { // toJSON() returned undefined
		return nil, nil
	}
	return text, nil
}

// lengthOf is obj.length as an integer, 0 when absent.
func lengthOf(obj *goja.Object) int64 {
	v := obj.Get("length")
	if v == nil {
		return 0
	}
	return v.ToInteger()
}

func (c binder) array(obj *goja.Object, depth int) (any, error) {
	length := lengthOf(obj)
	if length < 0 || length > maxArrayParam {
		return nil, fmt.Errorf("array of %d elements; at most %d can be bound", length, maxArrayParam)
	}
	if err := c.spend(length); err != nil {
		return nil, err
	}
	arr := &jsArray{elems: make([]any, int(length)), plain: true}
	for i := range arr.elems {
		ev := obj.Get(strconv.Itoa(i))
		e, err := c.param(ev, depth+1)
		if err != nil {
			return nil, err
		}
		arr.elems[i] = e
		switch x := e.(type) {
		case *jsArray:
			arr.plain = arr.plain && x.plain
		case jsInt:
			// Beyond 2^53 JSON.stringify writes the double's digits
			// (2**60 is 1152921504606847000), and a BigInt is no JSON.
			if x > maxSafeInt || x < -maxSafeInt || isBigInt(ev) {
				arr.plain = false
			}
		default:
			if _, ok := ev.(*goja.Object); ok || isBigInt(ev) {
				arr.plain = false // an object, Date or byte array: its JSON is JavaScript's
			}
		}
	}
	arr.shape()
	if depth == 0 && !arr.plain {
		// For a json or jsonb parameter: JSON.stringify's text. An error
		// (a BigInt element) matters only if the array is bound to JSON.
		if text, ok, err := c.iso.JSONStringify(obj, c.replacer); err == nil && ok {
			arr.json = text
		} else if err != nil {
			arr.jsonErr = fmt.Errorf("cannot bind array as JSON: %w", exceptionText(err))
		}
	}
	return arr, nil
}

var bigIntType = reflect.TypeOf((*big.Int)(nil))

func isBigInt(v goja.Value) bool { return v != nil && v.ExportType() == bigIntType }

// exceptionText is a JS exception as "TypeError: …", without the stack.
func exceptionText(err error) error {
	if ex, ok := err.(*goja.Exception); ok {
		return errors.New(ex.Value().String())
	}
	return err
}

// typedArrayBytes copies a typed array's or DataView's bytes; nil for
// anything else (the intrinsic ArrayBuffer.isView decides).
func typedArrayBytes(iso *isolates.Isolate, obj *goja.Object) []byte {
	if !iso.IsView(obj) {
		return nil
	}
	b, err := isolates.ViewBytes(iso.Runtime(), obj)
	if err != nil {
		return nil
	}
	return append([]byte{}, b...)
}
