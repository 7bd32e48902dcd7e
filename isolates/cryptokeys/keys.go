// Package cryptokeys holds asymmetric keys for the isolates' crypto: Web
// Crypto's CryptoKeys (isolates/webapi) and node:crypto's KeyObjects
// (isolates/modules) share the Go side here, so that parsing, encoding and
// signing are written once: key kinds, DER (PKCS#1, PKCS#8, SPKI, SEC 1)
// and JWK, signatures.
package cryptokeys

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
)

// Key is an asymmetric key: a private key and its public half, or a public
// key alone. Its holders keep it out of scripts' reach (a private field);
// goja shows nothing of it even if it leaked, having no methods a script
// can use to read the key material.
type Key struct {
	Kind string // "RSA", "EC", "Ed25519", "X25519"
	Priv any    // *rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey, *ecdh.PrivateKey; nil for a public key
	Pub  any    // *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey, *ecdh.PublicKey
}

// Error is a key error's message, for the caller to throw as its API does
// (a DOMException, a Node error).
type Error string

func (e Error) Error() string { return string(e) }

// CurveOf is the NIST curve of a JWK/Web Crypto name (P-256, P-384, P-521).
func CurveOf(name string) elliptic.Curve {
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

// KindOf names a public key's kind: "RSA", "EC", "Ed25519", "X25519".
func KindOf(pub any) string {
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

// RawPublic is the public key of kind in raw bytes (EC points, compressed
// or not; Ed25519 and X25519 keys).
func RawPublic(kind, curve string, data []byte) (*Key, error) {
	switch kind {
	case "EC":
		cv := CurveOf(curve)
		if cv == nil {
			return nil, Error("unknown curve")
		}
		if len(data) > 0 && data[0] != 4 {
			x, y := elliptic.UnmarshalCompressed(cv, data)
			if x == nil {
				return nil, Error("Invalid EC public key")
			}
			return &Key{Pub: &ecdsa.PublicKey{Curve: cv, X: x, Y: y}}, nil
		}
		pub, err := ecdsa.ParseUncompressedPublicKey(cv, data)
		if err != nil {
			return nil, Error("Invalid EC public key")
		}
		return &Key{Pub: pub}, nil
	case "Ed25519":
		if len(data) != ed25519.PublicKeySize {
			return nil, Error("Ed25519 raw keys must be exactly 32 bytes")
		}
		return &Key{Pub: ed25519.PublicKey(append([]byte(nil), data...))}, nil
	case "X25519":
		pub, err := ecdh.X25519().NewPublicKey(data)
		if err != nil {
			return nil, Error("X25519 raw keys must be exactly 32 bytes")
		}
		return &Key{Pub: pub}, nil
	}
	return nil, Error("raw import is not supported for RSA keys")
}

// JWK are a JWK's key material (the JavaScript side checks kty,
// alg, ext, key_ops and use).
type JWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv,omitempty"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
	D   string `json:"d,omitempty"`
	P   string `json:"p,omitempty"`
	Q   string `json:"q,omitempty"`
	DP  string `json:"dp,omitempty"`
	DQ  string `json:"dq,omitempty"`
	QI  string `json:"qi,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
}

// FromJWK is the key of kind ("RSA", "EC", "Ed25519", "X25519") in the JWK
// text (its kty, alg, ext, key_ops and use are the caller's to check).
func FromJWK(kind, text string) (*Key, error) {
	var j JWK
	if err := json.Unmarshal([]byte(text), &j); err != nil {
		return nil, Error("Invalid JWK")
	}
	var failed error
	b64 := func(s, what string) []byte {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if (err != nil || len(b) == 0) && failed == nil {
			failed = Error("Invalid JWK: the \"" + what + "\" member is missing or not base64url")
		}
		return b
	}
	num := func(s, what string) *big.Int { return new(big.Int).SetBytes(b64(s, what)) }
	switch kind {
	case "RSA":
		pub := &rsa.PublicKey{N: num(j.N, "n")}
		e := num(j.E, "e")
		if failed != nil {
			return nil, failed
		}
		if !e.IsInt64() || e.Int64() > 1<<31-1 || e.Int64() < 3 {
			return nil, Error("Invalid RSA public exponent")
		}
		pub.E = int(e.Int64())
		if j.D == "" {
			return &Key{Pub: pub}, nil
		}
		priv := &rsa.PrivateKey{PublicKey: *pub, D: num(j.D, "d"), Primes: []*big.Int{num(j.P, "p"), num(j.Q, "q")}}
		if failed != nil {
			return nil, failed
		}
		if err := priv.Validate(); err != nil {
			return nil, Error("Invalid RSA private key: " + err.Error())
		}
		priv.Precompute()
		return &Key{Priv: priv, Pub: &priv.PublicKey}, nil
	case "EC":
		cv := CurveOf(j.Crv)
		if cv == nil {
			return nil, Error("Invalid JWK: unknown \"crv\"")
		}
		size := (cv.Params().BitSize + 7) / 8
		x, y := b64(j.X, "x"), b64(j.Y, "y")
		if failed != nil {
			return nil, failed
		}
		if len(x) != size || len(y) != size {
			return nil, Error("Invalid JWK: \"x\" and \"y\" must be the curve's size")
		}
		pub, err := ecdsa.ParseUncompressedPublicKey(cv, append(append([]byte{4}, x...), y...))
		if err != nil {
			return nil, Error("Invalid EC public key")
		}
		if j.D == "" {
			return &Key{Pub: pub}, nil
		}
		priv, err := ecdsa.ParseRawPrivateKey(cv, b64(j.D, "d"))
		if err != nil || !priv.PublicKey.Equal(pub) {
			return nil, Error("Invalid EC private key")
		}
		return &Key{Priv: priv, Pub: pub}, nil
	case "Ed25519", "X25519":
		if j.Crv != kind {
			return nil, Error("Invalid JWK: \"crv\" must be " + kind)
		}
		x := b64(j.X, "x")
		if failed != nil {
			return nil, failed
		}
		k, err := RawPublic(kind, "", x)
		if err != nil || j.D == "" {
			return k, err
		}
		d := b64(j.D, "d")
		if failed != nil || len(d) != 32 {
			return nil, Error("Invalid JWK: \"d\" must be 32 bytes")
		}
		if kind == "Ed25519" {
			priv := ed25519.NewKeyFromSeed(d)
			if !priv.Public().(ed25519.PublicKey).Equal(k.Pub) {
				return nil, Error("Invalid JWK: \"d\" does not match \"x\"")
			}
			return &Key{Priv: priv, Pub: k.Pub}, nil
		}
		priv, err := ecdh.X25519().NewPrivateKey(d)
		if err != nil || !priv.PublicKey().Equal(k.Pub) {
			return nil, Error("Invalid JWK: \"d\" does not match \"x\"")
		}
		return &Key{Priv: priv, Pub: k.Pub}, nil
	}
	return nil, Error("unsupported JWK")
}

// JWK is k's key material as JWK members.
func (k *Key) JWK() JWK {
	b64 := base64.RawURLEncoding.EncodeToString
	var j JWK
	switch p := k.Pub.(type) {
	case *rsa.PublicKey:
		j.Kty, j.N, j.E = "RSA", b64(p.N.Bytes()), b64(big.NewInt(int64(p.E)).Bytes())
		if priv, ok := k.Priv.(*rsa.PrivateKey); ok && len(priv.Primes) == 2 {
			j.D, j.P, j.Q = b64(priv.D.Bytes()), b64(priv.Primes[0].Bytes()), b64(priv.Primes[1].Bytes())
			j.DP, j.DQ, j.QI = b64(priv.Precomputed.Dp.Bytes()), b64(priv.Precomputed.Dq.Bytes()), b64(priv.Precomputed.Qinv.Bytes())
		}
	case *ecdsa.PublicKey:
		size := (p.Curve.Params().BitSize + 7) / 8
		j.Kty, j.Crv = "EC", p.Curve.Params().Name
		raw, _ := p.Bytes()
		j.X, j.Y = b64(raw[1:1+size]), b64(raw[1+size:])
		if priv, ok := k.Priv.(*ecdsa.PrivateKey); ok {
			d, _ := priv.Bytes()
			j.D = b64(d)
		}
	case ed25519.PublicKey:
		j.Kty, j.Crv, j.X = "OKP", "Ed25519", b64(p)
		if priv, ok := k.Priv.(ed25519.PrivateKey); ok {
			j.D = b64(priv.Seed())
		}
	case *ecdh.PublicKey:
		j.Kty, j.Crv, j.X = "OKP", "X25519", b64(p.Bytes())
		if priv, ok := k.Priv.(*ecdh.PrivateKey); ok {
			j.D = b64(priv.Bytes())
		}
	}
	return j
}
