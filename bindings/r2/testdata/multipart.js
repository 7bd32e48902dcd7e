// R2 multipart uploads (TestR2Multipart), on every store. Parts are R2's
// real minimum: 5 MiB.

const MiB = 1 << 20;
const filled = (n, byte) => new Uint8Array(n).fill(byte);
const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
const md5 = async (bytes) => hex(await crypto.subtle.digest("MD5", bytes));

test("create, upload parts in any order, complete: one object of the parts", async () => {
  const up = await bucket.createMultipartUpload("mp/big.bin", {
    httpMetadata: { contentType: "application/x-test", cacheControl: "no-cache" },
    customMetadata: { owner: "ann" },
  });
  eq([up.key, typeof up.uploadId, up.uploadId.length > 0, String(up)], ["mp/big.bin", "string", true, "[object R2MultipartUpload]"]);
  eq(await bucket.head("mp/big.bin"), null); // nothing to see before complete
  const a = filled(5 * MiB, 97), b = filled(5 * MiB, 98), tail = new TextEncoder().encode("tail");
  const p2 = await up.uploadPart(2, b);
  const p1 = await up.uploadPart(1, a);
  const p3 = await up.uploadPart(3, "tail");
  eq([p1.partNumber, p2.partNumber, p3.partNumber], [1, 2, 3]);
  eq([p1.etag, p2.etag, p3.etag], [await md5(a), await md5(b), await md5(tail)]);
  const obj = await up.complete([p1, p2, p3]);
  eq([obj.key, obj.size, obj.httpMetadata, obj.customMetadata],
    ["mp/big.bin", 10 * MiB + 4, { contentType: "application/x-test", cacheControl: "no-cache" }, { owner: "ann" }]);
  ok(/^[0-9a-f]{32}-3$/.test(obj.etag), "a multipart etag: " + obj.etag);
  eq([obj.httpEtag, JSON.stringify(obj.checksums)], [`"${obj.etag}"`, "{}"]); // no MD5 of the whole body, as R2
  const head = await bucket.head("mp/big.bin");
  eq([head.size, head.etag, head.customMetadata], [10 * MiB + 4, obj.etag, { owner: "ann" }]);
  const across = await bucket.get("mp/big.bin", { range: { offset: 5 * MiB - 2, length: 4 } });
  eq(await across.text(), "aabb");
  eq(await (await bucket.get("mp/big.bin", { range: { suffix: 6 } })).text(), "bbtail");
  const whole = new Uint8Array(await (await bucket.get("mp/big.bin")).arrayBuffer());
  eq([whole.length, whole[0], whole[5 * MiB - 1], whole[5 * MiB], whole[10 * MiB - 1], whole[10 * MiB]], [10 * MiB + 4, 97, 97, 98, 98, 116]);
  eq((await bucket.list({ prefix: "mp/" })).objects.map((o) => [o.key, o.size]), [["mp/big.bin", 10 * MiB + 4]]);
  // The upload is over: its parts cannot be added to or completed again.
  eq((await rejects(up.uploadPart(4, "x"))).message, "uploadPart: The specified multipart upload does not exist. (10024)");
  eq((await rejects(up.complete([p1, p2, p3]))).message, "completeMultipartUpload: The specified multipart upload does not exist. (10024)");
  eq(await up.abort(), undefined); // abort after complete does nothing
  eq((await bucket.head("mp/big.bin")).size, 10 * MiB + 4);
});

test("parts uploaded at once", async () => {
  const up = await bucket.createMultipartUpload("mp/parallel");
  const parts = await Promise.all([1, 2, 3, 4].map((n) => up.uploadPart(n, n < 4 ? filled(5 * MiB, 48 + n) : "end")));
  const o = await up.complete(parts);
  eq([o.size, await (await bucket.get("mp/parallel", { range: { offset: 10 * MiB - 1, length: 3 } })).text()], [15 * MiB + 3, "233"]);
});

test("a single part; a part uploaded again replaces the first", async () => {
  const up = await bucket.createMultipartUpload("mp/one");
  await up.uploadPart(1, "first");
  const again = await up.uploadPart(1, new Blob(["sec", "ond"]));
  const o = await up.complete([again]);
  eq([o.size, await (await bucket.get("mp/one")).text(), o.httpMetadata, o.customMetadata], [6, "second", {}, {}]);
});

test("resumeMultipartUpload continues an upload by its id", async () => {
  const up = await bucket.createMultipartUpload("mp/resumed");
  const p1 = await up.uploadPart(1, filled(5 * MiB, 120));
  const later = bucket.resumeMultipartUpload("mp/resumed", up.uploadId);
  eq([later.key, later.uploadId], ["mp/resumed", up.uploadId]);
  const p2 = await later.uploadPart(2, "end");
  eq((await later.complete([p1, p2])).size, 5 * MiB + 3);
  eq(await (await bucket.get("mp/resumed", { range: { suffix: 4 } })).text(), "xend");
  // An id for another key, or no id at all, is no upload.
  const other = await bucket.createMultipartUpload("mp/other");
  const wrong = bucket.resumeMultipartUpload("mp/elsewhere", other.uploadId);
  eq((await rejects(wrong.uploadPart(1, "x"))).message, "uploadPart: The specified multipart upload does not exist. (10024)");
  await other.abort();
});

test("R2's checks at complete: etags, missing parts, part sizes", async () => {
  const up = await bucket.createMultipartUpload("mp/checked");
  const p1 = await up.uploadPart(1, filled(5 * MiB, 1));
  const p2 = await up.uploadPart(2, filled(5 * MiB + 1, 2));
  const p3 = await up.uploadPart(3, "last");
  const small = await up.uploadPart(4, filled(1024, 4));
  const invalid = "completeMultipartUpload: One or more of the specified parts could not be found. (10025)";
  eq((await rejects(up.complete([p1, { partNumber: 2, etag: "0".repeat(32) }]))).message, invalid);
  eq((await rejects(up.complete([p1, { partNumber: 9, etag: p1.etag }]))).message, invalid);
  eq((await rejects(up.complete([small, p3]))).message,
    "completeMultipartUpload: Your proposed upload is smaller than the minimum allowed object size. (10011)");
  eq((await rejects(up.complete([p1, p2, p3]))).message,
    "completeMultipartUpload: All non-trailing parts must have the same length. (10048)");
  eq((await rejects(up.complete([p1, p2]))).message, // the last part is bigger than the others
    "completeMultipartUpload: All non-trailing parts must have the same length. (10048)");
  eq(await bucket.head("mp/checked"), null);
  // The failed attempts left the upload open: a right list completes it.
  const o = await up.complete([p1, p3]);
  eq([o.size, await (await bucket.get("mp/checked", { range: { offset: 5 * MiB } })).text()], [5 * MiB + 4, "last"]);
});

test("part numbers and arguments", async () => {
  const up = await bucket.createMultipartUpload("mp/args");
  for (const n of [0, 10001, -1]) {
    const e = await rejects(up.uploadPart(n, "x"));
    ok(e instanceof TypeError, "a TypeError for part " + n);
    eq(e.message, `Part number must be between 1 and 10000 (inclusive). Actual value was: ${n}`);
  }
  const last = await up.uploadPart(10000, "x");
  eq(last.partNumber, 10000);
  ok((await rejects(up.complete("nope"))) instanceof TypeError, "parts must be an array");
  eq((await rejects(up.complete([]))).message, "completeMultipartUpload: One or more of the specified parts could not be found. (10025)");
  eq((await rejects(bucket.createMultipartUpload("k".repeat(1025)))).message, "createMultipartUpload: The specified object name is not valid. (10020)");
  eq((await rejects(bucket.createMultipartUpload("m", { customMetadata: { k: "v".repeat(2048) } }))).message,
    "createMultipartUpload: Your metadata headers exceed the maximum allowed metadata size. (10012)");
  await up.abort();
});

test("abort drops the parts; later uses are NoSuchUpload", async () => {
  const up = await bucket.createMultipartUpload("mp/aborted");
  const p1 = await up.uploadPart(1, "x");
  eq(await up.abort(), undefined);
  eq(await up.abort(), undefined); // again: nothing to do
  eq((await rejects(up.uploadPart(2, "y"))).message, "uploadPart: The specified multipart upload does not exist. (10024)");
  eq((await rejects(up.complete([p1]))).message, "completeMultipartUpload: The specified multipart upload does not exist. (10024)");
  eq(await bucket.head("mp/aborted"), null);
});

test("a completed upload replaces an object put whole, and a put replaces it", async () => {
  const first = await bucket.put("mp/replaced", "whole");
  eq(JSON.stringify(first.checksums), JSON.stringify({ md5: first.etag }));
  const up = await bucket.createMultipartUpload("mp/replaced");
  await up.complete([await up.uploadPart(1, "parts")]);
  eq(await (await bucket.get("mp/replaced")).text(), "parts");
  await bucket.put("mp/replaced", "whole again");
  eq(await (await bucket.get("mp/replaced")).text(), "whole again");
  await bucket.delete("mp/replaced");
  eq(await bucket.head("mp/replaced"), null);
});
