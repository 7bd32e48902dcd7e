// fetch(): outbound HTTP. The Go side (fetch.go) makes the request off
// the loop; the body is buffered both ways. A gzip or br response body is
// decoded (its Content-Encoding kept) unless the request says
// encodeResponseBody: "manual"; the Response keeps that choice, so that
// returning it sends the body as it came.

define("fetch", function fetch(input, init) {
  let req;
  try {
    req = new Request(input, init);
  } catch (e) {
    return Promise.reject(e);
  }
  if (req[kSignal] && req[kSignal].aborted) return Promise.reject(req[kSignal].reason);
  if (isWebSocketRequest(req)) return fetchWebSocket(req); // websocket.js
  const b = req[kBody];
  const bodyBytes = b === null ? Promise.resolve(null)
    : b instanceof ReadableStream ? readAllStream(b)
    : Promise.resolve(typeof b === "string" ? native.utf8Encode(b) : b);
  const manual = req[kEncodeResponseBody] === "manual";
  return bodyBytes.then((bytes) => native.fetch(req[kMethod], req[kURL], flatten(req.headers), bytes, req[kRedirect], manual))
    .then((r) => {
      const status = r.status;
      const res = new Response(null, { statusText: r.statusText, headers: undefined });
      if (status !== 200) res[kStatus] = status;
      const h = hostHeaders(r.headers, "immutable");
      res[kHeaders] = h;
      if (manual) res[kEncodeBody] = "manual";
      if (nullBodyStatus.has(status)) {
        // no body
      } else if (r.bodyError !== undefined) {
        const e = new TypeError(r.bodyError);
        res[kBody] = new ReadableStream({ start(c) { c.error(e); } });
      } else if (r.body !== null && r.body.byteLength > 0) res[kBody] = new Uint8Array(r.body);
      res[kRespType] = "basic";
      res[kRespURL] = r.url;
      if (r.redirected) Object.defineProperty(res, "redirected", { value: true });
      return res;
    });
});
