// node:internal/crypto/hash: Hash and Hmac. Both are Transform streams
// (write the data, read the digest) made lazily (util's LazyTransform),
// so update()/digest() — the SCRAM and md5 paths of pg and postgres.js —
// cost no stream set-up. The Go state (node_crypto_hash.go) keeps the
// digest once taken: a stream's end pushes it, and digest() afterwards
// returns it (a Hash) or nothing (an Hmac), as Node's do.
"use strict";

const { Buffer } = require("node:buffer");
const { E, LazyTransform, dataBytes, encodeOutput, toBuffer, validateString } = require("node:internal/crypto/util");
const { secretKeyBytes } = require("node:internal/crypto/keys");

// Digest is what Hash and Hmac share: the Go state, update, digest, and
// the stream's _transform/_flush. A second digest() throws for a Hash and
// is empty for an Hmac, as Node's are.
class Digest extends LazyTransform {
  #state;
  #done;
  #hmac;
  constructor(options, state, hmac) {
    super(options);
    this.#state = state;
    this.#done = false;
    this.#hmac = hmac;
  }
  update(data, inputEncoding) {
    if (this.#done) throw E.finalized();
    native.hashUpdate(this.#state, dataBytes(data, inputEncoding));
    return this;
  }
  digest(outputEncoding) {
    if (this.#done && !this.#hmac) throw E.finalized();
    const out = this.#done ? Buffer.alloc(0) : toBuffer(native.hashDigest(this.#state));
    this.#done = true;
    return encodeOutput(out, outputEncoding);
  }
  _transform(chunk, encoding, callback) {
    native.hashUpdate(this.#state, dataBytes(chunk, encoding));
    callback();
  }
  _flush(callback) {
    this.push(toBuffer(native.hashDigest(this.#state)));
    callback();
  }
  static copyState_(d) {
    if (d.#done) throw E.finalized();
    return native.hashCopy(d.#state);
  }
}
// Taken off the class, so scripts cannot reach a hash's state.
const copyState = Digest.copyState_;
delete Digest.copyState_;

class Hash extends Digest {
  constructor(algorithm, options, state) {
    if (state === undefined) {
      validateString(algorithm, "algorithm");
      let outputLength;
      if (options !== undefined && options !== null && options.outputLength !== undefined) {
        outputLength = options.outputLength;
        if (typeof outputLength !== "number") throw E.argType("options.outputLength", "of type number", outputLength);
        if (!Number.isInteger(outputLength) || outputLength < 0 || outputLength > 4294967295) {
          throw E.range("options.outputLength", ">= 0 && <= 4294967295", outputLength);
        }
      }
      state = native.hashNew(algorithm, outputLength);
      if (state === null) throw new Error("Digest method not supported");
    }
    super(options, state, false);
  }
  copy(options) {
    return new Hash(undefined, options, copyState(this));
  }
}

class Hmac extends Digest {
  constructor(hmac, key, options) {
    validateString(hmac, "hmac");
    const state = native.hmacNew(hmac, secretKeyBytes(key, options && options.encoding));
    if (state === null) throw E.digest(hmac);
    super(options, state, true);
  }
}

const createHash = (algorithm, options) => new Hash(algorithm, options);
const createHmac = (hmac, key, options) => new Hmac(hmac, key, options);

const hashes = ["RSA-MD5", "RSA-SHA1", "RSA-SHA224", "RSA-SHA256", "RSA-SHA384", "RSA-SHA512", "md5", "sha1", "sha224", "sha256",
  "sha3-224", "sha3-256", "sha3-384", "sha3-512", "sha384", "sha512", "sha512-224", "sha512-256", "shake128", "shake256"];
const getHashes = () => hashes.slice();

module.exports = { Hash, Hmac, createHash, createHmac, getHashes };
