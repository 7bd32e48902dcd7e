// The Streams classes as globals: real classes whose constructors are
// illegal (the readers' are not), with their methods on the prototypes.
const names = ["ReadableStreamDefaultController", "ReadableByteStreamController", "ReadableStreamBYOBRequest",
  "ReadableStreamBYOBReader", "ReadableStreamDefaultReader", "WritableStreamDefaultWriter",
  "WritableStreamDefaultController", "TransformStreamDefaultController"];
const tryNew = (C, ...a) => { try { new C(...a); return "constructed"; } catch (e) { return e.name; } };
export const probes = {
  "streams-classes: typeof": () => names.map((n) => typeof globalThis[n]),
  "streams-classes: not enumerable": () => names.map((n) => Object.keys(globalThis).includes(n)),
  "streams-classes: illegal constructors": () => ["ReadableStreamDefaultController", "ReadableByteStreamController", "ReadableStreamBYOBRequest",
    "WritableStreamDefaultController", "TransformStreamDefaultController"].map((n) => tryNew(globalThis[n])),
  "streams-classes: reader constructors need a stream": () => [tryNew(ReadableStreamDefaultReader), tryNew(ReadableStreamBYOBReader), tryNew(WritableStreamDefaultWriter), tryNew(ReadableStreamDefaultReader, {})],
  "streams-classes: byob reader on a default stream": () => tryNew(ReadableStreamBYOBReader, new ReadableStream()),
  "streams-classes: getReader byob on a default stream": () => { try { new ReadableStream().getReader({ mode: "byob" }); return "ok"; } catch (e) { return e.name; } },
  "streams-classes: getReader bad mode": () => { try { new ReadableStream().getReader({ mode: "nope" }); return "ok"; } catch (e) { return e.name; } },
  "streams-classes: new BYOB reader": () => { const rs = new ReadableStream({ type: "bytes" }); const r = new ReadableStreamBYOBReader(rs); return [rs.locked, r instanceof ReadableStreamBYOBReader, Object.prototype.toString.call(r)]; },
  "streams-classes: new writer": () => { const ws = new WritableStream(); const w = new WritableStreamDefaultWriter(ws); return [ws.locked, w instanceof WritableStreamDefaultWriter]; },
  "streams-classes: default controller": () => { let c; new ReadableStream({ start(x) { c = x; } }); return [c instanceof ReadableStreamDefaultController, c instanceof ReadableByteStreamController, Object.prototype.toString.call(c), c.desiredSize]; },
  "streams-classes: byte controller": () => { let c; new ReadableStream({ type: "bytes", start(x) { c = x; } }); return [c instanceof ReadableByteStreamController, c instanceof ReadableStreamDefaultController, Object.prototype.toString.call(c), c.desiredSize, c.byobRequest]; },
  "streams-classes: writable controller": () => { let c; new WritableStream({ start(x) { c = x; } }); return [c instanceof WritableStreamDefaultController, Object.prototype.toString.call(c), typeof c.error, c.signal instanceof AbortSignal]; },
  "streams-classes: transform controller": () => { let c; new TransformStream({ start(x) { c = x; } }); return [c instanceof TransformStreamDefaultController, Object.prototype.toString.call(c), typeof c.enqueue, typeof c.terminate, typeof c.error, c.desiredSize]; },
  "streams-classes: prototypes": () => names.map((n) => Object.getOwnPropertyNames(globalThis[n].prototype).filter((k) => k !== "constructor").sort()),
  "streams-classes: reader from getReader": () => { const r = new ReadableStream().getReader(); return [r instanceof ReadableStreamDefaultReader, r.constructor === ReadableStreamDefaultReader]; },
  "streams-classes: writer from getWriter": () => new WritableStream().getWriter() instanceof WritableStreamDefaultWriter,
  "streams-classes: method on wrong this": () => { try { ReadableStreamDefaultController.prototype.close.call({}); return "ok"; } catch (e) { return e.name; } },
  "streams-classes: desiredSize getter on prototype": () => [typeof Object.getOwnPropertyDescriptor(ReadableStreamDefaultController.prototype, "desiredSize").get, typeof Object.getOwnPropertyDescriptor(ReadableByteStreamController.prototype, "byobRequest").get],
  "streams-classes: stream type bad": () => { try { new ReadableStream({ type: "nope" }); return "ok"; } catch (e) { return e.name; } },
  "streams-classes: transform desiredSize": async () => {
    let c; const t = new TransformStream({ start(x) { c = x; } });
    const s = [c.desiredSize]; c.enqueue("a"); s.push(c.desiredSize);
    const r = t.readable.getReader(); const p = r.read(); s.push(c.desiredSize); await p; s.push(c.desiredSize);
    return s;
  },
};
