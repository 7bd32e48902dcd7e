package hyperdrive

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// ---- JS → PostgreSQL -------------------------------------------------------

// binder converts bound JS values to Go values pgx encodes:
// null/undefined → NULL, number → int64 (whole numbers within int64's range)
// or float64, string, boolean, BigInt → int64 (or its decimal string beyond
// int64), Date → time.Time in UTC, Uint8Array/ArrayBuffer → []byte,
// arrays → *jsArray (PostgreSQL arrays of any dimension, or JSON), plain
// objects → JSON text. It runs on the isolate
// goroutine.
type binder struct {
	vm *goja.Runtime
	// stringify is the intrinsic JSON.stringify, taken when the binding's
	// per-isolate state was built (a script replacing JSON.stringify later
	// changes nothing): objects are bound as JavaScript serialises them.
	stringify goja.Callable
	// replacer is given to stringify: it counts the values JSON visits
	// against the same budget and refuses Proxies, whose traps could make
	// one bound value unbounded work.
	replacer goja.Value
	// left is what remains of one statement's budget of bound values (array
	// elements and JSON values, nested ones included): a script's lengths
	// are just numbers, and nested arrays multiply them.
	left *int
}

// newBinder makes the binder of one isolate.
func newBinder(vm *goja.Runtime, stringify goja.Callable) binder {
	c := binder{vm: vm, stringify: stringify, left: new(int)}
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
	obj := v.ToObject(c.vm)
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
	switch x := v.Export().(type) {
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
	if b := typedArrayBytes(c.vm, obj); b != nil {
		return b, nil
	}
	// Plain objects (and anything else) travel as JSON, as D1 stores them:
	// JSON.stringify's text (toJSON, Dates as ISO strings, undefined
	// properties left out), not Go's encoding of the exported value.
	text, err := c.stringify(goja.Undefined(), obj, c.replacer)
	if err != nil {
		return nil, fmt.Errorf("cannot bind object as JSON: %w", exceptionText(err))
	}
	if goja.IsUndefined(text) { // toJSON() returned undefined
		return nil, nil
	}
	return text.String(), nil
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
		if text, err := c.stringify(goja.Undefined(), obj, c.replacer); err == nil && !goja.IsUndefined(text) {
			arr.json = text.String()
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

// jsArray is a bound JS array. An array parameter (int4[], text[][], …)
// takes its elements, with as many dimensions as it has rectangular
// nesting; a json or jsonb parameter takes the array as JSON, as
// JSON.stringify writes it (elements that are objects included).
type jsArray struct {
	elems []any
	// plain: only numbers, strings, booleans, null and plain arrays, whose
	// JSON Go writes as JavaScript does. Otherwise json is JSON.stringify's
	// (outermost array only) or jsonErr why it has none.
	plain   bool
	json    string
	jsonErr error
	dims    []pgtype.ArrayDimension
	flat    []any
}

// shape finds the array's dimensions: [[1,2],[3,4]] is 2×2; a ragged or
// mixed array is one-dimensional, its elements whatever they are.
func (a *jsArray) shape() {
	a.dims = []pgtype.ArrayDimension{{Length: int32(len(a.elems)), LowerBound: 1}}
	a.flat = a.elems
	if len(a.elems) == 0 {
		return
	}
	first, ok := a.elems[0].(*jsArray)
	if !ok || len(first.elems) == 0 {
		return
	}
	for _, e := range a.elems[1:] {
		inner, ok := e.(*jsArray)
		if !ok || !sameShape(inner.dims, first.dims) {
			return
		}
	}
	a.dims = append(a.dims, first.dims...)
	a.flat = make([]any, 0, len(a.elems)*len(first.flat))
	for _, e := range a.elems {
		a.flat = append(a.flat, e.(*jsArray).flat...)
	}
}

func sameShape(a, b []pgtype.ArrayDimension) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Length != b[i].Length {
			return false
		}
	}
	return true
}

func (a *jsArray) Dimensions() []pgtype.ArrayDimension { return a.dims }
func (a *jsArray) Index(i int) any                     { return a.flat[i] }
func (a *jsArray) IndexType() any                      { return nil } // elements differ: planned one by one

func (a *jsArray) MarshalJSON() ([]byte, error) {
	if a.json != "" {
		return []byte(a.json), nil
	}
	if a.jsonErr != nil {
		return nil, a.jsonErr
	}
	return marshalJSON(a.elems)
}

// marshalJSON is json.Marshal without its HTML escaping: JSON.stringify
// writes <, > and & as they are, and a json column keeps the text.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func typedArrayBytes(vm *goja.Runtime, obj *goja.Object) []byte {
	if !isView(vm, obj) {
		return nil
	}
	var b []byte
	if err := vm.ExportTo(obj, &b); err != nil {
		return nil
	}
	return append([]byte{}, b...)
}

func isView(vm *goja.Runtime, obj *goja.Object) bool {
	ab := vm.Get("ArrayBuffer").ToObject(vm)
	f, ok := goja.AssertFunction(ab.Get("isView"))
	if !ok {
		return false
	}
	r, err := f(ab, obj)
	return err == nil && r.ToBoolean()
}

// JS numbers and booleans bind to whatever the parameter's type is, as in
// D1: an integer column takes 42, a text parameter (`SELECT ? AS n`) takes
// "42". pgx picks the valuer interface the parameter's codec understands.
type (
	jsInt   int64
	jsFloat float64
	jsBool  bool
)

func (v jsInt) Int64Value() (pgtype.Int8, error) {
	return pgtype.Int8{Int64: int64(v), Valid: true}, nil
}
func (v jsInt) Float64Value() (pgtype.Float8, error) {
	return pgtype.Float8{Float64: float64(v), Valid: true}, nil
}
func (v jsInt) TextValue() (pgtype.Text, error) {
	return pgtype.Text{String: strconv.FormatInt(int64(v), 10), Valid: true}, nil
}
func (v jsInt) MarshalJSON() ([]byte, error) { return strconv.AppendInt(nil, int64(v), 10), nil }

// NumericValue keeps a numeric parameter exact: pgx prefers Float64Value
// over Int64Value for numeric, which would round 2**60 to 17 digits.
func (v jsInt) NumericValue() (pgtype.Numeric, error) {
	return pgtype.Numeric{Int: big.NewInt(int64(v)), Valid: true}, nil
}

func (v jsFloat) Float64Value() (pgtype.Float8, error) {
	return pgtype.Float8{Float64: float64(v), Valid: true}, nil
}
func (v jsFloat) Int64Value() (pgtype.Int8, error) {
	return pgtype.Int8{}, fmt.Errorf("%v is not an integer", float64(v))
}
func (v jsFloat) TextValue() (pgtype.Text, error) {
	return pgtype.Text{String: strconv.FormatFloat(float64(v), 'g', -1, 64), Valid: true}, nil
}

// MarshalJSON writes the number as JSON.stringify does: NaN and the
// infinities are null, -0 is 0.
func (v jsFloat) MarshalJSON() ([]byte, error) {
	f := float64(v)
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return []byte("null"), nil
	case f == 0:
		return []byte("0"), nil
	}
	return json.Marshal(f)
}

func (v jsBool) BoolValue() (pgtype.Bool, error) { return pgtype.Bool{Bool: bool(v), Valid: true}, nil }
func (v jsBool) TextValue() (pgtype.Text, error) {
	return pgtype.Text{String: strconv.FormatBool(bool(v)), Valid: true}, nil
}
func (v jsBool) MarshalJSON() ([]byte, error) { return json.Marshal(bool(v)) }

// ---- PostgreSQL → JS -------------------------------------------------------

// Go-side results are decoded off the loop into these shapes and turned into
// JS values on it.
type (
	jsonText string    // json/jsonb: parsed with JSON.parse on the loop
	jsDate   time.Time // timestamp/timestamptz: a JS Date
	jsBytes  []byte    // bytea: a Uint8Array
)

const maxSafeInt = 1<<53 - 1

// decodeColumn converts one raw column value as PostgreSQL sent it.
func decodeColumn(m *pgtype.Map, fd pgconn.FieldDescription, raw []byte) (any, error) {
	if raw == nil {
		return nil, nil
	}
	switch fd.DataTypeOID {
	case pgtype.JSONOID:
		return jsonText(raw), nil
	case pgtype.JSONBOID:
		if fd.Format == pgtype.BinaryFormatCode && len(raw) > 0 {
			raw = raw[1:] // jsonb's binary format is a version byte, then text
		}
		return jsonText(raw), nil
	}
	typ, ok := m.TypeForOID(fd.DataTypeOID)
	if !ok {
		return string(raw), nil // unknown types (enums, domains, extensions' types…) arrive as text
	}
	if ac, ok := typ.Codec.(*pgtype.ArrayCodec); ok {
		return decodeArray(m, ac, fd, raw)
	}
	v, err := typ.Codec.DecodeValue(m, fd.DataTypeOID, fd.Format, raw)
	if err != nil {
		return nil, err
	}
	return normalize(fd.DataTypeOID, v), nil
}

// decodeArray decodes an array of any dimension to nested JS arrays
// ('{{1,2},{3,4}}' is [[1,2],[3,4]]), as node-postgres does; pgx's own
// decoding flattens them.
func decodeArray(m *pgtype.Map, ac *pgtype.ArrayCodec, fd pgconn.FieldDescription, raw []byte) (any, error) {
	elem := ac.ElementType.OID
	if elem == pgtype.JSONOID || elem == pgtype.JSONBOID {
		// The elements' text, for JSON.parse like a json column's: pgx
		// would unmarshal them into Go maps (key order and big numbers'
		// digits lost).
		var arr pgtype.Array[*string]
		if err := m.PlanScan(fd.DataTypeOID, fd.Format, &arr).Scan(raw, &arr); err != nil {
			return nil, err
		}
		out := make([]any, len(arr.Elements))
		for i, e := range arr.Elements {
			if e != nil {
				out[i] = jsonText(*e)
			}
		}
		return nest(out, arr.Dims), nil
	}
	var arr pgtype.Array[any]
	if err := m.PlanScan(fd.DataTypeOID, fd.Format, &arr).Scan(raw, &arr); err != nil {
		return nil, err
	}
	for i, e := range arr.Elements {
		arr.Elements[i] = normalize(elem, e)
	}
	return nest(arr.Elements, arr.Dims), nil
}

// nest shapes an array's elements, stored in row-major order, by its
// dimensions.
func nest(flat []any, dims []pgtype.ArrayDimension) []any {
	if len(dims) <= 1 {
		return flat
	}
	out := make([]any, dims[0].Length)
	stride := len(flat) / len(out)
	for i := range out {
		out[i] = nest(flat[i*stride:(i+1)*stride], dims[1:])
	}
	return out
}

// textTypes come back as the text PostgreSQL prints for them, which is
// what postgres.js returns (node-postgres too, but for the objects it
// makes of interval, point and circle): pgx would decode them to Go
// values whose printing differs (a range as a Go struct, an interval
// without the server's IntervalStyle, "char" as a byte). Each connection
// asks for them, and their arrays' elements, in text format.
var textTypes = []struct {
	name          string
	oid, arrayOID uint32
}{
	{"numeric", pgtype.NumericOID, pgtype.NumericArrayOID}, // exactly as printed: "0.00", "NaN", "Infinity"
	{"interval", pgtype.IntervalOID, pgtype.IntervalArrayOID},
	{"time", pgtype.TimeOID, pgtype.TimeArrayOID},
	{"timetz", pgtype.TimetzOID, pgtype.TimetzArrayOID},
	{"char", pgtype.QCharOID, pgtype.QCharArrayOID},
	{"tid", pgtype.TIDOID, pgtype.TIDArrayOID},
	{"bit", pgtype.BitOID, pgtype.BitArrayOID},
	{"varbit", pgtype.VarbitOID, pgtype.VarbitArrayOID},
	{"xml", pgtype.XMLOID, pgtype.XMLArrayOID},
	{"record", pgtype.RecordOID, pgtype.RecordArrayOID},
	{"point", pgtype.PointOID, pgtype.PointArrayOID},
	{"line", pgtype.LineOID, pgtype.LineArrayOID},
	{"lseg", pgtype.LsegOID, pgtype.LsegArrayOID},
	{"box", pgtype.BoxOID, pgtype.BoxArrayOID},
	{"path", pgtype.PathOID, pgtype.PathArrayOID},
	{"polygon", pgtype.PolygonOID, pgtype.PolygonArrayOID},
	{"circle", pgtype.CircleOID, pgtype.CircleArrayOID},
	{"macaddr", pgtype.MacaddrOID, pgtype.MacaddrArrayOID},
	{"int4range", pgtype.Int4rangeOID, pgtype.Int4rangeArrayOID},
	{"int8range", pgtype.Int8rangeOID, pgtype.Int8rangeArrayOID},
	{"numrange", pgtype.NumrangeOID, pgtype.NumrangeArrayOID},
	{"tsrange", pgtype.TsrangeOID, pgtype.TsrangeArrayOID},
	{"tstzrange", pgtype.TstzrangeOID, pgtype.TstzrangeArrayOID},
	{"daterange", pgtype.DaterangeOID, pgtype.DaterangeArrayOID},
	{"int4multirange", pgtype.Int4multirangeOID, pgtype.Int4multirangeArrayOID},
	{"int8multirange", pgtype.Int8multirangeOID, pgtype.Int8multirangeArrayOID},
	{"nummultirange", pgtype.NummultirangeOID, pgtype.NummultirangeArrayOID},
	{"tsmultirange", pgtype.TsmultirangeOID, pgtype.TsmultirangeArrayOID},
	{"tstzmultirange", pgtype.TstzmultirangeOID, pgtype.TstzmultirangeArrayOID},
	{"datemultirange", pgtype.DatemultirangeOID, pgtype.DatemultirangeArrayOID},
}

// textOnly is pgx's text codec without its binary format, so that arrays
// of these types are sent and received as text too (pgx asks for an
// array in binary whenever its element type supports binary).
type textOnly struct{ pgtype.TextCodec }

func (textOnly) FormatSupported(format int16) bool { return format == pgtype.TextFormatCode }

// registerTypes sets up a connection's type map: textTypes in text format,
// decoded as strings (their parameters are sent as text too, which is how
// a script writes them: '[1,5)', '1 day'), and json/jsonb encoding bound
// values without HTML escaping.
func registerTypes(m *pgtype.Map) {
	register := func(name string, oid, arrayOID uint32, codec pgtype.Codec) {
		elem := &pgtype.Type{Name: name, OID: oid, Codec: codec}
		m.RegisterType(elem)
		m.RegisterType(&pgtype.Type{Name: "_" + name, OID: arrayOID, Codec: &pgtype.ArrayCodec{ElementType: elem}})
	}
	for _, t := range textTypes {
		register(t.name, t.oid, t.arrayOID, textOnly{})
	}
	register("json", pgtype.JSONOID, pgtype.JSONArrayOID, &pgtype.JSONCodec{Marshal: marshalJSON, Unmarshal: json.Unmarshal})
	register("jsonb", pgtype.JSONBOID, pgtype.JSONBArrayOID, &pgtype.JSONBCodec{Marshal: marshalJSON, Unmarshal: json.Unmarshal})
}

// normalize maps pgx's decoded values to the DESIGN.md type table.
func normalize(oid uint32, v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int64:
		if x > maxSafeInt || x < -maxSafeInt {
			return strconv.FormatInt(x, 10)
		}
		return x
	case uint32:
		return int64(x)
	case float32:
		// The float4's shortest decimal, as PostgreSQL prints it (0.1),
		// not the float64 nearest its binary value (0.10000000149011612).
		f, _ := strconv.ParseFloat(strconv.FormatFloat(float64(x), 'g', -1, 32), 64)
		return f
	case float64, bool, string:
		return x
	case []byte:
		return jsBytes(x)
	case [16]byte:
		return formatUUID(x)
	case time.Time:
		if oid == pgtype.DateOID {
			return x.Format("2006-01-02")
		}
		return jsDate(x)
	case pgtype.Date:
		if x.InfinityModifier > 0 {
			return "infinity"
		} else if x.InfinityModifier < 0 {
			return "-infinity"
		}
		return x.Time.Format("2006-01-02")
	case pgtype.Timestamptz:
		return infinityString(x.InfinityModifier, x.Time)
	case pgtype.Timestamp:
		return infinityString(x.InfinityModifier, x.Time)
	case netip.Prefix:
		if oid == pgtype.InetOID && x.Bits() == x.Addr().BitLen() {
			return x.Addr().String()
		}
		return x.String()
	case netip.Addr:
		return x.String()
	case map[string]any:
		b, _ := json.Marshal(x)
		return jsonText(b)
	case fmt.Stringer:
		return x.String()
	default:
		return fmt.Sprint(x)
	}
}

func infinityString(mod pgtype.InfinityModifier, t time.Time) any {
	switch {
	case mod > 0:
		return "infinity"
	case mod < 0:
		return "-infinity"
	}
	return jsDate(t)
}

func formatUUID(u [16]byte) string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// toJS converts a decoded value to a JS value. Loop goroutine only.
func toJS(vm *goja.Runtime, parse goja.Callable, v any) (goja.Value, error) {
	switch x := v.(type) {
	case nil:
		return goja.Null(), nil
	case int64:
		return vm.ToValue(x), nil
	case float64:
		return vm.ToValue(x), nil
	case bool:
		return vm.ToValue(x), nil
	case string:
		return vm.ToValue(x), nil
	case jsonText:
		return parse(goja.Undefined(), vm.ToValue(string(x)))
	case jsDate:
		return vm.New(vm.Get("Date"), vm.ToValue(time.Time(x).UnixMilli()))
	case jsBytes:
		return vm.New(vm.Get("Uint8Array"), vm.ToValue(vm.NewArrayBuffer(append([]byte(nil), x...))))
	case []any:
		items := make([]any, len(x))
		for i, e := range x {
			jv, err := toJS(vm, parse, e)
			if err != nil {
				return nil, err
			}
			items[i] = jv
		}
		return vm.NewArray(items...), nil
	default:
		return vm.ToValue(fmt.Sprint(x)), nil
	}
}
