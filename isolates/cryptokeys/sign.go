package cryptokeys

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"math/big"
)

// SignOptions choose the signature scheme: PSS instead of PKCS#1 v1.5 for
// RSA (with SaltLength as Go's rsa.PSSOptions reads it), and IEEE P1363
// (r‖s) instead of DER for ECDSA.
type SignOptions struct {
	PSS        bool
	SaltLength int
	P1363      bool
}

func digest(h crypto.Hash, data []byte) ([]byte, error) {
	if h == 0 || !h.Available() {
		return nil, Error("a digest is needed")
	}
	d := h.New()
	d.Write(data)
	return d.Sum(nil), nil
}

// Sign signs data with k's private key: RSA and ECDSA over data's digest
// by h, Ed25519 over data itself (h 0).
func Sign(k *Key, h crypto.Hash, data []byte, o SignOptions) ([]byte, error) {
	switch priv := k.Priv.(type) {
	case *rsa.PrivateKey:
		d, err := digest(h, data)
		if err != nil {
			return nil, err
		}
		if o.PSS {
			return rsa.SignPSS(rand.Reader, priv, h, d, &rsa.PSSOptions{SaltLength: o.SaltLength})
		}
		return rsa.SignPKCS1v15(nil, priv, h, d)
	case *ecdsa.PrivateKey:
		d, err := digest(h, data)
		if err != nil {
			return nil, err
		}
		if !o.P1363 {
			return ecdsa.SignASN1(rand.Reader, priv, d)
		}
		r, s, err := ecdsa.Sign(rand.Reader, priv, d)
		if err != nil {
			return nil, err
		}
		size := (priv.Curve.Params().BitSize + 7) / 8
		sig := make([]byte, 2*size)
		r.FillBytes(sig[:size])
		s.FillBytes(sig[size:])
		return sig, nil
	case ed25519.PrivateKey:
		if h != 0 {
			return nil, Error("Ed25519 signs the data itself: no digest")
		}
		return ed25519.Sign(priv, data), nil
	case nil:
		return nil, Error("signing needs a private key")
	}
	return nil, Error("a " + k.Kind + " key cannot sign")
}

// Verify checks sig over data with k's public key (see Sign).
func Verify(k *Key, h crypto.Hash, data, sig []byte, o SignOptions) (bool, error) {
	switch pub := k.Pub.(type) {
	case *rsa.PublicKey:
		d, err := digest(h, data)
		if err != nil {
			return false, err
		}
		if o.PSS {
			return rsa.VerifyPSS(pub, h, d, sig, &rsa.PSSOptions{SaltLength: o.SaltLength}) == nil, nil
		}
		return rsa.VerifyPKCS1v15(pub, h, d, sig) == nil, nil
	case *ecdsa.PublicKey:
		d, err := digest(h, data)
		if err != nil {
			return false, err
		}
		if !o.P1363 {
			return ecdsa.VerifyASN1(pub, d, sig), nil
		}
		size := (pub.Curve.Params().BitSize + 7) / 8
		if len(sig) != 2*size {
			return false, nil
		}
		return ecdsa.Verify(pub, d, new(big.Int).SetBytes(sig[:size]), new(big.Int).SetBytes(sig[size:])), nil
	case ed25519.PublicKey:
		if h != 0 {
			return false, Error("Ed25519 signs the data itself: no digest")
		}
		return len(sig) == ed25519.SignatureSize && ed25519.Verify(pub, data, sig), nil
	case *ecdh.PublicKey:
		return false, Error("an X25519 key cannot verify")
	}
	return false, Error("a " + k.Kind + " key cannot verify")
}

// RSAMaxBits bounds the RSA keys a script generates (workerd's limit): a
// 16384-bit key takes seconds of CPU, to be spent off the loop.
const RSAMaxBits = 16384

// Generate makes a key pair: RSA of bits (e 65537, Go's only exponent),
// EC on curve (P-256/384/521), Ed25519 or X25519.
func Generate(kind string, bits int, curve string) (*Key, error) {
	switch kind {
	case "RSA":
		if bits < 512 || bits > RSAMaxBits {
			return nil, Error("the modulus length must be between 512 and 16384")
		}
		priv, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			return nil, err
		}
		return &Key{Kind: kind, Priv: priv, Pub: &priv.PublicKey}, nil
	case "EC":
		cv := CurveOf(curve)
		if cv == nil {
			return nil, Error("unknown curve " + curve)
		}
		priv, err := ecdsa.GenerateKey(cv, rand.Reader)
		if err != nil {
			return nil, err
		}
		return &Key{Kind: kind, Priv: priv, Pub: &priv.PublicKey}, nil
	case "Ed25519":
		pub, priv, _ := ed25519.GenerateKey(rand.Reader)
		return &Key{Kind: kind, Priv: priv, Pub: pub}, nil
	case "X25519":
		priv, err := ecdh.X25519().GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		return &Key{Kind: kind, Priv: priv, Pub: priv.PublicKey()}, nil
	}
	return nil, Error("unsupported key type " + kind)
}
