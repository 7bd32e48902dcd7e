// TransformStream, and Workers' IdentityTransformStream.

const kReadable = Symbol("readable"), kWritable = Symbol("writable");
// A transformer with kByteReadable set makes a byte stream of the readable side
// (IdentityTransformStream's, as in workerd), its chunks queued as they are.
const kByteReadable = Symbol("byteReadable");
class TransformStream {
  constructor(transformer = {}, writableStrategy, readableStrategy) {
    let rc;
    let writable;
    const bytes = transformer[kByteReadable] === true;
    const readable = new ReadableStream({
      type: bytes ? "bytes" : undefined,
      start(c) { rc = c; },
      cancel(reason) { writable._fail(reason === undefined ? new TypeError("TransformStream readable side cancelled") : reason); },
    });
    const controller = new TransformStreamDefaultController(kToken, {
      enqueue: (chunk) => (bytes ? byteEnqueue(readable, chunk, false) : rc.enqueue(chunk)),
      error: (e) => { rc.error(e); writable._fail(e); },
      terminate: () => { readable._closeOwn(); writable._fail(new TypeError("TransformStream terminated")); },
      // The readable side's high-water mark is 0 (see write below).
      desiredSize: () => (readable._error !== undefined ? null : readable._closed ? 0 : -readable._queue.length),
    });
    const started = typeof transformer.start === "function" ? transformer.start(controller) : undefined;
    writable = new WritableStream({
      start: () => started,
      write: async (chunk) => {
        // Backpressure: a chunk is transformed once a read asks for one
        // (the readable side's high-water mark is 0), so an awaited
        // write waits for its reader, as on Workers.
        await readable._demanded();
        try {
          if (typeof transformer.transform === "function") await transformer.transform(chunk, controller);
          else controller.enqueue(chunk);
        } catch (e) {
          rc.error(e);
          throw e;
        }
      },
      close: async () => {
        try {
          if (typeof transformer.flush === "function") await transformer.flush(controller);
        } catch (e) {
          rc.error(e);
          throw e;
        }
        readable._closeOwn();
      },
      abort: (reason) => rc.error(reason),
    });
    this[kReadable] = readable;
    this[kWritable] = writable;
  }
  get readable() { return this[kReadable]; }
  get writable() { return this[kWritable]; }
}
tag(TransformStream, "TransformStream");
// TransformStreamDefaultController's slot holds the stream's own operations.
class TransformStreamDefaultController {
  constructor(token, ops) {
    if (token !== kToken) throw illegalConstructor();
    this[kSlot] = ops;
  }
  get desiredSize() { return slotOf(this, TransformStreamDefaultController).desiredSize(); }
  enqueue(chunk) { slotOf(this, TransformStreamDefaultController).enqueue(chunk); }
  error(e) { slotOf(this, TransformStreamDefaultController).error(e); }
  terminate() { slotOf(this, TransformStreamDefaultController).terminate(); }
}
tag(TransformStreamDefaultController, "TransformStreamDefaultController");
// Workers' own: a TransformStream that passes bytes through.
// fixedLength is what FixedLengthStream's constructor hands the
// IdentityTransformStream it builds on (never a script's).
let fixedLength = -1;
class IdentityTransformStream extends TransformStream {
  constructor() {
    const expected = fixedLength;
    fixedLength = -1;
    let seen = 0;
    super({
      [kByteReadable]: true,
      transform(chunk, c) {
        if (!(chunk instanceof ArrayBuffer || ArrayBuffer.isView(chunk))) {
          throw new TypeError("This TransformStream is being used as a byte stream, but received an object of non-ArrayBuffer/ArrayBufferView type on its writable side.");
        }
        if (expected >= 0) {
          if (seen + chunk.byteLength > expected) throw new TypeError("Attempt to write too many bytes through a FixedLengthStream.");
          seen += chunk.byteLength;
        }
        c.enqueue(chunk instanceof ArrayBuffer ? new Uint8Array(chunk) : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      },
      flush() {
        if (seen < expected) throw new TypeError("FixedLengthStream did not see all expected bytes before close().");
      },
    });
    if (expected >= 0) this[kReadable][kLength] = expected;
  }
}
// Workers' FixedLengthStream: an IdentityTransformStream that passes
// exactly expectedLength bytes, so that its readable side has a known
// length (R2's put of a stream needs one). Too many bytes, or a close
// before all of them, error both sides with workerd's TypeErrors.
class FixedLengthStream extends IdentityTransformStream {
  constructor(expectedLength) {
    if (expectedLength === undefined) throw new TypeError("Failed to construct 'FixedLengthStream': constructor parameter 1 is not of type 'bigint'.");
    const n = typeof expectedLength === "bigint" ? expectedLength : Number(expectedLength);
    if (n < 0) throw new TypeError("The value cannot be converted because it is negative and this API expects a positive bigint.");
    if (typeof n === "bigint" ? n >= 2n ** 53n : !(n < 2 ** 53)) throw new TypeError("FixedLengthStream requires an integer expected length less than 2^53.");
    fixedLength = Math.trunc(Number(n));
    super();
  }
}

define("TransformStream", TransformStream);
define("FixedLengthStream", FixedLengthStream);
define("IdentityTransformStream", IdentityTransformStream);
define("FixedLengthStream", FixedLengthStream);
define("TransformStreamDefaultController", TransformStreamDefaultController);
