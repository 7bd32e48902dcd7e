// node:crypto: hashes, HMACs, randomness, the key derivations (pbkdf2,
// scrypt, hkdf), timingSafeEqual, KeyObjects, signatures and key pairs
// (node:internal/crypto/keys), and Web Crypto
// (webcrypto, subtle, getRandomValues are globalThis.crypto's, as in
// workerd). Node's argument checks and error codes; the work is Go's
// (node_crypto.go). Results are Buffers.
"use strict";

const { Buffer } = require("node:buffer");

const { E, isBytes, later, toBuffer, validateFunction, validateString, view } = require("node:internal/crypto/util");
const kBinaryLike = "of type string or an instance of ArrayBuffer, Buffer, TypedArray, or DataView";
const kMaxInt32 = 2147483647;
const kMaxPbkdf2Iterations = 100000;

// Taken when the module loads: a script replacing globalThis.crypto later
// does not change node:crypto.
const webcrypto = globalThis.crypto;

// binaryLike is a string (in encoding, utf8 for an unknown one, as Node's
// hash update falls back) or bytes as a Uint8Array; anything else is
// ERR_INVALID_ARG_TYPE naming name.
function binaryLike(v, name, encoding, expected = kBinaryLike) {
  if (typeof v === "string") return Buffer.from(v, Buffer.isEncoding(encoding) ? encoding : "utf8");
  if (isBytes(v)) return view(v);
  if (v instanceof KeyObject && v.type === "secret") return view(v.export());
  throw E.argType(name, expected, v);
}

function validateInt32(v, name, min = -2147483648, max = kMaxInt32) {
  if (typeof v !== "number") throw E.argType(name, "of type number", v);
  if (!Number.isInteger(v)) throw E.range(name, "an integer", v);
  if (v < min || v > max) throw E.range(name, `>= ${min} && <= ${max}`, v);
}

function validateSize(size, name, max) {
  if (typeof size !== "number") throw E.argType(name, "of type number", size);
  if (!(size >= 0 && size <= max)) throw E.range(name, `>= 0 && <= ${max}`, size);
}

function randomBytes(size, callback) {
  validateSize(size, "size", kMaxInt32);
  if (callback !== undefined) validateFunction(callback, "callback");
  const buf = Buffer.alloc(size);
  native.fillRandom(buf);
  if (callback === undefined) return buf;
  later(callback, null, buf);
}

function randomFillSync(buf, offset = 0, size) {
  if (!isBytes(buf)) throw E.argType("buf", "an instance of ArrayBuffer or ArrayBufferView", buf);
  const el = buf.BYTES_PER_ELEMENT || 1;
  const total = buf.byteLength;
  validateSize(offset, "offset", kMaxInt32);
  offset *= el;
  if (offset > total) throw E.range("offset", `>= 0 && <= ${total}`, offset);
  if (size === undefined) size = total - offset;
  else {
    validateSize(size, "size", kMaxInt32);
    size *= el;
  }
  if (offset + size > total) throw E.range("size + offset", `<= ${total}`, size + offset);
  const bytes = view(buf);
  native.fillRandom(bytes.subarray(offset, offset + size));
  return buf;
}

function randomFill(buf, offset, size, callback) {
  if (typeof offset === "function") [callback, offset, size] = [offset, 0, undefined];
  else if (typeof size === "function") [callback, size] = [size, undefined];
  validateFunction(callback, "callback");
  randomFillSync(buf, offset, size);
  later(callback, null, buf);
}

const kRandMax = 2 ** 48 - 1;

function randomInt(min, max, callback) {
  const minNotGiven = max === undefined || typeof max === "function";
  if (minNotGiven) [callback, max, min] = [max, min, 0];
  if (callback !== undefined) validateFunction(callback, "callback");
  if (!Number.isSafeInteger(min)) throw E.argType("min", "a safe integer", min);
  if (!Number.isSafeInteger(max)) throw E.argType("max", "a safe integer", max);
  if (max <= min) throw E.range("max", `greater than the value of "min" (${min})`, max);
  const range = max - min;
  if (range > kRandMax) throw E.range(minNotGiven ? "max" : "max - min", `<= ${kRandMax}`, range);
  // Rejection sampling over 48 random bits, so every value is as likely.
  const limit = 2 ** 48 - (2 ** 48 % range);
  const six = new Uint8Array(6);
  let x;
  do {
    native.fillRandom(six);
    x = six.reduce((a, b) => a * 256 + b, 0);
  } while (x >= limit);
  const n = min + (x % range);
  if (callback === undefined) return n;
  later(callback, null, n);
}

function randomUUID(options) {
  if (options !== undefined && (options === null || typeof options !== "object")) throw E.argType("options", "of type object", options);
  return webcrypto.randomUUID();
}

function timingSafeEqual(buf1, buf2) {
  const expected = "an instance of ArrayBuffer, Buffer, TypedArray, or DataView";
  if (!isBytes(buf1)) throw E.argType("buf1", expected, buf1);
  if (!isBytes(buf2)) throw E.argType("buf2", expected, buf2);
  if (buf1.byteLength !== buf2.byteLength)
    throw E.coded("RangeError", "ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH", "Input buffers must have the same byte length");
  return native.timingSafeEqual(view(buf1), view(buf2));
}

function pbkdf2Args(password, salt, iterations, keylen, digest) {
  const pw = binaryLike(password, "password");
  const s = binaryLike(salt, "salt");
  validateInt32(iterations, "iterations", 1);
  validateInt32(keylen, "keylen", 0);
  validateString(digest, "digest");
  if (native.hashSize(digest) === null) throw E.digest(digest);
  // Workers' limit (as crypto.subtle's): Go cannot be interrupted by the
  // CPU limit mid-derivation, so the work is bounded before it starts.
  if (iterations > kMaxPbkdf2Iterations)
    throw new DOMException(`Pbkdf2 failed: iteration counts above ${kMaxPbkdf2Iterations} are not supported (requested ${iterations}).`, "NotSupportedError");
  return [pw, s, iterations, keylen, digest];
}

function pbkdf2Sync(password, salt, iterations, keylen, digest) {
  return toBuffer(native.pbkdf2(...pbkdf2Args(password, salt, iterations, keylen, digest), false));
}

function pbkdf2(password, salt, iterations, keylen, digest, callback) {
  if (typeof digest === "function") [callback, digest] = [digest, undefined];
  validateFunction(callback, "callback");
  const args = pbkdf2Args(password, salt, iterations, keylen, digest);
  settle(native.pbkdf2(...args, true), callback, toBuffer);
}

// settle hands a promise's outcome to a Node-style callback.
function settle(promise, callback, map) {
  promise.then((v) => callback(null, map(v)), (e) => callback(e));
}

// scryptMaxMem bounds what a script may let scrypt allocate (128·N·r
// bytes), whatever maxmem it passes: the memory is Go's, not charged to
// the isolate.
const scryptMaxMem = 128 * 1024 * 1024;

function scryptArgs(password, salt, keylen, options) {
  const pw = binaryLike(password, "password");
  const s = binaryLike(salt, "salt");
  validateInt32(keylen, "keylen", 0);
  const o = options || {};
  const pick = (a, b, dflt) => (o[a] !== undefined ? o[a] : o[b] !== undefined ? o[b] : dflt);
  const N = pick("N", "cost", 16384), r = pick("r", "blockSize", 8), p = pick("p", "parallelization", 1);
  const maxmem = o.maxmem !== undefined ? o.maxmem : 32 * 1024 * 1024;
  for (const [v, name] of [[N, "N"], [r, "r"], [p, "p"]]) {
    if (typeof v !== "number") throw E.argType(name, "of type number", v);
  }
  const bad = (why) => E.coded("RangeError", "ERR_CRYPTO_INVALID_SCRYPT_PARAMS", "Invalid scrypt params" + (why ? ": " + why : ""));
  if (!Number.isInteger(N) || N < 2 || (N & (N - 1)) !== 0 || !Number.isInteger(r) || r < 1 || !Number.isInteger(p) || p < 1 || r * p >= 2 ** 30)
    throw bad();
  if (128 * N * r > Math.min(maxmem, scryptMaxMem)) throw bad("memory limit exceeded");
  return [pw, s, keylen, N, r, p];
}

function scryptSync(password, salt, keylen, options) {
  return toBuffer(native.scrypt(...scryptArgs(password, salt, keylen, options), false));
}

function scrypt(password, salt, keylen, options, callback) {
  if (typeof options === "function") [callback, options] = [options, undefined];
  validateFunction(callback, "callback");
  settle(native.scrypt(...scryptArgs(password, salt, keylen, options), true), callback, toBuffer);
}

function hkdfArgs(digest, ikm, salt, info, keylen) {
  validateString(digest, "digest");
  const key = binaryLike(ikm, "ikm", undefined, "of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, or KeyObject");
  const s = binaryLike(salt, "salt");
  const i = binaryLike(info, "info");
  validateInt32(keylen, "length", 0);
  const size = native.hashSize(digest);
  if (size === null) throw E.digest(digest);
  if (i.length > 1024) throw E.range("info", "must not contain more than 1024 bytes", i.length);
  if (keylen > 255 * size) throw E.coded("RangeError", "ERR_CRYPTO_INVALID_KEYLEN", "Invalid key length");
  return [digest, key, s, i, keylen];
}

// hkdf's result is an ArrayBuffer, not a Buffer, as Node has it.
function hkdfSync(digest, ikm, salt, info, keylen) {
  return native.hkdf(...hkdfArgs(digest, ikm, salt, info, keylen), false).buffer;
}

function hkdf(digest, ikm, salt, info, keylen, callback) {
  validateFunction(callback, "callback");
  settle(native.hkdf(...hkdfArgs(digest, ikm, salt, info, keylen), true), callback, (u8) => u8.buffer);
}

// KeyObject (secret, public and private keys), key pairs and signatures
// live in node:internal/crypto/keys.
const keys = require("node:internal/crypto/keys");
const { KeyObject } = keys;
// Hash and Hmac (Transform streams) live in node:internal/crypto/hash.
const hash = require("node:internal/crypto/hash");
// Ciphers (Transform streams too) live in node:internal/crypto/cipher.
const ciphers = require("node:internal/crypto/cipher");

function createSecretKey(key, encoding) {
  const bytes = binaryLike(key, "key", encoding, "of type string or an instance of ArrayBuffer, Buffer, TypedArray, or DataView");
  return new KeyObject("secret", bytes);
}

const constants = {
  OPENSSL_VERSION_NUMBER: 0x30000000, SSL_OP_ALL: 2147485776, SSL_OP_NO_SSLv2: 0, SSL_OP_NO_SSLv3: 33554432,
  SSL_OP_NO_TLSv1: 67108864, SSL_OP_NO_TLSv1_1: 268435456, SSL_OP_NO_TLSv1_2: 134217728,
  RSA_PKCS1_PADDING: 1, RSA_NO_PADDING: 3, RSA_PKCS1_OAEP_PADDING: 4, RSA_X931_PADDING: 5, RSA_PKCS1_PSS_PADDING: 6,
  RSA_PSS_SALTLEN_DIGEST: -1, RSA_PSS_SALTLEN_MAX_SIGN: -2, RSA_PSS_SALTLEN_AUTO: -2,
  TLS1_VERSION: 769, TLS1_1_VERSION: 770, TLS1_2_VERSION: 771, TLS1_3_VERSION: 772,
  POINT_CONVERSION_COMPRESSED: 2, POINT_CONVERSION_UNCOMPRESSED: 4, POINT_CONVERSION_HYBRID: 6,
};

module.exports = {
  createHash: hash.createHash,
  createHmac: hash.createHmac,
  Hash: hash.Hash,
  Hmac: hash.Hmac,
  getHashes: hash.getHashes,
  Cipheriv: ciphers.Cipheriv,
  Decipheriv: ciphers.Decipheriv,
  createCipheriv: ciphers.createCipheriv,
  createDecipheriv: ciphers.createDecipheriv,
  getCiphers: ciphers.getCiphers,
  getCipherInfo: ciphers.getCipherInfo,
  getCurves: () => ["prime256v1", "secp384r1", "secp521r1"],
  randomBytes,
  pseudoRandomBytes: randomBytes,
  prng: randomBytes,
  rng: randomBytes,
  randomFillSync,
  randomFill,
  randomInt,
  randomUUID,
  getRandomValues: (array) => webcrypto.getRandomValues(array),
  timingSafeEqual,
  pbkdf2,
  pbkdf2Sync,
  scrypt,
  scryptSync,
  hkdf,
  hkdfSync,
  KeyObject,
  createSecretKey,
  createPublicKey: keys.createPublicKey,
  createPrivateKey: keys.createPrivateKey,
  Sign: keys.Sign,
  Verify: keys.Verify,
  createSign: keys.createSign,
  createVerify: keys.createVerify,
  sign: keys.sign,
  verify: keys.verify,
  generateKeyPair: keys.generateKeyPair,
  generateKeyPairSync: keys.generateKeyPairSync,
  publicEncrypt: keys.publicEncrypt,
  privateDecrypt: keys.privateDecrypt,
  privateEncrypt: keys.privateEncrypt,
  publicDecrypt: keys.publicDecrypt,
  webcrypto,
  subtle: webcrypto.subtle,
  constants,
  getFips: () => 0,
  setFips() {
    throw E.coded("Error", "ERR_CRYPTO_FIPS_FORCED", "Cannot set FIPS mode in a non-FIPS build.");
  },
};
