// Response (Fetch).

// withType is a flat header list with a content-type added at the end, as
// Headers.set adds a name it does not have.
const withType = (flat, type) => flat === "" ? "content-type\0" + type : flat + "\0content-type\0" + type;
const textType = "text/plain;charset=UTF-8";
const nullBodyStatus = new Set([101, 204, 205, 304]);
const redirectStatus = new Set([301, 302, 303, 307, 308]);
const badStatusTextRe = /[^\t\x20-\x7e\x80-\xff]/;
class Response {
  constructor(body, init) {
    let hasType = false; // whether a record init named a content-type (headers.js fromRecord)
    if (init !== undefined && init !== null) {
      if (typeof init !== "object") init = noInit;
      // Each member is read once, in workerd's order (its InitializerDict's),
      // before any is checked: a getter or a Proxy sees what workerd shows
      // it, and a plain object costs six lookups.
      const st = init.status, text = init.statusText, hs = init.headers, cf = init.cf, ws = init.webSocket, enc = init.encodeBody;
      const hasWS = ws !== undefined && ws !== null;
      if (st !== undefined || hasWS) {
        const status = st === undefined ? 200 : Number(st);
        // websocket.js: a 101 carries a WebSocket, and only a 101 does.
        if (hasWS ? status !== 101 : status === 101)
          throw new RangeError(hasWS ? "Responses with a WebSocket must have status code 101." : "Responses may only be constructed with status codes in the range 200 to 599, inclusive.");
        if (!Number.isInteger(status) || ((status < 200 || status > 599) && status !== 101))
          throw new RangeError(`Response constructor: Invalid response status code ${st}`);
        if (status !== 200) this[kStatus] = status;
        if (body !== null && body !== undefined && nullBodyStatus.has(status))
          throw new TypeError("Response with null body status cannot have body");
      }
      if (text !== undefined) {
        const t = String(text);
        if (badStatusTextRe.test(t)) throw new TypeError("Response constructor: Invalid statusText");
        this[kStatusText] = t;
      }
      // A string body's type is known now: a record init gets it appended
      // at once (headers.js fromRecord), unless it names one.
      if (hs !== undefined) { this[kHeaders] = headersInit(hs, typeof body === "string" ? textType : undefined); hasType = recordHasType; }
      if (ws) this.webSocket = ws;
      // A Response as the init has no encodeBody member: its slot is read.
      if (enc !== undefined) { if (bodyEncoding("encodeBody", enc) === "manual") this[kEncodeBody] = "manual"; }
      else if (init[kIsResponse] === true && init[kEncodeBody] === "manual") this[kEncodeBody] = "manual";
      if (cf !== undefined) this.cf = cf;
    }
    if (typeof body === "string") {
      this[kBody] = body;
      const h = this[kHeaders];
      if (h === undefined) this[kType] = textType;
      else if (typeof h === "string") { if (!hasType) this[kHeaders] = withType(h, textType); }
      else if (!h.has("content-type")) h.set("content-type", textType);
      return;
    }
    if (body === undefined || body === null) return;
    const [b, type] = extractBody(body);
    this[kBody] = b;
    if (type) {
      const h = this[kHeaders];
      if (h === undefined) this[kType] = type;
      else if (typeof h === "string") { if (!hasType) this[kHeaders] = withType(h, type); }
      else if (!h.has("content-type")) h.set("content-type", type);
    }
  }
  get status() { return this[kStatus]; }
  get statusText() { return this[kStatusText]; }
  get ok() { return this[kStatus] >= 200 && this[kStatus] < 300; }
  get headers() { return headersOf(this); }
  get redirected() { return false; }
  get type() { return this[kRespType]; }
  get url() { return this[kRespURL]; }
  clone() {
    if (this.webSocket !== null) throw new TypeError("Cannot clone a response to a WebSocket handshake.");
    const r = Object.create(Response.prototype);
    r[kStatus] = this[kStatus]; r[kStatusText] = this[kStatusText];
    r[kRespType] = this[kRespType]; r[kRespURL] = this[kRespURL];
    if (this[kEncodeBody] === "manual") r[kEncodeBody] = "manual";
    r[kHeaders] = new Headers(this.headers);
    if (this.cf !== undefined) r.cf = this.cf;
    cloneBody(this, r);
    return r;
  }
  static json(data, init) {
    const text = JSON.stringify(data);
    if (text === undefined) throw new TypeError("Value is not JSON serializable");
    const r = new Response(text, init);
    if (r[kHeaders] === undefined) r[kType] = "application/json";
    else if (init === undefined || init === null || init.headers === undefined || !new Headers(init.headers).has("content-type"))
      headersOf(r).set("content-type", "application/json");
    return r;
  }
  static redirect(url, status) {
    if (status === undefined) status = 302;
    if (!redirectStatus.has(status)) throw new RangeError(`Invalid redirect status code ${status}`);
    let href;
    try { href = new URL(String(url)).href; } catch (e) { throw new TypeError(`Invalid URL: ${String(url)}`); }
    const r = new Response(null, { status, headers: { location: href } });
    headersOf(r)[kGuard] = "immutable";
    return r;
  }
  static error() {
    const r = new Response(null);
    r[kStatus] = 0;
    r[kRespType] = "error";
    return r;
  }
}
// A brand on the prototype: cheaper than instanceof, which allocates in
// goja, and true for subclasses too.
Object.assign(Response.prototype, {
  [kIsResponse]: true,
  [kStatus]: 200, [kStatusText]: "", [kUsed]: false, [kType]: null, [kRespType]: "default", [kRespURL]: "",
  [kBody]: null, webSocket: null, cf: undefined, [kEncodeBody]: "automatic",
});
mixBody(Response);
tag(Response, "Response");
define("Response", Response);
