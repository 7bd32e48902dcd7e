package webapi

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
)

// JWK import and export of key pairs (crypto-subtle.js checks the members
// common to every JWK: kty, alg, ext, key_ops, use).

// jwkFields are a JWK's key material (the JavaScript side checks kty,
// alg, ext, key_ops and use).
type jwkFields struct {
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

func jwkKey(kind, text string) (*keyPair, error) {
	var j jwkFields
	if err := json.Unmarshal([]byte(text), &j); err != nil {
		return nil, constError("Invalid JWK")
	}
	var failed error
	b64 := func(s, what string) []byte {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if (err != nil || len(b) == 0) && failed == nil {
			failed = constError("Invalid JWK: the \"" + what + "\" member is missing or not base64url")
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
			return nil, constError("Invalid RSA public exponent")
		}
		pub.E = int(e.Int64())
		if j.D == "" {
			return &keyPair{pub: pub}, nil
		}
		priv := &rsa.PrivateKey{PublicKey: *pub, D: num(j.D, "d"), Primes: []*big.Int{num(j.P, "p"), num(j.Q, "q")}}
		if failed != nil {
			return nil, failed
		}
		if err := priv.Validate(); err != nil {
			return nil, constError("Invalid RSA private key: " + err.Error())
		}
		priv.Precompute()
		return &keyPair{priv: priv, pub: &priv.PublicKey}, nil
	case "EC":
		cv := curveOf(j.Crv)
		if cv == nil {
			return nil, constError("Invalid JWK: unknown \"crv\"")
		}
		size := (cv.Params().BitSize + 7) / 8
		x, y := b64(j.X, "x"), b64(j.Y, "y")
		if failed != nil {
			return nil, failed
		}
		if len(x) != size || len(y) != size {
			return nil, constError("Invalid JWK: \"x\" and \"y\" must be the curve's size")
		}
		pub, err := ecdsa.ParseUncompressedPublicKey(cv, append(append([]byte{4}, x...), y...))
		if err != nil {
			return nil, constError("Invalid EC public key")
		}
		if j.D == "" {
			return &keyPair{pub: pub}, nil
		}
		priv, err := ecdsa.ParseRawPrivateKey(cv, b64(j.D, "d"))
		if err != nil || !priv.PublicKey.Equal(pub) {
			return nil, constError("Invalid EC private key")
		}
		return &keyPair{priv: priv, pub: pub}, nil
	case "Ed25519", "X25519":
		if j.Crv != kind {
			return nil, constError("Invalid JWK: \"crv\" must be " + kind)
		}
		x := b64(j.X, "x")
		if failed != nil {
			return nil, failed
		}
		k, err := rawPublicKey(kind, "", x)
		if err != nil || j.D == "" {
			return k, err
		}
		d := b64(j.D, "d")
		if failed != nil || len(d) != 32 {
			return nil, constError("Invalid JWK: \"d\" must be 32 bytes")
		}
		if kind == "Ed25519" {
			priv := ed25519.NewKeyFromSeed(d)
			if !priv.Public().(ed25519.PublicKey).Equal(k.pub) {
				return nil, constError("Invalid JWK: \"d\" does not match \"x\"")
			}
			return &keyPair{priv: priv, pub: k.pub}, nil
		}
		priv, err := ecdh.X25519().NewPrivateKey(d)
		if err != nil || !priv.PublicKey().Equal(k.pub) {
			return nil, constError("Invalid JWK: \"d\" does not match \"x\"")
		}
		return &keyPair{priv: priv, pub: k.pub}, nil
	}
	return nil, constError("unsupported JWK")
}

// jwk is k's key material as JWK members.
func (k *keyPair) jwk() jwkFields {
	b64 := base64.RawURLEncoding.EncodeToString
	var j jwkFields
	switch p := k.pub.(type) {
	case *rsa.PublicKey:
		j.Kty, j.N, j.E = "RSA", b64(p.N.Bytes()), b64(big.NewInt(int64(p.E)).Bytes())
		if priv, ok := k.priv.(*rsa.PrivateKey); ok && len(priv.Primes) == 2 {
			j.D, j.P, j.Q = b64(priv.D.Bytes()), b64(priv.Primes[0].Bytes()), b64(priv.Primes[1].Bytes())
			j.DP, j.DQ, j.QI = b64(priv.Precomputed.Dp.Bytes()), b64(priv.Precomputed.Dq.Bytes()), b64(priv.Precomputed.Qinv.Bytes())
		}
	case *ecdsa.PublicKey:
		size := (p.Curve.Params().BitSize + 7) / 8
		j.Kty, j.Crv = "EC", p.Curve.Params().Name
		raw, _ := p.Bytes()
		j.X, j.Y = b64(raw[1:1+size]), b64(raw[1+size:])
		if priv, ok := k.priv.(*ecdsa.PrivateKey); ok {
			d, _ := priv.Bytes()
			j.D = b64(d)
		}
	case ed25519.PublicKey:
		j.Kty, j.Crv, j.X = "OKP", "Ed25519", b64(p)
		if priv, ok := k.priv.(ed25519.PrivateKey); ok {
			j.D = b64(priv.Seed())
		}
	case *ecdh.PublicKey:
		j.Kty, j.Crv, j.X = "OKP", "X25519", b64(p.Bytes())
		if priv, ok := k.priv.(*ecdh.PrivateKey); ok {
			j.D = b64(priv.Bytes())
		}
	}
	return j
}
