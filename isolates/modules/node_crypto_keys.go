package modules

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"strings"

	"github.com/dop251/goja"

	"edgerun/isolates"
	"edgerun/isolates/cryptokeys"
	"edgerun/isolates/webapi"
)

// cryptoKeyNatives are node:internal/crypto/keys': asymmetric KeyObjects
// over isolates/cryptokeys (shared with Web Crypto), their encodings,
// signatures and generation. A key is a *cryptokeys.Key the KeyObject
// holds in a private field.
func cryptoKeyNatives(r *Registry, set NativeSet) {
	vm := r.vm
	errorNatives(r, set)
	rsaCryptNatives(r, set)
	// cryptoKeyMaterial(v): undefined, or {type, secret} / {type, handle}
	// for a CryptoKey (webapi's bridge; the key's bytes stay in module code).
	set("cryptoKeyMaterial", func(c goja.FunctionCall) goja.Value {
		typ, secret, key, ok := webapi.CryptoKeyMaterial(r.iso, c.Argument(0))
		if !ok {
			return goja.Undefined()
		}
		o := vm.NewObject()
		_ = o.Set("type", typ)
		if key != nil {
			_ = o.Set("handle", key)
		} else {
			_ = o.Set("secret", r.iso.NewUint8Array(secret))
		}
		return o
	})
	// cryptoKeyImport(format, data, algorithm, extractable, usages): a
	// CryptoKey, as subtle.importKey makes it (toCryptoKey).
	set("cryptoKeyImport", func(c goja.FunctionCall) goja.Value {
		k, err := webapi.ImportCryptoKey(r.iso, c.Argument(0).String(), clone(viewArg(vm, c.Argument(1))), c.Argument(2), c.Argument(3), c.Argument(4))
		if err != nil {
			var ex *goja.Exception
			if errors.As(err, &ex) {
				panic(ex.Value())
			}
			panic(r.iso.NewError(err.Error()))
		}
		return k
	})
	fail := func(err error) { panic(r.codedError("Error", "ERR_OSSL_UNSUPPORTED", err.Error())) }
	set("keyParse", func(c goja.FunctionCall) goja.Value {
		data, format, typ, private := viewArg(vm, c.Argument(0)), c.Argument(1).String(), c.Argument(2).String(), c.Argument(3).ToBoolean()
		var k *cryptokeys.Key
		var err error
		switch format {
		case "pem":
			k, err = cryptokeys.ParsePEM(data, private)
		case "der":
			k, err = cryptokeys.ParseDER(data, typ, private)
		case "jwk":
			var probe struct{ Kty, Crv string }
			if err = json.Unmarshal(data, &probe); err == nil {
				kind := map[string]string{"RSA": "RSA", "EC": "EC"}[probe.Kty]
				if probe.Kty == "OKP" {
					kind = probe.Crv
				}
				k, err = cryptokeys.FromJWK(kind, string(data))
			}
			if err == nil && private && k.Priv == nil {
				err = cryptokeys.Error("the JWK holds no private key")
			}
			if err == nil && !private {
				k = k.Public()
			}
		default:
			err = cryptokeys.Error("unsupported key format " + format)
		}
		if err != nil {
			fail(err)
		}
		return vm.ToValue(k)
	})
	set("keyPublic", func(c goja.FunctionCall) goja.Value { return vm.ToValue(r.keyArg(c.Argument(0)).Public()) })
	set("keyExport", func(c goja.FunctionCall) goja.Value {
		k, format, typ := r.keyArg(c.Argument(0)), c.Argument(1).String(), c.Argument(2).String()
		var out []byte
		var err error
		switch format {
		case "pem":
			out, err = k.MarshalPEM(typ)
		case "der":
			out, err = k.MarshalDER(typ)
		case "jwk":
			out, err = json.Marshal(k.JWK())
		}
		if err != nil {
			panic(r.codedError("TypeError", "ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS", err.Error()))
		}
		return r.iso.NewUint8Array(out)
	})
	set("keyInfo", func(c goja.FunctionCall) goja.Value {
		k := r.keyArg(c.Argument(0))
		o := vm.NewObject()
		_ = o.Set("private", k.Priv != nil)
		_ = o.Set("kind", k.Kind)
		switch p := k.Pub.(type) {
		case *rsa.PublicKey:
			_ = o.Set("modulusLength", p.N.BitLen())
			_ = o.Set("publicExponent", p.E)
		case *ecdsa.PublicKey:
			_ = o.Set("namedCurve", p.Curve.Params().Name)
		}
		return o
	})
	set("keyEquals", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(r.keyArg(c.Argument(0)).Equal(r.keyArg(c.Argument(1))))
	})
	opts := func(c goja.FunctionCall, from int) cryptokeys.SignOptions {
		o := cryptokeys.SignOptions{PSS: c.Argument(from).ToBoolean(), P1363: c.Argument(from + 2).ToBoolean()}
		// Node's RSA_PSS_SALTLEN_DIGEST (-1) and _MAX_SIGN/_AUTO (-2) are
		// Go's PSSSaltLengthEqualsHash and PSSSaltLengthAuto.
		switch s := int(c.Argument(from + 1).ToInteger()); s {
		case -1:
			o.SaltLength = rsa.PSSSaltLengthEqualsHash
		case -2:
			o.SaltLength = rsa.PSSSaltLengthAuto
		default:
			o.SaltLength = s
		}
		return o
	}
	set("signHashCheck", func(c goja.FunctionCall) goja.Value {
		r.signHash(c.Argument(0))
		return goja.Undefined()
	})
	set("sign", func(c goja.FunctionCall) goja.Value {
		k, h := r.keyArg(c.Argument(0)), r.signHash(c.Argument(1))
		sig, err := cryptokeys.Sign(k, h, viewArg(vm, c.Argument(2)), opts(c, 3))
		if err != nil {
			fail(err)
		}
		return r.iso.NewUint8Array(sig)
	})
	set("verify", func(c goja.FunctionCall) goja.Value {
		k, h := r.keyArg(c.Argument(0)), r.signHash(c.Argument(1))
		ok, err := cryptokeys.Verify(k, h, viewArg(vm, c.Argument(2)), viewArg(vm, c.Argument(3)), opts(c, 4))
		if err != nil {
			fail(err)
		}
		return vm.ToValue(ok)
	})
	// generate(kind, modulusLength, namedCurve, async): a key, or for
	// async (RSA generation takes long) a promise of one, made off the loop.
	set("generate", func(c goja.FunctionCall) goja.Value {
		kind, bits, curve := c.Argument(0).String(), int(c.Argument(1).ToInteger()), c.Argument(2).String()
		if !c.Argument(3).ToBoolean() {
			k, err := cryptokeys.Generate(kind, bits, curve)
			if err != nil {
				fail(err)
			}
			return vm.ToValue(k)
		}
		return vm.ToValue(r.iso.Async(func(context.Context) func(*goja.Runtime) (goja.Value, error) {
			k, err := cryptokeys.Generate(kind, bits, curve)
			return func(*goja.Runtime) (goja.Value, error) {
				if err != nil {
					return nil, err
				}
				return vm.ToValue(k), nil
			}
		}))
	})
}

func (r *Registry) keyArg(v goja.Value) *cryptokeys.Key {
	k, ok := isolates.Export(v).(*cryptokeys.Key)
	if !ok {
		panic(r.vm.NewTypeError("not a key"))
	}
	return k
}

// signHashes are the digests signatures take, by the names nodeHash
// accepts; "" (null in Node) is none, as Ed25519 needs.
var signHashes = map[string]crypto.Hash{
	"md5": crypto.MD5, "sha1": crypto.SHA1, "sha224": crypto.SHA224, "sha256": crypto.SHA256, "sha384": crypto.SHA384,
	"sha512": crypto.SHA512, "sha512-224": crypto.SHA512_224, "sha512-256": crypto.SHA512_256,
	"sha3-224": crypto.SHA3_224, "sha3-256": crypto.SHA3_256, "sha3-384": crypto.SHA3_384, "sha3-512": crypto.SHA3_512,
}

func (r *Registry) signHash(v goja.Value) crypto.Hash {
	if goja.IsUndefined(v) || goja.IsNull(v) || v.String() == "" {
		return 0
	}
	name := strings.TrimPrefix(strings.ToLower(v.String()), "rsa-")
	if a, ok := nodeHashAliases[name]; ok {
		name = a
	}
	h, ok := signHashes[name]
	if !ok {
		panic(r.codedError("TypeError", "ERR_CRYPTO_INVALID_DIGEST", "Invalid digest: "+v.String()))
	}
	return h
}
