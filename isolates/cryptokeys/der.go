package cryptokeys

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
)

// pemLabels are the PEM blocks a key is read from, by the DER format they
// hold.
var pemLabels = map[string]string{
	"PRIVATE KEY":     "pkcs8",
	"RSA PRIVATE KEY": "pkcs1",
	"EC PRIVATE KEY":  "sec1",
	"PUBLIC KEY":      "spki",
	"RSA PUBLIC KEY":  "pkcs1",
	"CERTIFICATE":     "x509",
}

// ParsePEM is the key in the first key block of text (a public key is also
// read from a private key's block or a certificate, as OpenSSL does for
// Node's createPublicKey).
func ParsePEM(text []byte, private bool) (*Key, error) {
	for rest := text; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return nil, Error("no key in the PEM text")
		}
		format, ok := pemLabels[b.Type]
		if !ok {
			continue
		}
		if _, encrypted := b.Headers["Proc-Type"]; encrypted || b.Type == "ENCRYPTED PRIVATE KEY" {
			return nil, Error("encrypted private keys are not supported")
		}
		isPrivate := b.Type != "PUBLIC KEY" && b.Type != "RSA PUBLIC KEY" && b.Type != "CERTIFICATE"
		if private && !isPrivate {
			return nil, Error("the PEM text holds no private key")
		}
		k, err := ParseDER(b.Bytes, format, isPrivate)
		if err != nil {
			return nil, err
		}
		if !private {
			return k.Public(), nil
		}
		return k, nil
	}
}

// ParseDER is the key in der, a private key's "pkcs8", "pkcs1" (RSA) or
// "sec1" (EC) encoding, or a public key's "spki", "pkcs1" or "x509" (a
// certificate).
func ParseDER(der []byte, format string, private bool) (*Key, error) {
	var priv, pub any
	var err error
	switch {
	case private && format == "pkcs8":
		priv, err = x509.ParsePKCS8PrivateKey(der)
	case private && format == "pkcs1":
		priv, err = x509.ParsePKCS1PrivateKey(der)
	case private && format == "sec1":
		priv, err = x509.ParseECPrivateKey(der)
	case !private && format == "spki":
		pub, err = x509.ParsePKIXPublicKey(der)
	case !private && format == "pkcs1":
		pub, err = x509.ParsePKCS1PublicKey(der)
	case !private && format == "x509":
		var cert *x509.Certificate
		if cert, err = x509.ParseCertificate(der); err == nil {
			pub = cert.PublicKey
		}
	default:
		return nil, Error("unsupported key encoding " + format)
	}
	if err != nil {
		return nil, Error("invalid " + format + " key: " + err.Error())
	}
	if priv != nil {
		switch p := priv.(type) {
		case *ecdh.PrivateKey:
			pub = p.PublicKey()
		case crypto.Signer:
			pub = p.Public()
		}
	}
	k := &Key{Kind: KindOf(pub), Priv: priv, Pub: pub}
	if k.Kind == "" {
		return nil, Error("unsupported key type")
	}
	return k, nil
}

// Public is k's public half.
func (k *Key) Public() *Key { return &Key{Kind: k.Kind, Pub: k.Pub} }

// MarshalDER encodes k: a private key as "pkcs8", "pkcs1" (RSA) or "sec1"
// (EC), a public one as "spki" or "pkcs1" (RSA).
func (k *Key) MarshalDER(format string) ([]byte, error) {
	if k.Priv != nil {
		switch format {
		case "pkcs8":
			return x509.MarshalPKCS8PrivateKey(k.Priv)
		case "pkcs1":
			if p, ok := k.Priv.(*rsa.PrivateKey); ok {
				return x509.MarshalPKCS1PrivateKey(p), nil
			}
		case "sec1":
			if p, ok := k.Priv.(*ecdsa.PrivateKey); ok {
				return x509.MarshalECPrivateKey(p)
			}
		}
		return nil, Error("a " + k.Kind + " private key cannot be encoded as " + format)
	}
	switch format {
	case "spki":
		return x509.MarshalPKIXPublicKey(k.Pub)
	case "pkcs1":
		if p, ok := k.Pub.(*rsa.PublicKey); ok {
			return x509.MarshalPKCS1PublicKey(p), nil
		}
	}
	return nil, Error("a " + k.Kind + " public key cannot be encoded as " + format)
}

// MarshalPEM is MarshalDER in a PEM block of the format's label.
func (k *Key) MarshalPEM(format string) ([]byte, error) {
	der, err := k.MarshalDER(format)
	if err != nil {
		return nil, err
	}
	label := map[string]string{"pkcs8": "PRIVATE KEY", "sec1": "EC PRIVATE KEY", "spki": "PUBLIC KEY"}[format]
	if format == "pkcs1" {
		label = "RSA PUBLIC KEY"
		if k.Priv != nil {
			label = "RSA PRIVATE KEY"
		}
	}
	return pem.EncodeToMemory(&pem.Block{Type: label, Bytes: der}), nil
}

// Equal reports whether a and b are the same key (both private or both
// public).
func (k *Key) Equal(o *Key) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	if (k.Priv == nil) != (o.Priv == nil) {
		return false
	}
	if k.Priv != nil {
		p, ok := k.Priv.(interface{ Equal(crypto.PrivateKey) bool })
		return ok && p.Equal(o.Priv)
	}
	p, ok := k.Pub.(equaler)
	return ok && p.Equal(o.Pub)
}
