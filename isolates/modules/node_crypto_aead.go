package modules

import (
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"

	"golang.org/x/crypto/chacha20"
	"golang.org/x/crypto/poly1305"
)

// Node's AEAD ciphers stream: update() returns the ciphertext (or the
// unauthenticated plaintext) of what it was given at once, and the tag is
// made or checked at final(). Go's cipher.AEAD and chacha20poly1305 seal a
// whole message in one call, so the two AEADs are assembled here from
// their streaming parts: AES-GCM from the block cipher (a 32-bit counter,
// as GCM increments it) and GHASH, ChaCha20-Poly1305 from x/crypto's
// chacha20 and poly1305 (as RFC 8439 composes them). Both are checked
// against Go's one-shot AEADs (node_crypto_aead_test.go).

// aead is a streaming AEAD: aad before any data, then data, then the tag.
type aead interface {
	aad(b []byte)
	crypt(dst, src []byte, decrypt bool) // len(dst) == len(src)
	tag() []byte                         // the full tag, after the last crypt
}

// ghash is GCM's universal hash, kept streaming: blocks of AAD then of
// ciphertext, each zero-padded, then their lengths. Multiplication by H
// goes through per-nibble tables of H·x^i (8 KiB per key), which are
// indexed by the data hashed (AAD and ciphertext, which the peer sees).
type ghash struct {
	table   [32][16][2]uint64
	y       [2]uint64
	partial [16]byte
	n       int // bytes in partial
	aadLen  uint64
	ctLen   uint64
	inData  bool
}

func newGHASH(h []byte) *ghash {
	// v[i] is H·x^i: bit i of a block (counted from the most significant
	// bit of its first byte) contributes v[i] to the product.
	var v [128][2]uint64
	cur := [2]uint64{binary.BigEndian.Uint64(h), binary.BigEndian.Uint64(h[8:])}
	for i := range v {
		v[i] = cur
		lsb := cur[1] & 1
		cur[1] = cur[1]>>1 | cur[0]<<63
		cur[0] >>= 1
		if lsb != 0 {
			cur[0] ^= 0xe1 << 56
		}
	}
	g := &ghash{}
	for j := range g.table {
		for n := range g.table[j] {
			var z [2]uint64
			for k := 0; k < 4; k++ {
				if n&(8>>k) != 0 {
					z[0] ^= v[4*j+k][0]
					z[1] ^= v[4*j+k][1]
				}
			}
			g.table[j][n] = z
		}
	}
	return g
}

// block folds one 16-byte block into y: y = (y ⊕ block)·H.
func (g *ghash) block(b []byte) {
	x0 := g.y[0] ^ binary.BigEndian.Uint64(b)
	x1 := g.y[1] ^ binary.BigEndian.Uint64(b[8:])
	var z0, z1 uint64
	for j := 0; j < 16; j++ {
		t := &g.table[j][(x0>>(60-4*uint(j)))&0xf]
		z0, z1 = z0^t[0], z1^t[1]
	}
	for j := 0; j < 16; j++ {
		t := &g.table[16+j][(x1>>(60-4*uint(j)))&0xf]
		z0, z1 = z0^t[0], z1^t[1]
	}
	g.y = [2]uint64{z0, z1}
}

func (g *ghash) write(b []byte) {
	if g.n > 0 {
		c := copy(g.partial[g.n:], b)
		g.n += c
		b = b[c:]
		if g.n < 16 {
			return
		}
		g.block(g.partial[:])
		g.n = 0
	}
	for len(b) >= 16 {
		g.block(b[:16])
		b = b[16:]
	}
	g.n = copy(g.partial[:], b)
}

// pad ends a section (the AAD, the ciphertext) at a block boundary.
func (g *ghash) pad() {
	if g.n > 0 {
		clear(g.partial[g.n:])
		g.block(g.partial[:])
		g.n = 0
	}
}

func (g *ghash) sum() [16]byte {
	g.pad()
	var lens [16]byte
	binary.BigEndian.PutUint64(lens[:], g.aadLen*8)
	binary.BigEndian.PutUint64(lens[8:], g.ctLen*8)
	g.block(lens[:])
	var out [16]byte
	binary.BigEndian.PutUint64(out[:], g.y[0])
	binary.BigEndian.PutUint64(out[8:], g.y[1])
	return out
}

// gcm is AES-GCM over any IV length, as OpenSSL allows.
type gcm struct {
	b       cipher.Block
	g       *ghash
	j0, ctr [16]byte
	ks      [16]byte
	ksUsed  int
}

func newGCM(b cipher.Block, iv []byte) *gcm {
	var h [16]byte
	b.Encrypt(h[:], h[:])
	s := &gcm{b: b, g: newGHASH(h[:]), ksUsed: 16}
	if len(iv) == 12 {
		copy(s.j0[:], iv)
		s.j0[15] = 1
	} else {
		ivh := newGHASH(h[:])
		ivh.write(iv)
		ivh.aadLen, ivh.ctLen = 0, uint64(len(iv))
		s.j0 = ivh.sum()
	}
	s.ctr = s.j0
	return s
}

func (s *gcm) aad(b []byte) {
	s.g.write(b)
	s.g.aadLen += uint64(len(b))
}

func (s *gcm) crypt(dst, src []byte, decrypt bool) {
	if !s.g.inData {
		s.g.pad()
		s.g.inData = true
	}
	if decrypt {
		s.g.write(src)
	}
	for i := range src {
		if s.ksUsed == 16 {
			binary.BigEndian.PutUint32(s.ctr[12:], binary.BigEndian.Uint32(s.ctr[12:])+1)
			s.b.Encrypt(s.ks[:], s.ctr[:])
			s.ksUsed = 0
		}
		dst[i] = src[i] ^ s.ks[s.ksUsed]
		s.ksUsed++
	}
	if !decrypt {
		s.g.write(dst)
	}
	s.g.ctLen += uint64(len(src))
}

func (s *gcm) tag() []byte {
	sum := s.g.sum()
	var mask [16]byte
	s.b.Encrypt(mask[:], s.j0[:])
	subtle.XORBytes(sum[:], sum[:], mask[:])
	return sum[:]
}

// chachaPoly is ChaCha20-Poly1305 (RFC 8439): the Poly1305 key is the
// first keystream block's first half, the data is encrypted from block 1,
// and the MAC covers the padded AAD, the padded ciphertext and their
// lengths.
type chachaPoly struct {
	c             *chacha20.Cipher
	mac           *poly1305.MAC
	aadLen, ctLen uint64
	inData        bool
}

func newChachaPoly(key, iv []byte) (*chachaPoly, error) {
	c, err := chacha20.NewUnauthenticatedCipher(key, iv)
	if err != nil {
		return nil, err
	}
	var polyKey [32]byte
	c.XORKeyStream(polyKey[:], polyKey[:])
	c.SetCounter(1)
	return &chachaPoly{c: c, mac: poly1305.New(&polyKey)}, nil
}

var zeros16 [16]byte

func (s *chachaPoly) padTo16(n uint64) {
	if n%16 != 0 {
		s.mac.Write(zeros16[:16-n%16])
	}
}

func (s *chachaPoly) aad(b []byte) {
	s.mac.Write(b)
	s.aadLen += uint64(len(b))
}

func (s *chachaPoly) crypt(dst, src []byte, decrypt bool) {
	if !s.inData {
		s.padTo16(s.aadLen)
		s.inData = true
	}
	if decrypt {
		s.mac.Write(src)
	}
	s.c.XORKeyStream(dst, src)
	if !decrypt {
		s.mac.Write(dst)
	}
	s.ctLen += uint64(len(src))
}

func (s *chachaPoly) tag() []byte {
	if !s.inData {
		s.padTo16(s.aadLen)
	}
	s.padTo16(s.ctLen)
	var lens [16]byte
	binary.LittleEndian.PutUint64(lens[:], s.aadLen)
	binary.LittleEndian.PutUint64(lens[8:], s.ctLen)
	s.mac.Write(lens[:])
	return s.mac.Sum(nil)
}
