// node:stream/web: the Web Streams globals under Node's module name (the
// classes the isolate has; Node's others are absent here, not stubbed).
"use strict";

const names = ["ReadableStream", "ReadableStreamDefaultReader", "ReadableStreamBYOBReader", "ReadableStreamBYOBRequest",
  "ReadableByteStreamController", "ReadableStreamDefaultController", "TransformStream", "TransformStreamDefaultController",
  "WritableStream", "WritableStreamDefaultWriter", "WritableStreamDefaultController", "ByteLengthQueuingStrategy",
  "CountQueuingStrategy", "TextEncoderStream", "TextDecoderStream", "CompressionStream", "DecompressionStream"];
for (const name of names) {
  if (typeof globalThis[name] === "function") exports[name] = globalThis[name];
}
