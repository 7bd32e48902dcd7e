// The Cache API: caches.default and caches.open(name), as one Workers
// location has them: in memory (cache.go), shared by the isolates of this
// process. put() keeps a response for as long as its headers say
// (Cache-Control s-maxage or max-age, Expires, else Cloudflare's edge TTL
// for its status).
const kCacheName = Symbol("cacheName");
const statusTTL = { 200: 7200, 206: 7200, 301: 7200, 302: 1200, 303: 1200, 404: 180, 410: 180 };
const maxTTL = 365 * 24 * 3600; // longer lives are capped (and stay within Go's durations)
function cacheTTL(headers, status) {
  const dirs = new Map();
  for (const part of (headers.get("cache-control") || "").toLowerCase().split(",")) {
    const eq = part.indexOf("=");
    const k = (eq < 0 ? part : part.slice(0, eq)).trim();
    if (k) dirs.set(k, eq < 0 ? "" : part.slice(eq + 1).trim().replace(/^"|"$/g, ""));
  }
  if (dirs.has("no-store") || dirs.has("no-cache") || dirs.get("private") === "") return 0;
  for (const d of ["s-maxage", "max-age"]) {
    if (dirs.has(d)) {
      const n = Number(dirs.get(d));
      return Number.isFinite(n) && n > 0 ? Math.min(n, maxTTL) : 0;
    }
  }
  const expires = headers.get("expires");
  if (expires !== null) {
    const t = Date.parse(expires);
    return Number.isNaN(t) ? 0 : Math.min(maxTTL, Math.max(0, (t - Date.now()) / 1000));
  }
  return statusTTL[status] || 0;
}
function headersFromFlat(flat) {
  const h = new Headers();
  const parts = flat === "" ? [] : flat.split("\0");
  for (let i = 0; i + 1 < parts.length; i += 2) h.append(parts[i], parts[i + 1]);
  return h;
}
const asRequest = (r) => (r instanceof Request ? r : new Request(r));
class Cache {
  constructor(name) { this[kCacheName] = name; }
  async put(request, response) {
    const req = asRequest(request);
    if (req.method !== "GET") throw new TypeError("Cannot cache response to non-GET request.");
    if (!(response instanceof Response)) throw new TypeError("Cache.put(): the response must be a Response.");
    if (response.status === 206) throw new TypeError("Cannot cache response to a range request (206 Partial Content).");
    const vary = response.headers.get("vary");
    if (vary !== null && vary.split(",").some((v) => v.trim() === "*")) throw new TypeError("Cannot cache response with 'Vary: *' header.");
    if (response.bodyUsed) throw new TypeError("Response body is already used");
    const headers = new Headers(response.headers);
    const body = new Uint8Array(await response.arrayBuffer());
    if (headers.has("set-cookie")) {
      // Never cached with its cookie: only Cache-Control: private=Set-Cookie
      // stores the response, without it.
      if (!/private\s*=\s*"?[^,]*set-cookie/.test((headers.get("cache-control") || "").toLowerCase())) return;
      headers.delete("set-cookie");
    }
    const ttl = cacheTTL(headers, response.status);
    if (ttl > 0) native.cachePut(this[kCacheName], req.url, response.status, response.statusText, flatten(headers), body, ttl);
  }
  async match(request, options) {
    const req = asRequest(request);
    if (req.method !== "GET" && !(options && options.ignoreMethod)) return undefined;
    const hit = native.cacheMatch(this[kCacheName], req.url);
    if (hit === null) return undefined;
    const headers = headersFromFlat(hit.headers);
    headers.set("cf-cache-status", "HIT");
    const etag = headers.get("etag");
    const inm = req.headers.get("if-none-match");
    const opaque = (t) => t.trim().replace(/^W\//, "");
    if (inm !== null) {
      if (etag !== null && (inm.trim() === "*" || inm.split(",").some((t) => opaque(t) === opaque(etag)))) {
        return new Response(null, { status: 304, headers });
      }
    } else {
      const ims = req.headers.get("if-modified-since"), lm = headers.get("last-modified");
      if (ims !== null && lm !== null && Date.parse(lm) <= Date.parse(ims)) return new Response(null, { status: 304, headers });
    }
    const range = req.headers.get("range");
    const m = range !== null && hit.status === 200 ? /^bytes=(\d*)-(\d*)$/.exec(range.trim()) : null;
    // A backwards range (bytes=5-2) is no range: the whole response.
    if (m && (m[1] !== "" || m[2] !== "") && !(m[1] !== "" && m[2] !== "" && Number(m[2]) < Number(m[1]))) {
      const size = hit.body.length;
      let start = Number(m[1]), end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
      if (m[1] === "") { start = Math.max(0, size - Number(m[2])); end = size - 1; }
      if (start > end || start >= size) {
        headers.set("content-range", `bytes */${size}`);
        return new Response(null, { status: 416, headers });
      }
      headers.set("content-range", `bytes ${start}-${end}/${size}`);
      headers.set("content-length", String(end - start + 1));
      return new Response(hit.body.slice(start, end + 1), { status: 206, headers });
    }
    return new Response(nullBodyStatus.has(hit.status) ? null : hit.body, { status: hit.status, statusText: hit.statusText, headers });
  }
  async delete(request, options) {
    const req = asRequest(request);
    if (req.method !== "GET" && !(options && options.ignoreMethod)) return false;
    return native.cacheDelete(this[kCacheName], req.url);
  }
}
tag(Cache, "Cache");
const kDefaultCache = Symbol("defaultCache");
class CacheStorage {
  constructor() { this[kDefaultCache] = new Cache(""); }
  get default() { return this[kDefaultCache]; }
  async open(name) { return new Cache("named:" + String(name)); }
}
tag(CacheStorage, "CacheStorage");
define("Cache", Cache);
define("CacheStorage", CacheStorage);
define("caches", new CacheStorage());
