package modules

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"unicode/utf8"

	"github.com/dop251/goja"

	"edgerun/isolates"
	"edgerun/isolates/webapi"
)

// Encodings as buffer.js passes them to its natives (after normalizing
// Node's names: "utf-8", "UCS2", "binary", …).
const (
	encUTF8 = iota
	encHex
	encBase64
	encBase64URL
	encLatin1
	encASCII
	encUTF16LE
)

// countedResult is the size from which a native's result is charged to the
// isolate's ArrayBuffer budget, as the guarded constructors charge theirs.
const countedResult = 64 << 10

// bufferNatives are buffer.js's: the encodings both ways and the byte
// searches, which run in Go because the drivers call them per message
// (utf8 of a range, base64 for SCRAM, hex) and a JS loop costs a
// microsecond per few bytes in goja.
func bufferNatives(r *Registry, set NativeSet) {
	vm := r.vm
	errorNatives(r, set)
	set("isUtf8", func(c goja.FunctionCall) goja.Value { return vm.ToValue(utf8.Valid(viewArg(vm, c.Argument(0)))) })
	set("isAscii", func(c goja.FunctionCall) goja.Value {
		for _, b := range viewArg(vm, c.Argument(0)) {
			if b >= 0x80 {
				return vm.ToValue(false)
			}
		}
		return vm.ToValue(true)
	})
	// encode(string, enc) → ArrayBuffer of the string's bytes.
	set("encode", func(c goja.FunctionCall) goja.Value {
		return r.newArrayBuffer(encodeString(c.Argument(0), encodingArg(vm, c.Argument(1))))
	})
	// byteLengthUTF8(string): UTF-8 length; lone surrogates count 3 bytes
	// (they are written as U+FFFD).
	set("byteLengthUTF8", func(c goja.FunctionCall) goja.Value {
		s, ok := c.Argument(0).(goja.String)
		if !ok {
			return vm.ToValue(len(c.Argument(0).String()))
		}
		n := 0
		for i, l := 0, s.Length(); i < l; i++ {
			u := s.CharAt(i)
			switch {
			case u < 0x80:
				n++
			case u < 0x800:
				n += 2
			case u >= 0xD800 && u <= 0xDBFF && i+1 < l && s.CharAt(i+1) >= 0xDC00 && s.CharAt(i+1) <= 0xDFFF:
				n += 4
				i++
			default:
				n += 3
			}
		}
		return vm.ToValue(n)
	})
	// slice(view, enc, start, end) → Buffer.prototype.toString's string: start
	// and end as Node clamps them (undefined: the whole view), "" for an empty
	// range whatever enc is, null for a non-empty one when enc is -1 (an
	// unknown encoding, which buffer.js then throws for).
	set("slice", func(c goja.FunctionCall) goja.Value {
		b := viewArg(vm, c.Argument(0))
		n := int64(len(b))
		start, end := int64(0), n
		if v := c.Argument(2); !goja.IsUndefined(v) {
			start = max(0, min(v.ToInteger(), n))
		}
		if v := c.Argument(3); !goja.IsUndefined(v) {
			end = max(0, min(v.ToInteger(), n))
		}
		if end <= start {
			return vm.ToValue("")
		}
		enc := c.Argument(1).ToInteger()
		if enc == -1 {
			return goja.Null()
		}
		return decodeBytes(vm, b[start:end], encodingArg(vm, c.Argument(1)))
	})
	// decode(view, enc, start, end) → string of view[start:end].
	set("decode", func(c goja.FunctionCall) goja.Value {
		b := rangeArg(vm, c, 0, 2)
		return decodeBytes(vm, b, encodingArg(vm, c.Argument(1)))
	})
	// write(view, string, enc, offset, length) → bytes written: whole
	// characters only (a UTF-8 sequence or UTF-16 unit that does not fit
	// is not begun), as Node writes.
	set("write", func(c goja.FunctionCall) goja.Value {
		dst := rangeArg(vm, c, 0, 3)
		enc := encodingArg(vm, c.Argument(2))
		if len(dst) == 0 {
			return vm.ToValue(0)
		}
		var src []byte
		if enc == encUTF8 {
			src = []byte(c.Argument(1).String())
			if len(src) > len(dst) {
				n := len(dst)
				for n > 0 && !utf8.RuneStart(src[n]) {
					n--
				}
				src = src[:n]
			}
		} else {
			src = encodeString(c.Argument(1), enc)
			if enc == encUTF16LE && len(dst)%2 == 1 && len(src) > len(dst) {
				dst = dst[:len(dst)-1]
			}
		}
		return vm.ToValue(copy(dst, src))
	})
	// compare(a, b) → -1, 0 or 1, bytewise.
	set("compare", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(bytes.Compare(viewArg(vm, c.Argument(0)), viewArg(vm, c.Argument(1))))
	})
	// indexOf(haystack, needle, byteOffset, last) → index of needle in
	// haystack from byteOffset (searching backwards from it when last), or -1.
	set("indexOf", func(c goja.FunctionCall) goja.Value {
		hay, needle := viewArg(vm, c.Argument(0)), viewArg(vm, c.Argument(1))
		off := int(c.Argument(2).ToInteger())
		if c.Argument(3).ToBoolean() {
			if off < 0 {
				return vm.ToValue(-1)
			}
			end := min(off+len(needle), len(hay))
			return vm.ToValue(bytes.LastIndex(hay[:end], needle))
		}
		if off < 0 || off > len(hay) {
			return vm.ToValue(-1)
		}
		i := bytes.Index(hay[off:], needle)
		if i < 0 {
			return vm.ToValue(-1)
		}
		return vm.ToValue(off + i)
	})
	// fill(view, pattern, start, end): view[start:end] repeats pattern.
	set("fill", func(c goja.FunctionCall) goja.Value {
		dst := rangeArg(vm, c, 0, 2)
		pat := viewArg(vm, c.Argument(1))
		if len(pat) == 0 || len(dst) == 0 {
			return goja.Undefined()
		}
		n := copy(dst, pat)
		for n < len(dst) {
			n += copy(dst[n:], dst[:n])
		}
		return goja.Undefined()
	})
}

// newArrayBuffer hands data to the script, charging a large one to the
// isolate like any ArrayBuffer the script allocates itself.
func (r *Registry) newArrayBuffer(data []byte) goja.Value {
	if n := int64(len(data)); n >= countedResult {
		if !r.iso.ChargeBuffer(n) {
			panic(r.iso.NewError("Array buffer allocation failed: the worker's ArrayBuffers would be over its memory limit"))
		}
		r.iso.KeepCharged(data, n)
	}
	return r.vm.ToValue(r.vm.NewArrayBuffer(data))
}

func encodingArg(vm *goja.Runtime, v goja.Value) int {
	e := v.ToInteger()
	if e < encUTF8 || e > encUTF16LE {
		panic(vm.NewTypeError("unknown encoding %d", e))
	}
	return int(e)
}

// viewArg is the bytes a Uint8Array argument views (shared, not copied);
// buffer.js passes other views as Uint8Arrays over the same memory.
// isolates.Export answers an empty view (which goja's Export would point
// past its buffer's end) without reading its "length": that named read was
// a failed index parse, an allocated error, on every call.
func viewArg(vm *goja.Runtime, v goja.Value) []byte {
	if b, ok := isolates.Export(v).([]byte); ok {
		return b
	}
	panic(vm.NewTypeError("argument must be a Uint8Array"))
}

// rangeArg is view argument i clamped to [start, end) from arguments
// at and at+1.
func rangeArg(vm *goja.Runtime, c goja.FunctionCall, i, at int) []byte {
	b := viewArg(vm, c.Argument(i))
	start, end := c.Argument(at).ToInteger(), c.Argument(at+1).ToInteger()
	n := int64(len(b))
	start, end = max(0, min(start, n)), max(0, min(end, n))
	if end < start {
		end = start
	}
	return b[start:end]
}

// encodeString is s's bytes in enc. Strings are UTF-16 in JS; the
// single-byte encodings keep each unit's low byte, as Node does.
func encodeString(v goja.Value, enc int) []byte {
	switch enc {
	case encUTF8:
		return []byte(v.String())
	case encHex:
		s := v.String()
		out := make([]byte, len(s)/2)
		n, _ := hex.Decode(out, []byte(s[:len(out)*2]))
		if n < len(out) {
			// hex.Decode stops at the first bad pair; Node keeps what came before.
			return out[:n]
		}
		return out
	case encBase64, encBase64URL:
		return decodeBase64Loose(v.String())
	}
	s, ok := v.ToString().(goja.String)
	if !ok {
		return nil
	}
	l := s.Length()
	if enc == encUTF16LE {
		out := make([]byte, 2*l)
		for i := 0; i < l; i++ {
			u := s.CharAt(i)
			out[2*i], out[2*i+1] = byte(u), byte(u>>8)
		}
		return out
	}
	out := make([]byte, l)
	for i := 0; i < l; i++ {
		out[i] = byte(s.CharAt(i))
	}
	return out
}

// base64Values maps both base64 alphabets (Node decodes either under
// either name) to their 6-bit values; 0xFF is not a digit.
var base64Values = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	const std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(std); i++ {
		t[std[i]] = byte(i)
	}
	t['-'], t['_'] = 62, 63
	return t
}()

// decodeBase64Loose decodes as Node does: characters outside the
// alphabets are skipped, '=' ends the data, and a final partial group
// yields the whole bytes it holds.
func decodeBase64Loose(s string) []byte {
	if out, err := base64.StdEncoding.Strict().DecodeString(s); err == nil {
		return out
	}
	out := make([]byte, 0, len(s)*3/4+2)
	var acc uint32
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '=' {
			break
		}
		v := base64Values[c]
		if v == 0xFF {
			continue
		}
		acc = acc<<6 | uint32(v)
		n++
		if n == 4 {
			out = append(out, byte(acc>>16), byte(acc>>8), byte(acc))
			acc, n = 0, 0
		}
	}
	switch n {
	case 2:
		out = append(out, byte(acc>>4))
	case 3:
		out = append(out, byte(acc>>10), byte(acc>>2))
	}
	return out
}

// decodeBytes is b as a string in enc.
func decodeBytes(vm *goja.Runtime, b []byte, enc int) goja.Value {
	switch enc {
	case encUTF8:
		return vm.ToValue(webapi.DecodeUTF8(b))
	case encHex:
		return vm.ToValue(hex.EncodeToString(b))
	case encBase64:
		return vm.ToValue(base64.StdEncoding.EncodeToString(b))
	case encBase64URL:
		return vm.ToValue(base64.RawURLEncoding.EncodeToString(b))
	case encASCII, encLatin1:
		ascii := true
		for _, x := range b {
			if x >= 0x80 {
				ascii = false
				break
			}
		}
		if ascii {
			return vm.ToValue(string(b))
		}
		u := make([]uint16, len(b))
		for i, x := range b {
			if enc == encASCII {
				x &= 0x7F
			}
			u[i] = uint16(x)
		}
		return vm.ToValue(goja.StringFromUTF16(u))
	case encUTF16LE:
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
		return vm.ToValue(goja.StringFromUTF16(u))
	}
	panic(vm.NewTypeError("unknown encoding %d", enc))
}
