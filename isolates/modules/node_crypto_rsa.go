package modules

import (
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"math/big"

	"github.com/dop251/goja"
)

// RSA paddings by Node's constants.
const (
	rsaPKCS1Padding = 1
	rsaNoPadding    = 3
	rsaOAEPPadding  = 4
)

// rsaCryptNatives are publicEncrypt/privateDecrypt/privateEncrypt/
// publicDecrypt's (node:internal/crypto/keys):
//
//	rsaCrypt(key, op, padding, oaepHash, oaepLabel, data) the output bytes
//
// op is "publicEncrypt", "privateDecrypt", "privateEncrypt" or
// "publicDecrypt". What Go's crypto/rsa does: OAEP both ways, PKCS#1 v1.5
// encryption, PKCS#1 v1.5 "private encryption" (a signature over the data
// itself). The public operations' raw forms (RSA_NO_PADDING, and
// publicDecrypt's unpadding) are the public exponentiation, which needs no
// secret. Go offers no raw private operation, so RSA_NO_PADDING with a
// private key is refused; privateDecrypt with PKCS#1 v1.5 is refused by
// Node itself (CVE-2023-46809), as here.
func rsaCryptNatives(r *Registry, set NativeSet) {
	vm := r.vm
	set("rsaCrypt", func(c goja.FunctionCall) goja.Value {
		k := r.keyArg(c.Argument(0))
		op, padding := c.Argument(1).String(), int(c.Argument(2).ToInteger())
		data := viewArg(vm, c.Argument(5))
		var pub *rsa.PublicKey
		priv, _ := k.Priv.(*rsa.PrivateKey)
		switch p := k.Pub.(type) {
		case *rsa.PublicKey:
			pub = p
		default:
			panic(r.osslError("03000096", "digital envelope routines", "operation not supported for this keytype"))
		}
		private := op == "privateDecrypt" || op == "privateEncrypt"
		if private && priv == nil {
			panic(r.codedError("TypeError", "ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE", "Invalid key object type public, expected private."))
		}
		size := pub.Size()
		fail := func(hex, reason string) { panic(r.osslError(hex, "rsa routines", reason)) }
		tooLarge := func(err error) {
			if errors.Is(err, rsa.ErrMessageTooLong) {
				fail("0200006E", "data too large for key size")
			}
			panic(r.codedError("Error", "ERR_CRYPTO_OPERATION_FAILED", err.Error()))
		}
		var out []byte
		var err error
		switch {
		case op == "publicEncrypt" && padding == rsaOAEPPadding:
			h := nodeHash(c.Argument(3).String())
			if h == nil {
				panic(r.codedError("Error", "ERR_OSSL_EVP_INVALID_DIGEST", "Invalid digest used"))
			}
			if out, err = rsa.EncryptOAEP(h(), rand.Reader, pub, data, labelArg(vm, c.Argument(4))); err != nil {
				tooLarge(err)
			}
		case op == "publicEncrypt" && padding == rsaPKCS1Padding:
			//lint:ignore SA1019 Node offers it; decryption is refused (above)
			if out, err = rsa.EncryptPKCS1v15(rand.Reader, pub, data); err != nil {
				tooLarge(err)
			}
		case op == "privateDecrypt" && padding == rsaOAEPPadding:
			h := nodeHash(c.Argument(3).String())
			if h == nil {
				panic(r.codedError("Error", "ERR_OSSL_EVP_INVALID_DIGEST", "Invalid digest used"))
			}
			if out, err = rsa.DecryptOAEP(h(), nil, priv, data, labelArg(vm, c.Argument(4))); err != nil {
				fail("02000079", "oaep decoding error")
			}
		case op == "privateEncrypt" && padding == rsaPKCS1Padding:
			if out, err = rsa.SignPKCS1v15(nil, priv, 0, data); err != nil {
				tooLarge(err)
			}
		case (op == "publicEncrypt" || op == "publicDecrypt") && padding == rsaNoPadding,
			op == "publicDecrypt" && padding == rsaPKCS1Padding:
			if len(data) > size {
				if op == "publicDecrypt" {
					fail("0200006C", "data greater than mod len")
				}
				fail("0200006E", "data too large for key size")
			}
			if len(data) < size && op == "publicEncrypt" {
				fail("0200007A", "data too small for key size")
			}
			m := new(big.Int).SetBytes(data)
			if m.Cmp(pub.N) >= 0 {
				fail("02000084", "data too large for modulus")
			}
			out = m.Exp(m, big.NewInt(int64(pub.E)), pub.N).FillBytes(make([]byte, size))
			if padding == rsaPKCS1Padding {
				out = unpadType1(out, fail)
			}
		case private && padding == rsaNoPadding:
			panic(r.codedError("Error", "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM", "RSA_NO_PADDING is not supported with a private key"))
		case op == "privateEncrypt" || op == "publicDecrypt":
			panic(r.osslError("1C8000A5", "Provider routines", "illegal or unsupported padding mode"))
		default:
			fail("02000076", "unknown padding type")
		}
		return r.iso.NewUint8Array(out)
	})
}

func labelArg(vm *goja.Runtime, v goja.Value) []byte {
	if goja.IsUndefined(v) || goja.IsNull(v) {
		return nil
	}
	return clone(viewArg(vm, v))
}

// unpadType1 strips PKCS#1 v1.5's signature padding (00 01 FF… 00), as
// OpenSSL's publicDecrypt does.
func unpadType1(em []byte, fail func(hex, reason string)) []byte {
	if len(em) < 11 || em[0] != 0 || em[1] != 1 {
		fail("0200006A", "block type is not 01")
	}
	i := 2
	for i < len(em) && em[i] == 0xff {
		i++
	}
	if i == len(em) || em[i] != 0 {
		fail("02000071", "null before block missing")
	}
	if i-2 < 8 {
		fail("02000067", "bad pad byte count")
	}
	return em[i+1:]
}
