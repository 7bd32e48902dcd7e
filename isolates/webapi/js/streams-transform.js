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
class IdentityTransformStream extends TransformStream {
  constructor() {
    super({
      [kByteReadable]: true,
      transform(chunk, c) {
        if (!(chunk instanceof ArrayBuffer || ArrayBuffer.isView(chunk))) {
          throw new TypeError("This TransformStream is being used as a byte stream, but received an object of non-ArrayBuffer/ArrayBufferView type on its writable side.");
        }
        c.enqueue(chunk instanceof ArrayBuffer ? new Uint8Array(chunk) : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      },
    });
  }
}

define("TransformStream", TransformStream);
define("IdentityTransformStream", IdentityTransformStream);
define("TransformStreamDefaultController", TransformStreamDefaultController);
