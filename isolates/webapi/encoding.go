package webapi

import (
	"bytes"
	"encoding/base64"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// encodingNatives are encoding.js's: UTF-8 both ways (and the UTF-16
// length encodeInto reports), and base64 for atob/btoa.
func (w *Worker) encodingNatives(set nativeSet) {
	vm := w.vm
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
