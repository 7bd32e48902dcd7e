// What the Web API files share. The files listed in apis.go run, in that
// order, as the body of one function, (function (native, global) { … }):
// `native` is the Go side (each API's natives, registered by its Go file),
// `global` the global object. They share that function's scope, so a file
// may use any earlier file's declarations while it runs, and any file's
// from inside functions called later. Nothing here is reachable by scripts
// except the globals the files define.

// Intrinsics the host's request path uses, taken before any script runs
// (a script may replace the globals).
const objectCreate = Object.create, defineSlot = Object.defineProperty, objectKeys = Object.keys;
// A global's name is looked up through every enclosing scope at each use in
// goja; a constant of the prelude's scope is one indexed load.
const symIterator = Symbol.iterator;
// define makes a global as Workers' are: writable, configurable, not enumerable.
const define = (name, value) =>
  Object.defineProperty(global, name, { value, writable: true, configurable: true, enumerable: false });
const tag = (cls, name) =>
  Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: name, configurable: true });

// Well-known symbols goja lacks (see DESIGN.md); bundles lowered by esbuild use them.
for (const s of ["asyncIterator", "dispose", "asyncDispose"]) {
  if (!Symbol[s]) Object.defineProperty(Symbol, s, { value: Symbol.for("Symbol." + s) });
}

// Internal slots more than one file reads, by the file that owns them. A
// slot only its own file uses is declared there.
// events.js; also the token only the Web APIs can pass to new AbortSignal.
const kListeners = Symbol("listeners");
// headers.js
const kMap = Symbol("map");
const kGuard = Symbol("guard");
const kFlat = Symbol("flat");
// blob.js
const kBytes = Symbol("bytes");
// body.js
const kBody = Symbol("body"); // null | string | Uint8Array | ReadableStream
const kUsed = Symbol("used");
const kHeaders = Symbol("headers"); // a Headers, or on a Response the flat string of a record init not read yet
const kType = Symbol("contentType"); // default content-type, applied lazily
const kStream = Symbol("stream");
const kBuffered = Symbol("buffered"); // a body stream over bytes the isolate holds (body.js)
// kLength is the byte length a stream is known to have: a stream over bytes
// (bytesStream), FixedLengthStream's readable side, a fetched body of known
// Content-Length that is not decoded. R2's put needs one.
const kLength = Symbol("length");
// request.js
const kMethod = Symbol("method"), kURL = Symbol("url"), kCF = Symbol("cf"), kSignal = Symbol("signal"), kRedirect = Symbol("redirect");
const kFlatHeaders = Symbol("flatHeaders");
// response.js
const kIsResponse = Symbol("isResponse");
const kStatus = Symbol("status"), kStatusText = Symbol("statusText"), kRespType = Symbol("type"), kRespURL = Symbol("url");

// toBytes is a Uint8Array over input's bytes (shared, not copied).
function toBytes(input, what) {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new TypeError(`${what}: expected an ArrayBuffer or ArrayBufferView`);
}
function concatBytes(chunks) {
  if (chunks.length === 1) return chunks[0];
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

// flatten is a Headers object as the host reads it: "name\0value\0…"
// (fetch, the Cache API and responses hand headers to Go this way).
function flatten(h) {
  if (typeof h === "string") return h; // a Response's headers not read yet (headers.js headersInit)
  if (h[kFlat] !== undefined) return h[kFlat];
  let out = "";
  for (const [k, vs] of h[kMap]) {
    for (const v of vs) {
      // NUL separates the pairs: one inside a name or value (put there
      // through the internal slots; the Headers methods refuse it) would
      // add a header. The host checks the rest (response_head.go).
      if (k.indexOf("\0") !== -1 || v.indexOf("\0") !== -1) throw new TypeError("Invalid header value.");
      out += (out ? "\0" : "") + k + "\0" + v;
    }
  }
  return out;
}
