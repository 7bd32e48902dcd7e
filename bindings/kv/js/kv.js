// The per-isolate face of a KV namespace. `native` is the Go side: it
// stores bytes and JSON metadata text; types, options and Workers' error
// messages live here.
(function (native) {
  "use strict";
  const TYPES = ["text", "json", "arrayBuffer", "stream"];

  function failure(op, status, message) {
    return new Error(`KV ${op} failed: ${status} ${message}`);
  }

  function validateKey(op, key) {
    if (key === "") throw failure(op, 400, "Key names must not be empty");
    if (key === "." || key === "..") throw failure(op, 400, `Illegal key name "${key}". Please use a different name.`);
    const n = native.byteLength(key);
    if (n > 512) throw failure(op, 414, `UTF-8 encoded length of ${n} exceeds key length limit of 512.`);
  }

  // get(key, "json") or get(key, { type: "json", cacheTtl: 60 }).
  function readOptions(op, options) {
    let type = "text";
    let cacheTtl;
    if (typeof options === "string") type = options;
    else if (options !== undefined && options !== null) {
      if (typeof options !== "object") throw new TypeError("KV get() options must be a string or an object");
      if (options.type !== undefined) type = options.type;
      cacheTtl = options.cacheTtl;
    }
    if (!TYPES.includes(type)) {
      throw new TypeError('Unknown response type. Possible types are "text", "arrayBuffer", "json", and "stream".');
    }
    // Validated as Workers does, then ignored: one location, no edge cache.
    if (cacheTtl !== undefined && (typeof cacheTtl !== "number" || isNaN(cacheTtl) || cacheTtl < 60)) {
      throw failure(op, 400, `Invalid cache_ttl of ${cacheTtl}. Cache TTL must be at least 60.`);
    }
    return type;
  }

  function convert(value, type) {
    switch (type) {
      case "text": return value;
      case "json": return JSON.parse(value);
      case "arrayBuffer": return value.buffer;
      case "stream": return new Response(value).body;
    }
  }

  function metadataOf(text) {
    return text === "" ? null : JSON.parse(text);
  }

  async function get(keys, options, withMetadata) {
    const many = Array.isArray(keys);
    const list = many ? keys.map(String) : [String(keys)];
    const op = withMetadata ? "GET_WITH_METADATA" : "GET";
    const type = readOptions(op, options);
    if (many) {
      if (type !== "text" && type !== "json") throw failure(op, 400, `"${type}" is not a valid type. Use "json" or "text"`);
      if (list.length > 100) throw failure(op, 400, "You can request a maximum of 100 keys");
      if (list.length < 1) throw failure(op, 400, "You must request a minimum of 1 key");
    }
    for (const k of list) validateKey(op, k);
    const entries = await native.get(list, type === "text" || type === "json");
    const out = entries.map((e) => {
      if (e === null) return withMetadata ? (many ? null : { value: null, metadata: null, cacheStatus: null }) : null;
      let value;
      try {
        value = convert(e.value, type);
      } catch (err) {
        if (many) throw failure(op, 400, "At least one of the requested keys corresponds to a non-json value");
        throw err;
      }
      if (!withMetadata) return value;
      const m = metadataOf(e.metadata);
      return many ? { value, metadata: m } : { value, metadata: m, cacheStatus: null };
    });
    return many ? new Map(list.map((k, i) => [k, out[i]])) : out[0];
  }

  async function bytesOf(value) {
    if (typeof value === "string") return value;
    if (value instanceof ArrayBuffer) return new Uint8Array(value);
    if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    if (value instanceof ReadableStream) return new Uint8Array(await new Response(value).arrayBuffer());
    if (value === null || value === undefined || typeof value === "object" || typeof value === "function") {
      throw new TypeError("KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams as values.");
    }
    return String(value);
  }

  class KVNamespace {
    get(key, options) { return get(key, options, false); }
    getWithMetadata(key, options) { return get(key, options, true); }

    async put(key, value, options) {
      key = String(key);
      validateKey("PUT", key);
      let expiration = 0;
      let metadata;
      if (options !== undefined && options !== null) {
        const now = Math.floor(Date.now() / 1000);
        if (options.expirationTtl !== undefined) {
          const ttl = Math.floor(Number(options.expirationTtl));
          if (isNaN(ttl) || ttl <= 0) throw failure("PUT", 400, `Invalid expiration_ttl of ${options.expirationTtl}. Please specify integer greater than 0.`);
          if (ttl < 60) throw failure("PUT", 400, `Invalid expiration_ttl of ${options.expirationTtl}. Expiration TTL must be at least 60.`);
          expiration = now + ttl;
        } else if (options.expiration !== undefined) {
          expiration = Math.floor(Number(options.expiration));
          if (isNaN(expiration) || expiration <= now) {
            throw failure("PUT", 400, `Invalid expiration of ${options.expiration}. Please specify integer greater than the current number of seconds since the UNIX epoch.`);
          }
          if (expiration < now + 60) throw failure("PUT", 400, `Invalid expiration of ${options.expiration}. Expiration times must be at least 60 seconds in the future.`);
        }
        if (options.metadata !== undefined && options.metadata !== null) {
          metadata = JSON.stringify(options.metadata);
          const n = native.byteLength(metadata);
          if (n > 1024) throw failure("PUT", 413, `Metadata length of ${n} exceeds limit of 1024.`);
        }
      }
      const bytes = await bytesOf(value);
      const n = typeof bytes === "string" ? native.byteLength(bytes) : bytes.byteLength;
      if (n > 25 * 1024 * 1024) throw failure("PUT", 413, `Value length of ${n} exceeds limit of ${25 * 1024 * 1024}.`);
      await native.put(key, bytes, expiration, metadata === undefined ? "" : metadata);
    }

    async delete(key) {
      key = String(key);
      validateKey("DELETE", key);
      await native.delete(key);
    }

    async list(options) {
      let prefix = "", limit = 1000, cursor = "";
      if (options !== undefined && options !== null) {
        if (options.prefix !== undefined && options.prefix !== null) prefix = String(options.prefix);
        if (options.limit !== undefined) {
          limit = Number(options.limit);
          if (isNaN(limit) || limit < 1) throw failure("LIST", 400, `Invalid key_count_limit of ${options.limit}. Please specify an integer greater than 0.`);
          if (limit > 1000) throw failure("LIST", 400, `Invalid key_count_limit of ${options.limit}. Please specify an integer less than 1000.`);
          limit = Math.floor(limit);
        }
        if (options.cursor !== undefined && options.cursor !== null) cursor = String(options.cursor);
      }
      const n = native.byteLength(prefix);
      if (n > 512) throw failure("LIST", 414, `UTF-8 encoded length of ${n} exceeds key length limit of 512.`);
      const page = await native.list(prefix, limit, cursor);
      const keys = page.keys.map((k) => {
        const key = { name: k.name };
        if (k.expiration) key.expiration = k.expiration;
        if (k.metadata !== "") key.metadata = JSON.parse(k.metadata);
        return key;
      });
      return page.cursor === ""
        ? { keys, list_complete: true, cacheStatus: null }
        : { keys, list_complete: false, cursor: page.cursor, cacheStatus: null };
    }
  }
  Object.defineProperty(KVNamespace.prototype, Symbol.toStringTag, { value: "KvNamespace" });
  return new KVNamespace();
})
