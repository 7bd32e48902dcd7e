package hyperdrive

// PostgreSQL → JS: column values decoded off the loop (decodeColumn, for
// results.go) into Go shapes, turned into JS values on it (toJS).

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"time"

	"github.com/dop251/goja"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"edgerun/isolates"
)

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

// toJS converts a decoded value to a JS value, Dates, Uint8Arrays and JSON
// built from the isolate's intrinsics (a script may have replaced the
// globals). Loop goroutine only.
func toJS(iso *isolates.Isolate, v any) (goja.Value, error) {
	vm := iso.Runtime()
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
		return iso.JSONParse(string(x))
	case jsDate:
		return iso.NewDate(time.Time(x).UnixMilli())
	case jsBytes:
		return iso.NewUint8Array(append([]byte(nil), x...)), nil
	case []any:
		items := make([]any, len(x))
		for i, e := range x {
			jv, err := toJS(iso, e)
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
