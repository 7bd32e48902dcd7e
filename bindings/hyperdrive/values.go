package hyperdrive

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"net/netip"
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
// arrays → []any, plain objects → JSON text. It runs on the isolate
// goroutine.
type binder struct {
	vm *goja.Runtime
	// stringify is the intrinsic JSON.stringify, taken when the binding's
	// per-isolate state was built (a script replacing JSON.stringify later
	// changes nothing): objects are bound as JavaScript serialises them.
	stringify goja.Callable
}

// params converts a statement's bound values.
func (c binder) params(v goja.Value) ([]any, error) {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil, nil
	}
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
)

func (c binder) param(v goja.Value, depth int) (any, error) {
	if depth > 32 {
		return nil, fmt.Errorf("value nested too deeply")
	}
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil, nil
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
	text, err := c.stringify(goja.Undefined(), obj)
	if err != nil {
		if ex, ok := err.(*goja.Exception); ok {
			err = errors.New(ex.Value().String()) // "TypeError: …", without the stack
		}
		return nil, fmt.Errorf("cannot bind object as JSON: %w", err)
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
	arr := make([]any, int(length))
	for i := range arr {
		e, err := c.param(obj.Get(strconv.Itoa(i)), depth+1)
		if err != nil {
			return nil, err
		}
		arr[i] = e
	}
	return arr, nil
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
func (v jsFloat) MarshalJSON() ([]byte, error) { return json.Marshal(float64(v)) }

func (v jsBool) BoolValue() (pgtype.Bool, error) { return pgtype.Bool{Bool: bool(v), Valid: true}, nil }
func (v jsBool) TextValue() (pgtype.Text, error) {
	return pgtype.Text{String: strconv.FormatBool(bool(v)), Valid: true}, nil
}
func (v jsBool) MarshalJSON() ([]byte, error) { return json.Marshal(bool(v)) }

// ---- PostgreSQL → JS -------------------------------------------------------

// Go-side results are decoded off the loop into these shapes and turned into
// JS values on it.
type (
	jsonText  string    // json/jsonb: parsed with JSON.parse on the loop
	jsDate    time.Time // timestamp/timestamptz: a JS Date
	jsBytes   []byte    // bytea: a Uint8Array
	jsNumeric string    // numeric: a string, losslessly
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
	case pgtype.NumericOID:
		if z, ok := numericZero(fd.Format, raw); ok {
			return z, nil
		}
	}
	typ, ok := m.TypeForOID(fd.DataTypeOID)
	if !ok {
		return string(raw), nil // unknown types (enums, domains…) arrive as text
	}
	v, err := typ.Codec.DecodeValue(m, fd.DataTypeOID, fd.Format, raw)
	if err != nil {
		return nil, err
	}
	return normalize(fd.DataTypeOID, v), nil
}

// numericZero is a binary numeric zero with its scale ("0.00"): pgx
// decodes zero without its display scale (dscale), and a numeric comes back
// exactly as PostgreSQL prints it. Other values keep their scale in pgx.
func numericZero(format int16, raw []byte) (jsNumeric, bool) {
	// ndigits, weight, sign, dscale: four int16s, then the digits.
	if format != pgtype.BinaryFormatCode || len(raw) != 8 || binary.BigEndian.Uint16(raw[0:]) != 0 || binary.BigEndian.Uint16(raw[4:]) != 0 {
		return "", false
	}
	scale := int(int16(binary.BigEndian.Uint16(raw[6:])))
	if scale <= 0 || scale > 16383 {
		return "0", true
	}
	return jsNumeric("0." + strings.Repeat("0", scale)), true
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
	case pgtype.Numeric:
		d, err := x.Value()
		if err != nil || d == nil {
			return nil
		}
		return jsNumeric(d.(string))
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
	case pgtype.Interval:
		return formatInterval(x)
	case pgtype.Time:
		return formatTimeOfDay(x.Microseconds)
	case netip.Prefix:
		if oid == pgtype.InetOID && x.Bits() == x.Addr().BitLen() {
			return x.Addr().String()
		}
		return x.String()
	case netip.Addr:
		return x.String()
	case []any:
		elem := arrayElemOID(oid)
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(elem, e)
		}
		return out
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

var arrayElems = map[uint32]uint32{
	pgtype.DateArrayOID: pgtype.DateOID, pgtype.InetArrayOID: pgtype.InetOID, pgtype.CIDRArrayOID: pgtype.CIDROID,
	pgtype.Int8ArrayOID: pgtype.Int8OID, pgtype.TimestamptzArrayOID: pgtype.TimestamptzOID,
	pgtype.TimestampArrayOID: pgtype.TimestampOID, pgtype.JSONBArrayOID: pgtype.JSONBOID, pgtype.JSONArrayOID: pgtype.JSONOID,
}

func arrayElemOID(oid uint32) uint32 { return arrayElems[oid] }

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

// formatInterval prints an interval as PostgreSQL's default IntervalStyle
// (postgres) does: "1 year 2 mons 3 days 04:05:06.789".
func formatInterval(iv pgtype.Interval) string {
	var parts []string
	plural := func(n int64, unit string) {
		if n == 0 {
			return
		}
		s := unit
		if n != 1 && n != -1 {
			s += "s"
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, s))
	}
	years, months := int64(iv.Months/12), int64(iv.Months%12)
	plural(years, "year")
	if months != 0 {
		plural(months, "mon")
	}
	plural(int64(iv.Days), "day")
	if iv.Microseconds != 0 || len(parts) == 0 {
		us := iv.Microseconds
		sign := ""
		if us < 0 {
			sign, us = "-", -us
		} else if len(parts) > 0 && (iv.Days < 0 || iv.Months < 0) {
			sign = "+"
		}
		parts = append(parts, sign+formatTimeOfDay(us))
	}
	return strings.Join(parts, " ")
}

func formatTimeOfDay(us int64) string {
	h, rem := us/3_600_000_000, us%3_600_000_000
	m, rem := rem/60_000_000, rem%60_000_000
	s, frac := rem/1_000_000, rem%1_000_000
	out := fmt.Sprintf("%02d:%02d:%02d", h, m, s)
	if frac != 0 {
		out += strings.TrimRight(fmt.Sprintf(".%06d", frac), "0")
	}
	return out
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
	case jsNumeric:
		return vm.ToValue(string(x)), nil
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
