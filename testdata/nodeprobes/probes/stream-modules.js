// node:stream/promises, node:stream/web, node:stream/consumers, and the
// chunk types node:stream hands out.
import { Readable, Writable, PassThrough, Transform } from "node:stream";
import * as streamPromises from "node:stream/promises";
import { pipeline, finished } from "node:stream/promises";
import * as web from "node:stream/web";
import { text, json, buffer, arrayBuffer, blob } from "node:stream/consumers";
import { Buffer } from "node:buffer";

const kind = (c) => (Buffer.isBuffer(c) ? "Buffer" : c === null ? "null" : typeof c === "object" ? c.constructor.name : typeof c);

export const probes = {
  "stream/promises: exports": () => Object.keys(streamPromises).sort(),
  "stream/promises: same as stream.promises": async () => (await import("node:stream")).promises.pipeline === pipeline,
  "stream/promises: pipeline": async () => {
    const out = [];
    const w = new Writable({ write(c, e, cb) { out.push(String(c)); cb(); } });
    const r = await pipeline(Readable.from(["a", "b"]), new PassThrough(), w);
    return { r: r === undefined ? "undefined" : r, out };
  },
  "stream/promises: pipeline rejects": async () => {
    const t = new Transform({ transform(c, e, cb) { cb(new RangeError("no")); } });
    return pipeline(Readable.from(["a"]), t, new PassThrough());
  },
  "stream/promises: pipeline value of async sink": async () =>
    pipeline(Readable.from(["x", "y"]), async (source) => {
      let n = 0;
      const it = source[Symbol.asyncIterator]();
      while (!(await it.next()).done) n++;
      return n;
    }),
  "stream/promises: pipeline with aborted signal": async () => {
    const ac = new AbortController();
    ac.abort();
    return pipeline(new Readable({ read() {} }), new PassThrough(), { signal: ac.signal });
  },
  "stream/promises: finished": async () => {
    const r = Readable.from(["a"]);
    r.resume();
    return finished(r);
  },
  "stream/promises: finished rejects": async () => {
    const w = new Writable({ write(c, e, cb) { cb(); } });
    setTimeout(() => w.destroy(), 0);
    return finished(w);
  },
  "stream/web: exports": () => ["ReadableStream", "WritableStream", "TransformStream", "TextEncoderStream", "TextDecoderStream"]
    .map((n) => n + ":" + (web[n] === globalThis[n])),
  "stream/consumers: text": async () => text(Readable.from(["h", "é", "llo"])),
  "stream/consumers: text of split utf8": async () => {
    const b = Buffer.from("€");
    return text(Readable.from([b.subarray(0, 1), b.subarray(1)]));
  },
  "stream/consumers: json": async () => json(Readable.from(['{"a":', "[1,2]}"])),
  "stream/consumers: bad json": async () => json(Readable.from(["{"])),
  "stream/consumers: buffer": async () => {
    const b = await buffer(Readable.from([Buffer.from("ab"), "cd"]));
    return { isBuffer: Buffer.isBuffer(b), s: b.toString() };
  },
  "stream/consumers: arrayBuffer": async () => {
    const ab = await arrayBuffer(Readable.from([new Uint8Array([1, 2]), new Uint8Array([3])]));
    return { type: kind(ab), bytes: Array.from(new Uint8Array(ab)) };
  },
  "stream/consumers: blob": async () => {
    const b = await blob(Readable.from(["ab", Buffer.from("c")]));
    return { size: b.size, text: await b.text() };
  },
  "stream/consumers: web stream": async () => text(new Blob(["web", "!"]).stream()),
  "stream: chunks are Buffers": async () => {
    const r = new Readable({ read() {} });
    r.push("str");
    r.push(new Uint8Array([1]));
    r.push(null);
    const kinds = [];
    r.on("data", (c) => kinds.push(kind(c)));
    await new Promise((res) => r.on("end", res));
    return kinds;
  },
  "stream: written chunks are Buffers": async () => {
    const kinds = [];
    const w = new Writable({ write(c, e, cb) { kinds.push(kind(c) + " " + e); cb(); } });
    w.write("a");
    w.write(new Uint8Array([1]));
    w.write("ff", "hex");
    w.end(Buffer.from("z"));
    await new Promise((res) => w.on("finish", res));
    return kinds;
  },
  "stream: read(n) concatenates to a Buffer": () => {
    const r = new Readable({ read() {} });
    r.push("ab");
    r.push("cd");
    const c = r.read(3);
    return { kind: kind(c), s: c.toString(), rest: r.read().toString() };
  },
  "stream: push with encoding": () => {
    const r = new Readable({ read() {} });
    r.push("6869", "hex");
    r.push("aGk=", "base64");
    return r.read().toString();
  },
  "stream: setEncoding base64 across chunks": async () => {
    const r = new Readable({ read() {} });
    r.setEncoding("base64");
    r.push(Buffer.from([1, 2]));
    r.push(Buffer.from([3, 4]));
    r.push(null);
    const out = [];
    r.on("data", (c) => out.push(c));
    await new Promise((res) => r.on("end", res));
    return out;
  },
  "stream: setEncoding utf16le": async () => {
    const r = new Readable({ read() {} });
    r.setEncoding("utf16le");
    const b = Buffer.from("hi", "utf16le");
    r.push(b.subarray(0, 3));
    r.push(b.subarray(3));
    r.push(null);
    const out = [];
    r.on("data", (c) => out.push(c));
    await new Promise((res) => r.on("end", res));
    return out;
  },
  "stream: setEncoding on buffered data": () => {
    const r = new Readable({ read() {} });
    r.push("ab");
    r.push("c");
    r.setEncoding("hex");
    return { len: r.readableLength, s: r.read() };
  },
  "stream: Readable.from Buffer": async () => {
    const out = [];
    const r = Readable.from(Buffer.from("whole"));
    r.on("data", (c) => out.push(kind(c) + " " + c.toString()));
    await new Promise((res) => r.on("end", res));
    return out;
  },
  "stream: Readable.from Uint8Array iterates bytes": async () => {
    const out = [];
    const r = Readable.from(new Uint8Array([7, 8]));
    r.on("data", (c) => out.push(c));
    await new Promise((res) => r.on("end", res));
    return out;
  },
  "stream: unshift with a decoder": () => {
    const r = new Readable({ read() {} });
    r.setEncoding("hex");
    r.push(Buffer.from([0xab]));
    r.unshift("cd", "hex");
    return r.read();
  },
};
