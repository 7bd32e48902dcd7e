// crypto.subtle's key formats (crypto-subtle.js): JWK checks and
// base64url, importKey for secret keys and key pairs, exportKey, and
// useKey's checks that a CryptoKey may run an operation. The key material
// itself is crypto-key.js's slots and Go's handles (crypto_keypair.go).

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
