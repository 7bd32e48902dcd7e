// Empty views at their buffer's very end (new Uint8Array(8).subarray(8)),
// handed to every kind of host call that reads a view or probes a value:
// goja's Export points past such a view's buffer, which a -race build
// (checkptr) aborts on. emptyviews_test.go serves ECHO.
const { Buffer } = require("node:buffer");
const util = require("node:util");
const nodeCrypto = require("node:crypto");
const { connect } = require("cloudflare:sockets");

// Eight bytes: a size class of its own, so the end is the allocation's.
const ends = () => [new Uint8Array(8).subarray(8), new Uint16Array(4).subarray(4), new Float64Array(1).subarray(1)];
const u8end = () => new Uint8Array(8).subarray(8);

test("node:buffer natives read an empty view as no bytes", () => {
  const b = Buffer.from(new Uint8Array(8).buffer, 8);
  eq(b.length, 0);
  eq(b.toString(), "");
  eq(b.toString("hex"), "");
  eq(Buffer.compare(b, Buffer.alloc(0)), 0);
  eq(b.indexOf(Buffer.from("a")), -1);
  eq(Buffer.concat([Buffer.from("x"), b]).toString(), "x");
  eq(require("node:buffer").isUtf8(u8end()), true);
});

test("value probes (util.types, util.inspect) take empty views", () => {
  for (const v of ends()) {
    eq(util.types.isPromise(v), false);
    eq(util.types.isProxy(v), false);
    eq(util.types.isTypedArray(v), true);
    ok(util.inspect(v).length > 0, "inspect");
  }
});

test("node:crypto: hashes and HMAC keys from empty views", () => {
  const empty = nodeCrypto.createHash("sha256").digest("hex");
  eq(nodeCrypto.createHash("sha256").update(u8end()).digest("hex"), empty);
  eq(nodeCrypto.createHmac("sha256", u8end()).update(u8end()).digest("hex"), nodeCrypto.createHmac("sha256", "").digest("hex"));
  eq(nodeCrypto.createSecretKey(Buffer.from(new Uint8Array(8).buffer, 8)).symmetricKeySize, 0);
});

test("Web APIs: bodies, decoders, digests and key material from empty views", async () => {
  for (const v of ends()) {
    eq(new TextDecoder().decode(v), "");
    eq(new Uint8Array(await crypto.subtle.digest("SHA-256", v)).length, 32);
    eq(await new Response(v).text(), "");
    eq(await new Blob([v]).size, 0);
    throws(() => new WebAssembly.Module(v));
    throws(() => new WebAssembly.Instance(v), TypeError);
  }
  const e = await rejects(crypto.subtle.importKey("raw", u8end(), "AES-GCM", false, ["encrypt"]));
  eq(e.name, "DataError");
});

test("cloudflare:sockets writes an empty view as nothing", async () => {
  const s = connect(ECHO);
  const w = s.writable.getWriter();
  for (const v of ends()) await w.write(v);
  await w.write(new DataView(new ArrayBuffer(8), 8));
  await w.write(new TextEncoder().encode("ok"));
  const r = s.readable.getReader();
  const { value } = await r.read();
  eq(new TextDecoder().decode(value), "ok");
  await s.close();
});
