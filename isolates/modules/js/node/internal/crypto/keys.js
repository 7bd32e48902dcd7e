// node:internal/crypto/keys: node:crypto's KeyObject (secret, public and
// private keys), createSecretKey/createPublicKey/createPrivateKey from
// PEM, DER (pkcs1, pkcs8, spki, sec1) or JWK, generateKeyPair(Sync) (rsa,
// ec, ed25519, x25519), and signatures: Sign/Verify (streams, as Node's)
// and sign/verify (RSA PKCS#1 v1.5 and PSS, ECDSA in DER or ieee-p1363,
// Ed25519). The key material stays in Go (isolates/cryptokeys, shared with
// Web Crypto): a KeyObject holds its handle in a private field.
"use strict";

const { Buffer } = require("node:buffer");
const { Writable } = require("node:stream");

const argType = (name, expected, value) => native.argTypeError(name, expected, value);
const coded = (kind, code, msg) => native.codedError(kind, code, msg);
const invalidValue = (name, v) => coded("TypeError", "ERR_INVALID_ARG_VALUE", `The property '${name}' is invalid. Received ${String(v)}`);
const toBuffer = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.length);
const view = (v) => (v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
const kKeyTypes = { RSA: "rsa", EC: "ec", Ed25519: "ed25519", X25519: "x25519" };
const kCurveNames = { "P-256": "prime256v1", "P-384": "secp384r1", "P-521": "secp521r1" };
const kCurves = { prime256v1: "P-256", secp256r1: "P-256", "P-256": "P-256", secp384r1: "P-384", "P-384": "P-384",
  secp521r1: "P-521", "P-521": "P-521" };

class KeyObject {
  #type;
  #bytes; // a secret key's
  #handle; // an asymmetric key's (Go)
  constructor(type, material) {
    if (type !== "secret" && type !== "public" && type !== "private") {
      throw coded("TypeError", "ERR_INVALID_ARG_VALUE", `The argument 'type' is invalid. Received '${type}'`);
    }
    this.#type = type;
    if (type === "secret") this.#bytes = Buffer.from(material);
    else this.#handle = native.keyPublic(material) && material; // native.keyPublic checks it is a key
  }
  get type() { return this.#type; }
  get symmetricKeySize() { return this.#type === "secret" ? this.#bytes.length : undefined; }
  get asymmetricKeyType() { return this.#handle ? kKeyTypes[native.keyInfo(this.#handle).kind] : undefined; }
  get asymmetricKeyDetails() {
    if (!this.#handle) return undefined;
    const info = native.keyInfo(this.#handle);
    if (info.kind === "RSA") return { modulusLength: info.modulusLength, publicExponent: BigInt(info.publicExponent) };
    if (info.kind === "EC") return { namedCurve: kCurveNames[info.namedCurve] };
    return {};
  }
  export(options) {
    if (this.#type === "secret") {
      if (options && options.format === "jwk") return { kty: "oct", k: this.#bytes.toString("base64url") };
      return Buffer.from(this.#bytes);
    }
    if (options === null || typeof options !== "object") throw argType("options", "of type object", options);
    const { format = "pem", type } = options;
    if (format === "jwk") return JSON.parse(Buffer.from(native.keyExport(this.#handle, "jwk", "")).toString());
    if (format !== "pem" && format !== "der") throw invalidValue("options.format", format);
    if (options.cipher !== undefined) throw coded("Error", "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM", "Encrypted private keys are not supported");
    const allowed = this.#type === "public" ? ["pkcs1", "spki"] : ["pkcs1", "pkcs8", "sec1"];
    if (!allowed.includes(type)) throw invalidValue("options.type", type);
    const out = toBuffer(native.keyExport(this.#handle, format, type));
    return format === "pem" ? out.toString() : out;
  }
  equals(other) {
    if (!(other instanceof KeyObject)) throw argType("otherKeyObject", "an instance of KeyObject", other);
    if (other.type !== this.#type) return false;
    if (this.#type === "secret") {
      const b = other.export();
      let diff = b.length ^ this.#bytes.length;
      for (let i = 0; i < b.length && i < this.#bytes.length; i++) diff |= b[i] ^ this.#bytes[i];
      return diff === 0;
    }
    return native.keyEquals(this.#handle, handleOf(other));
  }
  // from(cryptoKey): the KeyObject of a CryptoKey's material, as Node's
  // (whether or not the CryptoKey is extractable).
  static from(key) {
    const m = native.cryptoKeyMaterial(key);
    if (m === undefined) throw argType("key", "an instance of CryptoKey", key);
    return new KeyObject(m.type, m.type === "secret" ? m.secret : m.handle);
  }
  // toCryptoKey(algorithm, extractable, keyUsages) (Node 23): a CryptoKey
  // over this key's material, checked as subtle.importKey checks it.
  toCryptoKey(algorithm, extractable, keyUsages) {
    if (this.#type === "secret") return native.cryptoKeyImport("raw", this.#bytes, algorithm, extractable, keyUsages);
    const format = this.#type === "private" ? "pkcs8" : "spki";
    return native.cryptoKeyImport(format, native.keyExport(this.#handle, "der", format), algorithm, extractable, keyUsages);
  }
  static _handle(k) { return k.#handle; }
}
Object.defineProperty(KeyObject.prototype, Symbol.toStringTag, { value: "KeyObject", configurable: true });
// handleOf reads a KeyObject's handle; the static that does it is taken
// off the class, so scripts cannot call it.
const handleOf = KeyObject._handle;
delete KeyObject._handle;

const kKeyInput = "of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, or KeyObject";

// parseKey reads createPrivateKey's or createPublicKey's argument into a
// handle: PEM text or bytes, or {key, format, type, encoding}.
function parseKey(key, private_, name = "key") {
  let format = "pem", type, data = key, encoding;
  if (key !== null && typeof key === "object" && !ArrayBuffer.isView(key) && !(key instanceof ArrayBuffer)) {
    ({ key: data, format = "pem", type, encoding } = key);
    if (key.passphrase !== undefined) throw coded("Error", "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM", "Encrypted private keys are not supported");
  }
  if (format === "jwk") {
    if (data === null || typeof data !== "object") throw argType(name + ".key", "of type object", data);
    return native.keyParse(Buffer.from(JSON.stringify(data)), "jwk", "", private_);
  }
  if (format !== "pem" && format !== "der") throw invalidValue(name + ".format", format);
  if (typeof data === "string") data = Buffer.from(data, encoding || "utf8");
  else if (!(data instanceof ArrayBuffer) && !ArrayBuffer.isView(data)) throw argType(name, kKeyInput, data);
  if (format === "der") {
    const allowed = private_ ? ["pkcs1", "pkcs8", "sec1"] : ["pkcs1", "spki"];
    if (!allowed.includes(type)) throw invalidValue(name + ".type", type);
  }
  return native.keyParse(view(data), format, type || "", private_);
}

// asKeyObject: a CryptoKey stands for its KeyObject wherever Node takes
// a KeyObject.
function asKeyObject(key) {
  return native.cryptoKeyMaterial(key) === undefined ? key : KeyObject.from(key);
}

function createPrivateKey(key) {
  key = asKeyObject(key);
  if (key instanceof KeyObject) throw argType("key", "of type string or an instance of ArrayBuffer, Buffer, TypedArray, or DataView", key);
  return new KeyObject("private", parseKey(key, true));
}

function createPublicKey(key) {
  key = asKeyObject(key);
  if (key instanceof KeyObject) {
    if (key.type !== "private") throw coded("TypeError", "ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE", `Invalid key object type ${key.type}, expected private.`);
    return new KeyObject("public", native.keyPublic(handleOf(key)));
  }
  return new KeyObject("public", parseKey(key, false));
}

// asymmetricKey is the handle of what sign or verify was given: a KeyObject,
// PEM, or createPrivateKey/createPublicKey's object (whose padding,
// saltLength and dsaEncoding are the signature's options).
function asymmetricKey(key, private_) {
  key = asKeyObject(key);
  const k = asKeyObject(key !== null && typeof key === "object" && !(key instanceof KeyObject) && key.key !== undefined ? key.key : key);
  const options = key !== null && typeof key === "object" && !(key instanceof KeyObject) && !ArrayBuffer.isView(key) ? key : {};
  let handle;
  if (k instanceof KeyObject) {
    if (k.type === "secret" || (private_ && k.type !== "private")) {
      throw coded("TypeError", "ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE", `Invalid key object type ${k.type}, expected ${private_ ? "private" : "public"}.`);
    }
    handle = handleOf(k);
  } else {
    handle = parseKey(k === key ? key : { ...options, key: k }, private_);
  }
  const padding = options.padding === undefined ? 1 : options.padding;
  if (padding !== 1 && padding !== 6) throw coded("Error", "ERR_OSSL_RSA_UNKNOWN_PADDING_TYPE", "unknown padding type");
  // Node's defaults: RSA_PSS_SALTLEN_MAX_SIGN to sign, _AUTO to verify (-2 both).
  const saltLength = options.saltLength === undefined ? -2 : options.saltLength;
  const dsaEncoding = options.dsaEncoding === undefined ? "der" : options.dsaEncoding;
  if (dsaEncoding !== "der" && dsaEncoding !== "ieee-p1363") throw invalidValue("options.dsaEncoding", dsaEncoding);
  return { handle, pss: padding === 6, saltLength, p1363: dsaEncoding === "ieee-p1363" };
}

function dataBytes(v, name, encoding) {
  if (typeof v === "string") return Buffer.from(v, encoding && Buffer.isEncoding(encoding) ? encoding : "utf8");
  if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return view(v);
  throw argType(name, "of type string or an instance of Buffer, TypedArray, or DataView", v);
}

// Sign and Verify collect what is written (update or the stream) and sign
// or verify it at the end, as Node's do over a running digest. The digest
// name is not secret: a plain property (goja's private fields are per
// class, and the subclasses need it).
class Signature extends Writable {
  #chunks;
  constructor(algorithm, options) {
    if (typeof algorithm !== "string") throw argType("algorithm", "of type string", algorithm);
    super(options);
    native.signHashCheck(algorithm);
    this.algorithm_ = algorithm;
    this.#chunks = [];
  }
  _write(chunk, encoding, cb) { this.update(chunk, encoding); cb(); }
  update(data, encoding) {
    this.#chunks.push(Buffer.from(dataBytes(data, "data", encoding)));
    return this;
  }
  take_() {
    const data = Buffer.concat(this.#chunks);
    this.#chunks = [];
    return data;
  }
}

class Sign extends Signature {
  sign(privateKey, outputEncoding) {
    const k = asymmetricKey(privateKey, true);
    const sig = toBuffer(native.sign(k.handle, this.algorithm_, this.take_(), k.pss, k.saltLength, k.p1363));
    return outputEncoding && outputEncoding !== "buffer" ? sig.toString(outputEncoding) : sig;
  }
}

class Verify extends Signature {
  verify(publicKey, signature, signatureEncoding) {
    const k = asymmetricKey(publicKey, false);
    const sig = dataBytes(signature, "signature", signatureEncoding);
    return native.verify(k.handle, this.algorithm_, this.take_(), sig, k.pss, k.saltLength, k.p1363);
  }
}

const createSign = (algorithm, options) => new Sign(algorithm, options);
const createVerify = (algorithm, options) => new Verify(algorithm, options);

// sign/verify(algorithm, data, key[, callback]): algorithm null or
// undefined for Ed25519 (and the key's default digest).
function oneShot(algorithm, callback, run) {
  if (algorithm !== null && algorithm !== undefined && typeof algorithm !== "string") throw argType("algorithm", "of type string", algorithm);
  if (callback !== undefined && typeof callback !== "function") throw argType("callback", "of type function", callback);
  if (!callback) return run();
  let out, err = null;
  try { out = run(); } catch (e) { err = e; }
  queueMicrotask(() => callback(err, out));
  return undefined;
}
function sign(algorithm, data, key, callback) {
  const bytes = dataBytes(data, "data");
  return oneShot(algorithm, callback, () => {
    const k = asymmetricKey(key, true);
    return toBuffer(native.sign(k.handle, algorithm || defaultDigest(k.handle), bytes, k.pss, k.saltLength, k.p1363));
  });
}
function verify(algorithm, data, key, signature, callback) {
  const bytes = dataBytes(data, "data");
  const sig = dataBytes(signature, "signature");
  return oneShot(algorithm, callback, () => {
    const k = asymmetricKey(key, false);
    return native.verify(k.handle, algorithm || defaultDigest(k.handle), bytes, sig, k.pss, k.saltLength, k.p1363);
  });
}
// defaultDigest: OpenSSL signs RSA and ECDSA over SHA-256 when none is
// named; Ed25519 takes none.
function defaultDigest(handle) {
  const kind = native.keyInfo(handle).kind;
  return kind === "RSA" || kind === "EC" ? "sha256" : "";
}

// generateKeyPair(Sync)(type, options): KeyObjects, or encoded keys when
// publicKeyEncoding/privateKeyEncoding are given.
function keyGenArgs(type, options) {
  if (typeof type !== "string") throw argType("type", "of type string", type);
  const o = options === undefined ? {} : options;
  if (o === null || typeof o !== "object") throw argType("options", "of type object", options);
  switch (type) {
    case "rsa": {
      if (typeof o.modulusLength !== "number") throw argType("options.modulusLength", "of type number", o.modulusLength);
      if (o.publicExponent !== undefined && o.publicExponent !== 65537) {
        throw coded("Error", "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM", "Only the public exponent 65537 is supported");
      }
      return ["RSA", o.modulusLength, "", o];
    }
    case "ec": {
      if (typeof o.namedCurve !== "string") throw argType("options.namedCurve", "of type string", o.namedCurve);
      const curve = kCurves[o.namedCurve];
      if (!curve) throw coded("TypeError", "ERR_CRYPTO_INVALID_CURVE", "Invalid EC curve name");
      return ["EC", 0, curve, o];
    }
    case "ed25519": return ["Ed25519", 0, "", o];
    case "x25519": return ["X25519", 0, "", o];
  }
  throw coded("TypeError", "ERR_INVALID_ARG_VALUE", `The argument 'type' must be a supported key type. Received '${type}'`);
}
function encodePair(handle, o) {
  const enc = (k, e) => (e === undefined ? k : k.export(e));
  return { publicKey: enc(new KeyObject("public", native.keyPublic(handle)), o.publicKeyEncoding),
    privateKey: enc(new KeyObject("private", handle), o.privateKeyEncoding) };
}
function generateKeyPairSync(type, options) {
  const [kind, bits, curve, o] = keyGenArgs(type, options);
  return encodePair(native.generate(kind, bits, curve, false), o);
}
function generateKeyPair(type, options, callback) {
  if (typeof options === "function") { callback = options; options = undefined; }
  if (typeof callback !== "function") throw argType("callback", "of type function", callback);
  const [kind, bits, curve, o] = keyGenArgs(type, options);
  native.generate(kind, bits, curve, true).then((handle) => {
    let pair;
    try { pair = encodePair(handle, o); } catch (e) { callback(e); return; }
    callback(null, pair.publicKey, pair.privateKey);
  }, (e) => callback(coded("Error", "ERR_OSSL_UNSUPPORTED", e && e.message ? e.message : String(e))));
}

// RSA encryption: publicEncrypt/privateDecrypt (OAEP by default, over
// oaepHash, SHA-1 unless told) and privateEncrypt/publicDecrypt (PKCS#1
// v1.5 by default). key is a KeyObject, PEM, or {key, padding, oaepHash,
// oaepLabel, …}; the public operations take a private key too (its public
// half). Go's limits are node_crypto_rsa.go's.
const kRsaDefaults = { publicEncrypt: 4, privateDecrypt: 4, privateEncrypt: 1, publicDecrypt: 1 };
function rsaCrypt(op, key, buffer) {
  const private_ = op === "privateDecrypt" || op === "privateEncrypt";
  key = asKeyObject(key);
  const o = key !== null && typeof key === "object" && !(key instanceof KeyObject) && !ArrayBuffer.isView(key) && !(key instanceof ArrayBuffer) ? key : {};
  const k = asKeyObject(o === key ? key.key : key);
  let handle;
  if (k instanceof KeyObject) {
    if (k.type === "secret" || (private_ && k.type !== "private")) {
      throw coded("TypeError", "ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE", `Invalid key object type ${k.type}, expected ${private_ ? "private" : "private or public"}.`);
    }
    handle = handleOf(k);
  } else if (typeof k === "string" || k instanceof ArrayBuffer || ArrayBuffer.isView(k) || (k !== null && typeof k === "object")) {
    handle = rsaKey(o === key ? { ...o } : k, private_);
  } else {
    throw argType("key", "of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey", k);
  }
  const padding = o.padding === undefined ? kRsaDefaults[op] : Number(o.padding);
  const oaepHash = o.oaepHash === undefined ? "sha1" : o.oaepHash;
  if (typeof oaepHash !== "string") throw argType("key.oaepHash", "of type string", oaepHash);
  let label;
  if (o.oaepLabel !== undefined) {
    if (typeof o.oaepLabel === "string") label = Buffer.from(o.oaepLabel);
    else if (o.oaepLabel instanceof ArrayBuffer || ArrayBuffer.isView(o.oaepLabel)) label = view(o.oaepLabel);
    else throw argType("key.oaepLabel", "of type string or an instance of ArrayBuffer, Buffer, TypedArray, or DataView", o.oaepLabel);
  }
  let data;
  if (typeof buffer === "string") data = Buffer.from(buffer, o.encoding && Buffer.isEncoding(o.encoding) ? o.encoding : "utf8");
  else if (buffer instanceof ArrayBuffer || ArrayBuffer.isView(buffer)) data = view(buffer);
  else throw argType("buffer", "of type string or an instance of ArrayBuffer, Buffer, TypedArray, or DataView", buffer);
  if (op === "privateDecrypt" && padding === 1) {
    throw coded("TypeError", "ERR_INVALID_ARG_VALUE", "RSA_PKCS1_PADDING is no longer supported for private decryption, this can be reverted with --security-revert=CVE-2023-46809");
  }
  return toBuffer(native.rsaCrypt(handle, op, padding, oaepHash, label, data));
}
// rsaKey parses an RSA operation's key; a public key given for a private
// operation is OpenSSL's "missing private key".
function rsaKey(key, private_) {
  try {
    return parseKey(key, private_);
  } catch (e) {
    if (!private_) throw e;
    try { parseKey(key, false); } catch { throw e; }
    const missing = coded("Error", "ERR_OSSL_RSA_MISSING_PRIVATE_KEY", "error:020000B3:rsa routines::missing private key");
    missing.library = "rsa routines";
    missing.reason = "missing private key";
    throw missing;
  }
}
const publicEncrypt = (key, buffer) => rsaCrypt("publicEncrypt", key, buffer);
const privateDecrypt = (key, buffer) => rsaCrypt("privateDecrypt", key, buffer);
const privateEncrypt = (key, buffer) => rsaCrypt("privateEncrypt", key, buffer);
const publicDecrypt = (key, buffer) => rsaCrypt("publicDecrypt", key, buffer);

// cryptoKeySecret is a secret CryptoKey's bytes (undefined for anything
// else).
function cryptoKeySecret(key) {
  const m = native.cryptoKeyMaterial(key);
  return m !== undefined && m.type === "secret" ? m.secret : undefined;
}

// secretKeyBytes is the key of an Hmac or a cipher: a string (in
// encoding), bytes, a secret KeyObject or a secret CryptoKey.
function secretKeyBytes(key, encoding) {
  if (typeof key === "string") return Buffer.from(key, Buffer.isEncoding(encoding) ? encoding : "utf8");
  if (key instanceof ArrayBuffer || ArrayBuffer.isView(key)) return view(key);
  if (key instanceof KeyObject) {
    if (key.type !== "secret") throw coded("TypeError", "ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE", `Invalid key object type ${key.type}, expected secret.`);
    return view(key.export());
  }
  const secret = cryptoKeySecret(key);
  if (secret !== undefined) return secret;
  throw argType("key", "of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey", key);
}

module.exports = {
  KeyObject, secretKeyBytes, createPublicKey, createPrivateKey,
  Sign, Verify, createSign, createVerify, sign, verify,
  generateKeyPair, generateKeyPairSync,
  publicEncrypt, privateDecrypt, privateEncrypt, publicDecrypt,
};
