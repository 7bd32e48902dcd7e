package modules

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"sort"
	"strings"

	"github.com/dop251/goja"

	"edgerun/isolates"
)

// cipherNatives are node:internal/crypto/cipher's: Cipheriv/Decipheriv
// states (AES in ECB, CBC, CTR, OFB, CFB and GCM modes, ChaCha20-Poly1305)
// with OpenSSL's behaviour as Node shows it: block modes hold back what
// does not fill a block (and, decrypting with padding, the last block),
// PKCS#7 padding unless turned off, AEAD tags at final, and Node's errors.
//
//	cipherInfo(name)                          {name, nid, mode, keyLength, ivLength?, blockSize?} or undefined
//	cipherNames()                             the names getCiphers lists
//	cipherNew(name, key, iv, decrypt, tagLen) a state (tagLen -1: the default)
//	cipherUpdate(state, bytes)                output bytes
//	cipherFinal(state)                        output bytes
//	cipherSetAAD(state, bytes) / cipherSetAutoPadding(state, on) / cipherSetAuthTag(state, tag): false in a wrong state
//	cipherGetAuthTag(state)                   the tag, or null in a wrong state
func cipherNatives(r *Registry, set NativeSet) {
	vm := r.vm
	errorNatives(r, set)
	set("cipherInfo", func(c goja.FunctionCall) goja.Value {
		spec := lookupCipher(c.Argument(0).String())
		if spec == nil {
			return goja.Undefined()
		}
		o := vm.NewObject()
		_ = o.Set("mode", spec.mode)
		_ = o.Set("name", spec.name)
		_ = o.Set("nid", spec.nid)
		if spec.mode != "stream" {
			_ = o.Set("blockSize", spec.blockSize())
		}
		if spec.ivLen > 0 {
			_ = o.Set("ivLength", spec.ivLen)
		}
		_ = o.Set("keyLength", spec.keyLen)
		return o
	})
	set("cipherNames", func(goja.FunctionCall) goja.Value {
		names := make([]string, 0, len(cipherSpecs)+len(cipherAliases))
		for n := range cipherSpecs {
			names = append(names, n)
		}
		for n := range cipherAliases {
			names = append(names, n)
		}
		sort.Strings(names)
		return vm.ToValue(names)
	})
	set("cipherNew", func(c goja.FunctionCall) goja.Value {
		spec := lookupCipher(c.Argument(0).String())
		if spec == nil {
			panic(r.codedError("Error", "ERR_CRYPTO_UNKNOWN_CIPHER", "Unknown cipher"))
		}
		key, iv := viewArg(vm, c.Argument(1)), []byte(nil)
		hasIV := !goja.IsNull(c.Argument(2)) && !goja.IsUndefined(c.Argument(2))
		if hasIV {
			iv = viewArg(vm, c.Argument(2))
		}
		s, code := newCipherState(spec, clone(key), clone(iv), hasIV, c.Argument(3).ToBoolean(), int(c.Argument(4).ToInteger()))
		switch code {
		case "":
			return vm.ToValue(s)
		case "ERR_CRYPTO_INVALID_KEYLEN":
			panic(r.codedError("RangeError", code, "Invalid key length"))
		case "ERR_CRYPTO_INVALID_IV":
			panic(r.codedError("TypeError", code, "Invalid initialization vector"))
		default:
			panic(r.codedError("TypeError", "ERR_CRYPTO_INVALID_AUTH_TAG", "Invalid authentication tag length: "+c.Argument(4).String()))
		}
	})
	set("cipherUpdate", func(c goja.FunctionCall) goja.Value {
		s := r.cipherArg(c.Argument(0))
		if s.done {
			panic(r.iso.NewError("Trying to add data in unsupported state"))
		}
		return r.iso.NewUint8Array(s.update(viewArg(vm, c.Argument(1))))
	})
	set("cipherFinal", func(c goja.FunctionCall) goja.Value {
		s := r.cipherArg(c.Argument(0))
		if s.done {
			panic(r.codedError("Error", "ERR_CRYPTO_INVALID_STATE", "Invalid state"))
		}
		out, failure := s.final()
		switch failure {
		case "":
			return r.iso.NewUint8Array(out)
		case "auth":
			panic(r.iso.NewError("Unsupported state or unable to authenticate data"))
		case "wrong final block length":
			panic(r.osslError("1C80006B", "Provider routines", failure))
		default:
			panic(r.osslError("1C800064", "Provider routines", failure))
		}
	})
	set("cipherSetAAD", func(c goja.FunctionCall) goja.Value {
		s := r.cipherArg(c.Argument(0))
		if s.aead == nil || s.started || s.done {
			return vm.ToValue(false)
		}
		s.aead.aad(viewArg(vm, c.Argument(1)))
		return vm.ToValue(true)
	})
	set("cipherSetAutoPadding", func(c goja.FunctionCall) goja.Value {
		s := r.cipherArg(c.Argument(0))
		if s.done {
			return vm.ToValue(false)
		}
		s.padding = c.Argument(1).ToBoolean()
		return vm.ToValue(true)
	})
	set("cipherGetAuthTag", func(c goja.FunctionCall) goja.Value {
		s := r.cipherArg(c.Argument(0))
		if s.aead == nil || s.decrypt || !s.done || s.tag == nil {
			return goja.Null()
		}
		return r.iso.NewUint8Array(s.tag)
	})
	// cipherSetAuthTag: "" when set, "state" in a wrong state, "length"
	// for a tag length the cipher refuses.
	set("cipherSetAuthTag", func(c goja.FunctionCall) goja.Value {
		s := r.cipherArg(c.Argument(0))
		if s.aead == nil || !s.decrypt || s.done || s.tag != nil {
			return vm.ToValue("state")
		}
		tag := viewArg(vm, c.Argument(1))
		if !s.spec.validTagLen(len(tag)) || (s.tagLen > 0 && len(tag) != s.tagLen) {
			return vm.ToValue("length")
		}
		s.tag = clone(tag)
		return vm.ToValue("")
	})
}

// osslError is an OpenSSL error as Node reports it (message, library,
// reason, code ERR_OSSL_<LIB>_<REASON>, where the provider's errors name no
// library).
func (r *Registry) osslError(hex, library, reason string) *goja.Object {
	lib := map[string]string{"rsa routines": "RSA_", "digital envelope routines": "EVP_"}[library]
	e := r.codedError("Error", "ERR_OSSL_"+lib+strings.ToUpper(strings.ReplaceAll(reason, " ", "_")), "error:"+hex+":"+library+"::"+reason)
	_ = e.Set("library", library)
	_ = e.Set("reason", reason)
	return e
}

func (r *Registry) cipherArg(v goja.Value) *cipherState {
	s, ok := isolates.Export(v).(*cipherState)
	if !ok {
		panic(r.vm.NewTypeError("not a cipher"))
	}
	return s
}

// cipherSpec is one cipher by OpenSSL's name.
type cipherSpec struct {
	name   string // as getCipherInfo names it
	nid    int
	mode   string // ecb, cbc, ctr, ofb, cfb, gcm, stream (chacha20-poly1305)
	keyLen int
	ivLen  int // 0: none (ECB)
}

func (s *cipherSpec) blockSize() int {
	if s.mode == "ecb" || s.mode == "cbc" {
		return aes.BlockSize
	}
	return 1
}

// validTagLen: GCM takes 4, 8 and 12 to 16 bytes; ChaCha20-Poly1305 1 to 16.
func (s *cipherSpec) validTagLen(n int) bool {
	if s.mode == "gcm" {
		return n == 4 || n == 8 || (n >= 12 && n <= 16)
	}
	return n >= 1 && n <= 16
}

var cipherSpecs = func() map[string]*cipherSpec {
	m := map[string]*cipherSpec{
		"chacha20-poly1305": {name: "chacha20-poly1305", nid: 1018, mode: "stream", keyLen: 32, ivLen: 12},
	}
	nids := map[string][3]int{"ecb": {418, 422, 426}, "cbc": {419, 423, 427}, "ofb": {420, 424, 428}, "cfb": {421, 425, 429},
		"ctr": {904, 905, 906}, "gcm": {895, 898, 901}}
	for mode, ids := range nids {
		for i, bits := range []string{"128", "192", "256"} {
			name := "aes-" + bits + "-" + mode
			spec := &cipherSpec{name: name, nid: ids[i], mode: mode, keyLen: 16 + 8*i, ivLen: 16}
			switch mode {
			case "ecb":
				spec.ivLen = 0
			case "gcm":
				spec.name, spec.ivLen = "id-aes"+bits+"-gcm", 12
			}
			m[name] = spec
		}
	}
	return m
}()

// cipherAliases are OpenSSL's other names for the same ciphers, as
// getCiphers lists them.
var cipherAliases = map[string]string{
	"aes128": "aes-128-cbc", "aes192": "aes-192-cbc", "aes256": "aes-256-cbc",
	"id-aes128-GCM": "aes-128-gcm", "id-aes192-GCM": "aes-192-gcm", "id-aes256-GCM": "aes-256-gcm",
}

// lookupCipher finds a cipher by name, case-insensitively, as OpenSSL does.
func lookupCipher(name string) *cipherSpec {
	name = strings.ToLower(name)
	if s, ok := cipherSpecs[name]; ok {
		return s
	}
	for alias, to := range cipherAliases {
		if strings.ToLower(alias) == name {
			return cipherSpecs[to]
		}
	}
	return nil
}

// cipherState is a Cipheriv's or Decipheriv's Go side.
type cipherState struct {
	spec    *cipherSpec
	decrypt bool
	padding bool
	started bool // data was given (AAD no longer accepted)
	done    bool // final ran
	// block modes (ECB, CBC): what does not fill a block yet
	block   cipher.Block
	mode    cipher.BlockMode // CBC; nil for ECB
	pending []byte
	stream  cipher.Stream // CTR, OFB, CFB
	aead    aead          // GCM, ChaCha20-Poly1305
	tagLen  int           // the authTagLength asked for; 0: the default
	tag     []byte        // the tag made (encrypting) or to check (decrypting)
}

// newCipherState checks key and IV as OpenSSL does and makes the state;
// the failure is Node's error code.
func newCipherState(spec *cipherSpec, key, iv []byte, hasIV, decrypt bool, tagLen int) (*cipherState, string) {
	if len(key) != spec.keyLen {
		return nil, "ERR_CRYPTO_INVALID_KEYLEN"
	}
	switch {
	case spec.ivLen == 0 && len(iv) != 0, spec.ivLen > 0 && !hasIV:
		return nil, "ERR_CRYPTO_INVALID_IV"
	case spec.mode == "gcm" && len(iv) == 0, spec.mode != "gcm" && spec.ivLen > 0 && len(iv) != spec.ivLen:
		return nil, "ERR_CRYPTO_INVALID_IV"
	case spec.mode == "gcm" && len(iv) > maxIVLen:
		return nil, "ERR_CRYPTO_INVALID_IV"
	}
	s := &cipherState{spec: spec, decrypt: decrypt, padding: true}
	if spec.mode == "gcm" || spec.mode == "stream" {
		if tagLen >= 0 && !spec.validTagLen(tagLen) {
			return nil, "ERR_CRYPTO_INVALID_AUTH_TAG"
		}
		if tagLen > 0 {
			s.tagLen = tagLen
		} else if spec.mode == "stream" {
			// Node gives ChaCha20-Poly1305 16-byte tags unless told
			// otherwise, and a decipher takes no other length then.
			s.tagLen = 16
		}
	}
	if spec.mode == "stream" {
		a, err := newChachaPoly(key, iv)
		if err != nil {
			return nil, "ERR_CRYPTO_INVALID_IV"
		}
		s.aead = a
		return s, ""
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, "ERR_CRYPTO_INVALID_KEYLEN"
	}
	switch spec.mode {
	case "ecb":
		s.block = b
	case "cbc":
		s.block = b
		if decrypt {
			s.mode = cipher.NewCBCDecrypter(b, iv)
		} else {
			s.mode = cipher.NewCBCEncrypter(b, iv)
		}
	case "ctr":
		s.stream = cipher.NewCTR(b, iv)
	case "ofb":
		s.stream = cipher.NewOFB(b, iv) //nolint:staticcheck // OpenSSL's aes-*-ofb, which scripts name
	case "cfb":
		if decrypt {
			s.stream = cipher.NewCFBDecrypter(b, iv) //nolint:staticcheck // as above
		} else {
			s.stream = cipher.NewCFBEncrypter(b, iv) //nolint:staticcheck
		}
	case "gcm":
		s.aead = newGCM(b, iv)
	}
	return s, ""
}

// maxIVLen bounds a GCM IV (GHASHed in one go when the state is made).
const maxIVLen = 1 << 16

func (s *cipherState) update(in []byte) []byte {
	s.started = true
	switch {
	case s.stream != nil:
		out := make([]byte, len(in))
		s.stream.XORKeyStream(out, in)
		return out
	case s.aead != nil:
		out := make([]byte, len(in))
		s.aead.crypt(out, in, s.decrypt)
		return out
	}
	// A block mode: whole blocks go through; the rest waits. Decrypting
	// with padding keeps the last whole block back too, as OpenSSL does:
	// final needs it to strip the padding.
	data := append(s.pending, in...)
	n := len(data) - len(data)%aes.BlockSize
	if s.decrypt && s.padding && n == len(data) && n > 0 {
		n -= aes.BlockSize
	}
	out := s.crypt(data[:n])
	s.pending = append([]byte(nil), data[n:]...)
	return out
}

func (s *cipherState) crypt(data []byte) []byte {
	out := make([]byte, len(data))
	if s.mode != nil {
		s.mode.CryptBlocks(out, data)
		return out
	}
	for i := 0; i < len(data); i += aes.BlockSize {
		if s.decrypt {
			s.block.Decrypt(out[i:], data[i:])
		} else {
			s.block.Encrypt(out[i:], data[i:])
		}
	}
	return out
}

// final ends the cipher; failure is "" or why it failed ("auth", or
// OpenSSL's reason).
func (s *cipherState) final() ([]byte, string) {
	s.done = true
	switch {
	case s.stream != nil:
		return nil, ""
	case s.aead != nil:
		tag := s.aead.tag()
		if !s.decrypt {
			n := 16
			if s.tagLen > 0 {
				n = s.tagLen
			}
			s.tag = tag[:n]
			return nil, ""
		}
		if s.tag == nil || subtle.ConstantTimeCompare(tag[:len(s.tag)], s.tag) != 1 {
			return nil, "auth"
		}
		return nil, ""
	}
	if !s.decrypt {
		if !s.padding {
			if len(s.pending) != 0 {
				return nil, "wrong final block length"
			}
			return nil, ""
		}
		pad := aes.BlockSize - len(s.pending)
		for i := 0; i < pad; i++ {
			s.pending = append(s.pending, byte(pad))
		}
		return s.crypt(s.pending), ""
	}
	if !s.padding {
		if len(s.pending) != 0 {
			return nil, "wrong final block length"
		}
		return nil, ""
	}
	if len(s.pending) != aes.BlockSize {
		return nil, "wrong final block length"
	}
	out := s.crypt(s.pending)
	pad := int(out[len(out)-1])
	if pad < 1 || pad > aes.BlockSize {
		return nil, "bad decrypt"
	}
	for _, b := range out[len(out)-pad:] {
		if int(b) != pad {
			return nil, "bad decrypt"
		}
	}
	return out[:len(out)-pad], ""
}
