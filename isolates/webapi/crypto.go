package webapi

import (
	"crypto/rand"

	"github.com/dop251/goja"
)

// cryptoNatives are crypto.js's: randomness (crypto-subtle.js fills
// generated keys with fillRandom too).
func (w *Worker) cryptoNatives(set nativeSet) {
	vm := w.vm
	set("randomUUID", func(goja.FunctionCall) goja.Value { return vm.ToValue(randomUUID()) })
	set("fillRandom", func(c goja.FunctionCall) goja.Value {
		_, _ = rand.Read(w.bytesArg(c.Argument(0)))
		return goja.Undefined()
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
