package hyperdrive

// JS → PostgreSQL, second half: the Go shapes the binder makes (arrays,
// numbers, booleans) and how pgx encodes them for each parameter type.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"

	"github.com/jackc/pgx/v5/pgtype"
)

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
