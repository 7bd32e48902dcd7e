// fetch(): outbound HTTP. The Go side (fetch.go, fetch_body.go) makes the
// request off the loop and resolves once the response head has arrived;
// the body is a ReadableStream read off the origin's connection as it is
// pulled (a short body of known length comes with the head, as bytes). A
// gzip or br response body is decoded (its Content-Encoding kept) unless
// the request says encodeResponseBody: "manual"; the Response keeps that
// choice, so that returning it sends the body as it came. The request's
// signal aborts the request and, after the head, the body: both reject
// with the signal's reason, as workerd's do.

// kOrigin marks a body stream read from an origin: its source, whose
// readAll() is what text() and json() use while nobody has read from it.
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
  const bodyBytes = b === null ? Promise.resolve(null)
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
    const [p, abort] = native.fetch(req[kMethod], req[kURL], flatten(req.headers), bytes, req[kRedirect], manual);
    onAbort = abort;
    return p;
  }).then((r) => {
    if (signal && signal.aborted) {
      if (r.stream !== undefined) r.stream.cancel();
      throw signal.reason;
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
    throw signal && signal.aborted ? signal.reason : e;
  });
});

// originStream is a fetched body: a ReadableStream whose pulls read the
// origin's connection, one read at a time. onAbort(fn) makes an abort of
// the request's signal call fn; done() drops that hook.
function originStream(src, signal, onAbort, done) {
  let ctl;
  const why = (e) => (signal && signal.aborted ? signal.reason : e);
  const source = {
    src,
    touched: false,
    start(c) { ctl = c; },
    pull(c) {
      source.touched = true;
      return src.read().then((chunk) => {
        if (chunk === null) {
          done();
          if (!(signal && signal.aborted)) c.close();
        } else c.enqueue(chunk);
      }, (e) => { done(); throw why(e); });
    },
    cancel() { done(); src.cancel(); },
  };
  const stream = new ReadableStream(source);
  stream[kOrigin] = source;
  onAbort((reason) => {
    done();
    src.cancel();
    ctl.error(reason);
  });
  // readAll is the whole rest of the body at once, for a stream nobody
  // has read from: the stream is taken (locked) for it.
  source.readAll = () => {
    source.touched = true;
    stream._locked = true;
    return src.readAll().then((buf) => {
      done();
      if (signal && signal.aborted) throw signal.reason;
      stream._closed = true;
      stream._flush();
      return new Uint8Array(buf);
    }, (e) => { done(); throw why(e); });
  };
  return stream;
}
// originUntouched is whether a body stream is an origin's that nobody has
// read from, locked or cancelled: its reader may take the rest at once.
function originUntouched(b) {
  const s = b[kOrigin];
  return s !== undefined && !s.touched && !b._locked && !b._closed && b._error === undefined;
}
