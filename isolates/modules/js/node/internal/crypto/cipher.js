// node:internal/crypto/cipher: createCipheriv/createDecipheriv (AES in
// ECB, CBC, CTR, OFB, CFB and GCM modes, ChaCha20-Poly1305), getCiphers and
// getCipherInfo. Cipheriv and Decipheriv are Transform streams, made
// lazily as Hash is; update(data, inputEncoding, outputEncoding) and
// final(outputEncoding) decode their output with a StringDecoder kept
// between calls (a base64 or UTF-8 group split across calls comes out
// whole), as Node's do. The work and OpenSSL's rules (block buffering,
// PKCS#7 padding, AEAD tags) are node_crypto_cipher.go's.
"use strict";

const { Buffer } = require("node:buffer");
const { StringDecoder } = require("node:string_decoder");
const { E, LazyTransform, dataBytes, isBytes, toBuffer, validateString, view } = require("node:internal/crypto/util");
const { secretKeyBytes } = require("node:internal/crypto/keys");

const kIVTypes = "of type string or an instance of ArrayBuffer, Buffer, TypedArray, or DataView";

function ivBytes(iv) {
  if (iv === null) return null;
  if (typeof iv === "string") return Buffer.from(iv);
  if (isBytes(iv)) return view(iv);
  throw E.argType("iv", kIVTypes, iv);
}

// CipherBase is what Cipheriv and Decipheriv share.
class CipherBase extends LazyTransform {
  #state;
  #decoder;
  constructor(cipher, key, iv, options, decrypt) {
    super(options);
    validateString(cipher, "cipher");
    const o = options === undefined || options === null ? {} : options;
    const k = secretKeyBytes(key, o.encoding);
    const ivb = ivBytes(iv);
    let tagLength = -1;
    if (o.authTagLength !== undefined) {
      tagLength = o.authTagLength;
      if (typeof tagLength !== "number" || !Number.isInteger(tagLength) || tagLength < 0 || tagLength > 2147483647) {
        throw E.coded("TypeError", "ERR_INVALID_ARG_VALUE", `The property 'options.authTagLength' is invalid. Received ${String(tagLength)}`);
      }
    }
    this.#state = native.cipherNew(cipher, k, ivb, decrypt, tagLength);
    this.#decoder = null;
  }
  #output(bytes, encoding, end) {
    const buf = toBuffer(bytes);
    if (encoding === undefined || encoding === null || encoding === "" || encoding === "buffer") return buf;
    if (this.#decoder === null) this.#decoder = new StringDecoder(encoding);
    else if (this.#decoder.encoding !== new StringDecoder(encoding).encoding) {
      throw E.coded("Error", "ERR_INTERNAL_ASSERTION", "Cannot change encoding");
    }
    return end ? this.#decoder.end(buf) : this.#decoder.write(buf);
  }
  update(data, inputEncoding, outputEncoding) {
    const bytes = dataBytes(data, inputEncoding);
    return this.#output(native.cipherUpdate(this.#state, bytes), outputEncoding, false);
  }
  final(outputEncoding) {
    return this.#output(native.cipherFinal(this.#state), outputEncoding, true);
  }
  setAutoPadding(autoPadding) {
    if (!native.cipherSetAutoPadding(this.#state, autoPadding === undefined ? true : !!autoPadding)) throw E.state("setAutoPadding");
    return this;
  }
  // setAAD(buffer, {encoding, plaintextLength}): plaintextLength is CCM's,
  // which is not offered.
  setAAD(aadbuf, options) {
    const encoding = options !== null && typeof options === "object" ? options.encoding : undefined;
    let aad;
    if (typeof aadbuf === "string") aad = Buffer.from(aadbuf, Buffer.isEncoding(encoding) ? encoding : "utf8");
    else if (isBytes(aadbuf)) aad = view(aadbuf);
    else throw E.argType("buffer", kIVTypes, aadbuf);
    if (!native.cipherSetAAD(this.#state, aad)) throw E.state("setAAD");
    return this;
  }
  _transform(chunk, encoding, callback) {
    this.push(toBuffer(native.cipherUpdate(this.#state, dataBytes(chunk, encoding))));
    callback();
  }
  _flush(callback) {
    let out;
    try {
      out = native.cipherFinal(this.#state);
    } catch (e) {
      callback(e);
      return;
    }
    this.push(toBuffer(out));
    callback();
  }
  static state_(c) { return c.#state; }
}
// Taken off the class, so scripts cannot reach a cipher's state.
const stateOf = CipherBase.state_;
delete CipherBase.state_;

class Cipheriv extends CipherBase {
  constructor(cipher, key, iv, options) {
    super(cipher, key, iv, options, false);
  }
  getAuthTag() {
    const tag = native.cipherGetAuthTag(stateOf(this));
    if (tag === null) throw E.state("getAuthTag");
    return toBuffer(tag);
  }
}

class Decipheriv extends CipherBase {
  constructor(cipher, key, iv, options) {
    super(cipher, key, iv, options, true);
  }
  setAuthTag(tagbuf, encoding) {
    const tag = typeof tagbuf === "string" ? Buffer.from(tagbuf, Buffer.isEncoding(encoding) ? encoding : "utf8") : tagbuf;
    if (!ArrayBuffer.isView(tag)) throw E.argType("buffer", "of type string or an instance of Buffer, TypedArray, or DataView", tagbuf);
    const failure = native.cipherSetAuthTag(stateOf(this), view(tag));
    if (failure === "state") throw E.state("setAuthTag");
    if (failure === "length") throw E.coded("TypeError", "ERR_CRYPTO_INVALID_AUTH_TAG", "Invalid authentication tag length: " + tag.byteLength);
    return this;
  }
}

const createCipheriv = (cipher, key, iv, options) => new Cipheriv(cipher, key, iv, options);
const createDecipheriv = (cipher, key, iv, options) => new Decipheriv(cipher, key, iv, options);

let names;
function getCiphers() {
  if (names === undefined) names = native.cipherNames();
  return names.slice();
}

// getCipherInfo(nameOrNid, {keyLength, ivLength}): undefined for a cipher
// unknown here or lengths it refuses.
function getCipherInfo(nameOrNid, options) {
  if (typeof nameOrNid !== "string" && typeof nameOrNid !== "number") {
    throw E.argType("nameOrNid", "of type string or number", nameOrNid);
  }
  if (typeof nameOrNid === "number" && (!Number.isInteger(nameOrNid) || nameOrNid < -2147483648 || nameOrNid > 2147483647)) {
    throw E.range("nameOrNid", "an integer", nameOrNid);
  }
  const o = options === undefined ? {} : options;
  if (o === null || typeof o !== "object") throw E.argType("options", "of type object", options);
  let info;
  if (typeof nameOrNid === "number") {
    for (const n of getCiphers()) {
      const i = native.cipherInfo(n);
      if (i.nid === nameOrNid) { info = i; break; }
    }
  } else {
    info = native.cipherInfo(nameOrNid);
  }
  if (info === undefined) return undefined;
  const { keyLength, ivLength } = o;
  if (keyLength !== undefined && keyLength !== info.keyLength) return undefined;
  if (ivLength !== undefined && ivLength !== info.ivLength) {
    const flexible = info.mode === "gcm" ? ivLength > 0 : false;
    if (!flexible) return undefined;
    info.ivLength = ivLength;
  }
  return info;
}

module.exports = { Cipheriv, Decipheriv, createCipheriv, createDecipheriv, getCiphers, getCipherInfo };
