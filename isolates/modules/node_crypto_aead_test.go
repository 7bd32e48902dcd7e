package modules

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"testing"

	"golang.org/x/crypto/chacha20poly1305"
)

// The streaming AEADs must agree with Go's one-shot ones on every split of
// the data, AAD and IV length.
func TestStreamingAEADsMatchGo(t *testing.T) {
	random := func(n int) []byte { b := make([]byte, n); _, _ = rand.Read(b); return b }
	for _, size := range []int{0, 1, 15, 16, 17, 31, 64, 100, 1000} {
		for _, aadLen := range []int{0, 5, 16, 33} {
			for _, ivLen := range []int{12, 1, 8, 16, 60} {
				key, iv, aad, pt := random(32), random(ivLen), random(aadLen), random(size)
				b, _ := aes.NewCipher(key)
				ref, err := cipher.NewGCMWithNonceSize(b, ivLen)
				if err != nil {
					t.Fatal(err)
				}
				want := ref.Seal(nil, iv, pt, aad)
				checkAEAD(t, "gcm", func() aead { return newGCM(b, iv) }, aad, pt, want)
				if ivLen == 12 {
					ref, _ := chacha20poly1305.New(key)
					want := ref.Seal(nil, iv, pt, aad)
					checkAEAD(t, "chacha", func() aead { s, _ := newChachaPoly(key, iv); return s }, aad, pt, want)
				}
			}
		}
	}
}

func checkAEAD(t *testing.T, name string, mk func() aead, aad, pt, want []byte) {
	t.Helper()
	for _, split := range []int{1, 7, 16, len(pt) + 1} {
		s := mk()
		// AAD in two parts, data in pieces of split bytes.
		s.aad(aad[:len(aad)/2])
		s.aad(aad[len(aad)/2:])
		ct := make([]byte, len(pt))
		for i := 0; i < len(pt); i += split {
			end := min(i+split, len(pt))
			s.crypt(ct[i:end], pt[i:end], false)
		}
		got := append(ct, s.tag()...)
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: %d bytes, aad %d, split %d: sealed %x, want %x", name, len(pt), len(aad), split, got, want)
		}
		d := mk()
		d.aad(aad)
		back := make([]byte, len(ct))
		d.crypt(back, ct, true)
		if !bytes.Equal(back, pt) || !bytes.Equal(d.tag(), want[len(pt):]) {
			t.Fatalf("%s: decrypting %d bytes did not give the plaintext and tag", name, len(pt))
		}
	}
}
