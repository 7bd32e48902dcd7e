// The per-isolate face of an R2 bucket. `native` is the Go side: it keeps
// bytes and metadata (JSON text both ways); the objects, options and
// Workers' error messages live here.
(function (native) {
  "use strict";
  const HTTP_FIELDS = [
    ["contentType", "content-type"],
    ["contentLanguage", "content-language"],
    ["contentDisposition", "content-disposition"],
    ["contentEncoding", "content-encoding"],
    ["cacheControl", "cache-control"],
  ];

  function failure(op, message, code) {
    const e = new Error(`${op}: ${message} (${code})`);
    return e;
  }
  // R2's object names: 1 to 1024 bytes of UTF-8. The empty key is refused
  // here, not by a store (bbolt and S3 cannot hold it, and would each say
  // so in their own words).
  function checkKey(op, key) {
    if (key === "" || native.byteLength(key) > 1024) throw failure(op, "The specified object name is not valid.", 10020);
  }

  class R2Object {
    constructor(meta) {
      this.key = meta.key;
      this.version = meta.version;
      this.size = meta.size;
      this.etag = meta.etag;
      this.httpEtag = `"${meta.etag}"`;
      this.uploaded = new Date(meta.uploaded);
      const h = meta.httpMetadata || {};
      this.httpMetadata = {};
      for (const [field] of HTTP_FIELDS) if (h[field] !== undefined) this.httpMetadata[field] = h[field];
      if (h.cacheExpiry !== undefined) this.httpMetadata.cacheExpiry = new Date(h.cacheExpiry);
      this.customMetadata = meta.customMetadata || {};
      this.checksums = checksums(meta.checksums || {});
      this.storageClass = "Standard";
      if (meta.range) this.range = meta.range;
    }
    writeHttpMetadata(headers) {
      if (this.httpMetadata === undefined) throw new TypeError("This object has no httpMetadata: list() it with include: [\"httpMetadata\"].");
      for (const [field, name] of HTTP_FIELDS) if (this.httpMetadata[field] !== undefined) headers.set(name, this.httpMetadata[field]);
      if (this.httpMetadata.cacheExpiry !== undefined) headers.set("expires", this.httpMetadata.cacheExpiry.toUTCString());
    }
  }
  Object.defineProperty(R2Object.prototype, Symbol.toStringTag, { value: "R2Object" });

  const kBody = Symbol("body");
  class R2ObjectBody extends R2Object {
    constructor(meta, bytes) {
      super(meta);
      this[kBody] = new Response(bytes);
    }
    get body() { return this[kBody].body; }
    get bodyUsed() { return this[kBody].bodyUsed; }
    arrayBuffer() { return this[kBody].arrayBuffer(); }
    text() { return this[kBody].text(); }
    json() { return this[kBody].json(); }
    blob() { return this[kBody].blob(); }
    bytes() { return this[kBody].arrayBuffer().then((b) => new Uint8Array(b)); }
  }
  Object.defineProperty(R2ObjectBody.prototype, Symbol.toStringTag, { value: "R2ObjectBody" });

  // R2Checksums: each algorithm's digest as an ArrayBuffer, hex in JSON.
  function checksums(hex) {
    const out = { toJSON() { return { ...hex }; } };
    Object.defineProperty(out, "toJSON", { enumerable: false });
    for (const [alg, h] of Object.entries(hex)) out[alg] = hexBytes(h);
    return out;
  }

  function hexBytes(hex) {
    const out = new Uint8Array(hex.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    return out.buffer;
  }

  // onlyIf: an object of conditions, or Headers (If-Match, If-None-Match,
  // If-Modified-Since, If-Unmodified-Since).
  function conditions(onlyIf) {
    if (onlyIf === undefined || onlyIf === null) return "";
    const c = {};
    const list = (v) => (Array.isArray(v) ? v.map(String) : String(v).split(",").map((s) => s.trim()));
    if (onlyIf instanceof Headers) {
      const im = onlyIf.get("if-match"), inm = onlyIf.get("if-none-match");
      const ims = onlyIf.get("if-modified-since"), ius = onlyIf.get("if-unmodified-since");
      if (im !== null) c.etagMatches = list(im);
      if (inm !== null) c.etagDoesNotMatch = list(inm);
      if (ius !== null && !Number.isNaN(Date.parse(ius))) c.uploadedBefore = Date.parse(ius) + 1000; // one-second resolution
      if (ims !== null && !Number.isNaN(Date.parse(ims))) c.uploadedAfter = Date.parse(ims) + 999;
    } else {
      // Object-form ETags are bare, as R2 gives them in etag (not httpEtag).
      const bare = (v) => {
        const l = list(v);
        for (const e of l) if (e.includes('"')) throw new TypeError(`Conditional ETag should not be wrapped in quotes (${e}).`);
        return l;
      };
      if (onlyIf.etagMatches !== undefined) c.etagMatches = bare(onlyIf.etagMatches);
      if (onlyIf.etagDoesNotMatch !== undefined) c.etagDoesNotMatch = bare(onlyIf.etagDoesNotMatch);
      if (onlyIf.uploadedBefore !== undefined) c.uploadedBefore = new Date(onlyIf.uploadedBefore).getTime();
      if (onlyIf.uploadedAfter !== undefined) c.uploadedAfter = new Date(onlyIf.uploadedAfter).getTime();
    }
    return JSON.stringify(c);
  }

  // range: {offset, length}, {suffix}, or Headers with a Range header.
  function range(r) {
    if (r === undefined || r === null) return null;
    if (r instanceof Headers) {
      // As R2 reads a Range header: one range, or the whole object (several
      // ranges, or one it cannot parse, are ignored).
      const v = r.get("range");
      if (v === null) return null;
      const m = /^bytes=(\d*)-(\d*)$/.exec(v.trim());
      if (!m || (m[1] === "" && m[2] === "") || (m[1] !== "" && m[2] !== "" && Number(m[2]) < Number(m[1]))) return null;
      if (m[1] === "") return { offset: 0, length: -1, suffix: Number(m[2]) === 0 ? -1 : Number(m[2]) };
      return { offset: Number(m[1]), length: m[2] === "" ? -1 : Number(m[2]) - Number(m[1]) + 1, suffix: 0 };
    }
    if (r.suffix !== undefined) {
      const suffix = Number(r.suffix);
      return { offset: 0, length: -1, suffix: suffix > 0 ? suffix : -1 }; // -1: not satisfiable
    }
    const offset = r.offset === undefined ? 0 : Number(r.offset);
    const length = r.length === undefined ? -1 : Number(r.length);
    if (!(offset >= 0) || !(length >= -1)) throw failure("get", "The requested range is not satisfiable.", 10039);
    return { offset, length, suffix: 0 };
  }

  function httpMetadataOf(m) {
    if (m === undefined || m === null) return {};
    const out = {};
    if (m instanceof Headers) {
      for (const [field, name] of HTTP_FIELDS) { const v = m.get(name); if (v !== null) out[field] = v; }
      const exp = m.get("expires");
      if (exp !== null && !Number.isNaN(Date.parse(exp))) out.cacheExpiry = Date.parse(exp);
      return out;
    }
    for (const [field] of HTTP_FIELDS) if (m[field] !== undefined) out[field] = String(m[field]);
    if (m.cacheExpiry !== undefined) out.cacheExpiry = new Date(m.cacheExpiry).getTime();
    return out;
  }

  // bodyOf is a put's value as native.put takes it: a string, bytes (not
  // copied here), or a stream the Go side reads as it stores it (it must
  // have a known length, as on R2: a body over bytes, a Blob's, or
  // FixedLengthStream's readable side).
  function bodyOf(op, value) {
    if (value === null || value === undefined) return new Uint8Array(0);
    if (typeof value === "string") return value;
    if (value instanceof ArrayBuffer) return new Uint8Array(value);
    if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    if (value instanceof Blob) return value.stream();
    if (value instanceof ReadableStream) return value;
    throw new TypeError(`${op}: the value must be a ReadableStream, ArrayBuffer, ArrayBufferView, string, Blob or null.`);
  }

  function partNumber(n) {
    n = Number(n);
    if (!(Number.isInteger(n) && n >= 1 && n <= 10000)) {
      throw new TypeError(`Part number must be between 1 and 10000 (inclusive). Actual value was: ${n}`);
    }
    return n;
  }

  class R2MultipartUpload {
    #key;
    #uploadId;
    constructor(key, uploadId) {
      this.#key = key;
      this.#uploadId = uploadId;
    }
    get key() { return this.#key; }
    get uploadId() { return this.#uploadId; }
    async uploadPart(n, value) {
      n = partNumber(n);
      const etag = await native.uploadPart(this.#key, this.#uploadId, n, bodyOf("uploadPart", value));
      return { partNumber: n, etag };
    }
    async complete(parts) {
      if (!Array.isArray(parts)) throw new TypeError("complete: parts must be an array of { partNumber, etag }.");
      const list = parts.map((p) => ({ partNumber: partNumber(p && p.partNumber), etag: String(p.etag) }));
      const meta = await native.completeMultipartUpload(this.#key, this.#uploadId, JSON.stringify(list));
      return new R2Object(JSON.parse(meta));
    }
    async abort() {
      await native.abortMultipartUpload(this.#key, this.#uploadId);
    }
  }
  Object.defineProperty(R2MultipartUpload.prototype, Symbol.toStringTag, { value: "R2MultipartUpload" });

  function customMetadataOf(op, m) {
    const custom = {};
    if (m !== undefined && m !== null) {
      for (const [k, v] of Object.entries(m)) custom[k] = String(v);
    }
    let size = 0; // R2 counts the keys' and values' bytes
    for (const [k, v] of Object.entries(custom)) size += native.byteLength(k) + native.byteLength(v);
    if (size > 2048) throw failure(op, "Your metadata headers exceed the maximum allowed metadata size.", 10012);
    return JSON.stringify(custom);
  }

  class R2Bucket {
    async head(key) {
      key = String(key);
      checkKey("head", key);
      const meta = await native.head(key);
      return meta === null ? null : new R2Object(JSON.parse(meta));
    }
    async get(key, options) {
      key = String(key);
      checkKey("get", key);
      const r = range(options && options.range);
      const res = await native.get(key, r, conditions(options && options.onlyIf));
      if (res === null) return null;
      const meta = JSON.parse(res.meta);
      if (res.body === null) return new R2Object(meta); // a condition failed
      if (r !== null) meta.range = { offset: res.offset, length: res.body.byteLength };
      return new R2ObjectBody(meta, res.body);
    }
    async put(key, value, options) {
      key = String(key);
      checkKey("put", key);
      options = options || {};
      const customText = customMetadataOf("put", options.customMetadata);
      const body = bodyOf("put", value);
      let md5 = null;
      if (options.md5 !== undefined) {
        // The body must have this MD5 (hex string or ArrayBuffer): the
        // store checks it as it writes, and stores nothing if it differs.
        md5 = typeof options.md5 === "string" ? options.md5.toLowerCase()
          : Array.from(new Uint8Array(options.md5), (b) => b.toString(16).padStart(2, "0")).join("");
      }
      const meta = await native.put(key, body, md5, JSON.stringify(httpMetadataOf(options.httpMetadata)), customText, conditions(options.onlyIf));
      return meta === null ? null : new R2Object(JSON.parse(meta));
    }
    async delete(keys) {
      const list = Array.isArray(keys) ? keys.map(String) : [String(keys)];
      if (list.length > 1000) throw failure("delete", "You can delete at most 1000 objects at a time.", 10001);
      for (const k of list) checkKey("delete", k);
      await native.delete(list);
    }
    async list(options) {
      options = options || {};
      const limit = options.limit === undefined ? 1000 : Number(options.limit);
      if (!(limit >= 1 && limit <= 1000)) throw failure("list", "MaxKeys params must be positive integer <= 1000.", 10022);
      const include = Array.isArray(options.include) ? options.include : [];
      const res = JSON.parse(await native.list(JSON.stringify({
        prefix: options.prefix === undefined ? "" : String(options.prefix),
        cursor: options.cursor === undefined ? "" : String(options.cursor),
        startAfter: options.startAfter === undefined ? "" : String(options.startAfter),
        delimiter: options.delimiter === undefined ? "" : String(options.delimiter),
        limit: Math.floor(limit),
        include: include.map(String),
      })));
      const objects = res.objects.map((meta) => {
        const o = new R2Object(meta);
        if (!include.includes("httpMetadata")) o.httpMetadata = undefined;
        if (!include.includes("customMetadata")) o.customMetadata = undefined;
        return o;
      });
      const out = { objects, truncated: res.truncated, delimitedPrefixes: res.delimitedPrefixes };
      if (res.truncated) out.cursor = res.cursor;
      return out;
    }
    async createMultipartUpload(key, options) {
      key = String(key);
      checkKey("createMultipartUpload", key);
      options = options || {};
      const custom = customMetadataOf("createMultipartUpload", options.customMetadata);
      const id = await native.createMultipartUpload(key, JSON.stringify(httpMetadataOf(options.httpMetadata)), custom);
      return new R2MultipartUpload(key, id);
    }
    // As workerd's: no round trip; the upload is checked when it is used.
    resumeMultipartUpload(key, uploadId) {
      return new R2MultipartUpload(String(key), String(uploadId));
    }
  }
  Object.defineProperty(R2Bucket.prototype, Symbol.toStringTag, { value: "R2Bucket" });
  return new R2Bucket();
})
