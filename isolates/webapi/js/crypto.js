// crypto: the Crypto class (crypto instanceof Crypto, as workerd) with
// randomUUID, getRandomValues and subtle (crypto-subtle.js);
// crypto-digest-stream.js adds DigestStream. Natives: crypto.go.

const cryptoToken = Symbol("Crypto");
class Crypto {
  constructor(token) {
    if (token !== cryptoToken) throw new TypeError("Illegal constructor");
  }
  get subtle() { return subtle; }
  randomUUID() { return native.randomUUID(); }
  getRandomValues(arr) {
    if (!ArrayBuffer.isView(arr) || arr instanceof Float32Array || arr instanceof Float64Array || arr instanceof DataView)
      throw new DOMException("The data argument must be an integer-type TypedArray", "TypeMismatchError");
    if (arr.byteLength > 65536)
      throw new DOMException(`The ArrayBufferView's byte length (${arr.byteLength}) exceeds the number of bytes of entropy available via this API (65536)`, "QuotaExceededError");
    native.fillRandom(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength));
    return arr;
  }
}
tag(Crypto, "Crypto");
const crypto = new Crypto(cryptoToken);
define("Crypto", Crypto);
define("crypto", crypto);
