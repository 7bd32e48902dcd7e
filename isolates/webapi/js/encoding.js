// TextEncoder, TextDecoder (UTF-8 and the Encoding Standard's legacy
// encodings), atob, btoa (Encoding API, HTML base64).
// Natives: encoding.go.

const utf8Labels = new Set(["utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"]);
class TextEncoder {
  get encoding() { return "utf-8"; }
  encode(input = "") { return native.utf8Encode(String(input)); }
  encodeInto(src, dest) {
    const bytes = native.utf8Encode(String(src));
    let n = Math.min(bytes.length, dest.length);
    // Never split a code point: back up to a lead byte.
    if (n < bytes.length) while (n > 0 && (bytes[n] & 0xc0) === 0x80) n--;
    dest.set(bytes.subarray(0, n));
    return { read: native.utf16Length(bytes.subarray(0, n)), written: n };
  }
}
// The Encoding Standard's other encodings (windows-1252 for latin1 and
// ascii, the other single-byte ones, UTF-16 and the CJK ones, as workerd
// has them) decode in Go (encoding.go); UTF-8 stays on the path below.
class TextDecoder {
  constructor(label = "utf-8", options = {}) {
    const l = String(label).trim().toLowerCase();
    this._fatal = !!options.fatal;
    this._ignoreBOM = !!options.ignoreBOM;
    if (!utf8Labels.has(l)) {
      const name = native.legacyEncoding(l);
      if (name === undefined) throw new RangeError(`The "${label}" encoding is not supported`);
      this._encoding = name;
      this._legacy = native.legacyDecoder(name, this._fatal);
    }
  }
  get encoding() { return this._encoding || "utf-8"; }
  get fatal() { return this._fatal; }
  get ignoreBOM() { return this._ignoreBOM; }
  decode(input, options) {
    let bytes = input === undefined || input === null ? new Uint8Array(0) : toBytes(input, "TextDecoder.decode");
    const stream = !!(options && options.stream);
    if (this._legacy) return this._decodeLegacy(bytes, stream);
    if (this._pending) {
      bytes = concatBytes([this._pending, bytes]);
      this._pending = null;
    }
    if (stream) {
      // Keep an incomplete UTF-8 sequence at the end for the next call.
      const cut = completeUTF8(bytes);
      if (cut < bytes.length) {
        this._pending = bytes.slice(cut);
        bytes = bytes.subarray(0, cut);
      }
    }
    // A BOM is only one at the start of the stream.
    const out = native.utf8Decode(bytes, this._fatal, this._ignoreBOM || this._started === true);
    this._started = stream ? this._started || bytes.length > 0 : false;
    return out;
  }
  _decodeLegacy(bytes, stream) {
    let out = this._legacy(bytes, stream);
    // UTF-16's byte order mark goes, as UTF-8's does; no other encoding has one.
    if (!this._ignoreBOM && !this._started && this._encoding.startsWith("utf-16") && out.charCodeAt(0) === 0xfeff) out = out.slice(1);
    this._started = stream ? this._started || out.length > 0 : false;
    return out;
  }
}
// completeUTF8 is the length of bytes without an unfinished UTF-8
// sequence at its end.
function completeUTF8(bytes) {
  const n = bytes.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}
define("TextEncoder", TextEncoder);
define("TextDecoder", TextDecoder);
define("atob", function atob(s) {
  if (arguments.length === 0) throw new TypeError("Failed to execute 'atob': 1 argument required, but only 0 present.");
  return native.atob(String(s));
});
define("btoa", function btoa(s) {
  if (arguments.length === 0) throw new TypeError("Failed to execute 'btoa': 1 argument required, but only 0 present.");
  return native.btoa(String(s));
});
