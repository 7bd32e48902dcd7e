// crypto.subtle (Web Crypto's SubtleCrypto), with workerd's algorithms and
// errors: HMAC, PBKDF2, HKDF, AES-GCM/CBC/CTR/KW, ECDSA and ECDH (P-256,
// P-384, P-521), RSASSA-PKCS1-v1_5, RSA-PSS, RSA-OAEP, Ed25519 (and
// Workers' older name for it, NODE-ED25519, with namedCurve NODE-ED25519), X25519;
// digest with SHA-1/256/384/512 and workerd's MD5; workerd's
// timingSafeEqual. Here: algorithm normalization, key bookkeeping (type,
// usages, extractability, JWK) and the errors; the cryptography itself is
// Go's (natives: crypto_subtle.go for secret keys and digests,
// crypto_keypair.go and crypto_jwk.go for key pairs).

const kUsages = ["encrypt", "decrypt", "sign", "verify", "deriveKey", "deriveBits", "wrapKey", "unwrapKey"];
const kFormats = ["raw", "pkcs8", "spki", "jwk"];
const kHashes = ["SHA-1", "SHA-256", "SHA-384", "SHA-512"];
const kAES = ["AES-GCM", "AES-CBC", "AES-CTR", "AES-KW"];
const kRSA = ["RSASSA-PKCS1-v1_5", "RSA-PSS", "RSA-OAEP"];

// The algorithms each operation knows (WebCrypto's "supported algorithms").
const kOps = {
  digest: [...kHashes, "MD5"],
  sign: ["HMAC", "ECDSA", "RSASSA-PKCS1-v1_5", "RSA-PSS", "Ed25519", "NODE-ED25519"],
  encrypt: ["AES-GCM", "AES-CBC", "AES-CTR", "RSA-OAEP"],
  generateKey: ["HMAC", ...kAES, "ECDSA", "ECDH", ...kRSA, "Ed25519", "NODE-ED25519", "X25519"],
  importKey: ["HMAC", ...kAES, "ECDSA", "ECDH", ...kRSA, "Ed25519", "NODE-ED25519", "X25519", "PBKDF2", "HKDF"],
  deriveBits: ["PBKDF2", "HKDF", "ECDH", "X25519"],
  wrapKey: ["AES-KW", "AES-GCM", "AES-CBC", "AES-CTR", "RSA-OAEP"],
  getKeyLength: ["HMAC", ...kAES, "PBKDF2", "HKDF"],
};
kOps.verify = kOps.sign;
kOps.decrypt = kOps.encrypt;
kOps.unwrapKey = kOps.wrapKey;
// kNames: for each operation, its algorithms by upper-case name (names
// match case-insensitively). A Map lookup, not a search with a closure:
// drivers normalize an algorithm several times per connection (pg's SCRAM:
// an importKey and a sign per HMAC).
const kNames = {};
for (const op of Object.keys(kOps)) kNames[op] = new Map(kOps[op].map((n) => [n.toUpperCase(), n]));

// The parameters each (algorithm, operation) reads: [member, kind,
// required]. Kinds: hash (a normalized digest algorithm), bytes (a copy of
// a BufferSource), number, string, key (a CryptoKey).
const kParams = {
  HMAC: { importKey: [["hash", "hash", true], ["length", "number"]], getKeyLength: [["hash", "hash", true], ["length", "number"]] },
  PBKDF2: { deriveBits: [["salt", "bytes", true], ["iterations", "number", true], ["hash", "hash", true]] },
  HKDF: { deriveBits: [["hash", "hash", true], ["salt", "bytes", true], ["info", "bytes", true]] },
  "AES-GCM": { encrypt: [["iv", "bytes", true], ["additionalData", "bytes"], ["tagLength", "number"]] },
  "AES-CBC": { encrypt: [["iv", "bytes", true]] },
  "AES-CTR": { encrypt: [["counter", "bytes", true], ["length", "number", true]] },
  ECDSA: { importKey: [["namedCurve", "string", true]], sign: [["hash", "hash", true]] },
  ECDH: { importKey: [["namedCurve", "string", true]], deriveBits: [["public", "key", true]] },
  X25519: { deriveBits: [["public", "key", true]] },
  "RSASSA-PKCS1-v1_5": { importKey: [["hash", "hash", true]] },
  "RSA-PSS": { importKey: [["hash", "hash", true]], sign: [["saltLength", "number", true]] },
  "RSA-OAEP": { importKey: [["hash", "hash", true]], encrypt: [["label", "bytes"]] },
  "NODE-ED25519": { importKey: [["namedCurve", "string", true]] },
};
for (const name of ["HMAC", "ECDSA", "ECDH", ...kRSA, "NODE-ED25519"]) kParams[name].generateKey = kParams[name].importKey;
for (const name of kAES) (kParams[name] ||= {}).generateKey = kParams[name].getKeyLength = [["length", "number", true]];
for (const name of kRSA) kParams[name].generateKey = [["modulusLength", "number", true], ["publicExponent", "bytes", true], ["hash", "hash", true]];

const kNone = [];

function normalizeAlgorithm(alg, op) {
  if (typeof alg === "string") alg = { name: alg };
  else if (alg === null || typeof alg !== "object") alg = { name: String(alg) };
  if (alg.name === undefined) throw new TypeError("Algorithm: the name member is required");
  const upper = String(alg.name).toUpperCase();
  // verify reads sign's parameters, decrypt encrypt's, and wrapping with
  // an encryption algorithm reads its encrypt parameters.
  const table = op === "verify" ? "sign" : op === "decrypt" || op === "wrapKey" || op === "unwrapKey" ? "encrypt" : op;
  const name = kNames[op].get(upper);
  if (name === undefined) throw new DOMException("Unrecognized algorithm name", "NotSupportedError");
  const out = { name };
  const params = (kParams[name] && kParams[name][table]) || kNone;
  for (let i = 0; i < params.length; i++) {
    const member = params[i][0], kind = params[i][1], required = params[i][2];
    const v = alg[member];
    if (v === undefined) {
      if (required) throw new TypeError(`${name}: the ${member} member is required`);
      continue;
    }
    if (kind === "hash") out[member] = normalizeAlgorithm(v, "digest");
    else if (kind === "bytes") out[member] = bufferSource(v, `${name}: ${member}`).slice();
    else if (kind === "number") out[member] = Number(v);
    else if (kind === "string") out[member] = String(v);
    else out[member] = v;
  }
  return out;
}

function bufferSource(v, what) {
  if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return toBytes(v, what);
  throw new TypeError(`${what} is not of type ArrayBuffer or ArrayBufferView`);
}

function checkUsages(usages) {
  if (usages === null || typeof usages !== "object" || typeof usages[Symbol.iterator] !== "function")
    throw new TypeError("keyUsages is not a sequence");
  const out = [];
  for (const u of usages) {
    if (!kUsages.includes(String(u))) throw new TypeError(`'${u}' is not a valid KeyUsage`);
    out.push(String(u));
  }
  return out;
}

// The key usages each algorithm's keys may have: [secret or private, public].
function allowedUsages(name) {
  if (name === "HMAC") return [["sign", "verify"]];
  if (name === "AES-KW") return [["wrapKey", "unwrapKey"]];
  if (name.startsWith("AES-")) return [["encrypt", "decrypt", "wrapKey", "unwrapKey"]];
  if (name === "PBKDF2" || name === "HKDF") return [["deriveKey", "deriveBits"]];
  if (name === "ECDH" || name === "X25519") return [["deriveKey", "deriveBits"], []];
  if (name === "RSA-OAEP") return [["decrypt", "unwrapKey"], ["encrypt", "wrapKey"]];
  return [["sign"], ["verify"]];
}

function badUsage(name) {
  return new DOMException(`Unsupported key usage for a ${name} key`, "SyntaxError");
}

// Which Go key kind an asymmetric algorithm's keys are.
function pairKind(name) {
  if (name === "ECDSA" || name === "ECDH") return "EC";
  if (kRSA.includes(name)) return "RSA";
  if (name === "Ed25519" || name === "X25519") return name;
  if (name === "NODE-ED25519") return "Ed25519";
  return undefined;
}

// checkCurve refuses a curve the algorithm does not have.
function checkCurve(alg) {
  const kind = pairKind(alg.name);
  const ok = kind === "EC" ? ["P-256", "P-384", "P-521"].includes(alg.namedCurve) : alg.name !== "NODE-ED25519" || alg.namedCurve === "NODE-ED25519";
  if (!ok) throw new DOMException(`Unrecognized or unimplemented EC curve "${alg.namedCurve}" requested.`, "NotSupportedError");
}

// The JWK "alg" of a key, or undefined when its algorithm has none.
function jwkAlg(algorithm) {
  const { name } = algorithm;
  const bits = algorithm.hash && algorithm.hash.name.slice(4);
  if (name === "HMAC") return "HS" + bits;
  if (name.startsWith("AES-")) return `A${algorithm.length}${name.slice(4)}`;
  if (name === "RSASSA-PKCS1-v1_5") return "RS" + bits;
  if (name === "RSA-PSS") return "PS" + bits;
  if (name === "RSA-OAEP") return bits === "1" ? "RSA-OAEP" : "RSA-OAEP-" + bits;
  if (name === "ECDSA") return { "P-256": "ES256", "P-384": "ES384", "P-521": "ES512" }[algorithm.namedCurve];
  if (name === "Ed25519") return "Ed25519";
  return undefined;
}

// checkJwk applies Web Crypto's checks common to every JWK import.
function checkJwk(jwk, kty, usages, extractable, alg) {
  const bad = (msg) => new DOMException(msg, "DataError");
  if (jwk.kty !== kty) throw bad(`The JWK "kty" member must be "${kty}"`);
  if (usages.length > 0 && jwk.use !== undefined) {
    const want = usages.some((u) => u === "sign" || u === "verify") ? "sig" : "enc";
    if (jwk.use !== want) throw bad(`The JWK "use" member must be "${want}"`);
  }
  if (jwk.key_ops !== undefined) {
    if (!Array.isArray(jwk.key_ops)) throw bad(`The JWK "key_ops" member must be an array`);
    for (const u of usages) if (!jwk.key_ops.includes(u)) throw bad(`The JWK "key_ops" member does not include "${u}"`);
  }
  if (jwk.ext === false && extractable) throw bad(`The JWK "ext" member is false but the key is to be extractable`);
  if (alg !== undefined && jwk.alg !== undefined && jwk.alg !== alg && !(alg === "Ed25519" && jwk.alg === "EdDSA"))
    throw bad(`The JWK "alg" member must be "${alg}"`);
}

const b64url = {
  encode: (bytes) => native.subtleBase64url(bytes),
  decode(s, what) {
    if (typeof s !== "string") throw new DOMException(`The JWK "${what}" member must be a string`, "DataError");
    const b = native.subtleUnbase64url(s);
    if (b === null) throw new DOMException(`The JWK "${what}" member is not base64url`, "DataError");
    return b;
  },
};

function hashBits(hash) {
  return hash.name === "SHA-384" || hash.name === "SHA-512" ? 1024 : 512;
}

function importSecret(format, data, alg, extractable, usages) {
  const { name } = alg;
  if ((name === "PBKDF2" || name === "HKDF")) {
    if (format !== "raw") throw new DOMException(`Unable to import ${name} key with format ${format}`, "NotSupportedError");
    if (extractable) throw new DOMException(`${name} keys are not extractable`, "SyntaxError");
  } else if (format !== "raw" && format !== "jwk") {
    throw new DOMException(`Unable to import ${name} key with format ${format}`, "NotSupportedError");
  }
  if (usages.some((u) => !allowedUsages(name)[0].includes(u))) throw badUsage(name);
  let bytes;
  const algorithm = { name };
  if (format === "jwk") {
    if (name === "HMAC") algorithm.hash = alg.hash;
    checkJwk(data, "oct", usages, extractable, name.startsWith("AES-") ? undefined : jwkAlg(algorithm));
    bytes = b64url.decode(data.k, "k");
    if (name.startsWith("AES-") && data.alg !== undefined && data.alg !== `A${bytes.length * 8}${name.slice(4)}`)
      throw new DOMException(`The JWK "alg" member does not match the key`, "DataError");
  } else {
    bytes = data.slice();
  }
  if (name === "HMAC") {
    // workerd follows the spec: length may leave up to 7 bits of the last
    // byte unused (Node wants it equal to the data's bits).
    let bits = bytes.length * 8;
    const length = alg.length === undefined ? bits : alg.length;
    if (length === 0 || length > bits || length <= bits - 8)
      throw new DOMException(`Imported HMAC key length (${length}) must be a non-zero value up to 7 bits less than, and no greater than, the bit length of the raw key data (${bits}).`, "DataError");
    bits = length;
    algorithm.hash = { name: alg.hash.name };
    algorithm.length = bits;
  } else if (name.startsWith("AES-")) {
    if (![16, 24, 32].includes(bytes.length)) throw new DOMException("Invalid key length", "DataError");
    algorithm.length = bytes.length * 8;
  }
  if (usages.length === 0) throw new DOMException("Usages cannot be empty when importing a secret key.", "SyntaxError");
  return newKey("secret", extractable, algorithm, usages, bytes);
}

function pairAlgorithm(alg, info) {
  const algorithm = { name: alg.name };
  if (info.namedCurve !== undefined) algorithm.namedCurve = info.namedCurve;
  else if (alg.name === "NODE-ED25519") algorithm.namedCurve = alg.namedCurve;
  if (info.modulusLength !== undefined) {
    algorithm.modulusLength = info.modulusLength;
    algorithm.publicExponent = info.publicExponent;
    algorithm.hash = { name: alg.hash.name };
  }
  return algorithm;
}

function importPair(format, data, alg, extractable, usages) {
  const { name } = alg;
  const kind = pairKind(name);
  checkCurve(alg);
  // Usages are checked before the key data (as the spec orders it), by the
  // type the format says the key is.
  const isPrivate = format === "pkcs8" || (format === "jwk" && data.d !== undefined);
  const [privUsages, pubUsages] = allowedUsages(name);
  if (usages.some((u) => !(isPrivate ? privUsages : pubUsages).includes(u))) throw badUsage(name);
  let handle;
  if (format === "jwk") {
    const algorithm = { name, namedCurve: alg.namedCurve, hash: alg.hash };
    checkJwk(data, kind === "EC" || kind === "RSA" ? kind : "OKP", usages, extractable, jwkAlg(algorithm));
    if (kind === "EC" && data.crv !== alg.namedCurve) throw new DOMException(`The JWK "crv" member must be "${alg.namedCurve}"`, "DataError");
    const fields = {};
    for (const k of ["kty", "crv", "n", "e", "d", "p", "q", "dp", "dq", "qi", "x", "y"]) {
      if (data[k] !== undefined) {
        if (typeof data[k] !== "string") throw new DOMException(`The JWK "${k}" member must be a string`, "DataError");
        fields[k] = data[k];
      }
    }
    handle = native.subtleKeyImport(kind, "jwk", JSON.stringify(fields), alg.namedCurve);
  } else {
    if (format === "raw" && kind === "RSA") throw new DOMException(`Unable to import ${name} key with format raw`, "NotSupportedError");
    handle = native.subtleKeyImport(kind, format, data, alg.namedCurve);
  }
  const info = native.subtleKeyInfo(handle);
  const type = info.private ? "private" : "public";
  if (info.private && usages.length === 0) throw new DOMException("Usages cannot be empty when importing a private key.", "SyntaxError");
  return newKey(type, extractable, pairAlgorithm(alg, info), usages, handle);
}

function exportKey(format, key) {
  const k = keyOf(key, "key");
  if (!kFormats.includes(format)) throw new TypeError(`'${format}' is not a valid KeyFormat`);
  if (!k.extractable) throw new DOMException("key is not extractable", "InvalidAccessError");
  const { name } = k.algorithm;
  if (k.type === "secret") {
    if (format === "raw") return k.material.slice().buffer;
    if (format === "jwk" && name !== "PBKDF2" && name !== "HKDF") {
      const jwk = { key_ops: k.usages.slice(), ext: k.extractable, kty: "oct", k: b64url.encode(k.material) };
      jwk.alg = jwkAlg(k.algorithm);
      return jwk;
    }
    throw new DOMException(`Unable to export ${name} key with format ${format}`, "NotSupportedError");
  }
  if (format === "jwk") {
    const jwk = { key_ops: k.usages.slice(), ext: k.extractable, ...JSON.parse(native.subtleKeyExport(k.material, "jwk")) };
    // The spec gives EC keys no "alg" on export (ES256 is checked on import).
    const alg = jwkAlg(k.algorithm);
    if (alg !== undefined && name !== "ECDSA") jwk.alg = alg;
    return jwk;
  }
  if (format === "raw" && kRSA.includes(name)) throw new DOMException(`Unable to export ${name} key with format raw`, "NotSupportedError");
  return native.subtleKeyExport(k.material, format).buffer;
}

function importKey(format, keyData, algorithm, extractable, keyUsages) {
  if (!kFormats.includes(format)) throw new TypeError(`'${format}' is not a valid KeyFormat`);
  let data;
  if (format === "jwk") {
    if (keyData === null || typeof keyData !== "object" || keyData instanceof ArrayBuffer || ArrayBuffer.isView(keyData))
      throw new TypeError("importKey: a JWK must be an object");
    data = keyData;
  } else {
    data = bufferSource(keyData, "importKey: keyData");
  }
  const alg = normalizeAlgorithm(algorithm, "importKey");
  const usages = checkUsages(keyUsages);
  return pairKind(alg.name) ? importPair(format, data, alg, extractable, usages) : importSecret(format, data, alg, extractable, usages);
}

// useKey checks that key (a CryptoKey argument) may run alg's operation
// with usage, and returns its slots.
function useKey(key, alg, usage) {
  const k = keyOf(key, "key");
  if (k.algorithm.name !== alg.name) throw new DOMException("The requested operation is not valid for the provided key", "InvalidAccessError");
  if (!k.usages.includes(usage)) throw new DOMException(`Unable to use this key to ${usage}`, "InvalidAccessError");
  return k;
}

function cipher(encrypt, alg, k, data) {
  if (alg.name === "RSA-OAEP")
    return native.subtleKeyOaep(encrypt, k.algorithm.hash.name, k.material, data, alg.label);
  if (alg.name === "AES-GCM") {
    const tag = alg.tagLength === undefined ? 128 : alg.tagLength;
    if (![32, 64, 96, 104, 112, 120, 128].includes(tag)) throw new DOMException(`${tag} is not a valid AES-GCM tag length`, "OperationError");
    return native.subtleAes(alg.name, encrypt, k.material, data, alg.iv, alg.additionalData, tag);
  }
  if (alg.name === "AES-CTR") return native.subtleAes(alg.name, encrypt, k.material, data, alg.counter, undefined, alg.length);
  return native.subtleAes(alg.name, encrypt, k.material, data, alg.iv, undefined, 0);
}

function deriveBits(alg, k, length) {
  if (alg.name === "ECDH" || alg.name === "X25519") {
    const pub = keyOf(alg.public, "algorithm.public");
    if (pub.type !== "public") throw new DOMException("algorithm.public must be a public key", "InvalidAccessError");
    if (pub.algorithm.name !== alg.name || pub.algorithm.namedCurve !== k.algorithm.namedCurve)
      throw new DOMException("The public key is not of the same algorithm and curve", "InvalidAccessError");
    const secret = native.subtleKeyDerive(k.material, pub.material);
    if (length === undefined || length === null) return secret.buffer;
    if (length > secret.length * 8) throw new DOMException("derived bit length is too small", "OperationError");
    const out = secret.slice(0, Math.ceil(length / 8));
    if (length % 8) out[out.length - 1] &= 0xff << (8 - (length % 8));
    return out.buffer;
  }
  if (length === undefined || length === null) throw new DOMException("length cannot be null", "OperationError");
  length = Number(length);
  if (length % 8 !== 0) throw new DOMException("length must be a multiple of 8", "OperationError");
  if (alg.name === "HKDF") return native.subtleHkdf(alg.hash.name, k.material, alg.salt, alg.info, length / 8).buffer;
  if (alg.iterations === 0) throw new DOMException("iterations cannot be zero", "OperationError");
  const out = native.subtlePbkdf2(alg.hash.name, k.material, alg.salt, alg.iterations, length / 8);
  return out instanceof Uint8Array ? out.buffer : out.then((b) => b.buffer);
}

// keyLength is the bits deriveKey derives for a key of alg (WebCrypto's
// "get key length").
function keyLength(alg) {
  if (alg.name === "HMAC") {
    if (alg.length === undefined) return hashBits(alg.hash);
    if (alg.length === 0) throw new TypeError("HMAC: length must not be zero");
    return alg.length;
  }
  if (alg.name.startsWith("AES-")) {
    if (![128, 192, 256].includes(alg.length)) throw new DOMException("AES key length must be 128, 192, or 256 bits", "OperationError");
    return alg.length;
  }
  return null;
}

async function generatePair(alg, extractable, usages) {
  const { name } = alg;
  const kind = pairKind(name);
  let handles;
  checkCurve(alg);
  if (kind === "EC") {
    handles = native.subtleKeyGenerate(kind, alg.namedCurve);
  } else if (kind === "RSA") {
    handles = await native.subtleKeyGenerate(kind, alg.modulusLength, alg.publicExponent);
  } else {
    handles = native.subtleKeyGenerate(kind);
  }
  const [privUsages, pubUsages] = allowedUsages(name);
  const info = native.subtleKeyInfo(handles[0]);
  const algorithm = pairAlgorithm(alg, info);
  const privateKey = newKey("private", extractable, algorithm, usages.filter((u) => privUsages.includes(u)), handles[0]);
  const publicKey = newKey("public", true, algorithm, usages.filter((u) => pubUsages.includes(u)), handles[1]);
  return { publicKey, privateKey };
}

class SubtleCrypto {
  constructor() {
    if (!mintingKey) throw new TypeError("Illegal constructor");
  }

  async digest(algorithm, data) {
    const alg = normalizeAlgorithm(algorithm, "digest");
    return native.subtleDigest(alg.name, bufferSource(data, "digest: data")).buffer;
  }

  async importKey(format, keyData, algorithm, extractable, keyUsages) {
    return importKey(format, keyData, algorithm, extractable, keyUsages);
  }

  async exportKey(format, key) {
    return exportKey(format, key);
  }

  async generateKey(algorithm, extractable, keyUsages) {
    const alg = normalizeAlgorithm(algorithm, "generateKey");
    const usages = checkUsages(keyUsages);
    const [own, pub] = allowedUsages(alg.name);
    if (usages.some((u) => !own.includes(u) && !(pub || []).includes(u))) throw badUsage(alg.name);
    if (pairKind(alg.name)) {
      if (!usages.some((u) => own.includes(u))) throw new DOMException("Usages cannot be empty when creating a key.", "SyntaxError");
      return generatePair(alg, extractable, usages);
    }
    const bits = keyLength(alg);
    if (usages.length === 0) throw new DOMException("Usages cannot be empty when creating a key.", "SyntaxError");
    const bytes = new Uint8Array(Math.ceil(bits / 8));
    native.fillRandom(bytes);
    const algorithm2 = alg.name === "HMAC" ? { name: alg.name, hash: { name: alg.hash.name }, length: bits } : { name: alg.name, length: bits };
    return newKey("secret", extractable, algorithm2, usages, bytes);
  }

  async sign(algorithm, key, data) {
    const alg = normalizeAlgorithm(algorithm, "sign");
    data = bufferSource(data, "sign: data");
    const k = useKey(key, alg, "sign");
    if (alg.name === "HMAC") return native.subtleHmac(k.algorithm.hash.name, k.material, data).buffer;
    const hash = alg.name === "ECDSA" ? alg.hash.name : k.algorithm.hash && k.algorithm.hash.name;
    return native.subtleKeySign(alg.name, hash, k.material, data, alg.saltLength).buffer;
  }

  async verify(algorithm, key, signature, data) {
    const alg = normalizeAlgorithm(algorithm, "verify");
    signature = bufferSource(signature, "verify: signature");
    data = bufferSource(data, "verify: data");
    const k = useKey(key, alg, "verify");
    if (alg.name === "HMAC")
      return native.subtleTimingSafeEqual(native.subtleHmac(k.algorithm.hash.name, k.material, data), signature);
    const hash = alg.name === "ECDSA" ? alg.hash.name : k.algorithm.hash && k.algorithm.hash.name;
    return native.subtleKeyVerify(alg.name, hash, k.material, signature, data, alg.saltLength);
  }

  async encrypt(algorithm, key, data) {
    const alg = normalizeAlgorithm(algorithm, "encrypt");
    data = bufferSource(data, "encrypt: data");
    return cipher(true, alg, useKey(key, alg, "encrypt"), data).buffer;
  }

  async decrypt(algorithm, key, data) {
    const alg = normalizeAlgorithm(algorithm, "decrypt");
    data = bufferSource(data, "decrypt: data");
    return cipher(false, alg, useKey(key, alg, "decrypt"), data).buffer;
  }

  async deriveBits(algorithm, baseKey, length) {
    const alg = normalizeAlgorithm(algorithm, "deriveBits");
    return deriveBits(alg, useKey(baseKey, alg, "deriveBits"), length);
  }

  async deriveKey(algorithm, baseKey, derivedKeyType, extractable, keyUsages) {
    const alg = normalizeAlgorithm(algorithm, "deriveBits");
    normalizeAlgorithm(derivedKeyType, "importKey");
    const length = keyLength(normalizeAlgorithm(derivedKeyType, "getKeyLength"));
    const k = useKey(baseKey, alg, "deriveKey");
    const bits = await deriveBits(alg, k, length);
    return importKey("raw", bits, derivedKeyType, extractable, keyUsages);
  }

  async wrapKey(format, key, wrappingKey, wrapAlgorithm) {
    const alg = normalizeAlgorithm(wrapAlgorithm, "wrapKey");
    const k = useKey(wrappingKey, alg, "wrapKey");
    let bytes = exportKey(format, key);
    bytes = format === "jwk" ? native.utf8Encode(JSON.stringify(bytes)) : new Uint8Array(bytes);
    if (alg.name === "AES-KW") return native.subtleAesKw(true, k.material, bytes).buffer;
    return cipher(true, alg, k, bytes).buffer;
  }

  async unwrapKey(format, wrappedKey, unwrappingKey, unwrapAlgorithm, unwrappedKeyAlgorithm, extractable, keyUsages) {
    const alg = normalizeAlgorithm(unwrapAlgorithm, "unwrapKey");
    const wrapped = bufferSource(wrappedKey, "unwrapKey: wrappedKey");
    const k = useKey(unwrappingKey, alg, "unwrapKey");
    const bytes = alg.name === "AES-KW" ? native.subtleAesKw(false, k.material, wrapped) : cipher(false, alg, k, wrapped);
    let data = bytes;
    if (format === "jwk") {
      try {
        data = JSON.parse(native.utf8Decode(bytes));
      } catch {
        throw new DOMException("The unwrapped key is not valid JSON", "DataError");
      }
    }
    return importKey(format, data, unwrappedKeyAlgorithm, extractable, keyUsages);
  }

  // workerd's extension: a constant-time comparison of two equal-length
  // buffers.
  timingSafeEqual(a, b) {
    a = bufferSource(a, "timingSafeEqual: a");
    b = bufferSource(b, "timingSafeEqual: b");
    if (a.byteLength !== b.byteLength) throw new TypeError("Input buffers must have the same byte length.");
    return native.subtleTimingSafeEqual(a, b);
  }
}
tag(SubtleCrypto, "SubtleCrypto");
define("SubtleCrypto", SubtleCrypto);

mintingKey = true;
const subtle = new SubtleCrypto();
mintingKey = false;

// node:crypto's KeyObjects reach CryptoKeys through Go only (crypto_key_bridge.go).
native.cryptoKeyBridge((key) => {
  const s = key !== null && typeof key === "object" ? keySlots.get(key) : undefined;
  return s === undefined ? undefined : [s.type, s.material];
}, importKey);
