// node:stream: Readable, Writable, Duplex, Transform, PassThrough, pipeline,
// finished, event order and backpressure.
import stream, { Readable, Writable, Duplex, Transform, PassThrough, pipeline, finished, addAbortSignal, Stream } from "node:stream";
import EventEmitter from "node:events";

const dec = new TextDecoder();
// show is a chunk as text, tagged with its kind (b: bytes, s: string, o: other).
const show = (c) => typeof c === "string" ? "s:" + c : c instanceof Uint8Array ? "b:" + dec.decode(c) : "o:" + JSON.stringify(c);
const tick = () => new Promise((r) => setTimeout(r, 0));

// collect reads a Readable with 'data' and resolves with the log.
function collect(r, log = []) {
  return new Promise((resolve) => {
    r.on("data", (c) => log.push(show(c)));
    r.on("end", () => log.push("end"));
    r.on("error", (e) => { log.push("error " + (e.code || e.message)); });
    r.on("close", () => { log.push("close"); resolve(log); });
  });
}

// sink is a Writable that records its chunks.
function sink(opts = {}, log = []) {
  const w = new Writable({
    ...opts,
    write(chunk, enc, cb) { log.push("write " + show(chunk) + " " + enc); opts.async ? setTimeout(cb, 0) : cb(); },
  });
  w.on("finish", () => log.push("finish"));
  w.on("close", () => log.push("close"));
  w.on("drain", () => log.push("drain"));
  w.on("error", (e) => log.push("error " + (e.code || e.message)));
  return w;
}

export const probes = {
  "stream: exports": () => ({
    isStream: stream === Stream && stream.Stream === Stream,
    kinds: [Readable, Writable, Duplex, Transform, PassThrough].map((c) => typeof c),
    fns: [pipeline, finished, addAbortSignal].map((f) => typeof f),
    promises: typeof stream.promises.pipeline,
    ee: new Readable() instanceof EventEmitter && new Readable() instanceof Stream,
    duplexIsWritable: new Duplex() instanceof Writable,
    transformIsWritable: new PassThrough() instanceof Writable,
    readableNotWritable: new Readable() instanceof Writable,
    hwm: [new Readable().readableHighWaterMark, new Readable({ objectMode: true }).readableHighWaterMark, new Writable().writableHighWaterMark],
    defaultHWM: [stream.getDefaultHighWaterMark(false), stream.getDefaultHighWaterMark(true)],
  }),
  "stream: Readable push and data events": async () => {
    const r = new Readable({ read() {} });
    r.push("a");
    r.push("b");
    r.push(null);
    return collect(r);
  },
  "stream: Readable in objectMode": async () => {
    const r = new Readable({ objectMode: true, read() {} });
    r.push({ x: 1 });
    r.push(2);
    r.push("s");
    r.push(null);
    return collect(r);
  },
  "stream: read() implementation is called": async () => {
    let n = 0;
    const r = new Readable({ read() { n++; this.push(n <= 3 ? String(n) : null); } });
    const log = await collect(r);
    return { log, n };
  },
  "stream: _read not implemented": async () => {
    const r = new Readable();
    return collect(r);
  },
  "stream: subclass Readable": async () => {
    class Counter extends Readable {
      constructor() { super(); this.i = 0; }
      _read() { this.i++; this.push(this.i > 2 ? null : "n" + this.i); }
    }
    return collect(new Counter());
  },
  "stream: old-style Readable.call": async () => {
    function Old() { Readable.call(this); }
    Object.setPrototypeOf(Old.prototype, Readable.prototype);
    Old.prototype._read = function () { this.push("x"); this.push(null); };
    return collect(new Old());
  },
  "stream: setEncoding": async () => {
    const r = new Readable({ read() {} });
    r.setEncoding("utf8");
    const euro = new TextEncoder().encode("€");
    r.push(euro.subarray(0, 1));
    r.push(euro.subarray(1));
    r.push("x");
    r.push(null);
    return { log: await collect(r), enc: r.readableEncoding };
  },
  "stream: encoding option hex": async () => {
    const r = new Readable({ encoding: "hex", read() {} });
    r.push(new Uint8Array([1, 255]));
    r.push(null);
    return collect(r);
  },
  "stream: push returns backpressure": () => {
    const r = new Readable({ highWaterMark: 3, read() {} });
    return [r.push("ab"), r.push("c"), r.push("d"), r.readableLength];
  },
  "stream: push bad chunk": async () => {
    const r = new Readable({ read() {} });
    const log = [];
    r.on("error", (e) => log.push(e.name + " " + e.code));
    r.push(42);
    await tick();
    return { log, destroyed: r.destroyed };
  },
  "stream: push after EOF": async () => {
    const r = new Readable({ read() {} });
    const log = [];
    r.on("error", (e) => log.push(e.code));
    r.push(null);
    r.push("x");
    await tick();
    return log;
  },
  "stream: read(n) with readable event": async () => {
    const r = new Readable({ read() {} });
    r.push("hello ");
    r.push("world");
    r.push(null);
    const out = [];
    await new Promise((resolve) => {
      r.on("readable", () => {
        let c;
        while ((c = r.read(4)) !== null) out.push(show(c));
      });
      r.on("end", resolve);
    });
    return out;
  },
  "stream: read() all": async () => {
    const r = new Readable({ read() {} });
    r.push("ab");
    r.push("cd");
    await tick();
    const all = r.read();
    return { all: show(all), len: r.readableLength };
  },
  "stream: unshift": async () => {
    const r = new Readable({ read() {} });
    r.push("world");
    r.unshift("hello ");
    r.push(null);
    return collect(r);
  },
  "stream: pause and resume": async () => {
    const r = new Readable({ read() {} });
    const log = [];
    r.on("data", (c) => { log.push(show(c)); if (log.length === 1) { r.pause(); log.push("paused " + r.isPaused()); setTimeout(() => { log.push("resume"); r.resume(); }, 0); } });
    r.push("a");
    r.push("b");
    r.push(null);
    await new Promise((res) => r.on("end", res));
    return { log, flowing: r.readableFlowing };
  },
  "stream: readableFlowing states": () => {
    const r = new Readable({ read() {} });
    const a = r.readableFlowing;
    r.on("data", () => {});
    const b = r.readableFlowing;
    r.pause();
    return [a, b, r.readableFlowing, r.isPaused()];
  },
  "stream: end not emitted without reading": async () => {
    const r = new Readable({ read() {} });
    let ended = false;
    r.on("end", () => { ended = true; });
    r.push(null);
    await tick();
    return ended;
  },
  "stream: end after last data": async () => {
    const r = new Readable({ read() {} });
    const log = [];
    r.on("data", (c) => log.push(show(c)));
    r.on("end", () => log.push("end"));
    r.push("x");
    r.push(null);
    await tick();
    return log;
  },
  "stream: getters after end": async () => {
    const r = Readable.from(["a"]);
    await collect(r);
    return { ended: r.readableEnded, destroyed: r.destroyed, readable: r.readable, closed: r.closed, errored: r.errored, didRead: r.readableDidRead };
  },
  "stream: destroy with error": async () => {
    const r = new Readable({ read() {} });
    const p = collect(r);
    r.destroy(new Error("boom"));
    const log = await p;
    return { log, destroyed: r.destroyed, errored: r.errored && r.errored.message, aborted: r.readableAborted };
  },
  "stream: destroy without error": async () => {
    const r = new Readable({ read() {} });
    const p = collect(r);
    r.destroy();
    return { log: await p, errored: r.errored };
  },
  "stream: destroy callback and _destroy": async () => {
    const log = [];
    const r = new Readable({ read() {}, destroy(err, cb) { log.push("_destroy " + (err && err.message)); cb(err); } });
    r.on("error", (e) => log.push("error " + e.message));
    r.on("close", () => log.push("close"));
    r.destroy(new Error("e"), (err) => log.push("cb " + (err && err.message)));
    r.destroy(new Error("again"));
    await tick();
    return log;
  },
  "stream: emitClose false": async () => {
    const r = new Readable({ emitClose: false, read() {} });
    let closed = false;
    r.on("close", () => { closed = true; });
    r.destroy();
    await tick();
    return { closed, destroyed: r.destroyed };
  },
  "stream: Readable.from array": async () => collect(Readable.from(["a", "b", { c: 1 }])),
  "stream: Readable.from string": async () => collect(Readable.from("whole")),
  "stream: Readable.from generator": async () => {
    function* gen() { yield "x"; yield "y"; }
    return collect(Readable.from(gen()));
  },
  "stream: Readable.from async iterable": async () => {
    const it = {
      [Symbol.asyncIterator]() {
        let i = 0;
        return { next: () => Promise.resolve(i < 3 ? { value: i++, done: false } : { done: true }) };
      },
    };
    return collect(Readable.from(it));
  },
  "stream: Readable.from promises": async () => collect(Readable.from([Promise.resolve("p1"), "v"])),
  "stream: Readable.from null value": async () => collect(Readable.from(["a", null])),
  "stream: Readable.from not iterable": () => Readable.from(42),
  "stream: Readable.from objectMode false": async () => collect(Readable.from(["ab", "cd"], { objectMode: false })),
  "stream: async iterator": async () => {
    const r = new Readable({ objectMode: true, read() {} });
    r.push(1);
    r.push(2);
    setTimeout(() => { r.push(3); r.push(null); }, 0);
    const out = [];
    const it = r[Symbol.asyncIterator]();
    for (;;) {
      const { value, done } = await it.next();
      if (done) break;
      out.push(value);
    }
    return { out, destroyed: r.destroyed };
  },
  "stream: async iterator return destroys": async () => {
    const r = Readable.from([1, 2, 3]);
    const it = r[Symbol.asyncIterator]();
    const first = await it.next();
    await it.return();
    await tick();
    return { first, destroyed: r.destroyed };
  },
  "stream: async iterator error": async () => {
    const r = new Readable({ read() {} });
    const it = r[Symbol.asyncIterator]();
    setTimeout(() => r.destroy(new RangeError("bad")), 0);
    try { await it.next(); } catch (e) { return e.name; }
    return "no error";
  },
  "stream: Writable writes and finish": async () => {
    const log = [];
    const w = sink({}, log);
    w.write("a");
    w.write(new Uint8Array([98]));
    w.end("c");
    await new Promise((r) => w.on("close", r));
    return { log, finished: w.writableFinished, ended: w.writableEnded, destroyed: w.destroyed };
  },
  "stream: Writable decodeStrings false": async () => {
    const log = [];
    const w = sink({ decodeStrings: false }, log);
    w.write("x", "utf8");
    w.end();
    await new Promise((r) => w.on("close", r));
    return log;
  },
  "stream: Writable objectMode": async () => {
    const log = [];
    const w = sink({ objectMode: true }, log);
    w.write({ a: 1 });
    w.write(5);
    w.end();
    await new Promise((r) => w.on("close", r));
    return log;
  },
  "stream: write callbacks order": async () => {
    const log = [];
    const w = new Writable({ write(c, e, cb) { setTimeout(cb, 0); } });
    w.write("a", (err) => log.push("cb a " + err));
    w.write("b", () => log.push("cb b"));
    w.end(() => log.push("end cb"));
    w.on("finish", () => log.push("finish"));
    w.on("close", () => log.push("close"));
    await new Promise((r) => w.on("close", r));
    return log;
  },
  "stream: backpressure and drain": async () => {
    const log = [];
    const w = sink({ highWaterMark: 4, async: true }, log);
    log.push("ret " + w.write("ab"));
    log.push("ret " + w.write("cd"));
    log.push("needDrain " + w.writableNeedDrain + " len " + w.writableLength);
    await new Promise((r) => w.once("drain", r));
    log.push("ret " + w.write("e"));
    w.end();
    await new Promise((r) => w.on("close", r));
    return log;
  },
  "stream: objectMode backpressure": () => {
    const w = new Writable({ objectMode: true, highWaterMark: 2, write(c, e, cb) {} });
    return [w.write(1), w.write(2), w.write(3), w.writableLength];
  },
  "stream: write after end": async () => {
    const log = [];
    const w = sink({}, log);
    w.end();
    w.write("x", (err) => log.push("cb " + err.code));
    await tick();
    return log;
  },
  "stream: write null": () => new Writable({ write() {} }).write(null),
  "stream: write number": () => new Writable({ write() {} }).write(1),
  "stream: write bad encoding": () => new Writable({ write() {} }).write("x", "nope"),
  "stream: write error": async () => {
    const log = [];
    const w = new Writable({ write(c, e, cb) { cb(new Error("disk")); } });
    w.on("error", (e) => log.push("error " + e.message));
    w.on("close", () => log.push("close"));
    w.write("a", (err) => log.push("cb " + err.message));
    await tick();
    await tick();
    return { log, errored: w.errored && w.errored.message, writable: w.writable };
  },
  "stream: _write not implemented": () => {
    const w = new Writable();
    try { w.write("a"); } catch (e) { return { threw: e.code }; }
    return "no throw";
  },
  "stream: writev": async () => {
    const log = [];
    const w = new Writable({
      write(c, e, cb) { log.push("write " + show(c)); setTimeout(cb, 0); },
      writev(chunks, cb) { log.push("writev " + chunks.map((x) => show(x.chunk)).join(",")); cb(); },
    });
    w.write("a");
    w.write("b");
    w.write("c");
    w.end();
    await new Promise((r) => w.on("finish", r));
    return log;
  },
  "stream: cork and uncork": async () => {
    const log = [];
    const w = new Writable({
      write(c, e, cb) { log.push("write " + show(c)); cb(); },
      writev(chunks, cb) { log.push("writev " + chunks.length); cb(); },
    });
    w.cork();
    w.write("a");
    w.write("b");
    log.push("corked " + w.writableCorked);
    w.uncork();
    w.end();
    await new Promise((r) => w.on("finish", r));
    return log;
  },
  "stream: final": async () => {
    const log = [];
    const w = new Writable({
      write(c, e, cb) { log.push("write"); cb(); },
      final(cb) { log.push("final"); setTimeout(() => { log.push("final done"); cb(); }, 0); },
    });
    w.on("prefinish", () => log.push("prefinish"));
    w.on("finish", () => log.push("finish"));
    w.end("x");
    await new Promise((r) => w.on("close", r));
    return log;
  },
  "stream: final error": async () => {
    const log = [];
    const w = new Writable({ write(c, e, cb) { cb(); }, final(cb) { cb(new Error("nofinal")); } });
    w.on("error", (e) => log.push("error " + e.message));
    w.on("finish", () => log.push("finish"));
    w.on("close", () => log.push("close"));
    w.end();
    await tick();
    return log;
  },
  "stream: end twice": async () => {
    const log = [];
    const w = sink({}, log);
    w.end();
    await new Promise((r) => w.on("close", r));
    w.end((err) => log.push("cb " + (err && err.code)));
    await tick();
    return log;
  },
  "stream: construct": async () => {
    const log = [];
    const w = new Writable({
      construct(cb) { log.push("construct"); setTimeout(cb, 0); },
      write(c, e, cb) { log.push("write " + show(c)); cb(); },
    });
    w.write("a");
    log.push("after write");
    w.end();
    await new Promise((r) => w.on("finish", r));
    return log;
  },
  "stream: setDefaultEncoding": () => {
    const w = new Writable({ write() {} });
    const same = w.setDefaultEncoding("HEX") === w;
    try { w.setDefaultEncoding("bogus"); } catch (e) { return { same, code: e.code, name: e.name }; }
  },
  "stream: Duplex": async () => {
    const log = [];
    const d = new Duplex({
      read() {},
      write(c, e, cb) { log.push("got " + show(c)); this.push(String(c).toUpperCase()); cb(); },
      final(cb) { this.push(null); cb(); },
    });
    d.on("data", (c) => log.push("data " + show(c)));
    d.on("end", () => log.push("end"));
    d.on("finish", () => log.push("finish"));
    d.on("close", () => log.push("close"));
    d.write("a");
    d.end("b");
    await new Promise((r) => d.on("close", r));
    return log;
  },
  "stream: Duplex allowHalfOpen false": async () => {
    const log = [];
    const d = new Duplex({ allowHalfOpen: false, read() {}, write(c, e, cb) { cb(); } });
    d.on("finish", () => log.push("finish"));
    d.on("end", () => log.push("end"));
    d.on("close", () => log.push("close"));
    d.resume();
    d.push(null);
    await new Promise((r) => d.on("close", r));
    return { log, allowHalfOpen: d.allowHalfOpen };
  },
  "stream: Duplex getters": () => {
    const d = new Duplex({ readableObjectMode: true, writableHighWaterMark: 5, read() {}, write() {} });
    return { ro: d.readableObjectMode, wo: d.writableObjectMode, rh: d.readableHighWaterMark, wh: d.writableHighWaterMark, r: d.readable, w: d.writable, destroyed: d.destroyed };
  },
  "stream: Transform": async () => {
    const t = new Transform({
      transform(chunk, enc, cb) { cb(null, String(chunk).toUpperCase()); },
      flush(cb) { this.push("!"); cb(); },
    });
    const p = collect(t);
    t.write("ab");
    t.end("cd");
    return p;
  },
  "stream: Transform push many": async () => {
    const t = new Transform({
      objectMode: true,
      transform(n, enc, cb) { for (let i = 0; i < n; i++) this.push(n); cb(); },
    });
    const p = collect(t);
    t.write(1);
    t.write(2);
    t.end();
    return p;
  },
  "stream: Transform error": async () => {
    const t = new Transform({ transform(c, e, cb) { cb(new Error("tx")); } });
    const p = collect(t);
    t.write("a");
    return p;
  },
  "stream: Transform flush data": async () => {
    const t = new Transform({ transform(c, e, cb) { cb(); }, flush(cb) { cb(null, "flushed"); } });
    const p = collect(t);
    t.end("x");
    return p;
  },
  "stream: Transform event order": async () => {
    const log = [];
    const t = new PassThrough();
    for (const ev of ["prefinish", "finish", "end", "close"]) t.on(ev, () => log.push(ev));
    t.on("data", (c) => log.push("data " + show(c)));
    t.end("z");
    await new Promise((r) => t.on("close", r));
    return log;
  },
  "stream: Transform backpressure": async () => {
    let transformed = 0;
    const t = new Transform({ highWaterMark: 2, objectMode: true, transform(c, e, cb) { transformed++; cb(null, c); } });
    const rets = [];
    for (let i = 0; i < 6; i++) rets.push(t.write(i));
    await tick();
    return { rets, transformed, rlen: t.readableLength, wlen: t.writableLength };
  },
  "stream: PassThrough": async () => {
    const p = new PassThrough();
    const c = collect(p);
    p.write("one");
    p.end(new Uint8Array([50]));
    return c;
  },
  "stream: pipe": async () => {
    const log = [];
    const w = sink({}, log);
    const r = Readable.from(["a", "b", "c"], { objectMode: false });
    r.on("end", () => log.push("r end"));
    w.on("pipe", (src) => log.push("pipe " + (src === r)));
    const ret = r.pipe(w);
    await new Promise((res) => w.on("close", res));
    return { log, ret: ret === w };
  },
  "stream: pipe with backpressure": async () => {
    const log = [];
    let i = 0;
    const r = new Readable({ highWaterMark: 2, read() { i++; this.push(i <= 5 ? "x" + i : null); } });
    const w = new Writable({ highWaterMark: 2, write(c, e, cb) { log.push(show(c)); setTimeout(cb, 0); } });
    w.on("drain", () => log.push("drain"));
    r.pipe(w);
    await new Promise((res) => w.on("finish", res));
    return log;
  },
  "stream: pipe end false": async () => {
    const log = [];
    const w = sink({}, log);
    const r = Readable.from(["a"], { objectMode: false });
    r.pipe(w, { end: false });
    await new Promise((res) => r.on("end", res));
    await tick();
    return { log, ended: w.writableEnded };
  },
  "stream: unpipe": async () => {
    const log = [];
    const r = new Readable({ read() {} });
    const w = sink({}, log);
    w.on("unpipe", (src) => log.push("unpipe " + (src === r)));
    r.pipe(w);
    r.push("a");
    await tick();
    r.unpipe(w);
    r.push("b");
    await tick();
    return { log, flowing: r.readableFlowing };
  },
  "stream: pipe to two": async () => {
    const log1 = [];
    const log2 = [];
    const r = Readable.from(["a", "b"], { objectMode: false });
    const w1 = sink({}, log1);
    const w2 = sink({}, log2);
    r.pipe(w1);
    r.pipe(w2);
    await Promise.all([new Promise((res) => w1.on("close", res)), new Promise((res) => w2.on("close", res))]);
    return [log1, log2];
  },
  "stream: Writable pipe throws": async () => {
    const w = new Writable({ write() {} });
    const log = [];
    w.on("error", (e) => log.push(e.code));
    w.pipe(new Writable());
    await tick();
    return log;
  },
  "stream: pipeline": async () => {
    const log = [];
    const w = sink({}, log);
    const t = new Transform({ transform(c, e, cb) { cb(null, String(c) + "!"); } });
    await new Promise((res) => pipeline(Readable.from(["a", "b"]), t, w, (err) => { log.push("done " + err); res(); }));
    return log;
  },
  "stream: pipeline returns last": () => {
    const w = new PassThrough();
    const ret = pipeline(Readable.from(["a"]), w, () => {});
    return ret === w;
  },
  "stream: pipeline error destroys all": async () => {
    const r = new Readable({ read() {} });
    const t = new PassThrough();
    const w = new Writable({ write(c, e, cb) { cb(); } });
    const err = await new Promise((res) => {
      pipeline(r, t, w, (e) => res(e));
      setTimeout(() => r.destroy(new Error("src failed")), 0);
    });
    await tick();
    return { err: err.message, destroyed: [r.destroyed, t.destroyed, w.destroyed] };
  },
  "stream: pipeline premature close": async () => {
    const r = new Readable({ read() {} });
    const w = new Writable({ write(c, e, cb) { cb(); } });
    const err = await new Promise((res) => {
      pipeline(r, w, (e) => res(e));
      setTimeout(() => w.destroy(), 0);
    });
    return { code: err && err.code, name: err && err.name };
  },
  "stream: pipeline with async function stages": async () => {
    const out = [];
    const w = new Writable({ objectMode: true, write(c, e, cb) { out.push(c); cb(); } });
    const upper = (source) => ({
      [Symbol.asyncIterator]() {
        const it = source[Symbol.asyncIterator]();
        return { next: async () => { const s = await it.next(); return s.done ? s : { value: String(s.value).toUpperCase(), done: false }; } };
      },
    });
    const err = await new Promise((res) => pipeline(Readable.from(["a", "b"]), upper, w, res));
    return { err: err === undefined ? "undefined" : err, out };
  },
  "stream: pipeline to async function": async () => {
    const sinkFn = async (source) => {
      let s = "";
      const it = source[Symbol.asyncIterator]();
      for (;;) {
        const { value, done } = await it.next();
        if (done) break;
        s += value;
      }
      return s;
    };
    return new Promise((res) => pipeline(["x", "y", "z"], sinkFn, (err, val) => res({ err: err === undefined ? "undefined" : err, val })));
  },
  "stream: pipeline missing callback": () => pipeline(Readable.from(["a"]), new PassThrough()),
  "stream: pipeline one stream": () => pipeline(Readable.from(["a"]), () => {}),
  "stream: finished on Writable": async () => {
    const w = new Writable({ write(c, e, cb) { cb(); } });
    const p = new Promise((res) => finished(w, (err) => res("finished " + err)));
    w.end("x");
    return p;
  },
  "stream: finished on Readable": async () => {
    const r = Readable.from(["x"]);
    const p = new Promise((res) => finished(r, (err) => res("finished " + err)));
    r.resume();
    return p;
  },
  "stream: finished premature": async () => {
    const r = new Readable({ read() {} });
    const p = new Promise((res) => finished(r, (err) => res(err && err.code)));
    r.destroy();
    return p;
  },
  "stream: finished error": async () => {
    const r = new Readable({ read() {} });
    const p = new Promise((res) => finished(r, (err) => res(err && err.message)));
    r.destroy(new Error("x"));
    return p;
  },
  "stream: finished already finished": async () => {
    const w = new Writable({ write(c, e, cb) { cb(); } });
    w.end();
    await new Promise((r) => w.on("close", r));
    return new Promise((res) => finished(w, (err) => res("late " + err)));
  },
  "stream: finished cleanup": () => {
    const r = new Readable({ read() {} });
    const before = r.listenerCount("end");
    const cleanup = finished(r, () => {});
    const during = r.listenerCount("end");
    cleanup();
    return [before, during, r.listenerCount("end")];
  },
  "stream: finished bad stream": () => finished({}, () => {}),
  "stream: addAbortSignal": async () => {
    const ac = new AbortController();
    const r = addAbortSignal(ac.signal, new Readable({ read() {} }));
    const p = new Promise((res) => r.on("error", (e) => res({ name: e.name, code: e.code })));
    ac.abort();
    return p;
  },
  "stream: signal option": async () => {
    const ac = new AbortController();
    const w = new Writable({ signal: ac.signal, write(c, e, cb) { cb(); } });
    const p = new Promise((res) => w.on("error", (e) => res(e.name)));
    ac.abort();
    return p;
  },
  "stream: addAbortSignal bad": () => addAbortSignal({}, new Readable()),
  "stream: bad highWaterMark": () => new Readable({ highWaterMark: -1 }),
  "stream: legacy Stream pipe": async () => {
    const src = new Stream();
    const log = [];
    const w = sink({}, log);
    src.pipe(w);
    src.emit("data", "a");
    src.emit("end");
    await new Promise((r) => w.on("finish", r));
    return log;
  },
  "stream: isReadable isErrored isDisturbed": async () => {
    const r = Readable.from(["a"]);
    const before = [stream.isReadable(r), stream.isErrored(r), stream.isDisturbed(r)];
    r.resume();
    await new Promise((res) => r.on("close", res));
    return { before, after: [stream.isReadable(r), stream.isErrored(r), stream.isDisturbed(r)] };
  },
  "stream: Readable.toWeb": async () => {
    const rs = Readable.toWeb(Readable.from(["ab", "cd"], { objectMode: false }));
    const reader = rs.getReader();
    const out = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      out.push(value.constructor.name + ":" + dec.decode(value));
    }
    return out;
  },
  "stream: Readable.fromWeb": async () => {
    const rs = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("we")); c.enqueue(new TextEncoder().encode("b")); c.close(); } });
    return collect(Readable.fromWeb(rs));
  },
  "stream: Writable.toWeb": async () => {
    const log = [];
    const ws = Writable.toWeb(sink({}, log));
    const writer = ws.getWriter();
    await writer.write(new TextEncoder().encode("hi"));
    await writer.close();
    return log;
  },
  "stream: Writable.fromWeb": async () => {
    const got = [];
    const ws = new WritableStream({ write(c) { got.push(dec.decode(c)); } });
    const w = Writable.fromWeb(ws);
    w.write("a");
    w.end("b");
    await new Promise((r) => w.on("finish", r));
    return got;
  },
  "stream: event order end finish close": async () => {
    const log = [];
    const src = Readable.from(["1", "2"]);
    const t = new PassThrough({ objectMode: true });
    const w = new Writable({ objectMode: true, write(c, e, cb) { log.push("w " + c); cb(); } });
    src.on("end", () => log.push("src end"));
    src.on("close", () => log.push("src close"));
    t.on("end", () => log.push("t end"));
    t.on("finish", () => log.push("t finish"));
    w.on("finish", () => log.push("w finish"));
    w.on("close", () => log.push("w close"));
    await new Promise((res) => pipeline(src, t, w, (err) => { log.push("cb " + err); res(); }));
    return log;
  },
};
