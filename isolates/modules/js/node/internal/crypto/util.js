// node:internal/crypto/util: what node:crypto's parts share — Node's
// coded errors, byte views, argument checks, output encodings, and
// LazyTransform (Hash, Hmac, Cipheriv and Decipheriv are Transform
// streams whose stream state is made only when a stream method is first
// used, as Node's are, so update()/digest() cost no stream set-up).
"use strict";

const { Buffer } = require("node:buffer");
const { Transform } = require("node:stream");

const E = {
  argType: (name, expected, value) => native.argTypeError(name, expected, value),
  range: (name, range, value) => native.outOfRange(name, range, value),
  coded: (kind, code, msg) => native.codedError(kind, code, msg),
  // An error with Node's message and no code (OpenSSL's plain errors).
  plain: (msg) => new Error(msg),
  state: (op) => native.codedError("Error", "ERR_CRYPTO_INVALID_STATE", "Invalid state for operation " + op),
  finalized: () => native.codedError("Error", "ERR_CRYPTO_HASH_FINALIZED", "Digest already called"),
  digest: (d) => native.codedError("TypeError", "ERR_CRYPTO_INVALID_DIGEST", "Invalid digest: " + d),
  // OpenSSL's errors as Node reports them: code ERR_OSSL_<reason>, library
  // and reason properties.
  ossl: (hex, library, reason) => {
    const e = new Error(`error:${hex}:${library}::${reason}`);
    e.library = library;
    e.reason = reason;
    e.code = "ERR_OSSL_" + reason.toUpperCase().replace(/ /g, "_");
    return e;
  },
};

const kData = "of type string or an instance of Buffer, TypedArray, or DataView";

const toBuffer = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.length);

function isBytes(v) {
  return v instanceof ArrayBuffer || ArrayBuffer.isView(v);
}

// view is a Uint8Array over v's bytes (an ArrayBuffer or any view).
function view(v) {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

// dataBytes is update()'s data: a string in encoding (utf8 for an unknown
// one, as Node falls back; odd-length hex refused as Node's
// validateEncoding does) or a view (not an ArrayBuffer, as Node has it).
function dataBytes(data, encoding) {
  if (typeof data === "string") {
    const enc = typeof encoding === "string" && Buffer.isEncoding(encoding) ? encoding : "utf8";
    if (enc.toLowerCase() === "hex" && data.length % 2 !== 0) {
      throw E.coded("TypeError", "ERR_INVALID_ARG_VALUE", `The argument 'encoding' is invalid for data of length ${data.length}. Received '${encoding}'`);
    }
    return Buffer.from(data, enc);
  }
  if (ArrayBuffer.isView(data)) return view(data);
  throw E.argType("data", kData, data);
}

function validateString(v, name) {
  if (typeof v !== "string") throw E.argType(name, "of type string", v);
}

function validateFunction(v, name) {
  if (typeof v !== "function") throw E.argType(name, "of type function", v);
}

function encodeOutput(buf, encoding) {
  return encoding !== undefined && encoding !== "buffer" && Buffer.isEncoding(encoding) ? buf.toString(encoding) : buf;
}

// Callbacks run after the call returns, as Node's do.
function later(callback, ...args) {
  queueMicrotask(() => callback(...args));
}

// LazyTransform is a Transform whose state (_readableState,
// _writableState) is made on first access: a stream method touching it
// runs Transform's constructor then. Strings written stay strings
// (decodeStrings false), so _transform sees their encoding.
function LazyTransform(options) {
  this._options = options;
}
Object.setPrototypeOf(LazyTransform.prototype, Transform.prototype);
Object.setPrototypeOf(LazyTransform, Transform);
for (const name of ["_readableState", "_writableState"]) {
  Object.defineProperty(LazyTransform.prototype, name, {
    configurable: true,
    enumerable: true,
    get() {
      Transform.call(this, this._options);
      this._writableState.decodeStrings = false;
      return this[name];
    },
    set(value) {
      Object.defineProperty(this, name, { value, enumerable: true, configurable: true, writable: true });
    },
  });
}

module.exports = { E, LazyTransform, dataBytes, encodeOutput, isBytes, later, toBuffer, validateFunction, validateString, view };
