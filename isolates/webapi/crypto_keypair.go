package webapi

import (
	"context"
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"math/big"

	"github.com/dop251/goja"

	"edgerun/isolates"
	"edgerun/isolates/cryptokeys"
)

// keyPair is the Go side of an asymmetric CryptoKey (isolates/cryptokeys,
// shared with node:crypto's KeyObjects): the JavaScript CryptoKey holds it
// in a private field, so a script never reaches it.
type keyPair = cryptokeys.Key

const rsaMaxBits = cryptokeys.RSAMaxBits

// keyPairNatives are the key-pair algorithms of crypto-subtle.js: RSA
// (PKCS1-v1_5, PSS, OAEP), ECDSA and ECDH on P-256/384/521, Ed25519 and
// X25519.
func (w *Worker) keyPairNatives(set nativeSet) {
	set("subtleKeyGenerate", w.nativeKeyGenerate)
	set("subtleKeyImport", w.nativeKeyImport)
	set("subtleKeyExport", w.nativeKeyExport)
	set("subtleKeyInfo", w.nativeKeyInfo)
	set("subtleKeySign", w.nativeKeySign)
	set("subtleKeyVerify", w.nativeKeyVerify)
	set("subtleKeyOaep", w.nativeKeyOaep)
	set("subtleKeyDerive", w.nativeKeyDerive)
}

func (w *Worker) keyArg(v goja.Value) *keyPair {
	k, ok := isolates.Export(v).(*keyPair)
	if !ok {
		panic(w.vm.NewTypeError("not a key"))
	}
	return k
}

func (w *Worker) curveArg(v goja.Value) elliptic.Curve {
	c := cryptokeys.CurveOf(v.String())
	if c == nil {
		panic(w.domException("Unrecognized or unimplemented EC curve \""+v.String()+"\" requested.", "NotSupportedError"))
	}
	return c
}

// nativeKeyGenerate(kind, curve | modulusLength, publicExponent) is
// [private, public] handles; for RSA a promise of them (key generation
// takes tens of milliseconds or more, so it runs off the loop).
func (w *Worker) nativeKeyGenerate(c goja.FunctionCall) goja.Value {
	pair := func(k *keyPair) goja.Value {
		pub := &keyPair{Kind: k.Kind, Pub: k.Pub}
		return w.vm.NewArray(w.vm.ToValue(k), w.vm.ToValue(pub))
	}
	switch kind := c.Argument(0).String(); kind {
	case "EC":
		priv, err := ecdsa.GenerateKey(w.curveArg(c.Argument(1)), rand.Reader)
		if err != nil {
			panic(w.domException(err.Error(), "OperationError"))
		}
		return pair(&keyPair{Kind: kind, Priv: priv, Pub: &priv.PublicKey})
	case "Ed25519":
		pub, priv, _ := ed25519.GenerateKey(rand.Reader)
		return pair(&keyPair{Kind: kind, Priv: priv, Pub: pub})
	case "X25519":
		priv, err := ecdh.X25519().GenerateKey(rand.Reader)
		if err != nil {
			panic(w.domException(err.Error(), "OperationError"))
		}
		return pair(&keyPair{Kind: kind, Priv: priv, Pub: priv.PublicKey()})
	case "RSA":
		bits := c.Argument(1).ToInteger()
		if bits < 256 || bits > rsaMaxBits || bits%8 != 0 {
			panic(w.domException("The modulus length must be a multiple of 8 and between 256 and 16384, but "+c.Argument(1).String()+" was requested.", "OperationError"))
		}
		if e := new(big.Int).SetBytes(w.bytesArg(c.Argument(2))); !e.IsInt64() || e.Int64() != 65537 {
			// Go generates keys with e = 65537 only.
			panic(w.domException("The \"publicExponent\" must be 65537, but "+e.String()+" was requested.", "OperationError"))
		}
		return w.vm.ToValue(w.iso.Async(func(context.Context) func(*goja.Runtime) (goja.Value, error) {
			priv, err := rsa.GenerateKey(rand.Reader, int(bits))
			return func(*goja.Runtime) (goja.Value, error) {
				if err != nil {
					return nil, &domError{msg: "RSA key generation failed: " + err.Error(), name: "OperationError", w: w}
				}
				return pair(&keyPair{Kind: "RSA", Priv: priv, Pub: &priv.PublicKey}), nil
			}
		}))
	}
	panic(w.domException("Unrecognized key kind", "NotSupportedError"))
}

// nativeKeyImport(kind, format, data, curve) is a handle for the key in
// data: "spki" and "pkcs8" DER bytes, "raw" bytes (public keys of EC,
// Ed25519, X25519), or "jwk" as JSON text.
func (w *Worker) nativeKeyImport(c goja.FunctionCall) goja.Value {
	kind, format := c.Argument(0).String(), c.Argument(1).String()
	bad := func(msg string) { panic(w.domException(msg, "DataError")) }
	var k *keyPair
	var err error
	switch format {
	case "spki":
		var pub any
		pub, err = x509.ParsePKIXPublicKey(w.bytesArg(c.Argument(2)))
		if err != nil {
			bad("Invalid SPKI input: " + err.Error())
		}
		k = &keyPair{Pub: pub}
	case "pkcs8":
		var priv any
		priv, err = x509.ParsePKCS8PrivateKey(w.bytesArg(c.Argument(2)))
		if err != nil {
			bad("Invalid PKCS8 input: " + err.Error())
		}
		switch p := priv.(type) {
		case crypto.Signer:
			k = &keyPair{Priv: priv, Pub: p.Public()}
		case *ecdh.PrivateKey: // X25519 is no crypto.Signer
			k = &keyPair{Priv: priv, Pub: p.PublicKey()}
		default:
			bad("Unsupported PKCS8 key")
		}
	case "raw":
		k, err = cryptokeys.RawPublic(kind, c.Argument(3).String(), w.bytesArg(c.Argument(2)))
	case "jwk":
		k, err = cryptokeys.FromJWK(kind, c.Argument(2).String())
	default:
		panic(w.domException("Unrecognized key import format \""+format+"\"", "NotSupportedError"))
	}
	if err != nil {
		bad(err.Error())
	}
	if k.Kind = cryptokeys.KindOf(k.Pub); k.Kind != kind {
		bad("The key is not of the algorithm's type")
	}
	if kind == "EC" && k.Pub.(*ecdsa.PublicKey).Curve != w.curveArg(c.Argument(3)) {
		bad("The key's curve does not match the requested namedCurve")
	}
	return w.vm.ToValue(k)
}

// nativeKeyExport(handle, format) is the key as "spki"/"pkcs8"/"raw"
// bytes, or "jwk" JSON text.
func (w *Worker) nativeKeyExport(c goja.FunctionCall) goja.Value {
	k := w.keyArg(c.Argument(0))
	fail := func(msg string) { panic(w.domException(msg, "InvalidAccessError")) }
	var out []byte
	var err error
	switch format := c.Argument(1).String(); format {
	case "spki":
		if k.Priv != nil {
			fail("Only public keys can be exported as spki")
		}
		out, err = x509.MarshalPKIXPublicKey(k.Pub)
	case "pkcs8":
		if k.Priv == nil {
			fail("Only private keys can be exported as pkcs8")
		}
		out, err = x509.MarshalPKCS8PrivateKey(k.Priv)
	case "raw":
		if k.Priv != nil || k.Kind == "RSA" {
			fail("Only public EC, Ed25519 and X25519 keys can be exported as raw")
		}
		switch p := k.Pub.(type) {
		case *ecdsa.PublicKey:
			out, err = p.Bytes()
		case ed25519.PublicKey:
			out = append([]byte(nil), p...)
		case *ecdh.PublicKey:
			out = p.Bytes()
		}
	case "jwk":
		text, err := json.Marshal(k.JWK())
		if err != nil {
			panic(w.domException(err.Error(), "OperationError"))
		}
		return w.vm.ToValue(string(text))
	default:
		panic(w.domException("Unrecognized key export format \""+format+"\"", "NotSupportedError"))
	}
	if err != nil {
		panic(w.domException(err.Error(), "OperationError"))
	}
	return w.newUint8Array(out)
}

// nativeKeyInfo(handle) is what the CryptoKey's algorithm shows:
// {private, modulusLength, publicExponent, namedCurve}.
func (w *Worker) nativeKeyInfo(c goja.FunctionCall) goja.Value {
	k := w.keyArg(c.Argument(0))
	o := w.vm.NewObject()
	_ = o.Set("private", k.Priv != nil)
	switch p := k.Pub.(type) {
	case *rsa.PublicKey:
		_ = o.Set("modulusLength", p.N.BitLen())
		_ = o.Set("publicExponent", w.newUint8Array(big.NewInt(int64(p.E)).Bytes()))
	case *ecdsa.PublicKey:
		_ = o.Set("namedCurve", p.Curve.Params().Name)
	}
	return o
}

var cryptoHashes = map[string]crypto.Hash{"SHA-1": crypto.SHA1, "SHA-256": crypto.SHA256, "SHA-384": crypto.SHA384, "SHA-512": crypto.SHA512}

func (w *Worker) cryptoHashArg(v goja.Value) crypto.Hash {
	h, ok := cryptoHashes[v.String()]
	if !ok {
		panic(w.domException("Unrecognized hash algorithm name", "NotSupportedError"))
	}
	return h
}

// nativeKeySign(algorithm, hash, handle, data, saltLength) is the
// signature: PKCS#1 v1.5, PSS, ECDSA as r‖s (IEEE P1363, as Web Crypto
// has it, not DER) or Ed25519.
func (w *Worker) nativeKeySign(c goja.FunctionCall) goja.Value {
	alg, k, data := c.Argument(0).String(), w.keyArg(c.Argument(2)), w.bytesArg(c.Argument(3))
	if k.Priv == nil || k.Kind == "X25519" {
		panic(w.domException("The key cannot sign", "InvalidAccessError"))
	}
	o := cryptokeys.SignOptions{PSS: alg == "RSA-PSS", P1363: true}
	if o.PSS {
		if o.SaltLength = int(c.Argument(4).ToInteger()); o.SaltLength <= 0 { // Go reads 0 as "as long as fits"
			panic(w.domException("RSA-PSS saltLength must be positive", "OperationError"))
		}
	}
	sig, err := cryptokeys.Sign(k, w.signHash(k, c.Argument(1)), data, o)
	if err != nil {
		panic(w.domException("Signing failed: "+err.Error(), "OperationError"))
	}
	return w.newUint8Array(sig)
}

// signHash is the digest an RSA or ECDSA signature is over (Ed25519 has
// none).
func (w *Worker) signHash(k *keyPair, name goja.Value) crypto.Hash {
	if k.Kind == "RSA" || k.Kind == "EC" {
		return w.cryptoHashArg(name)
	}
	return 0
}

// nativeKeyVerify(algorithm, hash, handle, signature, data, saltLength).
func (w *Worker) nativeKeyVerify(c goja.FunctionCall) goja.Value {
	alg, k := c.Argument(0).String(), w.keyArg(c.Argument(2))
	sig, data := w.bytesArg(c.Argument(3)), w.bytesArg(c.Argument(4))
	if k.Kind == "X25519" {
		panic(w.domException("The key cannot verify", "InvalidAccessError"))
	}
	o := cryptokeys.SignOptions{PSS: alg == "RSA-PSS", SaltLength: int(c.Argument(5).ToInteger()), P1363: true}
	ok, err := cryptokeys.Verify(k, w.signHash(k, c.Argument(1)), data, sig, o)
	if err != nil {
		panic(w.domException(err.Error(), "InvalidAccessError"))
	}
	return w.vm.ToValue(ok)
}

// nativeKeyOaep(encrypt, hash, handle, data, label) is RSA-OAEP.
func (w *Worker) nativeKeyOaep(c goja.FunctionCall) goja.Value {
	h := w.cryptoHashArg(c.Argument(1))
	k := w.keyArg(c.Argument(2))
	data, label := w.bytesArg(c.Argument(3)), w.bytesArg(c.Argument(4))
	var out []byte
	var err error
	if c.Argument(0).ToBoolean() {
		pub, ok := k.Pub.(*rsa.PublicKey)
		if !ok || k.Priv != nil {
			panic(w.domException("RSA-OAEP encryption needs a public key", "InvalidAccessError"))
		}
		out, err = rsa.EncryptOAEP(h.New(), rand.Reader, pub, data, label)
	} else {
		priv, ok := k.Priv.(*rsa.PrivateKey)
		if !ok {
			panic(w.domException("RSA-OAEP decryption needs a private key", "InvalidAccessError"))
		}
		out, err = rsa.DecryptOAEP(h.New(), nil, priv, data, label)
	}
	if err != nil {
		panic(w.domException("RSA-OAEP failed: "+err.Error(), "OperationError"))
	}
	return w.newUint8Array(out)
}

// nativeKeyDerive(private, public) is the ECDH or X25519 shared secret.
func (w *Worker) nativeKeyDerive(c goja.FunctionCall) goja.Value {
	k, other := w.keyArg(c.Argument(0)), w.keyArg(c.Argument(1))
	var priv *ecdh.PrivateKey
	var pub *ecdh.PublicKey
	var err error
	switch p := k.Priv.(type) {
	case *ecdsa.PrivateKey:
		priv, err = p.ECDH()
		if op, ok := other.Pub.(*ecdsa.PublicKey); ok && err == nil {
			pub, err = op.ECDH()
		}
	case *ecdh.PrivateKey:
		priv = p
		pub, _ = other.Pub.(*ecdh.PublicKey)
	}
	if err != nil || priv == nil || pub == nil || pub.Curve() != priv.Curve() {
		panic(w.domException("The keys are not of the same curve", "InvalidAccessError"))
	}
	secret, err := priv.ECDH(pub)
	if err != nil {
		panic(w.domException("Key derivation failed: "+err.Error(), "OperationError"))
	}
	return w.newUint8Array(secret)
}
