package webapi

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/md5"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"hash"
	"strconv"
	"strings"

	"github.com/dop251/goja"

	"edgerun/isolates"
)

// subtleNatives are crypto-subtle.js's (and crypto-subtle-keys.js's, the
// files before it): the secret-key algorithms (HMAC, PBKDF2, HKDF, AES)
// here, the key-pair ones and their JWK form in crypto_keypair.go. The
// JavaScript side has normalized the algorithm and checked the key's
// usages; these check what reaches Go again (sizes, lengths), so a bad
// argument is a DOMException, never a panic.
func (w *Worker) subtleNatives(set nativeSet) {
	w.cryptoKeyBridgeNatives(set)
	set("subtleHmac", func(c goja.FunctionCall) goja.Value {
		h := w.hashArg(c.Argument(0))
		m := hmac.New(h, w.bytesArg(c.Argument(1)))
		m.Write(w.bytesArg(c.Argument(2)))
		return w.newUint8Array(m.Sum(nil))
	})
	set("subtlePbkdf2", w.nativePbkdf2)
	set("subtleHkdf", func(c goja.FunctionCall) goja.Value {
		h := w.hashArg(c.Argument(0))
		n := w.lengthArg(c.Argument(4), 255*h().Size())
		out, err := hkdf.Key(h, w.bytesArg(c.Argument(1)), w.bytesArg(c.Argument(2)), string(w.bytesArg(c.Argument(3))), n)
		if err != nil {
			panic(w.domException("HKDF: "+err.Error(), "OperationError"))
		}
		return w.newUint8Array(out)
	})
	set("subtleAes", w.nativeAes)
	set("subtleAesKw", w.nativeAesKw)
	set("subtleTimingSafeEqual", func(c goja.FunctionCall) goja.Value {
		a, b := w.bytesArg(c.Argument(0)), w.bytesArg(c.Argument(1))
		return w.vm.ToValue(len(a) == len(b) && subtle.ConstantTimeCompare(a, b) == 1)
	})
	set("subtleDigest", func(c goja.FunctionCall) goja.Value {
		h := hashFunc(c.Argument(0).String())
		if h == nil {
			panic(w.domException("Unrecognized algorithm name", "NotSupportedError"))
		}
		d := h()
		d.Write(w.bytesArg(c.Argument(1)))
		return w.newUint8Array(d.Sum(nil))
	})
	// JWK's base64url (no padding); unbase64url is null for bad input.
	set("subtleBase64url", func(c goja.FunctionCall) goja.Value {
		return w.vm.ToValue(base64.RawURLEncoding.EncodeToString(w.bytesArg(c.Argument(0))))
	})
	set("subtleUnbase64url", func(c goja.FunctionCall) goja.Value {
		b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(c.Argument(0).String(), "="))
		if err != nil {
			return goja.Null()
		}
		return w.newUint8Array(b)
	})
	w.keyPairNatives(set)
}

// hashFunc is a Web Crypto hash by its normalized name.
func hashFunc(name string) func() hash.Hash {
	switch name {
	case "SHA-1":
		return sha1.New
	case "SHA-256":
		return sha256.New
	case "SHA-384":
		return sha512.New384
	case "SHA-512":
		return sha512.New
	case "MD5": // workerd's extension (digest only)
		return md5.New
	}
	return nil
}

func (w *Worker) hashArg(v goja.Value) func() hash.Hash {
	h := hashFunc(v.String())
	if h == nil || v.String() == "MD5" {
		panic(w.domException("Unrecognized hash algorithm name", "NotSupportedError"))
	}
	return h
}

// lengthArg is a byte count the script asked for, 0 ≤ n ≤ max.
func (w *Worker) lengthArg(v goja.Value, max int) int {
	n := v.ToInteger()
	if n < 0 || n > int64(max) {
		panic(w.domException("The requested length is out of range", "OperationError"))
	}
	return int(n)
}

// pbkdf2Inline is the iteration count up to which PBKDF2 runs on the
// isolate goroutine (well under a millisecond); above it the work runs off
// the loop so the isolate's other requests keep running (SCRAM's 4096
// iterations are a few milliseconds).
const pbkdf2Inline = 1000

// pbkdf2MaxIterations is workerd's limit.
const pbkdf2MaxIterations = 100000

// nativePbkdf2(hash, password, salt, iterations, bytes) is the derived
// bytes, or a promise of them for a costly count.
func (w *Worker) nativePbkdf2(c goja.FunctionCall) goja.Value {
	h := w.hashArg(c.Argument(0))
	iter := c.Argument(3).ToInteger()
	if iter <= 0 {
		panic(w.domException("PBKDF2 requires a positive iteration count", "OperationError"))
	}
	if iter > pbkdf2MaxIterations {
		panic(w.domException("Pbkdf2 failed: iteration counts above 100000 are not supported (requested "+c.Argument(3).String()+").", "NotSupportedError"))
	}
	n := w.lengthArg(c.Argument(4), 1<<20)
	// Copies: the script may change its buffers while the work runs.
	pw := string(w.bytesArg(c.Argument(1)))
	salt := append([]byte(nil), w.bytesArg(c.Argument(2))...)
	derive := func() ([]byte, error) { return pbkdf2.Key(h, pw, salt, int(iter), n) }
	if iter <= pbkdf2Inline {
		out, err := derive()
		if err != nil {
			panic(w.domException("PBKDF2: "+err.Error(), "OperationError"))
		}
		return w.newUint8Array(out)
	}
	return w.vm.ToValue(w.iso.Async(func(context.Context) func(*goja.Runtime) (goja.Value, error) {
		out, err := derive()
		return func(*goja.Runtime) (goja.Value, error) {
			if err != nil {
				return nil, &domError{msg: "PBKDF2: " + err.Error(), name: "OperationError", w: w}
			}
			return w.newUint8Array(out), nil
		}
	}))
}

// domError is a DOMException for a promise settled by iso.Async.
type domError struct {
	msg, name string
	w         *Worker
}

func (e *domError) Error() string { return e.msg }

func (e *domError) ToJS(*isolates.Isolate) goja.Value { return e.w.domException(e.msg, e.name) }

// nativeAes(mode, encrypt, key, data, iv, additionalData, tagBits|counterBits)
// runs AES-GCM, AES-CBC (PKCS#7 padding) or AES-CTR.
func (w *Worker) nativeAes(c goja.FunctionCall) goja.Value {
	mode, encrypt := c.Argument(0).String(), c.Argument(1).ToBoolean()
	block, err := aes.NewCipher(w.bytesArg(c.Argument(2)))
	if err != nil {
		panic(w.domException("Invalid AES key length", "DataError"))
	}
	data, iv := w.bytesArg(c.Argument(3)), w.bytesArg(c.Argument(4))
	fail := func(msg string) { panic(w.domException(msg, "OperationError")) }
	var out []byte
	switch mode {
	case "AES-GCM":
		tag := int(c.Argument(6).ToInteger()) / 8
		if len(iv) == 0 {
			fail("AES-GCM IV must not be empty")
		}
		g, err := cipher.NewGCMWithNonceSize(block, len(iv))
		if err == nil && tag != 16 {
			g, err = newGCMTag(block, len(iv), tag)
		}
		if err != nil {
			fail("AES-GCM: " + err.Error())
		}
		aad := w.bytesArg(c.Argument(5))
		if encrypt {
			out = g.Seal(nil, iv, data, aad)
		} else {
			if len(data) < tag {
				fail("Ciphertext length of " + strconv.Itoa(len(data)*8) + " bits must be greater than or equal to the size of the tag (" + strconv.Itoa(tag*8) + " bits).")
			}
			out, err = g.Open(nil, iv, data, aad)
			if err != nil {
				fail("Decryption failed. This could be due to a ciphertext authentication failure, bad padding, incorrect CryptoKey, or another algorithm-specific reason.")
			}
		}
	case "AES-CBC":
		if len(iv) != aes.BlockSize {
			fail("AES-CBC IV must be 16 bytes long (provided " + strconv.Itoa(len(iv)) + " bytes).")
		}
		if encrypt {
			pad := aes.BlockSize - len(data)%aes.BlockSize
			out = make([]byte, len(data)+pad)
			copy(out, data)
			for i := len(data); i < len(out); i++ {
				out[i] = byte(pad)
			}
			cipher.NewCBCEncrypter(block, iv).CryptBlocks(out, out)
		} else {
			if len(data) == 0 || len(data)%aes.BlockSize != 0 {
				fail("Decryption failed. This could be due to a ciphertext authentication failure, bad padding, incorrect CryptoKey, or another algorithm-specific reason.")
			}
			out = make([]byte, len(data))
			cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, data)
			pad := int(out[len(out)-1])
			ok := pad >= 1 && pad <= aes.BlockSize
			for i := 0; ok && i < pad; i++ {
				ok = out[len(out)-1-i] == byte(pad)
			}
			if !ok {
				fail("Decryption failed. This could be due to a ciphertext authentication failure, bad padding, incorrect CryptoKey, or another algorithm-specific reason.")
			}
			out = out[:len(out)-pad]
		}
	case "AES-CTR":
		bits := int(c.Argument(6).ToInteger())
		if len(iv) != aes.BlockSize {
			fail("AES-CTR counter must be 16 bytes long")
		}
		if bits <= 0 || bits > 128 {
			fail("AES-CTR length must be between 1 and 128 bits")
		}
		out = aesCTR(block, iv, bits, data)
		if out == nil {
			fail("AES-CTR: the counter would wrap around")
		}
	default:
		panic(w.domException("Unrecognized algorithm name", "NotSupportedError"))
	}
	return w.newUint8Array(out)
}

// newGCMTag is AES-GCM with a short tag (Web Crypto allows 32…128 bits;
// Go's GCM takes 12…16 bytes, with the standard nonce size only).
func newGCMTag(block cipher.Block, nonce, tag int) (cipher.AEAD, error) {
	if nonce != 12 {
		return nil, errShortTag
	}
	return cipher.NewGCMWithTagSize(block, tag)
}

type constError string

func (e constError) Error() string { return string(e) }

const errShortTag = constError("a tag shorter than 128 bits needs a 96-bit IV")

// aesCTR is AES-CTR where only the counter block's low bits bits count
// (the rest of the block is a fixed nonce, as Web Crypto defines it); nil
// when the data needs more blocks than the counter has values (a repeated
// counter would reveal the XOR of two plaintexts).
func aesCTR(block cipher.Block, iv []byte, bits int, data []byte) []byte {
	blocks := (len(data) + aes.BlockSize - 1) / aes.BlockSize
	if bits < 64 && uint64(blocks) > 1<<bits {
		return nil
	}
	out := make([]byte, len(data))
	ctr := append([]byte(nil), iv...)
	var ks [aes.BlockSize]byte
	for i := 0; i < len(data); i += aes.BlockSize {
		block.Encrypt(ks[:], ctr)
		end := min(i+aes.BlockSize, len(data))
		subtle.XORBytes(out[i:end], data[i:end], ks[:end-i])
		incCounter(ctr, bits)
	}
	return out
}

// incCounter adds one to the low bits bits of the big-endian block ctr,
// wrapping within them.
func incCounter(ctr []byte, bits int) {
	for i := len(ctr) - 1; bits > 0 && i >= 0; i-- {
		take := min(bits, 8)
		mask := byte(1<<take - 1)
		v := (ctr[i] + 1) & mask
		ctr[i] = ctr[i]&^mask | v
		if v != 0 {
			return // no carry
		}
		bits -= take
	}
}

// nativeAesKw(wrap, kek, data) is RFC 3394 key wrap.
func (w *Worker) nativeAesKw(c goja.FunctionCall) goja.Value {
	block, err := aes.NewCipher(w.bytesArg(c.Argument(1)))
	if err != nil {
		panic(w.domException("Invalid AES key length", "DataError"))
	}
	data := w.bytesArg(c.Argument(2))
	var out []byte
	if c.Argument(0).ToBoolean() {
		if len(data) < 16 || len(data)%8 != 0 {
			panic(w.domException("The AES-KW input must be at least 16 bytes and a multiple of 8 bytes", "OperationError"))
		}
		out = kwWrap(block, data)
	} else {
		if len(data) < 24 || len(data)%8 != 0 {
			panic(w.domException("The AES-KW input must be at least 24 bytes and a multiple of 8 bytes", "OperationError"))
		}
		if out = kwUnwrap(block, data); out == nil {
			panic(w.domException("AES-KW unwrap failed: the integrity check did not match", "OperationError"))
		}
	}
	return w.newUint8Array(out)
}

var kwIV = [8]byte{0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6}

func kwWrap(block cipher.Block, plain []byte) []byte {
	n := len(plain) / 8
	out := make([]byte, len(plain)+8)
	copy(out[8:], plain)
	a := kwIV
	var b [16]byte
	for j := 0; j < 6; j++ {
		for i := 1; i <= n; i++ {
			copy(b[:8], a[:])
			copy(b[8:], out[i*8:i*8+8])
			block.Encrypt(b[:], b[:])
			t := uint64(n*j + i)
			binary.BigEndian.PutUint64(a[:], binary.BigEndian.Uint64(b[:8])^t)
			copy(out[i*8:], b[8:])
		}
	}
	copy(out[:8], a[:])
	return out
}

func kwUnwrap(block cipher.Block, wrapped []byte) []byte {
	n := len(wrapped)/8 - 1
	out := make([]byte, len(wrapped))
	copy(out, wrapped)
	var a [8]byte
	copy(a[:], out[:8])
	var b [16]byte
	for j := 5; j >= 0; j-- {
		for i := n; i >= 1; i-- {
			t := uint64(n*j + i)
			binary.BigEndian.PutUint64(b[:8], binary.BigEndian.Uint64(a[:])^t)
			copy(b[8:], out[i*8:i*8+8])
			block.Decrypt(b[:], b[:])
			copy(a[:], b[:8])
			copy(out[i*8:], b[8:])
		}
	}
	if subtle.ConstantTimeCompare(a[:], kwIV[:]) != 1 {
		return nil
	}
	return out[8:]
}
