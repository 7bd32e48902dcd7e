// node:stream/consumers: read a whole stream (a Readable, a ReadableStream
// or any async iterable) as text, JSON, a Buffer, an ArrayBuffer or a Blob.
"use strict";

const { Buffer } = require("node:buffer");

// chunksOf collects every chunk of stream, walking its async iterator by
// hand (no for await in goja).
async function chunksOf(stream) {
  let it;
  if (stream && typeof stream[Symbol.asyncIterator] === "function") {
    it = stream[Symbol.asyncIterator]();
  } else if (stream && typeof stream.getReader === "function") {
    const reader = stream.getReader();
    it = { next: () => reader.read(), return: () => { reader.releaseLock(); return Promise.resolve({ done: true }); } };
  } else {
    const e = new TypeError('The "stream" argument must be an instance of ReadableStream, Readable or AsyncIterable.');
    e.code = "ERR_INVALID_ARG_TYPE";
    throw e;
  }
  const chunks = [];
  for (;;) {
    const { value, done } = await it.next();
    if (done) return chunks;
    chunks.push(value);
  }
}

const encoder = new TextEncoder();
function bytesOf(chunk) {
  if (typeof chunk === "string") return encoder.encode(chunk);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const e = new TypeError('The "chunk" argument must be of type string or an instance of Buffer, TypedArray, or DataView.');
  e.code = "ERR_INVALID_ARG_TYPE";
  throw e;
}

async function arrayBuffer(stream) {
  const parts = (await chunksOf(stream)).map(bytesOf);
  let total = 0;
  for (const p of parts) total += p.byteLength;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.byteLength; }
  return out.buffer;
}

async function buffer(stream) {
  const ab = await arrayBuffer(stream);
  return Buffer.from(ab);
}

async function text(stream) {
  const dec = new TextDecoder();
  let s = "";
  for (const chunk of await chunksOf(stream)) {
    s += typeof chunk === "string" ? chunk : dec.decode(bytesOf(chunk), { stream: true });
  }
  return s + dec.decode();
}

async function json(stream) {
  return JSON.parse(await text(stream));
}

async function blob(stream) {
  return new Blob((await chunksOf(stream)).map((c) => (typeof c === "string" ? c : bytesOf(c))));
}

module.exports = { arrayBuffer, blob, buffer, json, text };
