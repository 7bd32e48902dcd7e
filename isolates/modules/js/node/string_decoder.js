// node:string_decoder: StringDecoder turns a stream of byte chunks into
// text without splitting a character across writes: an incomplete UTF-8
// sequence, a UTF-16 unit or surrogate pair, or a base64 group is held
// until the next write completes it (or end() flushes it as Node does).
"use strict";

const { Buffer } = require("node:buffer");

const names = {
  utf8: "utf8", "utf-8": "utf8", ucs2: "utf16le", "ucs-2": "utf16le", utf16le: "utf16le", "utf-16le": "utf16le",
  latin1: "latin1", binary: "latin1", base64: "base64", base64url: "base64url", hex: "hex", ascii: "ascii",
};

function normalize(enc) {
  if (enc === undefined || enc === null || enc === "") return "utf8";
  const n = names[String(enc).toLowerCase()];
  if (n === undefined) throw native.codedError("TypeError", "ERR_UNKNOWN_ENCODING", "Unknown encoding: " + enc);
  return n;
}

// utf8Pending is how many bytes at the end of b start a UTF-8 sequence
// the chunk does not finish.
function utf8Pending(b) {
  const len = b.length;
  for (let i = len - 1; i >= 0 && i >= len - 3; i--) {
    const c = b[i];
    if ((c & 0xc0) === 0x80) continue;
    if (c < 0xc2 || c > 0xf4) return 0;
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    return len - i < need ? len - i : 0;
  }
  return 0;
}

class StringDecoder {
  #pending;
  constructor(encoding) {
    this.encoding = normalize(encoding);
    this.#pending = Buffer.alloc(0);
  }

  write(buf) {
    if (typeof buf === "string") return buf;
    if (!ArrayBuffer.isView(buf)) throw native.argTypeError("buf", "an instance of Buffer, TypedArray, or DataView", buf);
    let b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    if (b.length === 0) return "";
    if (this.#pending.length) b = Buffer.concat([this.#pending, b]);
    let keep = 0;
    switch (this.encoding) {
      case "utf8":
        keep = utf8Pending(b);
        break;
      case "utf16le":
        keep = b.length % 2;
        if (b.length - keep >= 2) {
          const last = b[b.length - keep - 2] | (b[b.length - keep - 1] << 8);
          if (last >= 0xd800 && last <= 0xdbff) keep += 2;
        }
        break;
      case "base64":
      case "base64url":
        keep = b.length % 3;
        break;
    }
    this.#pending = Buffer.from(b.subarray(b.length - keep));
    return b.toString(this.encoding, 0, b.length - keep);
  }

  end(buf) {
    let out = buf === undefined ? "" : this.write(buf);
    const rest = this.#pending;
    this.#pending = Buffer.alloc(0);
    if (rest.length) {
      switch (this.encoding) {
        case "utf8":
          out += "\ufffd";
          break;
        case "utf16le":
          out += rest.toString("utf16le", 0, rest.length - (rest.length % 2));
          break;
        default:
          out += rest.toString(this.encoding);
      }
    }
    return out;
  }

  text(buf, offset) {
    this.#pending = Buffer.alloc(0);
    return this.write(buf.subarray(offset));
  }

  get lastNeed() {
    const n = this.#pending.length;
    if (n === 0) return 0;
    switch (this.encoding) {
      case "utf8": {
        const c = this.#pending[0];
        return (c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2) - n;
      }
      case "utf16le":
        return n % 2 === 1 ? 1 : 2;
      default:
        return 3 - n;
    }
  }

  get lastTotal() {
    return this.#pending.length + this.lastNeed;
  }
}

module.exports = { StringDecoder };
