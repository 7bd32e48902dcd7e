// node:zlib: the sync, callback and stream forms, options, errors and constants.
import zlib from "node:zlib";
import { Buffer } from "node:buffer";
import { pipeline, Readable, Writable } from "node:stream";

const text = "hello zlib ".repeat(100);
const gzHello = Buffer.from("1f8b0800000000000003cb48cdc9c95728cf2fca49010085114a0d0b000000", "hex");
const zHello = Buffer.from("789ccb48cdc9c95728cf2fca4901001a0b045d", "hex");
const brHello = Buffer.from("8b058068656c6c6f2062726f746c6903", "hex");
const fail = (f) => { try { f(); return "no error"; } catch (e) { return { name: e.name, code: e.code, errno: e.errno, message: e.message }; } };
const cb = (f, ...args) => new Promise((resolve) => f(...args, (err, res) => resolve(err ? { code: err.code, errno: err.errno, message: err.message } : res.toString())));
const collect = (stream, chunks) => new Promise((resolve) => {
  const out = [];
  stream.on("data", (c) => out.push(c));
  stream.on("end", () => resolve({ data: Buffer.concat(out), chunks: out.length, isBuffer: out.every((c) => Buffer.isBuffer(c)) }));
  stream.on("error", (e) => resolve({ error: { code: e.code, errno: e.errno, message: e.message } }));
  for (const c of chunks) stream.write(c);
  stream.end();
});

export const probes = {
  "zlib: exports": () => Object.keys(zlib),
  "zlib: constants": () => [zlib.constants.Z_SYNC_FLUSH, zlib.constants.Z_DATA_ERROR, zlib.constants.BROTLI_PARAM_QUALITY, zlib.constants.Z_DEFAULT_CHUNK, zlib.constants.GUNZIP, Object.keys(zlib.constants).length],
  "zlib: codes": () => [zlib.codes.Z_DATA_ERROR, zlib.codes["-3"], zlib.codes.Z_BUF_ERROR],
  "zlib: known gzip": () => zlib.gunzipSync(gzHello).toString(),
  "zlib: known deflate": () => zlib.inflateSync(zHello).toString(),
  "zlib: known raw": () => zlib.inflateRawSync(zHello.subarray(2, -4)).toString(),
  "zlib: known brotli": () => zlib.brotliDecompressSync(brHello).toString(),
  "zlib: unzip gzip and deflate": () => [zlib.unzipSync(gzHello).toString(), zlib.unzipSync(zHello).toString()],
  "zlib: round trips": () => [
    zlib.gunzipSync(zlib.gzipSync(text)).toString() === text,
    zlib.inflateSync(zlib.deflateSync(text)).toString() === text,
    zlib.inflateRawSync(zlib.deflateRawSync(text)).toString() === text,
    zlib.brotliDecompressSync(zlib.brotliCompressSync(text)).toString() === text,
    zlib.unzipSync(zlib.gzipSync(text)).toString() === text,
  ],
  "zlib: results are Buffers": () => [Buffer.isBuffer(zlib.gzipSync("x")), Buffer.isBuffer(zlib.gunzipSync(gzHello))],
  "zlib: gzip header": () => zlib.gzipSync("abc").subarray(0, 10).toString("hex"),
  "zlib: deflate headers by level": () => [0, 1, 5, 6, 9, -1].map((level) => zlib.deflateSync("abc", { level }).subarray(0, 2).toString("hex")),
  "zlib: gzip of nothing": () => zlib.gzipSync("").toString("hex"),
  "zlib: deflate of nothing": () => zlib.deflateSync(Buffer.alloc(0)).toString("hex"),
  "zlib: brotli of short text": () => zlib.brotliCompressSync("hello brotli").toString("hex"),
  "zlib: level 0 stores": () => zlib.deflateRawSync("abc", { level: 0 }).length >= 3,
  "zlib: compresses": () => zlib.gzipSync(text).length < text.length / 10,
  "zlib: inputs": () => [zlib.gunzipSync(gzHello.buffer.slice(gzHello.byteOffset, gzHello.byteOffset + gzHello.length)).toString(), zlib.gunzipSync(new Uint8Array(gzHello)).toString(), zlib.gunzipSync(new DataView(gzHello.buffer, gzHello.byteOffset, gzHello.length)).toString()],
  "zlib: dictionary": () => {
    const dictionary = Buffer.from("hello zlib dictionary");
    const z = zlib.deflateSync("hello zlib hello zlib", { dictionary });
    return [zlib.inflateSync(z, { dictionary }).toString(), fail(() => zlib.inflateSync(z)).code];
  },
  "zlib: concatenated members": () => zlib.gunzipSync(Buffer.concat([zlib.gzipSync("abc"), zlib.gzipSync("def")])).toString(),
  "zlib: trailing zeros ignored": () => zlib.gunzipSync(Buffer.concat([zlib.gzipSync("abc"), Buffer.alloc(10)])).toString(),
  "zlib: inflate ignores trailing bytes": () => zlib.inflateSync(Buffer.concat([zHello, Buffer.from("junk")])).toString(),
  "zlib: error not gzip": () => fail(() => zlib.gunzipSync(Buffer.from("garbage garbage"))),
  "zlib: error truncated": () => fail(() => zlib.gunzipSync(gzHello.subarray(0, 15))),
  "zlib: error empty": () => fail(() => zlib.inflateSync(Buffer.alloc(0))),
  "zlib: error checksum": () => { const b = Buffer.from(gzHello); b[b.length - 8] ^= 1; return fail(() => zlib.gunzipSync(b)); },
  "zlib: error brotli": () => { const e = fail(() => zlib.brotliDecompressSync(Buffer.from("garbage garbage"))); return [e.name, e.message]; },
  "zlib: error bad input type": () => fail(() => zlib.gzipSync(123)),
  "zlib: error level": () => fail(() => zlib.gzipSync("x", { level: 10 })),
  "zlib: error windowBits": () => fail(() => zlib.gzipSync("x", { windowBits: 3 })),
  "zlib: error memLevel": () => fail(() => zlib.deflateSync("x", { memLevel: 10 })),
  "zlib: error chunkSize": () => fail(() => zlib.createGzip({ chunkSize: 10 })),
  "zlib: maxOutputLength": () => fail(() => zlib.gunzipSync(zlib.gzipSync("a".repeat(1000)), { maxOutputLength: 10 })),
  "zlib: options accepted": () => zlib.inflateSync(zlib.deflateSync(text, { level: 9, windowBits: 12, memLevel: 9, strategy: zlib.constants.Z_FILTERED, chunkSize: 1024 })).toString() === text,
  "zlib: brotli params": () => zlib.brotliDecompressSync(zlib.brotliCompressSync(text, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: text.length } })).toString() === text,
  "zlib: callback gzip": async () => cb(zlib.gunzip, await new Promise((r) => zlib.gzip("via callbacks", (e, b) => r(b)))),
  "zlib: callback options": () => cb(zlib.inflate, zHello, {}),
  "zlib: callback error": () => cb(zlib.gunzip, Buffer.from("not gzip data here")),
  "zlib: callback is async": () => { let sync = true; const p = new Promise((r) => zlib.gzip("x", () => r(sync))); sync = false; return p; },
  "zlib: stream gunzip": async () => { const r = await collect(zlib.createGunzip(), [gzHello.subarray(0, 7), gzHello.subarray(7)]); return [r.data.toString(), r.isBuffer]; },
  "zlib: stream round trip": async () => {
    const z = await collect(zlib.createDeflate(), [Buffer.from(text.slice(0, 500)), text.slice(500)]);
    const back = await collect(zlib.createInflate(), [z.data]);
    return back.data.toString() === text;
  },
  "zlib: stream chunkSize": async () => { const r = await collect(zlib.createInflate({ chunkSize: 256 }), [zlib.deflateSync(text)]); return [r.chunks, r.data.length]; },
  "zlib: stream brotli": async () => { const r = await collect(zlib.createBrotliDecompress(), [zlib.brotliCompressSync(text)]); return r.data.toString() === text; },
  "zlib: stream error": async () => (await collect(zlib.createGunzip(), [Buffer.from("this is not gzip")])).error,
  "zlib: stream truncated": async () => (await collect(zlib.createGunzip(), [gzHello.subarray(0, 20)])).error,
  "zlib: pipeline": () => new Promise((resolve) => {
    const out = [];
    pipeline(Readable.from([Buffer.from("pipe "), Buffer.from("line")]), zlib.createGzip(), zlib.createGunzip(),
      new Writable({ write(c, e, cb) { out.push(c); cb(); } }), (err) => resolve(err ? err.code : Buffer.concat(out).toString()));
  }),
  "zlib: bytesWritten": async () => { const g = zlib.createGzip(); await collect(g, [Buffer.from("12345"), Buffer.from("678")]); return g.bytesWritten; },
  "zlib: flush": () => new Promise((resolve) => {
    const g = zlib.createDeflate();
    const out = [];
    g.on("data", (c) => out.push(c));
    g.write("partial");
    g.flush(() => resolve(zlib.inflateSync(Buffer.concat(out), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString()));
  }),
  "zlib: classes": () => [typeof zlib.Gzip, new zlib.Gzip() instanceof zlib.Gzip, zlib.createGunzip() instanceof zlib.Gunzip, typeof zlib.createGzip().pipe],
  "zlib: crc32": () => [zlib.crc32("hello"), zlib.crc32(Buffer.from("hello")), zlib.crc32("world", zlib.crc32("hello ")), zlib.crc32(""), zlib.crc32(new Uint8Array([1, 2, 3]))],
  "zlib: crc32 errors": () => [fail(() => zlib.crc32(5)).code, fail(() => zlib.crc32("x", -1)).code],
};
