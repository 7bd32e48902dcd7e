package webapi

import (
	"reflect"
	"strings"

	"github.com/dop251/goja"
)

// headersNatives are headers.js's: record(init, defaultType), the loop of
// fromRecord done in Go. A handler's `{ headers: { "content-type": … } }`
// is read once per response, and in goja that loop (Object.keys, a
// lookup or a call per name and per value, the string concatenation)
// cost ~25k instructions for one header, most of the headers-init
// handler's extra cost over a plain hello.
func (w *Worker) headersNatives(set nativeSet) {
	set("headersRecord", w.nativeHeadersRecord)
}

// ordinaryObjectType is what an ordinary object (not a proxy, array,
// function or host object) reports as its export type.
var ordinaryObjectType = reflect.TypeOf(map[string]interface{}(nil))

// nativeHeadersRecord reads a plain-object headers init as headers.js's
// fromRecord does and returns the flat "name\0value\0…" string, with
// "content-type\0"+defaultType appended when defaultType is a string and
// the record named no content type (a Response's default, as withType
// adds it). Every value is read once, in Object.keys order, and checked
// before the next is read, with the errors of Headers.append; a value
// that is not an ASCII string is normalised by headers.js's normValue
// (passed as the third argument), so String() conversions and non-ASCII
// text are exactly JavaScript's.
//
// It answers undefined, having run no script code, when headers.js must
// do the work itself: init is not an ordinary object (a proxy's traps
// must run once, in JavaScript's order), a name is not a valid token
// (normName's TypeError, after the values before it were read), or two
// names differ only in case (fromRecord builds the Map at once).
func (w *Worker) nativeHeadersRecord(c goja.FunctionCall) goja.Value {
	obj, ok := c.Argument(0).(*goja.Object)
	if !ok || obj.ExportType() != ordinaryObjectType {
		return goja.Undefined()
	}
	keys := obj.Keys()
	folds := false
	for _, k := range keys {
		token, upper := tokenCase(k)
		if !token {
			return goja.Undefined()
		}
		folds = folds || upper
	}
	if folds && len(keys) > 1 {
		return goja.Undefined()
	}
	// The flat list is built as bytes while every part is ASCII (a
	// header's usual case: one allocation for the string), and as a goja
	// string once normValue hands back one that is not.
	buf := w.headerBuf[:0]
	var wide *goja.StringBuilder
	hasType := false
	for i, k := range keys {
		v := obj.Get(k) // may run a getter, which may throw: as init[k]
		name := k
		if folds {
			name = strings.ToLower(k)
		}
		if name == "content-type" {
			hasType = true
		}
		if i > 0 {
			buf = append(buf, 0)
		}
		buf = append(append(buf, name...), 0)
		if s, ok := v.(goja.String); ok {
			if text := s.String(); asciiText(text) {
				value := strings.Trim(text, "\t\n\r ")
				if !validValue(value) {
					panic(w.vm.NewTypeError(`Invalid header value: "` + value + `"`))
				}
				buf = append(buf, value...)
				continue
			}
		}
		normValue, ok := goja.AssertFunction(c.Argument(2))
		if !ok {
			panic(w.vm.NewTypeError("headersRecord: normValue is not a function"))
		}
		nv, err := normValue(goja.Undefined(), v)
		if err != nil {
			panic(err)
		}
		if wide == nil {
			wide = new(goja.StringBuilder)
		}
		wide.WriteUTF8String(string(buf))
		wide.WriteString(nv.(goja.String))
		buf = buf[:0]
	}
	if t, ok := c.Argument(1).(goja.String); ok && !hasType {
		if len(keys) > 0 {
			buf = append(buf, 0)
		}
		buf = append(buf, "content-type\x00"...)
		if text := t.String(); asciiText(text) {
			buf = append(buf, text...)
		} else {
			if wide == nil {
				wide = new(goja.StringBuilder)
			}
			wide.WriteUTF8String(string(buf))
			wide.WriteString(t)
			buf = buf[:0]
		}
	}
	w.headerBuf = buf[:0]
	if wide != nil {
		wide.WriteUTF8String(string(buf))
		return wide.String()
	}
	return w.vm.ToValue(string(buf))
}

// tokenCase says whether s is an RFC 9110 token (what headers.js's
// tokenRe accepts as a header name) and whether it has upper-case letters.
func tokenCase(s string) (token, upper bool) {
	if s == "" {
		return false, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c >= 'A' && c <= 'Z':
			upper = true
		default:
			switch c {
			case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
			default:
				return false, upper
			}
		}
	}
	return true, upper
}

func asciiText(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
