// Node's APIs as Workers code uses them under nodejs_compat; every route answers JSON that
// the test recomputes in Go from the same input.
import { Buffer } from "node:buffer";
import { EventEmitter, once } from "node:events";
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash, createHmac } from "node:crypto";
import { Readable, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";

const als = new AsyncLocalStorage();

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const s = url.searchParams.get("s") ?? "";
    switch (url.pathname) {
      case "/buffer":
        return Response.json(buffer(s));
      case "/events":
        return Response.json(await events(Number(url.searchParams.get("n"))));
      case "/als":
        return Response.json(await asyncLocalStorage(url.searchParams.get("id")));
      case "/crypto":
        return Response.json({
          sha256: createHash("sha256").update(s).digest("hex"),
          sha1: createHash("sha1").update(s, "utf8").digest("base64"),
          md5: createHash("md5").update(Buffer.from(s)).digest("hex"),
          // Two updates hash the same as one.
          sha256Parts: createHash("sha256").update(s.slice(0, 3)).update(s.slice(3)).digest("hex"),
          hmac: createHmac("sha256", url.searchParams.get("key")).update(s).digest("hex"),
        });
      case "/stream":
        return Response.json(await stream(url.searchParams.getAll("chunk")));
      default:
        return Response.json({ error: "not found" }, { status: 404 });
    }
  },
};

function buffer(s) {
  const utf8 = Buffer.from(s, "utf8");
  const b64 = utf8.toString("base64");
  const hex = utf8.toString("hex");
  const joined = Buffer.concat([utf8, Buffer.from([0xde, 0xad, 0xbe, 0xef])]);
  return {
    base64: b64,
    hex,
    byteLength: Buffer.byteLength(s),
    fromBase64: Buffer.from(b64, "base64").toString("utf8"),
    fromHex: Buffer.from(hex, "hex").toString(),
    concatLength: joined.length,
    // The four bytes appended above, read back big-endian.
    tailUInt32BE: joined.readUInt32BE(joined.length - 4),
    headUInt32BE: utf8.length >= 4 ? utf8.readUInt32BE(0) : null,
    isBuffer: Buffer.isBuffer(joined),
    isUint8Array: joined instanceof Uint8Array,
    equals: Buffer.from(b64, "base64").equals(utf8),
  };
}

async function events(n) {
  const emitter = new EventEmitter();
  const seen = [];
  let onceCalls = 0;
  emitter.on("tick", (i) => seen.push(i));
  emitter.once("tick", () => onceCalls++);
  const countBefore = emitter.listenerCount("tick");
  for (let i = 0; i < n; i++) emitter.emit("tick", i);
  const countAfter = emitter.listenerCount("tick");
  // events.once resolves with the arguments of the next emit.
  setTimeout(() => emitter.emit("done", "a", "b"), 1);
  const doneArgs = await once(emitter, "done");
  const hadListeners = emitter.emit("nobody-listens");
  return { seen, onceCalls, countBefore, countAfter, doneArgs, hadListeners };
}

async function asyncLocalStorage(id) {
  return als.run({ id }, async () => {
    const atStart = als.getStore().id;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const afterTimeout = als.getStore().id;
    await Promise.resolve();
    const afterAwait = als.getStore().id;
    const inTimer = await new Promise((resolve) => setTimeout(() => resolve(als.getStore()?.id), 1));
    return { atStart, afterTimeout, afterAwait, inTimer, outside: null };
  }).then((r) => ({ ...r, outside: als.getStore() ?? null }));
}

async function stream(chunks) {
  const out = [];
  await pipeline(
    Readable.from(chunks),
    new Transform({
      transform(chunk, encoding, callback) {
        callback(null, chunk.toString().toUpperCase());
      },
    }),
    new Writable({
      write(chunk, encoding, callback) {
        out.push(chunk.toString());
        callback();
      },
    }),
  );
  return { chunks: out, joined: out.join("") };
}
