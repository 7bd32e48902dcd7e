// put and uploadPart of streams (TestR2PutStreams), on every store: a
// stream is read as the store writes it, and must have a known length, as
// on R2 (workerd's error otherwise); a stream that fails, or a body not of
// the md5 given, stores nothing.

const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
const md5 = async (bytes) => hex(await crypto.subtle.digest("MD5", bytes));
const UNKNOWN = "Provided readable stream must have a known length (request/response body or readable half of FixedLengthStream)";

// fixed writes chunks (sizes) into a FixedLengthStream of n bytes, each
// chunk's bytes its index + 1, and closes it (errors are the put's to see).
function fixed(n, sizes) {
  const f = new FixedLengthStream(n);
  const w = f.writable.getWriter();
  (async () => {
    for (const [i, s] of sizes.entries()) await w.write(new Uint8Array(s).fill(i + 1));
    await w.close();
  })().catch(() => {});
  return f.readable;
}

test("a FixedLengthStream is stored as it is written", async () => {
  const o = await bucket.put("f", fixed(6, [1, 2, 3]), { httpMetadata: { contentType: "application/x-f" } });
  const want = new Uint8Array([1, 2, 2, 3, 3, 3]);
  eq([o.size, o.etag, hex(o.checksums.md5)], [6, await md5(want), await md5(want)]);
  const got = await bucket.get("f");
  eq([Array.from(new Uint8Array(await got.arrayBuffer())), got.httpMetadata.contentType], [Array.from(want), "application/x-f"]);
  eq((await bucket.put("f0", fixed(0, []))).size, 0);
});

test("bodies of known length: a get's body, a Request's, a Response's, a Blob's stream", async () => {
  await bucket.put("src", "copied through");
  await bucket.put("copy", (await bucket.get("src")).body);
  eq(await (await bucket.get("copy")).text(), "copied through");
  await bucket.put("req", new Request("http://x/", { method: "POST", body: "from a request" }).body);
  eq(await (await bucket.get("req")).text(), "from a request");
  await bucket.put("blob", new Blob(["a", "b"]).stream());
  eq(await (await bucket.get("blob")).text(), "ab");
});

test("a stream of unknown length is refused with workerd's TypeError, nothing read", async () => {
  let pulled = 0;
  const plain = new ReadableStream({ pull(c) { pulled++; c.enqueue(new Uint8Array(1)); } });
  const e = await rejects(bucket.put("u", plain));
  ok(e instanceof TypeError, "a TypeError");
  eq(e.message, UNKNOWN);
  eq([pulled <= 1, plain.locked], [true, false]);
  const id = new IdentityTransformStream();
  eq((await rejects(bucket.put("u", id.readable))).message, UNKNOWN);
  const sized = new Response(new ReadableStream({ start(c) { c.enqueue(new Uint8Array(2)); c.close(); } }), { headers: { "content-length": "2" } });
  eq((await rejects(bucket.put("u", sized.body))).message, UNKNOWN);
  const up = await bucket.createMultipartUpload("u");
  eq((await rejects(up.uploadPart(1, new ReadableStream()))).message, UNKNOWN);
  eq(await bucket.head("u"), null);
});

test("a stream that errors part way rejects with its error and stores nothing", async () => {
  await bucket.put("kept", "old");
  const boom = new Error("boom");
  for (const key of ["kept", "new"]) {
    const f = new FixedLengthStream(4 << 20);
    const w = f.writable.getWriter();
    (async () => { await w.write(new Uint8Array(1 << 20)); await w.write(new Uint8Array(1 << 20)); await w.abort(boom); })().catch(() => {});
    const e = await rejects(bucket.put(key, f.readable));
    ok(e === boom, "the stream's own error: " + e);
  }
  eq([await (await bucket.get("kept")).text(), await bucket.head("new")], ["old", null]);
});

test("a length other than the stream's fails as on R2 and stores nothing", async () => {
  const short = await rejects(bucket.put("len", fixed(10, [3])));
  ok(short instanceof TypeError, "TypeError");
  eq(short.message, "FixedLengthStream did not see all expected bytes before close().");
  const long = await rejects(bucket.put("len", fixed(2, [3])));
  eq(long.message, "Attempt to write too many bytes through a FixedLengthStream.");
  eq(await bucket.head("len"), null);
});

test("an md5 a stream does not have fails the put and stores nothing", async () => {
  const want = await md5(new Uint8Array([1, 2, 2]));
  ok((await bucket.put("m", fixed(3, [1, 2]), { md5: want })) !== null, "the right md5");
  await bucket.put("m", "old");
  for (const key of ["m", "m2"]) {
    const bad = await rejects(bucket.put(key, fixed(3, [1, 2]), { md5: "00000000000000000000000000000000" }));
    eq(bad.message, "put: The MD5 checksum you specified did not match what we received. (10037)");
  }
  eq([await (await bucket.get("m")).text(), await bucket.head("m2")], ["old", null]);
  const bytes = await rejects(bucket.put("m2", new Uint8Array(5), { md5: new Uint8Array(16).buffer }));
  eq(bytes.message, "put: The MD5 checksum you specified did not match what we received. (10037)");
  eq(await bucket.head("m2"), null);
});

test("a failed condition leaves the stream unread, cancelled", async () => {
  await bucket.put("c", "there");
  const f = new FixedLengthStream(3);
  const w = f.writable.getWriter();
  w.write(new Uint8Array(3)).catch(() => {});
  eq(await bucket.put("c", f.readable, { onlyIf: { etagDoesNotMatch: "*" } }), null);
  await rejects(w.closed); // the put cancelled the stream
  eq(await (await bucket.get("c")).text(), "there");
});

test("uploadPart takes a stream of known length", async () => {
  const up = await bucket.createMultipartUpload("mp");
  const part = await up.uploadPart(1, fixed(5, [2, 3]));
  eq(part.etag, await md5(new Uint8Array([1, 1, 2, 2, 2])));
  const o = await up.complete([part]);
  eq([o.size, await (await bucket.get("mp")).text() === "\x01\x01\x02\x02\x02"], [5, true]);
});
