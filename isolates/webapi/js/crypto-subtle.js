// crypto.subtle (Web Crypto's SubtleCrypto), with workerd's algorithms and
// errors: HMAC, PBKDF2, HKDF, AES-GCM/CBC/CTR/KW, ECDSA and ECDH (P-256,
// P-384, P-521), RSASSA-PKCS1-v1_5, RSA-PSS, RSA-OAEP, Ed25519 (and
// Workers' older name for it, NODE-ED25519, with namedCurve NODE-ED25519), X25519;
// digest with SHA-1/256/384/512 and workerd's MD5; workerd's
// timingSafeEqual. Here: the operations (encryption, derivation, key
// generation) and the SubtleCrypto class, with their errors;
// crypto-subtle-algorithms.js normalizes algorithms and knows their key
// usages, crypto-subtle-keys.js imports and exports keys (JWK included).
// The cryptography itself is Go's (natives: crypto_subtle.go for secret
// keys and digests, crypto_keypair.go for key pairs and their JWKs).

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
