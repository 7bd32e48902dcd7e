// fetch(): outbound HTTP. The Go side (fetch.go, fetch_body.go) makes the
// request off the loop and resolves once the response head has arrived;
// the body is a ReadableStream read off the origin's connection as it is
// pulled (a short body of known length comes with the head, as bytes). A
// gzip or br response body is decoded (its Content-Encoding kept) unless
// the request says encodeResponseBody: "manual"; the Response keeps that
// choice, so that returning it sends the body as it came. The request's
// signal aborts the request and, after the head, the body: both reject
// with a copy of the signal's reason, as workerd's do (its reason crosses
// into the I/O layer and comes back as a new error of the same kind and
// message; a signal aborted before fetch() rejects with the reason itself).

// kOrigin marks a body stream read from an origin: its source, whose
// readAll() is what text() and json() use (body.js: on a stream nobody has
// read from, locked or cancelled).
const kOrigin = Symbol("origin");

define("fetch", function fetch(input, init) {
  let req;
  try {
    req = new Request(input, init);
  } catch (e) {
    return Promise.reject(e);
  }
  const signal = req[kSignal];
  if (signal && signal.aborted) return Promise.reject(signal.reason);
  if (isWebSocketRequest(req)) return fetchWebSocket(req); // websocket.js
  const b = req[kBody];
  // A stream the script is producing is sent as it is read; a body the
  // isolate holds whole (bytes, or a stream over them) goes with its length.
  const streamed = b instanceof ReadableStream && !b[kBuffered];
  const bodyBytes = b === null || streamed ? Promise.resolve(null)
    : b instanceof ReadableStream ? readAllStream(b)
    : Promise.resolve(typeof b === "string" ? native.utf8Encode(b) : b);
  const manual = req[kEncodeResponseBody] === "manual";
  // While the request runs, and then while its body is read, an abort
  // calls onAbort (which the body replaces).
  let onAbort = null;
  const listener = signal ? () => { if (onAbort !== null) onAbort(signal.reason); } : null;
  const unlisten = () => { if (listener !== null) signal.removeEventListener("abort", listener); onAbort = null; };
  if (listener !== null) signal.addEventListener("abort", listener);
  return bodyBytes.then((bytes) => {
    if (signal && signal.aborted) throw signal.reason;
    const body = streamed ? startUpload(b) : bytes;
    const [p, abort] = native.fetch(req[kMethod], req[kURL], flatten(req.headers), body, req[kRedirect], manual);
    onAbort = abort;
    return p;
  }).then((r) => {
    if (signal && signal.aborted) {
      if (r.stream !== undefined) r.stream.cancel();
      throw abortCopy(signal.reason);
    }
    const status = r.status;
    const res = new Response(null, { statusText: r.statusText, headers: undefined });
    if (status !== 200) res[kStatus] = status;
    const h = hostHeaders(r.headers, "immutable");
    res[kHeaders] = h;
    if (manual) res[kEncodeBody] = "manual";
    if (r.stream !== undefined) {
      res[kBody] = originStream(r.stream, signal, (fn) => { onAbort = fn; }, unlisten);
    } else {
      unlisten();
      if (r.bodyError !== undefined) {
        const e = new TypeError(r.bodyError);
        res[kBody] = new ReadableStream({ start(c) { c.error(e); } });
      } else if (r.body !== null) res[kBody] = new Uint8Array(r.body);
    }
    res[kRespType] = "basic";
    res[kRespURL] = r.url;
    if (r.redirected) Object.defineProperty(res, "redirected", { value: true });
    return res;
  }, (e) => {
    unlisten();
    throw signal && signal.aborted ? abortCopy(signal.reason) : e;
  });
});

// abortCopy is the error an abort reason comes back as: a DOMException or
// one of the standard errors by its name and message, anything else as an
// Error of its string form (V8's, for an object: "#<Object>").
const abortErrors = { Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError };
function abortCopy(reason) {
  if (reason instanceof DOMException) return new DOMException(reason.message, reason.name);
  if (reason instanceof Error) {
    const C = Object.prototype.hasOwnProperty.call(abortErrors, reason.name) ? abortErrors[reason.name] : Error;
    return new C(reason.message);
  }
  if (reason !== null && typeof reason === "object") {
    const c = reason.constructor;
    return new Error(`#<${(typeof c === "function" && c.name) || "Object"}>`);
  }
  return new Error(String(reason));
}

// startUpload pumps a request body stream into an upload the host sends as
// it comes (fetch_upload.go) and returns the upload's id.
function startUpload(stream) {
  const reader = stream.getReader();
  let id = 0, ended = false;
  const end = (err) => {
    if (ended) return;
    ended = true;
    native.uploadEnd(id, err);
  };
  // The exchange ended before the body was all sent.
  const stop = () => {
    reader.cancel(new DOMException("The request body is no longer needed: the fetch ended.", "AbortError")).catch(() => {});
    end(null);
  };
  id = native.uploadStart(stop);
  pumpBytes(reader, (bytes) => native.uploadChunk(id, bytes), end, stop); // body.js
  return id;
}

// Other bindings' streamed bodies (R2's put, fetch_upload.go's
// ReadStream): the length the stream is known to have and the upload it
// is pumped into, or -1 (nothing read) when its length is not known.
native.uploadBridge((stream) => {
  if (!(stream instanceof ReadableStream)) throw new TypeError("not a ReadableStream");
  const n = stream[kLength];
  if (n === undefined) return -1;
  return [startUpload(stream), n];
});

// originStream is a fetched body: a ReadableStream whose pulls read the
// origin's connection, one read at a time. onAbort(fn) makes an abort of
// the request's signal call fn; done() drops that hook.
function originStream(src, signal, onAbort, done) {
  let ctl;
  const why = (e) => (signal && signal.aborted ? abortCopy(signal.reason) : e);
  // A byte stream, as workerd's bodies are; the chunks are the isolate's
  // own, so they are queued as they are (not moved).
  const source = {
    type: "bytes",
    start(c) { ctl = c; },
    pull() {
      return src.read().then((chunk) => {
        if (chunk === null) {
          done();
          if (!(signal && signal.aborted)) stream._closeOwn();
        } else if (!stream._closed && stream._error === undefined) byteEnqueue(stream, chunk, false);
      }, (e) => { done(); throw why(e); });
    },
    cancel() { done(); src.cancel(); },
  };
  const stream = new ReadableStream(source);
  stream[kOrigin] = source;
  if (src.length !== undefined) stream[kLength] = src.length; // its Content-Length, not decoded
  onAbort((reason) => {
    done();
    src.cancel();
    ctl.error(abortCopy(reason));
  });
  // readAll is the whole rest of the body at once, for a stream nobody
  // has read from: the stream is taken (locked) for it.
  source.readAll = () => {
    stream._locked = true;
    stream._disturbed = true;
    return src.readAll().then((buf) => {
      done();
      if (signal && signal.aborted) throw abortCopy(signal.reason);
      stream._closeOwn();
      return new Uint8Array(buf);
    }, (e) => { done(); throw why(e); });
  };
  return stream;
}
