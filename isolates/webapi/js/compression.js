// CompressionStream and DecompressionStream (Compression Streams): TransformStreams over a Go
// codec (compression.go, isolates/zcodec) that takes a chunk at a time. A chunk's output comes
// out in bounded pieces, each enqueued once a read asks for it, so a decompression bomb is
// drained at its reader's pace. Errors and their messages are workerd's.

// Content-Encoding's slots: a Response's encodeBody ("automatic" compresses a body whose
// Content-Encoding is gzip or br on the way out; "manual" sends it as it is), and a
// Request's encodeResponseBody (fetch() decodes the response's body unless "manual").
// Read by request.js, response.js, fetch.js and dispatch.js.
const kEncodeBody = Symbol("encodeBody"), kEncodeResponseBody = Symbol("encodeResponseBody");
function bodyEncoding(what, v) {
  const e = String(v);
  if (e !== "manual" && e !== "automatic") throw new TypeError(`${what}: unexpected value: ${e}`);
  return e;
}

const compressionFormats = new Set(["gzip", "deflate", "deflate-raw"]);
const notByteChunk = "This TransformStream is being used as a byte stream, but received an object of non-ArrayBuffer/ArrayBufferView type on its writable side.";

function codecTransform(compress, name, format, newTarget) {
  if (newTarget === undefined) throw new TypeError(`Failed to construct '${name}': Please use the 'new' operator, this object constructor cannot be called as a function.`);
  if (format === undefined) throw new TypeError(`Failed to construct '${name}': constructor parameter 1 is not of type 'string'.`);
  format = String(format);
  if (!compressionFormats.has(format)) throw new TypeError("The compression format must be either 'deflate', 'deflate-raw' or 'gzip'.");
  let step = null; // the codec, made at the first chunk: an unused stream costs none
  let self, writeError; // the error a chunk's write failed with
  const run = async (input, finish, c) => {
    if (step === null) step = native.codec(compress, format);
    let r = step(input, finish);
    for (;;) {
      if (r[0].length > 0) c.enqueue(r[0]);
      if (!r[1]) return;
      await self[kReadable]._demanded(); // the next piece waits for its reader
      r = step(null, finish);
    }
  };
  self = Reflect.construct(TransformStream, [{
    transform(chunk, c) {
      return run(typeof chunk === "string" ? native.utf8Encode(chunk) : toBytes(chunk, name), false, c)
        .catch((e) => { writeError = e; throw e; });
    },
    flush(c) { return run(null, true, c); },
  }], newTarget);
  // workerd's byte sink refuses a chunk that is not bytes (or a string) without erroring the stream.
  const writable = self[kWritable];
  const write = writable._write;
  writable._write = (chunk) => (typeof chunk === "string" || chunk instanceof ArrayBuffer || ArrayBuffer.isView(chunk)
    ? write.call(writable, chunk) : Promise.reject(new TypeError(notByteChunk)));
  // A failed write closes workerd's sink: close() then says so rather than repeating the error.
  const close = writable._close;
  writable._close = () => close.call(writable).catch((e) => {
    throw e !== undefined && e === writeError ? new TypeError("This WritableStream has been closed.") : e;
  });
  return self;
}
// Functions rather than classes: called without new, workerd's message.
function CompressionStream(format) { return codecTransform(true, "CompressionStream", format, new.target); }
function DecompressionStream(format) { return codecTransform(false, "DecompressionStream", format, new.target); }
for (const cls of [CompressionStream, DecompressionStream]) {
  Object.setPrototypeOf(cls, TransformStream);
  cls.prototype = Object.create(TransformStream.prototype, { constructor: { value: cls, writable: true, configurable: true } });
  tag(cls, cls.name);
}
define("CompressionStream", CompressionStream);
define("DecompressionStream", DecompressionStream);
