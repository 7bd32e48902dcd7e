// CompressionStream and DecompressionStream (Compression Streams), as workerd answers them.
const hex = (s) => new Uint8Array(s.match(/../g).map((b) => parseInt(b, 16)));
const toHex = (b) => Array.from(b, (x) => (x < 16 ? "0" : "") + x.toString(16)).join("");
const text = (b) => new TextDecoder().decode(b);
// Known bytes (made by zlib): "hello world" in each format.
const gzHello = "1f8b0800000000000003cb48cdc9c95728cf2fca49010085114a0d0b000000";
const zHello = "789ccb48cdc9c95728cf2fca4901001a0b045d";
const rawHello = "cb48cdc9c95728cf2fca490100";

// run writes chunks into a transform stream, closes it and reads what comes out; every
// outcome is reported (the readable side's, each write's, close's).
async function run(ts, chunks) {
  const writer = ts.writable.getWriter();
  const reader = ts.readable.getReader();
  const out = [];
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      out.push(value);
    }
  })();
  const writes = chunks.map((c) => writer.write(c));
  const closing = writer.close();
  const settled = await Promise.allSettled([reading, ...writes, closing]);
  const why = (s) => (s.status === "fulfilled" ? "ok" : `${s.reason && s.reason.name}: ${s.reason && s.reason.message}`);
  let n = 0;
  for (const c of out) n += c.byteLength;
  const bytes = new Uint8Array(n);
  let o = 0;
  for (const c of out) { bytes.set(c, o); o += c.byteLength; }
  return { read: why(settled[0]), writes: settled.slice(1, -1).map(why), close: why(settled[settled.length - 1]), bytes, chunks: out };
}
const compress = async (format, data) => (await run(new CompressionStream(format), [data])).bytes;
const decompress = (format, data) => run(new DecompressionStream(format), [data]);
const roundTrip = async (format, s) => text((await decompress(format, await compress(format, new TextEncoder().encode(s)))).bytes);
const message = (f) => { try { f(); return "no error"; } catch (e) { return `${e.name}: ${e.message}`; } };
const big = () => Array.from({ length: 20000 }, (_, i) => `line ${i} of a text that compresses well\n`).join("");

export const probes = {
  "compression: globals": () => [typeof CompressionStream, typeof DecompressionStream],
  "compression: extends TransformStream": () => [new CompressionStream("gzip") instanceof TransformStream, new DecompressionStream("gzip") instanceof TransformStream],
  "compression: toStringTag": () => [Object.prototype.toString.call(new CompressionStream("gzip")), Object.prototype.toString.call(new DecompressionStream("deflate"))],
  "compression: sides": () => { const c = new CompressionStream("deflate-raw"); return [c.readable instanceof ReadableStream, c.writable instanceof WritableStream]; },
  "compression: bad format": () => message(() => new CompressionStream("br")),
  "compression: bad format case": () => message(() => new CompressionStream("GZIP")),
  "compression: no format": () => message(() => new CompressionStream()),
  "compression: decompression bad format": () => message(() => new DecompressionStream("zstd")),
  "compression: called without new": () => message(() => CompressionStream("gzip")),
  "compression: round trip gzip": () => roundTrip("gzip", "hello, gzip"),
  "compression: round trip deflate": () => roundTrip("deflate", "hello, deflate"),
  "compression: round trip deflate-raw": () => roundTrip("deflate-raw", "hello, raw"),
  "compression: round trip large": async () => { const s = big(); return (await roundTrip("gzip", s)) === s; },
  "compression: round trip unicode": () => roundTrip("deflate", "héllo wörld ✓ 🎉"),
  "compression: gzip header": async () => toHex((await compress("gzip", new TextEncoder().encode("abc"))).slice(0, 10)),
  "compression: deflate header": async () => toHex((await compress("deflate", new TextEncoder().encode("abc"))).slice(0, 2)),
  "compression: gzip of nothing": async () => toHex(await compress("gzip", new Uint8Array(0))),
  "compression: deflate of nothing": async () => toHex(await compress("deflate", new Uint8Array(0))),
  "compression: deflate-raw of nothing": async () => toHex(await compress("deflate-raw", new Uint8Array(0))),
  "compression: no chunks at all": async () => toHex((await run(new CompressionStream("gzip"), [])).bytes),
  "compression: compresses": async () => { const s = big(); return (await compress("gzip", new TextEncoder().encode(s))).byteLength < s.length / 10; },
  "compression: known gzip": async () => { const r = await decompress("gzip", hex(gzHello)); return [r.read, text(r.bytes)]; },
  "compression: known deflate": async () => { const r = await decompress("deflate", hex(zHello)); return [r.read, text(r.bytes)]; },
  "compression: known deflate-raw": async () => { const r = await decompress("deflate-raw", hex(rawHello)); return [r.read, text(r.bytes)]; },
  "compression: known gzip byte by byte": async () => {
    const b = hex(gzHello);
    const r = await run(new DecompressionStream("gzip"), Array.from(b, (x) => new Uint8Array([x])));
    return [r.read, text(r.bytes), r.writes.every((w) => w === "ok")];
  },
  "compression: ArrayBuffer and DataView chunks": async () => {
    const b = hex(gzHello);
    const r = await run(new DecompressionStream("gzip"), [b.slice(0, 5).buffer, new DataView(b.buffer, 5, 10), b.subarray(15)]);
    return [r.read, text(r.bytes)];
  },
  "compression: output chunks are Uint8Arrays": async () => {
    const r = await decompress("gzip", hex(gzHello));
    return r.chunks.map((c) => c.constructor.name);
  },
  "compression: compressed output chunks are Uint8Arrays": async () => {
    const r = await run(new CompressionStream("gzip"), [new TextEncoder().encode("x")]);
    return [...new Set(r.chunks.map((c) => c.constructor.name))];
  },
  "compression: corrupt input": async () => { const r = await decompress("gzip", hex("1f8b08000000000000ffdeadbeefdeadbeef")); return [r.read, r.close]; },
  "compression: not gzip at all": async () => { const r = await decompress("gzip", new TextEncoder().encode("plain text, not gzip")); return [r.read, r.close]; },
  "compression: gzip read as deflate": async () => { const r = await decompress("deflate", hex(gzHello)); return [r.read, r.close]; },
  "compression: deflate read as gzip": async () => { const r = await decompress("gzip", hex(zHello)); return [r.read, r.close]; },
  "compression: truncated gzip": async () => { const r = await decompress("gzip", hex(gzHello).slice(0, 20)); return [r.read, r.close, text(r.bytes)]; },
  "compression: truncated trailer": async () => { const r = await decompress("gzip", hex(gzHello).slice(0, -4)); return [r.read, r.close]; },
  "compression: bad checksum": async () => { const b = hex(gzHello); b[b.length - 8] ^= 1; const r = await decompress("gzip", b); return [r.read, r.close]; },
  "compression: bad adler": async () => { const b = hex(zHello); b[b.length - 1] ^= 1; const r = await decompress("deflate", b); return [r.read, r.close]; },
  "compression: trailing bytes": async () => { const b = hex(gzHello + "00"); const r = await decompress("gzip", b); return [r.read, r.close, text(r.bytes)]; },
  "compression: two gzip members": async () => { const r = await decompress("gzip", hex(gzHello + gzHello)); return [r.read, r.close]; },
  "compression: empty input to decompress": async () => { const r = await decompress("gzip", new Uint8Array(0)); return [r.read, r.close]; },
  "compression: nothing written to decompress": async () => { const r = await run(new DecompressionStream("deflate"), []); return [r.read, r.close]; },
  "compression: string chunk": async () => { const r = await run(new CompressionStream("gzip"), ["a string"]); return [r.read, r.writes, r.close]; },
  "compression: number chunk": async () => { const r = await run(new CompressionStream("gzip"), [42]); return [r.read, r.writes, r.close]; },
  "compression: string chunk to decompress": async () => { const r = await run(new DecompressionStream("gzip"), ["x"]); return [r.read, r.writes]; },
  "compression: write after close": async () => {
    const c = new CompressionStream("gzip");
    const w = c.writable.getWriter();
    c.readable.pipeTo(new WritableStream()).catch(() => {});
    await w.close();
    try { await w.write(new Uint8Array(1)); return "no error"; } catch (e) { return e.name; }
  },
  "compression: bomb expands": async () => {
    const zeros = new Uint8Array(4 << 20);
    const z = await compress("gzip", zeros);
    const r = await decompress("gzip", z);
    return [z.byteLength < 8192, r.bytes.byteLength, r.bytes.indexOf(1), r.chunks.length > 1];
  },
  "compression: through a Response": async () => {
    const body = new Response("streamed through gzip").body.pipeThrough(new CompressionStream("gzip"));
    const back = new Response(body).body.pipeThrough(new DecompressionStream("gzip"));
    return new Response(back).text();
  },
  "compression: pipeThrough chain": async () => {
    const s = new ReadableStream({ start(c) { c.enqueue("a"); c.enqueue("b"); c.enqueue("c"); c.close(); } });
    const out = s.pipeThrough(new TextEncoderStream()).pipeThrough(new CompressionStream("deflate"))
      .pipeThrough(new DecompressionStream("deflate")).pipeThrough(new TextDecoderStream());
    let acc = "";
    for await (const chunk of out) acc += chunk;
    return acc;
  },
  "compression: readable cancelled": async () => {
    const c = new DecompressionStream("gzip");
    await c.readable.cancel(new Error("stop"));
    const w = c.writable.getWriter();
    try { await w.write(hex(gzHello)); return "no error"; } catch (e) { return e.name; }
  },
  "compression: writable aborted": async () => {
    const c = new CompressionStream("gzip");
    const r = c.readable.getReader();
    await c.writable.abort(new RangeError("abort reason"));
    try { await r.read(); return "no error"; } catch (e) { return e.name; }
  },
  "compression: Response encodeBody bad value": () => message(() => new Response("x", { encodeBody: "sometimes" })),
  "compression: Response encodeBody values": () => [new Response("x", { encodeBody: "manual" }).status, new Response("x", { encodeBody: "automatic" }).status],
  "compression: Request encodeResponseBody bad value": () => message(() => new Request("https://example.com/", { encodeResponseBody: "never" })),
  "compression: Request encodeResponseBody manual": () => new Request("https://example.com/", { encodeResponseBody: "manual" }).method,
  "compression: Response keeps content-encoding header": () => new Response("x", { headers: { "content-encoding": "gzip" } }).headers.get("content-encoding"),
};
