package webapi

import (
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"hash"
	"io"
	"mime/multipart"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// natives builds the Go side the prelude calls as `native.*`.
func (w *Worker) natives() *goja.Object {
	vm := w.vm
	o := vm.NewObject()
	set := func(name string, fn func(goja.FunctionCall) goja.Value) { _ = o.Set(name, fn) }

	w.cacheNatives(set)
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
	set("randomUUID", func(goja.FunctionCall) goja.Value { return vm.ToValue(randomUUID()) })
	set("fillRandom", func(c goja.FunctionCall) goja.Value {
		_, _ = rand.Read(w.bytesArg(c.Argument(0)))
		return goja.Undefined()
	})
	set("digest", func(c goja.FunctionCall) goja.Value {
		var h hash.Hash
		switch c.Argument(0).String() {
		case "SHA-1":
			h = sha1.New()
		case "SHA-256":
			h = sha256.New()
		case "SHA-384":
			h = sha512.New384()
		case "SHA-512":
			h = sha512.New()
		default:
			panic(w.domException("Unrecognized name.", "NotSupportedError"))
		}
		h.Write(w.bytesArg(c.Argument(1)))
		return w.newUint8Array(h.Sum(nil))
	})
	set("parseMultipart", func(c goja.FunctionCall) goja.Value {
		parts, err := parseMultipart(w.bytesArg(c.Argument(0)), c.Argument(1).String())
		if err != nil {
			panic(vm.NewTypeError("Failed to parse multipart/form-data body: " + err.Error()))
		}
		out := make([]any, len(parts))
		for i, p := range parts {
			obj := vm.NewObject()
			_ = obj.Set("name", p.name)
			if p.isFile {
				_ = obj.Set("filename", p.filename)
			}
			_ = obj.Set("type", p.contentType)
			_ = obj.Set("data", w.newUint8Array(p.data))
			out[i] = obj
		}
		return vm.NewArray(out...)
	})
	set("print", func(c goja.FunctionCall) goja.Value {
		if w.console != nil {
			if msg, ok := consoleLine(w.iso.Scope(), c.Argument(1)); ok {
				w.console(w.iso.Scope(), c.Argument(0).String(), msg)
			}
		}
		return goja.Undefined()
	})
	set("fetch", w.nativeFetch)
	set("respond", w.nativeRespond)
	set("respondStream", w.nativeRespondStream)
	set("streamChunk", w.nativeStreamChunk)
	set("streamEnd", w.nativeStreamEnd)
	set("fail", w.nativeFail)
	set("finished", w.nativeFinished)
	return o
}

func (w *Worker) newUint8Array(b []byte) goja.Value { return w.iso.NewUint8Array(b) }

// bytesArg returns the bytes a Uint8Array (or other view / ArrayBuffer)
// refers to, sharing its memory.
func (w *Worker) bytesArg(v goja.Value) []byte {
	if goja.IsUndefined(v) || goja.IsNull(v) {
		return nil
	}
	if ab, ok := v.Export().(goja.ArrayBuffer); ok {
		return ab.Bytes()
	}
	var b []byte
	if err := w.vm.ExportTo(v, &b); err != nil {
		panic(w.vm.NewTypeError("expected an ArrayBuffer or ArrayBufferView"))
	}
	return b
}

func (w *Worker) domException(msg, name string) goja.Value {
	v, err := w.vm.New(w.vm.Get("DOMException"), w.vm.ToValue(msg), w.vm.ToValue(name))
	if err != nil {
		return w.vm.NewTypeError(msg)
	}
	return v
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

func randomUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const hexdigits = "0123456789abcdef"
	out := make([]byte, 36)
	j := 0
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out[j] = '-'
			j++
		}
		out[j], out[j+1] = hexdigits[c>>4], hexdigits[c&0xf]
		j += 2
	}
	return string(out)
}

type formPart struct {
	name, filename, contentType string
	isFile                      bool
	data                        []byte
}

func parseMultipart(body []byte, boundary string) ([]formPart, error) {
	r := multipart.NewReader(bytes.NewReader(body), boundary)
	var parts []formPart
	for {
		p, err := r.NextRawPart()
		if err == io.EOF {
			return parts, nil
		}
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, err
		}
		_, params, _ := strings.Cut(p.Header.Get("Content-Disposition"), ";")
		fp := formPart{name: p.FormName(), data: data, contentType: p.Header.Get("Content-Type")}
		if strings.Contains(params, "filename") {
			fp.isFile = true
			fp.filename = p.FileName()
		}
		parts = append(parts, fp)
	}
}
