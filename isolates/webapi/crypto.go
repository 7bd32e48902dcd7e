package webapi

import (
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"hash"

	"github.com/dop251/goja"
)

// cryptoNatives are crypto.js's: randomness and digests.
func (w *Worker) cryptoNatives(set nativeSet) {
	vm := w.vm
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
