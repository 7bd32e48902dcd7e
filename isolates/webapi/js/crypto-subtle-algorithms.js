// crypto.subtle's algorithms (crypto-subtle.js): which algorithms each
// operation knows, the parameters each reads and their normalization, the
// key usages each algorithm's keys may have, and which Go key kind an
// asymmetric algorithm's keys are (with the curves it has).

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
