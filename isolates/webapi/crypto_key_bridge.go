package webapi

import (
	"errors"

	"github.com/dop251/goja"

	"edgerun/isolates"
	"edgerun/isolates/cryptokeys"
)

// The bridge between Web Crypto's CryptoKeys and node:crypto's KeyObjects
// (KeyObject.from, keyObject.toCryptoKey, a CryptoKey given to createHmac,
// createCipheriv, sign…). A CryptoKey's material stays where crypto-key.js
// keeps it, out of scripts' reach; crypto-subtle.js hands the Go side two
// functions once, when the isolate is set up — one reading a key's slots,
// one importing a key synchronously — and isolates/modules calls them
// through CryptoKeyMaterial and ImportCryptoKey. Nothing here is reachable
// from a script.

type cryptoKeyBridgeKey struct{}

type cryptoKeyBridge struct {
	slots     goja.Callable // (key) → [type, material] | undefined
	importKey goja.Callable // (format, data, algorithm, extractable, usages) → CryptoKey
}

func (w *Worker) cryptoKeyBridgeNatives(set nativeSet) {
	set("cryptoKeyBridge", func(c goja.FunctionCall) goja.Value {
		slots, ok1 := goja.AssertFunction(c.Argument(0))
		imp, ok2 := goja.AssertFunction(c.Argument(1))
		if ok1 && ok2 && w.iso.Value(cryptoKeyBridgeKey{}) == nil {
			w.iso.SetValue(cryptoKeyBridgeKey{}, &cryptoKeyBridge{slots: slots, importKey: imp})
		}
		return goja.Undefined()
	})
}

// CryptoKeyMaterial reads the CryptoKey v: its type ("secret", "public",
// "private") and its material — a copy of a secret key's bytes, or an
// asymmetric key's Go handle. ok is false when v is no CryptoKey.
func CryptoKeyMaterial(iso *isolates.Isolate, v goja.Value) (typ string, secret []byte, key *cryptokeys.Key, ok bool) {
	b, _ := iso.Value(cryptoKeyBridgeKey{}).(*cryptoKeyBridge)
	if b == nil || v == nil {
		return "", nil, nil, false
	}
	res, err := b.slots(goja.Undefined(), v)
	if err != nil || goja.IsUndefined(res) {
		return "", nil, nil, false
	}
	arr := res.ToObject(iso.Runtime())
	typ = arr.Get("0").String()
	material := arr.Get("1")
	if k, isKey := isolates.Export(material).(*cryptokeys.Key); isKey {
		return typ, nil, k, true
	}
	if bytes, isBytes := isolates.Export(material).([]byte); isBytes {
		return typ, append([]byte(nil), bytes...), nil, true
	}
	return "", nil, nil, false
}

// ImportCryptoKey makes a CryptoKey as crypto.subtle.importKey would, but
// synchronously (keyObject.toCryptoKey): format "raw" (secret bytes),
// "spki" or "pkcs8" (DER); its errors are importKey's.
func ImportCryptoKey(iso *isolates.Isolate, format string, data []byte, algorithm, extractable, usages goja.Value) (goja.Value, error) {
	b, _ := iso.Value(cryptoKeyBridgeKey{}).(*cryptoKeyBridge)
	if b == nil {
		return nil, errors.New("Web Crypto is not installed")
	}
	return b.importKey(goja.Undefined(), iso.Runtime().ToValue(format), iso.NewUint8Array(data), algorithm, extractable, usages)
}
