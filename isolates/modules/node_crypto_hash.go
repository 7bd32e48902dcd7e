package modules

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"hash"
	"strings"

	"github.com/dop251/goja"

	"edgerun/isolates"
)

// hashNatives are node:internal/crypto/hash's: Hash and Hmac states as Go
// values the JavaScript objects hold in a private field.
//
//	hashNew(name, outputLength) a state, or null for an unknown digest
//	hmacNew(name, key)          a state, or null for an unknown digest
//	hashUpdate(state, bytes)
//	hashDigest(state)           the digest (see hashState for repeats)
//	hashCopy(state)
func hashNatives(r *Registry, set NativeSet) {
	vm := r.vm
	errorNatives(r, set)
	set("hashNew", func(c goja.FunctionCall) goja.Value {
		name := c.Argument(0).String()
		outLen := -1
		if v := c.Argument(1); !goja.IsUndefined(v) {
			outLen = int(v.ToInteger())
		}
		if x := nodeXOF(name); x != nil {
			if outLen < 0 {
				outLen = x.size
			}
			if outLen > maxDerived {
				panic(r.codedError("RangeError", "ERR_OUT_OF_RANGE", "outputLength is too large"))
			}
			return vm.ToValue(&hashState{x: x.new(), size: outLen})
		}
		h := nodeHash(name)
		if h == nil {
			return goja.Null()
		}
		s := &hashState{h: h()}
		if outLen >= 0 && outLen != s.h.Size() {
			panic(r.codedError("Error", "ERR_OSSL_EVP_NOT_XOF_OR_INVALID_LENGTH", "error:030000B2:digital envelope routines::not XOF or invalid length"))
		}
		return vm.ToValue(s)
	})
	set("hmacNew", func(c goja.FunctionCall) goja.Value {
		h := nodeHash(c.Argument(0).String())
		if h == nil {
			return goja.Null()
		}
		return vm.ToValue(&hashState{h: hmac.New(h, viewArg(vm, c.Argument(1))), hmac: true})
	})
	set("hashUpdate", func(c goja.FunctionCall) goja.Value {
		s := r.hashArg(c.Argument(0))
		switch {
		case s.sum != nil:
		case s.x != nil:
			s.x.Write(viewArg(vm, c.Argument(1)))
		default:
			s.h.Write(viewArg(vm, c.Argument(1)))
		}
		return goja.Undefined()
	})
	set("hashDigest", func(c goja.FunctionCall) goja.Value {
		s := r.hashArg(c.Argument(0))
		if s.sum != nil {
			if s.hmac {
				return r.iso.NewUint8Array(nil)
			}
			return r.iso.NewUint8Array(s.sum)
		}
		if s.x != nil {
			s.sum = make([]byte, s.size)
			_, _ = s.x.Read(s.sum)
		} else {
			s.sum = s.h.Sum(nil)
		}
		return r.iso.NewUint8Array(s.sum)
	})
	set("hashCopy", func(c goja.FunctionCall) goja.Value {
		s := r.hashArg(c.Argument(0))
		cp := &hashState{size: s.size, hmac: s.hmac}
		if s.x != nil {
			b, err := s.x.MarshalBinary()
			cp.x = new(sha3.SHAKE)
			if err == nil {
				err = cp.x.UnmarshalBinary(b)
			}
			if err != nil {
				panic(r.iso.NewError(err.Error()))
			}
			return vm.ToValue(cp)
		}
		switch h := s.h.(type) {
		case hash.Cloner:
			h2, err := h.Clone()
			if err != nil {
				panic(r.iso.NewError(err.Error()))
			}
			cp.h = h2
		default:
			panic(r.codedError("Error", "ERR_CRYPTO_HASH_FINALIZED", "this hash cannot be copied"))
		}
		return vm.ToValue(cp)
	})
}

// hashState is a Hash's or Hmac's Go side; its fields are unexported, so
// goja's wrapper shows a script nothing even if it leaked. Once digested
// (by digest() or at the end of the stream) it keeps the digest and
// ignores updates, as Node's does: a Hash's digest() after its stream
// ended is that digest; an Hmac's is empty.
type hashState struct {
	h    hash.Hash
	x    *sha3.SHAKE // instead of h for shake128/256
	size int         // x's output length
	sum  []byte      // the digest, once taken
	hmac bool
}

func (r *Registry) hashArg(v goja.Value) *hashState {
	s, ok := isolates.Export(v).(*hashState)
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

// xof is an extendable-output function createHash takes (SHAKE), with
// OpenSSL's default output length.
type xof struct {
	new  func() *sha3.SHAKE
	size int
}

func nodeXOF(name string) *xof {
	switch strings.ToLower(name) {
	case "shake128":
		return &xof{sha3.NewSHAKE128, 16}
	case "shake256":
		return &xof{sha3.NewSHAKE256, 32}
	}
	return nil
}
