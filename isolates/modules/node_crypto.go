package modules

import (
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/md5"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"crypto/subtle"
	"hash"
	"strings"

	"github.com/dop251/goja"
	"golang.org/x/crypto/scrypt"
)

// cryptoNatives are node:crypto's: hashes and HMACs as Go hash states the
// JavaScript Hash and Hmac objects hold (in a private field), the key
// derivations (pbkdf2, scrypt, hkdf), randomness. Costly derivations run
// off the loop when the script asked for a callback, so the isolate's
// other requests keep running.
func cryptoNatives(r *Registry, set NativeSet) {
	vm := r.vm
	errorNatives(r, set)
	set("hashNew", func(c goja.FunctionCall) goja.Value {
		h := nodeHash(c.Argument(0).String())
		if h == nil {
			return goja.Null()
		}
		return vm.ToValue(&hashState{h: h()})
	})
	set("hmacNew", func(c goja.FunctionCall) goja.Value {
		h := nodeHash(c.Argument(0).String())
		if h == nil {
			return goja.Null()
		}
		return vm.ToValue(&hashState{h: hmac.New(h, viewArg(vm, c.Argument(1)))})
	})
	set("hashUpdate", func(c goja.FunctionCall) goja.Value {
		r.hashArg(c.Argument(0)).h.Write(viewArg(vm, c.Argument(1)))
		return goja.Undefined()
	})
	set("hashDigest", func(c goja.FunctionCall) goja.Value {
		return r.iso.NewUint8Array(r.hashArg(c.Argument(0)).h.Sum(nil))
	})
	set("hashCopy", func(c goja.FunctionCall) goja.Value {
		cl, ok := r.hashArg(c.Argument(0)).h.(hash.Cloner)
		if !ok {
			panic(r.codedError("Error", "ERR_CRYPTO_HASH_FINALIZED", "this hash cannot be copied"))
		}
		h, err := cl.Clone()
		if err != nil {
			panic(r.iso.NewError(err.Error()))
		}
		return vm.ToValue(&hashState{h: h})
	})
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

// hashState is a Hash's or Hmac's Go side; its fields are unexported, so
// goja's wrapper shows a script nothing even if it leaked.
type hashState struct{ h hash.Hash }

func (r *Registry) hashArg(v goja.Value) *hashState {
	s, ok := v.Export().(*hashState)
	if !ok {
		panic(r.vm.NewTypeError("not a hash"))
	}
	return s
}

// nodeHashes are the digests createHash, createHmac, pbkdf2 and hkdf
// accept, by OpenSSL's names as Node matches them (case-insensitively, with
// the RSA- aliases).
var nodeHashes = map[string]func() hash.Hash{
	"md5":        md5.New,
	"sha1":       sha1.New,
	"sha224":     sha256.New224,
	"sha256":     sha256.New,
	"sha384":     sha512.New384,
	"sha512":     sha512.New,
	"sha512-224": sha512.New512_224,
	"sha512-256": sha512.New512_256,
	"sha3-224":   func() hash.Hash { return sha3.New224() },
	"sha3-256":   func() hash.Hash { return sha3.New256() },
	"sha3-384":   func() hash.Hash { return sha3.New384() },
	"sha3-512":   func() hash.Hash { return sha3.New512() },
}

// nodeHashAliases are other names OpenSSL gives the same digests.
var nodeHashAliases = map[string]string{
	"sha-1": "sha1", "sha-224": "sha224", "sha-256": "sha256", "sha-384": "sha384", "sha-512": "sha512",
	"sha512/224": "sha512-224", "sha512/256": "sha512-256", "sha-512/224": "sha512-224", "sha-512/256": "sha512-256",
	"ssl3-md5": "md5", "ssl3-sha1": "sha1",
}

func nodeHash(name string) func() hash.Hash {
	name = strings.ToLower(name)
	name = strings.TrimPrefix(name, "rsa-")
	if a, ok := nodeHashAliases[name]; ok {
		name = a
	}
	return nodeHashes[name]
}
