// TransformStream, and Workers' IdentityTransformStream.

const kReadable = Symbol("readable"), kWritable = Symbol("writable");
class TransformStream {
  constructor(transformer = {}, writableStrategy, readableStrategy) {
    let rc;
    let writable;
    const readable = new ReadableStream({
      start(c) { rc = c; },
      cancel(reason) { writable._fail(reason === undefined ? new TypeError("TransformStream readable side cancelled") : reason); },
    });
    const controller = {
      enqueue: (chunk) => rc.enqueue(chunk),
      error: (e) => { rc.error(e); writable._fail(e); },
      terminate: () => { rc.close(); writable._fail(new TypeError("TransformStream terminated")); },
      get desiredSize() { return 1; },
    };
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
        if (!readable._closed) rc.close();
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
// Workers' own: a TransformStream that passes bytes through.
class IdentityTransformStream extends TransformStream {
  constructor() {
    super({
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
