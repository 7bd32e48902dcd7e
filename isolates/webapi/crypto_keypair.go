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
)

// keyPair is the Go side of an asymmetric CryptoKey: the JavaScript
// CryptoKey holds it in a private field, so a script never reaches it
// (goja wraps the pointer; its fields are unexported, so the wrapper shows
// nothing even if it leaked).
type keyPair struct {
	kind string // "RSA", "EC", "Ed25519", "X25519"
	priv any    // *rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey, *ecdh.PrivateKey; nil for a public key
	pub  any    // *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey, *ecdh.PublicKey
}

// rsaMaxBits bounds RSA keys a script generates (workerd's limit): a
// 16384-bit key takes seconds of CPU, off the loop.
const rsaMaxBits = 16384

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
	k, ok := v.Export().(*keyPair)
	if !ok {
		panic(w.vm.NewTypeError("not a key"))
	}
	return k
}

func curveOf(name string) elliptic.Curve {
	switch name {
	case "P-256":
		return elliptic.P256()
	case "P-384":
		return elliptic.P384()
	case "P-521":
		return elliptic.P521()
	}
	return nil
}

func (w *Worker) curveArg(v goja.Value) elliptic.Curve {
	c := curveOf(v.String())
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
		pub := &keyPair{kind: k.kind, pub: k.pub}
		return w.vm.NewArray(w.vm.ToValue(k), w.vm.ToValue(pub))
	}
	switch kind := c.Argument(0).String(); kind {
	case "EC":
		priv, err := ecdsa.GenerateKey(w.curveArg(c.Argument(1)), rand.Reader)
		if err != nil {
			panic(w.domException(err.Error(), "OperationError"))
		}
		return pair(&keyPair{kind: kind, priv: priv, pub: &priv.PublicKey})
	case "Ed25519":
		pub, priv, _ := ed25519.GenerateKey(rand.Reader)
		return pair(&keyPair{kind: kind, priv: priv, pub: pub})
	case "X25519":
		priv, err := ecdh.X25519().GenerateKey(rand.Reader)
		if err != nil {
			panic(w.domException(err.Error(), "OperationError"))
		}
		return pair(&keyPair{kind: kind, priv: priv, pub: priv.PublicKey()})
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
				return pair(&keyPair{kind: "RSA", priv: priv, pub: &priv.PublicKey}), nil
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
		k = &keyPair{pub: pub}
	case "pkcs8":
		var priv any
		priv, err = x509.ParsePKCS8PrivateKey(w.bytesArg(c.Argument(2)))
		if err != nil {
			bad("Invalid PKCS8 input: " + err.Error())
		}
		switch p := priv.(type) {
		case crypto.Signer:
			k = &keyPair{priv: priv, pub: p.Public()}
		case *ecdh.PrivateKey: // X25519 is no crypto.Signer
			k = &keyPair{priv: priv, pub: p.PublicKey()}
		default:
			bad("Unsupported PKCS8 key")
		}
	case "raw":
		k, err = rawPublicKey(kind, c.Argument(3).String(), w.bytesArg(c.Argument(2)))
	case "jwk":
		k, err = jwkKey(kind, c.Argument(2).String())
	default:
		panic(w.domException("Unrecognized key import format \""+format+"\"", "NotSupportedError"))
	}
	if err != nil {
		bad(err.Error())
	}
	if k.kind = kindOf(k.pub); k.kind != kind {
		bad("The key is not of the algorithm's type")
	}
	if kind == "EC" && k.pub.(*ecdsa.PublicKey).Curve != w.curveArg(c.Argument(3)) {
		bad("The key's curve does not match the requested namedCurve")
	}
	return w.vm.ToValue(k)
}

func kindOf(pub any) string {
	switch p := pub.(type) {
	case *rsa.PublicKey:
		return "RSA"
	case *ecdsa.PublicKey:
		return "EC"
	case ed25519.PublicKey:
		return "Ed25519"
	case *ecdh.PublicKey:
		if p.Curve() == ecdh.X25519() {
			return "X25519"
		}
	}
	return ""
}

func rawPublicKey(kind, curve string, data []byte) (*keyPair, error) {
	switch kind {
	case "EC":
		cv := curveOf(curve)
		if cv == nil {
			return nil, constError("unknown curve")
		}
		if len(data) > 0 && data[0] != 4 {
			x, y := elliptic.UnmarshalCompressed(cv, data)
			if x == nil {
				return nil, constError("Invalid EC public key")
			}
			return &keyPair{pub: &ecdsa.PublicKey{Curve: cv, X: x, Y: y}}, nil
		}
		pub, err := ecdsa.ParseUncompressedPublicKey(cv, data)
		if err != nil {
			return nil, constError("Invalid EC public key")
		}
		return &keyPair{pub: pub}, nil
	case "Ed25519":
		if len(data) != ed25519.PublicKeySize {
			return nil, constError("Ed25519 raw keys must be exactly 32 bytes")
		}
		return &keyPair{pub: ed25519.PublicKey(append([]byte(nil), data...))}, nil
	case "X25519":
		pub, err := ecdh.X25519().NewPublicKey(data)
		if err != nil {
			return nil, constError("X25519 raw keys must be exactly 32 bytes")
		}
		return &keyPair{pub: pub}, nil
	}
	return nil, constError("raw import is not supported for RSA keys")
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
		if k.priv != nil {
			fail("Only public keys can be exported as spki")
		}
		out, err = x509.MarshalPKIXPublicKey(k.pub)
	case "pkcs8":
		if k.priv == nil {
			fail("Only private keys can be exported as pkcs8")
		}
		out, err = x509.MarshalPKCS8PrivateKey(k.priv)
	case "raw":
		if k.priv != nil || k.kind == "RSA" {
			fail("Only public EC, Ed25519 and X25519 keys can be exported as raw")
		}
		switch p := k.pub.(type) {
		case *ecdsa.PublicKey:
			out, err = p.Bytes()
		case ed25519.PublicKey:
			out = append([]byte(nil), p...)
		case *ecdh.PublicKey:
			out = p.Bytes()
		}
	case "jwk":
		text, err := json.Marshal(k.jwk())
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
	_ = o.Set("private", k.priv != nil)
	switch p := k.pub.(type) {
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

func digestOf(h crypto.Hash, data []byte) []byte {
	d := h.New()
	d.Write(data)
	return d.Sum(nil)
}

// nativeKeySign(algorithm, hash, handle, data, saltLength) is the
// signature: PKCS#1 v1.5, PSS, ECDSA as r‖s (IEEE P1363, as Web Crypto
// has it, not DER) or Ed25519.
func (w *Worker) nativeKeySign(c goja.FunctionCall) goja.Value {
	alg, k, data := c.Argument(0).String(), w.keyArg(c.Argument(2)), w.bytesArg(c.Argument(3))
	var sig []byte
	var err error
	switch priv := k.priv.(type) {
	case *rsa.PrivateKey:
		h := w.cryptoHashArg(c.Argument(1))
		if alg == "RSA-PSS" {
			salt := int(c.Argument(4).ToInteger())
			if salt <= 0 { // Go reads 0 as "as long as fits"
				panic(w.domException("RSA-PSS saltLength must be positive", "OperationError"))
			}
			sig, err = rsa.SignPSS(rand.Reader, priv, h, digestOf(h, data), &rsa.PSSOptions{SaltLength: salt})
		} else {
			sig, err = rsa.SignPKCS1v15(nil, priv, h, digestOf(h, data))
		}
	case *ecdsa.PrivateKey:
		h := w.cryptoHashArg(c.Argument(1))
		var r, s *big.Int
		r, s, err = ecdsa.Sign(rand.Reader, priv, digestOf(h, data))
		if err == nil {
			size := (priv.Curve.Params().BitSize + 7) / 8
			sig = make([]byte, 2*size)
			r.FillBytes(sig[:size])
			s.FillBytes(sig[size:])
		}
	case ed25519.PrivateKey:
		sig = ed25519.Sign(priv, data)
	default:
		panic(w.domException("The key cannot sign", "InvalidAccessError"))
	}
	if err != nil {
		panic(w.domException("Signing failed: "+err.Error(), "OperationError"))
	}
	return w.newUint8Array(sig)
}

// nativeKeyVerify(algorithm, hash, handle, signature, data, saltLength).
func (w *Worker) nativeKeyVerify(c goja.FunctionCall) goja.Value {
	alg, k := c.Argument(0).String(), w.keyArg(c.Argument(2))
	sig, data := w.bytesArg(c.Argument(3)), w.bytesArg(c.Argument(4))
	ok := false
	switch pub := k.pub.(type) {
	case *rsa.PublicKey:
		h := w.cryptoHashArg(c.Argument(1))
		if alg == "RSA-PSS" {
			ok = rsa.VerifyPSS(pub, h, digestOf(h, data), sig, &rsa.PSSOptions{SaltLength: int(c.Argument(5).ToInteger())}) == nil
		} else {
			ok = rsa.VerifyPKCS1v15(pub, h, digestOf(h, data), sig) == nil
		}
	case *ecdsa.PublicKey:
		h := w.cryptoHashArg(c.Argument(1))
		size := (pub.Curve.Params().BitSize + 7) / 8
		if len(sig) == 2*size {
			r, s := new(big.Int).SetBytes(sig[:size]), new(big.Int).SetBytes(sig[size:])
			ok = ecdsa.Verify(pub, digestOf(h, data), r, s)
		}
	case ed25519.PublicKey:
		ok = len(sig) == ed25519.SignatureSize && ed25519.Verify(pub, data, sig)
	default:
		panic(w.domException("The key cannot verify", "InvalidAccessError"))
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
		pub, ok := k.pub.(*rsa.PublicKey)
		if !ok || k.priv != nil {
			panic(w.domException("RSA-OAEP encryption needs a public key", "InvalidAccessError"))
		}
		out, err = rsa.EncryptOAEP(h.New(), rand.Reader, pub, data, label)
	} else {
		priv, ok := k.priv.(*rsa.PrivateKey)
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
	switch p := k.priv.(type) {
	case *ecdsa.PrivateKey:
		priv, err = p.ECDH()
		if op, ok := other.pub.(*ecdsa.PublicKey); ok && err == nil {
			pub, err = op.ECDH()
		}
	case *ecdh.PrivateKey:
		priv = p
		pub, _ = other.pub.(*ecdh.PublicKey)
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
