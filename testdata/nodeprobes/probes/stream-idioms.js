// The idioms real code uses over node:stream and node:events: for await,
// async generators in pipeline, Readable.from(async generator), events.on
// with break (esbuild lowers for await and async generators for goja).
import { Readable, Writable, Transform, pipeline as pipelineCb } from "node:stream";
import { pipeline } from "node:stream/promises";
import { EventEmitter, on, once } from "node:events";

export const probes = {
  "idioms: for await over a Readable": async () => {
    const out = [];
    for await (const chunk of Readable.from(["a", "b", "c"])) out.push(chunk);
    return out;
  },
  "idioms: for await over bytes with break": async () => {
    const r = new Readable({ read() {} });
    r.push("one");
    r.push("two");
    const out = [];
    for await (const chunk of r) {
      out.push(chunk.toString());
      break;
    }
    return { out, destroyed: r.destroyed };
  },
  "idioms: for await rethrows the stream error": async () => {
    const r = new Readable({ read() {} });
    setTimeout(() => r.destroy(new SyntaxError("s")), 0);
    try {
      for await (const c of r) void c;
    } catch (e) {
      return e.name;
    }
  },
  "idioms: Readable.from(async generator)": async () => {
    async function* gen() {
      yield "x";
      await null;
      yield "y";
    }
    const out = [];
    for await (const c of Readable.from(gen())) out.push(c);
    return out;
  },
  "idioms: pipeline with async generator transform": async () => {
    const out = [];
    await pipeline(
      Readable.from(["a", "b"]),
      async function* (source) {
        for await (const chunk of source) yield String(chunk).toUpperCase();
      },
      new Writable({ objectMode: true, write(c, e, cb) { out.push(c); cb(); } }),
    );
    return out;
  },
  "idioms: pipeline generator source": async () => {
    let s = "";
    await pipeline(
      async function* () { yield "p"; yield "q"; },
      new Writable({ write(c, e, cb) { s += c; cb(); } }),
    );
    return s;
  },
  "idioms: Readable.from -> Transform -> Writable": async () => {
    const out = [];
    await new Promise((resolve, reject) =>
      pipelineCb(
        Readable.from(["1", "2", "3"]),
        new Transform({ objectMode: true, transform(c, e, cb) { cb(null, Number(c) * 2); } }),
        new Writable({ objectMode: true, write(c, e, cb) { out.push(c); cb(); } }),
        (err) => (err ? reject(err) : resolve()),
      ));
    return out;
  },
  "idioms: for await over events.on with break": async () => {
    const e = new EventEmitter();
    setTimeout(() => { e.emit("n", 1); e.emit("n", 2); e.emit("n", 3); }, 0);
    const got = [];
    for await (const [n] of on(e, "n")) {
      got.push(n);
      if (n === 2) break;
    }
    return { got, left: e.listenerCount("n") };
  },
  "idioms: await once for end": async () => {
    const r = Readable.from(["z"]);
    r.resume();
    const v = await once(r, "end");
    return v;
  },
  "idioms: class extends EventEmitter with fields": () => {
    class Socket extends EventEmitter {
      connected = false;
      connect() { this.connected = true; this.emit("connect"); return this; }
    }
    const s = new Socket();
    let seen = false;
    s.once("connect", () => { seen = s.connected; });
    s.connect();
    return { seen, count: s.listenerCount("connect") };
  },
  "idioms: class extends Transform": async () => {
    class Upper extends Transform {
      _transform(chunk, enc, cb) { cb(null, chunk.toString().toUpperCase()); }
    }
    let s = "";
    for await (const c of Readable.from(["ab", "cd"]).pipe(new Upper())) s += c.toString() + "|";
    return s;
  },
};
