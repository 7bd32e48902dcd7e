//go:build unix

package runtime

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"edgerun/runtime/config"
)

// TestJoseApp serves testdata/apps/jose (jose, unmodified, on edgerun's
// Web Crypto) and checks each of its answers with Go's crypto: JWTs it signs
// are verified here, JWTs signed here are verified there (directly and
// through a local JWKS), its JWEs are decrypted here and ours there.
func TestJoseApp(t *testing.T) {
	ensureNodeModules(t)
	a := startAppWith(t, config.Options{Dir: filepath.Join(appsDir, "jose")}, true, func(cfg *config.Config) { cfg.Edgerun.Admin = "" })
	post := func(t *testing.T, path string, in any) map[string]any {
		t.Helper()
		b, _ := json.Marshal(in)
		resp, body := a.do(t, "POST", path, bytes.NewReader(b), map[string]string{"Content-Type": "application/json"})
		if resp.StatusCode != 200 {
			t.Fatalf("POST %s = %d %s\nlog:\n%s", path, resp.StatusCode, body, a.logs.String())
		}
		var out map[string]any
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			t.Fatalf("POST %s: %v: %s", path, err, body)
		}
		return out
	}

	keys := newJoseKeys(t)
	for _, k := range keys {
		t.Run(k.alg, func(t *testing.T) {
			sub := randomToken()
			// jose signs; Go verifies.
			out := post(t, "/sign", map[string]any{"alg": k.alg, "jwk": k.private, "kid": k.kid, "claims": map[string]any{"sub": sub, "iss": "edgerun-test"}})
			header, payload := verifyJWT(t, out["jwt"].(string), k)
			if header["alg"] != k.alg || header["kid"] != k.kid || payload["sub"] != sub {
				t.Errorf("jose's JWT: header %v payload %v", header, payload)
			}
			if exp, iat := payload["exp"].(float64), payload["iat"].(float64); exp-iat != 7200 || time.Since(time.Unix(int64(iat), 0)).Abs() > time.Minute {
				t.Errorf("jose's JWT: iat %v exp %v", iat, exp)
			}
			// Go signs; jose verifies, with the key and through a JWKS.
			jwt := signJWT(t, k, map[string]any{"alg": k.alg, "kid": k.kid}, map[string]any{"sub": sub, "iss": "edgerun-test", "exp": time.Now().Add(time.Hour).Unix()})
			out = post(t, "/verify", map[string]any{"alg": k.alg, "jwk": k.public, "jwt": jwt, "issuer": "edgerun-test"})
			if p := out["payload"].(map[string]any); p["sub"] != sub {
				t.Errorf("jose verified %v", out)
			}
			var set []any
			for _, other := range keys {
				if other.alg != "HS256" {
					set = append(set, other.public)
				}
			}
			if k.alg != "HS256" { // a JWKS holds public keys
				out = post(t, "/jwks", map[string]any{"jwks": map[string]any{"keys": set}, "jwt": jwt, "issuer": "edgerun-test"})
				if out["kid"] != k.kid || out["payload"].(map[string]any)["sub"] != sub {
					t.Errorf("JWKS verify: %v", out)
				}
			}
			// A tampered token is refused.
			bad := jwt[:strings.LastIndex(jwt, ".")+1] + b64(bytes.Repeat([]byte{1}, len(k.sign([]byte("x")))))
			b, _ := json.Marshal(map[string]any{"alg": k.alg, "jwk": k.public, "jwt": bad, "issuer": "edgerun-test"})
			resp, body := a.do(t, "POST", "/verify", bytes.NewReader(b), nil)
			if resp.StatusCode != 400 || !strings.Contains(body, "ERR_JWS_SIGNATURE_VERIFICATION_FAILED") {
				t.Errorf("tampered JWT: %d %s", resp.StatusCode, body)
			}
		})
	}

	t.Run("generated keys", func(t *testing.T) {
		for _, alg := range []string{"ES256", "RS256", "EdDSA"} {
			out := post(t, "/generate", map[string]any{"alg": alg, "claims": map[string]any{"n": alg}})
			k := joseKeyFromPublicJWK(t, alg, out["publicJwk"].(map[string]any))
			_, payload := verifyJWT(t, out["jwt"].(string), k)
			if payload["n"] != alg || out["privateType"] != "private" {
				t.Errorf("%s: %v", alg, out)
			}
		}
	})

	t.Run("JWE dir A256GCM", func(t *testing.T) {
		cek := randomBytes(32)
		jwk := map[string]any{"kty": "oct", "k": b64(cek)}
		text := "secret " + randomToken() + " ünïcode"
		out := post(t, "/encrypt", map[string]any{"alg": "dir", "jwk": jwk, "plaintext": text})
		header, got := decryptJWE(t, out["jwe"].(string), func(enc []byte) []byte {
			if len(enc) != 0 {
				t.Errorf("dir JWE has an encrypted key")
			}
			return cek
		})
		if got != text || header["alg"] != "dir" || header["enc"] != "A256GCM" {
			t.Errorf("jose's JWE: %v %q", header, got)
		}
		jwe := encryptJWE(t, map[string]any{"alg": "dir", "enc": "A256GCM"}, cek, nil, text)
		out = post(t, "/decrypt", map[string]any{"alg": "dir", "jwk": jwk, "jwe": jwe})
		if out["plaintext"] != text {
			t.Errorf("jose decrypted %v", out)
		}
	})

	t.Run("JWE RSA-OAEP-256 A256GCM", func(t *testing.T) {
		priv, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		pubJWK, privJWK := rsaJWKs(priv)
		text := "to the RSA key " + randomToken()
		out := post(t, "/encrypt", map[string]any{"alg": "RSA-OAEP-256", "jwk": pubJWK, "plaintext": text})
		header, got := decryptJWE(t, out["jwe"].(string), func(enc []byte) []byte {
			cek, err := rsa.DecryptOAEP(sha256.New(), nil, priv, enc, nil)
			if err != nil {
				t.Fatalf("RSA-OAEP-256 key: %v", err)
			}
			return cek
		})
		if got != text || header["alg"] != "RSA-OAEP-256" {
			t.Errorf("jose's JWE: %v %q", header, got)
		}
		cek := randomBytes(32)
		wrapped, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, &priv.PublicKey, cek, nil)
		if err != nil {
			t.Fatal(err)
		}
		jwe := encryptJWE(t, map[string]any{"alg": "RSA-OAEP-256", "enc": "A256GCM"}, cek, wrapped, text)
		out = post(t, "/decrypt", map[string]any{"alg": "RSA-OAEP-256", "jwk": privJWK, "jwe": jwe})
		if out["plaintext"] != text {
			t.Errorf("jose decrypted %v", out)
		}
	})
}

// joseKey is one signing key: its JWKs and Go's sign and verify.
type joseKey struct {
	alg, kid        string
	private, public map[string]any
	sign            func(msg []byte) []byte
	verify          func(msg, sig []byte) bool
}

func newJoseKeys(t *testing.T) []joseKey {
	t.Helper()
	secret := randomBytes(32)
	hs := joseKey{alg: "HS256", kid: "hs-" + randomToken(),
		sign:   func(m []byte) []byte { h := hmac.New(sha256.New, secret); h.Write(m); return h.Sum(nil) },
		public: map[string]any{"kty": "oct", "k": b64(secret)}}
	hs.private = hs.public
	hs.verify = func(m, s []byte) bool { return hmac.Equal(hs.sign(m), s) }

	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rs := joseKeyFromRSA(rsaKey)
	rs.kid = "rs-" + randomToken()

	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	es := joseKeyFromEC(ecKey)
	es.kid = "es-" + randomToken()

	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ed := joseKeyFromEd(edKey)
	ed.kid = "ed-" + randomToken()
	for _, k := range []*joseKey{&rs, &es, &ed} {
		k.public["kid"], k.private["kid"] = k.kid, k.kid
	}
	return []joseKey{hs, rs, es, ed}
}

func rsaJWKs(k *rsa.PrivateKey) (pub, priv map[string]any) {
	k.Precompute()
	bi := func(n *big.Int) string { return b64(n.Bytes()) }
	pub = map[string]any{"kty": "RSA", "n": bi(k.N), "e": bi(big.NewInt(int64(k.E)))}
	priv = map[string]any{"kty": "RSA", "n": bi(k.N), "e": bi(big.NewInt(int64(k.E))), "d": bi(k.D),
		"p": bi(k.Primes[0]), "q": bi(k.Primes[1]), "dp": bi(k.Precomputed.Dp), "dq": bi(k.Precomputed.Dq), "qi": bi(k.Precomputed.Qinv)}
	return pub, priv
}

func joseKeyFromRSA(k *rsa.PrivateKey) joseKey {
	pub, priv := rsaJWKs(k)
	return joseKey{alg: "RS256", public: pub, private: priv,
		sign: func(m []byte) []byte {
			d := sha256.Sum256(m)
			s, _ := rsa.SignPKCS1v15(nil, k, crypto.SHA256, d[:])
			return s
		},
		verify: rsaVerifier(&k.PublicKey)}
}

func rsaVerifier(pub *rsa.PublicKey) func(m, s []byte) bool {
	return func(m, s []byte) bool {
		d := sha256.Sum256(m)
		return rsa.VerifyPKCS1v15(pub, crypto.SHA256, d[:], s) == nil
	}
}

func joseKeyFromEC(k *ecdsa.PrivateKey) joseKey {
	pt := func(n *big.Int) string { b := make([]byte, 32); n.FillBytes(b); return b64(b) }
	pub := map[string]any{"kty": "EC", "crv": "P-256", "x": pt(k.X), "y": pt(k.Y)}
	priv := map[string]any{"kty": "EC", "crv": "P-256", "x": pt(k.X), "y": pt(k.Y), "d": pt(k.D)}
	return joseKey{alg: "ES256", public: pub, private: priv,
		sign: func(m []byte) []byte {
			d := sha256.Sum256(m)
			r, s, _ := ecdsa.Sign(rand.Reader, k, d[:])
			out := make([]byte, 64)
			r.FillBytes(out[:32])
			s.FillBytes(out[32:])
			return out
		},
		verify: ecVerifier(&k.PublicKey)}
}

func ecVerifier(pub *ecdsa.PublicKey) func(m, s []byte) bool {
	return func(m, s []byte) bool {
		if len(s) != 64 {
			return false
		}
		d := sha256.Sum256(m)
		return ecdsa.Verify(pub, d[:], new(big.Int).SetBytes(s[:32]), new(big.Int).SetBytes(s[32:]))
	}
}

func joseKeyFromEd(k ed25519.PrivateKey) joseKey {
	pub := k.Public().(ed25519.PublicKey)
	return joseKey{alg: "EdDSA",
		public:  map[string]any{"kty": "OKP", "crv": "Ed25519", "x": b64(pub)},
		private: map[string]any{"kty": "OKP", "crv": "Ed25519", "x": b64(pub), "d": b64(k.Seed())},
		sign:    func(m []byte) []byte { return ed25519.Sign(k, m) },
		verify:  func(m, s []byte) bool { return ed25519.Verify(pub, m, s) }}
}

// joseKeyFromPublicJWK is a verifier for a public JWK jose exported.
func joseKeyFromPublicJWK(t *testing.T, alg string, jwk map[string]any) joseKey {
	t.Helper()
	field := func(name string) []byte { s, _ := jwk[name].(string); return unb64(t, s) }
	k := joseKey{alg: alg, public: jwk}
	switch alg {
	case "ES256":
		if jwk["crv"] != "P-256" {
			t.Fatalf("ES256 JWK %v", jwk)
		}
		k.verify = ecVerifier(&ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).SetBytes(field("x")), Y: new(big.Int).SetBytes(field("y"))})
	case "RS256":
		k.verify = rsaVerifier(&rsa.PublicKey{N: new(big.Int).SetBytes(field("n")), E: int(new(big.Int).SetBytes(field("e")).Int64())})
	case "EdDSA":
		x := field("x")
		if jwk["crv"] != "Ed25519" || len(x) != ed25519.PublicKeySize {
			t.Fatalf("EdDSA JWK %v", jwk)
		}
		k.verify = func(m, s []byte) bool { return ed25519.Verify(ed25519.PublicKey(x), m, s) }
	}
	return k
}

func signJWT(t *testing.T, k joseKey, header, claims map[string]any) string {
	t.Helper()
	h, _ := json.Marshal(header)
	c, _ := json.Marshal(claims)
	input := b64(h) + "." + b64(c)
	return input + "." + b64(k.sign([]byte(input)))
}

// verifyJWT checks jwt's signature with k in Go and returns its parts.
func verifyJWT(t *testing.T, jwt string, k joseKey) (header, payload map[string]any) {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("JWT %q has %d parts", jwt, len(parts))
	}
	if !k.verify([]byte(parts[0]+"."+parts[1]), unb64(t, parts[2])) {
		t.Fatalf("%s: the signature of %q does not verify in Go", k.alg, jwt)
	}
	if err := json.Unmarshal(unb64(t, parts[0]), &header); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(unb64(t, parts[1]), &payload); err != nil {
		t.Fatal(err)
	}
	return header, payload
}

// decryptJWE opens a compact A256GCM JWE in Go; cekOf turns its encrypted
// key into the content key.
func decryptJWE(t *testing.T, jwe string, cekOf func(encryptedKey []byte) []byte) (map[string]any, string) {
	t.Helper()
	parts := strings.Split(jwe, ".")
	if len(parts) != 5 {
		t.Fatalf("JWE %q has %d parts", jwe, len(parts))
	}
	var header map[string]any
	if err := json.Unmarshal(unb64(t, parts[0]), &header); err != nil {
		t.Fatal(err)
	}
	gcm := newGCM(t, cekOf(unb64(t, parts[1])))
	plain, err := gcm.Open(nil, unb64(t, parts[2]), append(unb64(t, parts[3]), unb64(t, parts[4])...), []byte(parts[0]))
	if err != nil {
		t.Fatalf("JWE does not decrypt in Go: %v", err)
	}
	return header, string(plain)
}

func encryptJWE(t *testing.T, header map[string]any, cek, encryptedKey []byte, text string) string {
	t.Helper()
	h, _ := json.Marshal(header)
	protected := b64(h)
	iv := randomBytes(12)
	sealed := newGCM(t, cek).Seal(nil, iv, []byte(text), []byte(protected))
	ct, tag := sealed[:len(sealed)-16], sealed[len(sealed)-16:]
	return strings.Join([]string{protected, b64(encryptedKey), b64(iv), b64(ct), b64(tag)}, ".")
}

func newGCM(t *testing.T, key []byte) cipher.AEAD {
	t.Helper()
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	return gcm
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func unb64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("base64url %q: %v", s, err)
	}
	return b
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}
