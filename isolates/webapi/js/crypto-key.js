// CryptoKey (Web Crypto): what crypto.subtle makes and takes. A key's
// material lives in keySlots, out of scripts' reach: a secret key's bytes
// (a private copy), or the Go handle of a key pair's half
// (crypto_keypair.go).

const keySlots = new WeakMap();
let mintingKey = false;

class CryptoKey {
  constructor() {
    if (!mintingKey) throw new TypeError("Illegal constructor");
  }
  get type() { return slotsOf(this).type; }
  get extractable() { return slotsOf(this).extractable; }
  get algorithm() { return slotsOf(this).algorithm; }
  get usages() { return slotsOf(this).usages; }
}
tag(CryptoKey, "CryptoKey");
define("CryptoKey", CryptoKey);

function slotsOf(key) {
  const s = keySlots.get(key);
  if (!s) throw new TypeError("Illegal invocation");
  return s;
}

// newKey makes a CryptoKey. algorithm is the object its algorithm getter
// returns (the same object each time, as Node and workerd do); material is
// a Uint8Array (secret keys) or a key-pair handle.
function newKey(type, extractable, algorithm, usages, material) {
  mintingKey = true;
  let key;
  try {
    key = new CryptoKey();
  } finally {
    mintingKey = false;
  }
  keySlots.set(key, { type, extractable: !!extractable, algorithm, usages: usages.slice(), material });
  return key;
}

// keyOf is the slots of a CryptoKey argument, or a TypeError.
function keyOf(key, what) {
  const s = key !== null && typeof key === "object" ? keySlots.get(key) : undefined;
  if (!s) throw new TypeError(`${what} is not of type CryptoKey`);
  return s;
}
