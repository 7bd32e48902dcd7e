// Request (Fetch).

// Property writes are what cost most in goja (each object is a map), so
// Request and Response keep their defaults on the prototype and set own
// properties only where a value differs: a plain `new Response("hi")` sets
// two.
const methods = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"]);
class Request {
  constructor(input, init) {
    if (init === null || typeof init !== "object") init = noInit;
    let src = null;
    if (input instanceof Request) {
      src = input;
      this[kURL] = input[kURL];
    } else {
      let u;
      try { u = new URL(String(input)); } catch (e) { throw new TypeError(`Invalid URL: ${String(input)}`); }
      this[kURL] = u.href;
    }
    let method = init.method !== undefined ? String(init.method) : src ? src[kMethod] : "GET";
    if (!tokenRe.test(method)) throw new TypeError(`Invalid HTTP method string: ${method}`);
    const up = method.toUpperCase();
    if (methods.has(up)) method = up;
    if (method !== "GET") this[kMethod] = method;
    const redirect = init.redirect || (src ? src[kRedirect] : "follow");
    if (redirect !== "follow") this[kRedirect] = redirect;
    const signal = init.signal || (src ? src[kSignal] : null);
    if (signal) this[kSignal] = signal;
    const cf = init.cf !== undefined ? init.cf : src ? src[kCF] : undefined;
    if (cf !== undefined) this[kCF] = cf;
    const enc = init.encodeResponseBody !== undefined ? bodyEncoding("encodeResponseBody", init.encodeResponseBody) : src ? src[kEncodeResponseBody] : "automatic";
    if (enc !== "automatic") this[kEncodeResponseBody] = enc;
    if (init.headers !== undefined) this[kHeaders] = new Headers(init.headers);
    else if (src) this[kHeaders] = new Headers(src.headers);
    let body = init.body;
    if (body === undefined && src) {
      if (src[kUsed]) throw new TypeError("Cannot construct a Request with a Request object that has already been used.");
      this[kBody] = src[kBody];
      if (src[kBody] !== null) src[kUsed] = true;
    } else {
      if (body !== undefined && body !== null && (method === "GET" || method === "HEAD"))
        throw new TypeError("Request with a GET or HEAD method cannot have a body.");
      const [b, type] = extractBody(body);
      if (b !== null) this[kBody] = b;
      if (type) {
        if (this[kHeaders] === undefined) this[kType] = type;
        else if (!this[kHeaders].has("content-type")) this[kHeaders].set("content-type", type);
      }
    }
  }
  get method() { return this[kMethod]; }
  get url() { return this[kURL]; }
  get headers() {
    const flat = this[kFlatHeaders];
    if (flat !== undefined && this[kHeaders] === undefined) return (this[kHeaders] = hostHeaders(flat, "immutable"));
    return headersOf(this);
  }
  get redirect() { return this[kRedirect]; }
  get signal() { return this[kSignal] || (this[kSignal] = new AbortSignal(kListeners)); }
  get cf() { return this[kCF]; }
  get fetcher() { return null; }
  get keepalive() { return false; }
  get integrity() { return ""; }
  clone() {
    const r = Object.create(Request.prototype);
    r[kURL] = this[kURL]; r[kMethod] = this[kMethod]; r[kRedirect] = this[kRedirect];
    if (this[kSignal]) r[kSignal] = this[kSignal];
    if (this[kCF] !== undefined) r[kCF] = this[kCF];
    if (this[kEncodeResponseBody] !== "automatic") r[kEncodeResponseBody] = this[kEncodeResponseBody];
    r[kHeaders] = new Headers(this.headers);
    cloneBody(this, r);
    return r;
  }
}
const noInit = Object.freeze({});
Object.assign(Request.prototype, {
  [kMethod]: "GET", [kRedirect]: "follow", [kSignal]: null, [kCF]: undefined,
  [kUsed]: false, [kType]: null, [kBody]: null, [kEncodeResponseBody]: "automatic",
});
mixBody(Request);
tag(Request, "Request");
define("Request", Request);
