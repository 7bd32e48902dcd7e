package webapi

import (
	"bytes"
	"encoding/base64"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/transform"
)

// encodingNatives are encoding.js's: UTF-8 both ways (and the UTF-16
// length encodeInto reports), the Encoding Standard's other encodings for
// TextDecoder, and base64 for atob/btoa.
func (w *Worker) encodingNatives(set nativeSet) {
	vm := w.vm
	// legacyEncoding is the Encoding Standard's name for label (what
	// TextDecoder.encoding answers), or undefined when the label names
	// no encoding workerd decodes ("replacement" is one it refuses).
	set("legacyEncoding", func(c goja.FunctionCall) goja.Value {
		if _, name := legacyEncoding(c.Argument(0).String()); name != "" {
			return vm.ToValue(name)
		}
		return goja.Undefined()
	})
	// legacyDecoder(name, fatal) is decode(bytes, stream) → string for one
	// TextDecoder: it keeps an unfinished sequence between streamed calls.
	set("legacyDecoder", func(c goja.FunctionCall) goja.Value {
		enc, _ := legacyEncoding(c.Argument(0).String())
		if enc == nil {
			panic(vm.NewTypeError("TextDecoder: unsupported encoding"))
		}
		return vm.ToValue(newLegacyDecoder(w, enc, c.Argument(1).ToBoolean()))
	})
	set("utf8Encode", func(c goja.FunctionCall) goja.Value {
		return w.newUint8Array([]byte(c.Argument(0).String()))
	})
	set("utf8Decode", func(c goja.FunctionCall) goja.Value {
		b := w.bytesArg(c.Argument(0))
		fatal, ignoreBOM := c.Argument(1).ToBoolean(), c.Argument(2).ToBoolean()
		if !ignoreBOM {
			b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
		}
		if fatal && !utf8.Valid(b) {
			panic(vm.NewTypeError("The encoded data was not valid for encoding utf-8"))
		}
		return vm.ToValue(DecodeUTF8(b))
	})
	set("utf16Length", func(c goja.FunctionCall) goja.Value {
		n := 0
		for _, r := range string(w.bytesArg(c.Argument(0))) {
			n += utf16.RuneLen(r)
		}
		return vm.ToValue(n)
	})
	set("atob", func(c goja.FunctionCall) goja.Value {
		out, ok := forgivingBase64Decode(c.Argument(0).String())
		if !ok {
			panic(w.domException("The string to be decoded is not correctly encoded.", "InvalidCharacterError"))
		}
		return latin1(vm, out)
	})
	set("btoa", func(c goja.FunctionCall) goja.Value {
		s := c.Argument(0).String()
		raw := make([]byte, 0, len(s))
		for _, r := range s {
			if r > 0xFF {
				panic(w.domException("Cannot encode string: string contains characters outside of the Latin1 range.", "InvalidCharacterError"))
			}
			raw = append(raw, byte(r))
		}
		return vm.ToValue(base64.StdEncoding.EncodeToString(raw))
	})
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// latin1 makes a JS string whose code units are the bytes (atob's result).
func latin1(vm *goja.Runtime, b []byte) goja.Value {
	if isASCII(b) {
		return vm.ToValue(string(b))
	}
	u := make([]uint16, len(b))
	for i, c := range b {
		u[i] = uint16(c)
	}
	return goja.StringFromUTF16(u)
}

// forgivingBase64Decode implements the WHATWG forgiving-base64 decode.
func forgivingBase64Decode(s string) ([]byte, bool) {
	clean := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ', '\t', '\n', '\f', '\r':
		default:
			clean = append(clean, c)
		}
	}
	if len(clean)%4 == 0 {
		if bytes.HasSuffix(clean, []byte("==")) {
			clean = clean[:len(clean)-2]
		} else if bytes.HasSuffix(clean, []byte("=")) {
			clean = clean[:len(clean)-1]
		}
	}
	if len(clean)%4 == 1 {
		return nil, false
	}
	for _, c := range clean {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/') {
			return nil, false
		}
	}
	out, err := base64.RawStdEncoding.Strict().DecodeString(string(clean))
	if err != nil {
		// Non-zero trailing bits are allowed by the forgiving decoder.
		out, err = base64.RawStdEncoding.DecodeString(string(clean))
		if err != nil {
			return nil, false
		}
	}
	return out, true
}

// legacyEncoding looks label up as the Encoding Standard does (x/text's
// htmlindex is its label table); enc is nil for an unknown label and for
// the replacement encoding.
func legacyEncoding(label string) (enc encoding.Encoding, name string) {
	e, err := htmlindex.Get(strings.Trim(label, "\t\n\f\r "))
	if err != nil {
		return nil, ""
	}
	name, err = htmlindex.Name(e)
	if err != nil || name == "replacement" {
		return nil, ""
	}
	return e, name
}

// newLegacyDecoder is a TextDecoder's decode for a non-UTF-8 encoding. A
// sequence cut by the end of a streamed chunk waits for the next; in fatal
// mode a byte the encoding does not map is a TypeError (x/text writes
// U+FFFD for it, which no legacy encoding maps a well-formed byte to but
// gb18030, whose four-byte form of U+FFFD is then refused too).
func newLegacyDecoder(w *Worker, enc encoding.Encoding, fatal bool) func(goja.FunctionCall) goja.Value {
	if cm, ok := enc.(*charmap.Charmap); ok {
		return singleByteDecoder(w, singleByteTable(cm), fatal)
	}
	dec := enc.NewDecoder()
	var pending []byte
	return func(c goja.FunctionCall) goja.Value {
		src := append(pending, w.bytesArg(c.Argument(0))...)
		pending = nil
		stream := c.Argument(1).ToBoolean()
		out := make([]byte, 0, len(src)+len(src)/2+8)
		buf := make([]byte, 3*len(src)+16)
		for {
			nDst, nSrc, err := dec.Transform(buf, src, !stream)
			out = append(out, buf[:nDst]...)
			src = src[nSrc:]
			if err == transform.ErrShortDst {
				if nDst == 0 && nSrc == 0 {
					buf = make([]byte, 2*len(buf))
				}
				continue
			}
			if err == transform.ErrShortSrc && stream {
				pending = append([]byte(nil), src...)
			}
			break
		}
		if !stream {
			dec.Reset()
		}
		if fatal && bytes.ContainsRune(out, utf8.RuneError) {
			pending = nil
			dec.Reset()
			panic(w.vm.NewTypeError("The encoded data was not valid for this encoding"))
		}
		return w.vm.ToValue(string(out))
	}
}

// singleByteTables are the single-byte encodings' byte → code point
// tables, built from x/text's charmaps the first time one is used.
var singleByteTables sync.Map // *charmap.Charmap → *[256]rune

// singleByteTable is cm's table as the Encoding Standard's indexes have it:
// x/text leaves the bytes 0x80–0x9F that a Windows code page does not
// assign as U+FFFD, where the standard (and workerd) decode them as the C1
// control of the same number.
func singleByteTable(cm *charmap.Charmap) *[256]rune {
	if t, ok := singleByteTables.Load(cm); ok {
		return t.(*[256]rune)
	}
	t := new([256]rune)
	for b := range 256 {
		r := cm.DecodeByte(byte(b))
		if r == utf8.RuneError && b >= 0x80 && b <= 0x9f {
			r = rune(b)
		}
		t[b] = r
	}
	singleByteTables.Store(cm, t)
	return t
}

func singleByteDecoder(w *Worker, table *[256]rune, fatal bool) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		src := w.bytesArg(c.Argument(0))
		var b strings.Builder
		b.Grow(len(src) + len(src)/2)
		for _, x := range src {
			r := table[x]
			if r == utf8.RuneError && fatal {
				panic(w.vm.NewTypeError("The encoded data was not valid for this encoding"))
			}
			b.WriteRune(r)
		}
		return w.vm.ToValue(b.String())
	}
}
