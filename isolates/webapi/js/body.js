// Body (Fetch): extracting a body, reading it once, the mixin Request and Response share.

// Extracts a body per the Fetch spec; returns [body, contentType].
function extractBody(body) {
  if (body === undefined || body === null) return [null, null];
  if (typeof body === "string") return [body, "text/plain;charset=UTF-8"];
  if (body instanceof Uint8Array) return [body, null];
  if (body instanceof ArrayBuffer) return [new Uint8Array(body), null];
  if (ArrayBuffer.isView(body)) return [new Uint8Array(body.buffer, body.byteOffset, body.byteLength), null];
  if (typeof URLSearchParams !== "undefined" && body instanceof URLSearchParams) return [body.toString(), "application/x-www-form-urlencoded;charset=UTF-8"];
  if (body instanceof Blob) return [body[kBytes], body.type || null];
  if (body instanceof FormData) {
    const boundary = "----edgerunFormBoundary" + native.randomUUID().replace(/-/g, "");
    return [encodeMultipart(body, boundary), "multipart/form-data; boundary=" + boundary];
  }
  if (body instanceof ReadableStream) return [body, null];
  return [String(body), "text/plain;charset=UTF-8"];
}
function encodeMultipart(fd, boundary) {
  const chunks = [];
  const esc = (s) => s.replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/"/g, "%22");
  for (const [name, value] of fd) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${esc(name)}"`;
    if (value instanceof File) {
      head += `; filename="${esc(value.name)}"\r\nContent-Type: ${value.type || "application/octet-stream"}\r\n\r\n`;
      chunks.push(native.utf8Encode(head), value[kBytes], native.utf8Encode("\r\n"));
    } else {
      chunks.push(native.utf8Encode(head + "\r\n\r\n" + value + "\r\n"));
    }
  }
  chunks.push(native.utf8Encode(`--${boundary}--\r\n`));
  return concatBytes(chunks);
}
// pumpBytes reads a body stream into the host, chunk by chunk: push(bytes)
// answers true (go on), false (the host is done with it: stop()) or a
// promise (room comes later); end(error|null) when the stream ends or
// errors. Workers' bodies are byte streams; a string chunk (a
// TextDecoderStream's) goes as UTF-8, as workerd sends it (reading one in
// the script fails: readAllStream), and any other chunk errors the body.
function pumpBytes(reader, push, end, stop) {
  const pump = () => reader.read().then(({ value, done }) => {
    if (done) return end(null);
    if (typeof value === "string") value = native.utf8Encode(value);
    else if (!(value instanceof ArrayBuffer || ArrayBuffer.isView(value))) {
      const e = new TypeError("This ReadableStream did not return bytes.");
      reader.cancel(e).catch(() => {});
      return end(e);
    }
    const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    const more = push(bytes);
    if (more === false) return stop();
    // Not returned: a long stream must not build a chain of promises.
    if (more === true) pump();
    else more.then(pump);
  }, (e) => end(e));
  pump();
}
const bodyUsedError = () => new TypeError("Body has already been used. It can only be used once. Use tee() first if you need to read it twice.");
function consume(obj) {
  const b = obj[kBody];
  if (obj[kUsed] || (b instanceof ReadableStream && b._disturbed)) return Promise.reject(bodyUsedError());
  if (b instanceof ReadableStream && b._locked) return Promise.reject(new TypeError("This ReadableStream is currently locked to a reader."));
  obj[kUsed] = b !== null;
  if (b instanceof ReadableStream) return b[kOrigin] !== undefined ? b[kOrigin].readAll() : readAllStream(b); // fetch.js
  return Promise.resolve(b);
}
const asText = (b) => (b === null ? "" : typeof b === "string" ? b : native.utf8Decode(b, false, false));
const asBytes = (b) => (b === null ? new Uint8Array(0) : typeof b === "string" ? native.utf8Encode(b) : b.slice());
const BodyMixin = {
  get body() {
    const b = this[kBody];
    if (b === null) return null;
    if (b instanceof ReadableStream) return b;
    if (!this[kStream]) {
      this[kStream] = bytesStream(typeof b === "string" ? native.utf8Encode(b) : b);
      this[kStream][kBuffered] = true; // fetch() reads it whole (fetch.js)
      this[kBody] = this[kStream];
    }
    return this[kStream];
  },
  get bodyUsed() {
    if (this[kUsed]) return true;
    const b = this[kBody];
    return b instanceof ReadableStream && b._disturbed;
  },
  text() { return consume(this).then(asText); },
  json() { return consume(this).then((b) => JSON.parse(asText(b))); },
  arrayBuffer() { return consume(this).then((b) => asBytes(b).buffer); },
  bytes() { return consume(this).then(asBytes); },
  blob() { return consume(this).then((b) => new Blob([asBytes(b)], { type: this.headers.get("content-type") || "" })); },
  formData() {
    const type = this.headers.get("content-type") || "";
    return consume(this).then((b) => {
      const fd = new FormData();
      if (/^application\/x-www-form-urlencoded/i.test(type)) {
        for (const [k, v] of new URLSearchParams(asText(b))) fd.append(k, v);
        return fd;
      }
      const m = /^multipart\/form-data;.*boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
      if (!m) throw new TypeError("Unrecognized Content-Type header value. FormData can only parse the following MIME types: multipart/form-data, application/x-www-form-urlencoded");
      const parts = native.parseMultipart(typeof b === "string" ? native.utf8Encode(b) : b || new Uint8Array(0), m[1] || m[2]);
      for (const p of parts) {
        if (p.filename === undefined) fd.append(p.name, native.utf8Decode(p.data, false, false));
        else fd.append(p.name, new File([p.data], p.filename, { type: p.type }));
      }
      return fd;
    });
  },
};
function mixBody(cls) {
  for (const k of Object.getOwnPropertyNames(BodyMixin)) Object.defineProperty(cls.prototype, k, Object.getOwnPropertyDescriptor(BodyMixin, k));
}
function headersOf(obj) {
  let h = obj[kHeaders];
  if (typeof h === "string") { // headers.js headersInit
    const flat = h;
    h = obj[kHeaders] = objectCreate(Headers.prototype);
    h[kFlat] = flat;
  } else if (h === undefined) {
    h = obj[kHeaders] = new Headers();
    if (obj[kType]) h.set("content-type", obj[kType]);
  }
  return h;
}
function cloneBody(from, to) {
  let b = from[kBody];
  if (from[kUsed]) throw new TypeError("Body has already been used. It can only be used once. Use tee() first if you need to read it twice.");
  if (b instanceof ReadableStream) {
    const [a, c] = b.tee();
    from[kBody] = a;
    from[kStream] = a;
    b = c;
  }
  to[kBody] = b;
}
