package modules

import (
	"context"
	"crypto/hkdf"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/subtle"

	"github.com/dop251/goja"
	"golang.org/x/crypto/scrypt"
)

// cryptoNatives are node:crypto's own (hashes are node_crypto_hash.go's,
// ciphers node_crypto_cipher.go's): the key derivations (pbkdf2, scrypt,
// hkdf), randomness. Costly derivations run
// off the loop when the script asked for a callback, so the isolate's
// other requests keep running.
func cryptoNatives(r *Registry, set NativeSet) {
	vm := r.vm
	errorNatives(r, set)
	set("hashSize", func(c goja.FunctionCall) goja.Value {
		h := nodeHash(c.Argument(0).String())
		if h == nil {
			return goja.Null()
		}
		return vm.ToValue(h().Size())
	})
	set("fillRandom", func(c goja.FunctionCall) goja.Value {
		_, _ = rand.Read(viewArg(vm, c.Argument(0)))
		return goja.Undefined()
	})
	set("timingSafeEqual", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(subtle.ConstantTimeCompare(viewArg(vm, c.Argument(0)), viewArg(vm, c.Argument(1))) == 1)
	})
	set("pbkdf2", func(c goja.FunctionCall) goja.Value {
		h := nodeHash(c.Argument(4).String())
		pw, salt := string(viewArg(vm, c.Argument(0))), clone(viewArg(vm, c.Argument(1)))
		iter, n := int(c.Argument(2).ToInteger()), int(c.Argument(3).ToInteger())
		if h == nil || iter < 1 || iter > maxPbkdf2Iterations {
			panic(r.vm.NewTypeError("pbkdf2: bad digest or iteration count"))
		}
		return r.derive(c.Argument(5).ToBoolean(), n, func() ([]byte, error) { return pbkdf2.Key(h, pw, salt, iter, n) })
	})
	set("scrypt", func(c goja.FunctionCall) goja.Value {
		pw, salt := clone(viewArg(vm, c.Argument(0))), clone(viewArg(vm, c.Argument(1)))
		n, N, rr, p := int(c.Argument(2).ToInteger()), int(c.Argument(3).ToInteger()), int(c.Argument(4).ToInteger()), int(c.Argument(5).ToInteger())
		if rr < 1 || p < 1 || N < 2 || 128*N*rr > maxScryptMem || rr*p >= 1<<30 {
			panic(r.codedError("RangeError", "ERR_CRYPTO_INVALID_SCRYPT_PARAMS", "Invalid scrypt params"))
		}
		return r.derive(c.Argument(6).ToBoolean(), n, func() ([]byte, error) { return scrypt.Key(pw, salt, N, rr, p, n) })
	})
	set("hkdf", func(c goja.FunctionCall) goja.Value {
		h := nodeHash(c.Argument(0).String())
		if h == nil {
			panic(r.vm.NewTypeError("hkdf: bad digest"))
		}
		ikm, salt, info := clone(viewArg(vm, c.Argument(1))), clone(viewArg(vm, c.Argument(2))), string(viewArg(vm, c.Argument(3)))
		n := int(c.Argument(4).ToInteger())
		return r.derive(c.Argument(5).ToBoolean(), n, func() ([]byte, error) { return hkdf.Key(h, ikm, salt, info, n) })
	})
}

// maxPbkdf2Iterations is Workers' limit; maxScryptMem bounds scrypt's
// 128·N·r bytes (crypto.js applies both with Node's errors; these guard Go).
const (
	maxPbkdf2Iterations = 100000
	maxScryptMem        = 128 << 20
)

// maxDerived bounds what one derivation allocates (the JavaScript side has
// checked Node's limits; this guards Go).
const maxDerived = 64 << 20

// derive runs a key derivation: now, returning its bytes, or (async) off
// the loop, returning a promise of them.
func (r *Registry) derive(async bool, n int, run func() ([]byte, error)) goja.Value {
	if n < 0 || n > maxDerived {
		panic(r.codedError("RangeError", "ERR_CRYPTO_INVALID_KEYLEN", "Invalid key length"))
	}
	if n == 0 { // Node gives an empty key; Go's derivations refuse a zero length
		run = func() ([]byte, error) { return []byte{}, nil }
	}
	if !async {
		out, err := run()
		if err != nil {
			panic(r.codedError("Error", "ERR_CRYPTO_OPERATION_FAILED", err.Error()))
		}
		return r.iso.NewUint8Array(out)
	}
	return r.vm.ToValue(r.iso.Async(func(context.Context) func(*goja.Runtime) (goja.Value, error) {
		out, err := run()
		return func(*goja.Runtime) (goja.Value, error) {
			if err != nil {
				return nil, err
			}
			return r.iso.NewUint8Array(out), nil
		}
	}))
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }
