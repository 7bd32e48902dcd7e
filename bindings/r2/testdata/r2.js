// Workers' R2 API on a local bucket (TestR2BucketAPI).

test("put, head, get, overwrite; missing objects are null", async () => {
  const put = await bucket.put("docs/a.txt", "hello", {
    httpMetadata: { contentType: "text/plain", cacheControl: "max-age=60" },
    customMetadata: { owner: "ann" },
  });
  ok(put instanceof Object && put.key === "docs/a.txt", "put returns the object");
  eq([put.size, put.etag, put.httpEtag], [5, "5d41402abc4b2a76b9719d911017c592", '"5d41402abc4b2a76b9719d911017c592"']);
  ok(put.uploaded instanceof Date && Math.abs(put.uploaded - Date.now()) < 60000, "uploaded is now");
  const head = await bucket.head("docs/a.txt");
  eq([head.size, head.httpMetadata, head.customMetadata, head.body], [5, { contentType: "text/plain", cacheControl: "max-age=60" }, { owner: "ann" }, undefined]);
  const got = await bucket.get("docs/a.txt");
  eq(await got.text(), "hello");
  eq(got.bodyUsed, true);
  const headers = new Headers();
  got.writeHttpMetadata(headers);
  eq([headers.get("content-type"), headers.get("cache-control")], ["text/plain", "max-age=60"]);
  eq(await bucket.head("nope"), null);
  eq(await bucket.get("nope"), null);
  eq(await other.get("docs/a.txt"), null); // buckets are separate
  await bucket.put("docs/a.txt", new Uint8Array([1, 2, 3]));
  const again = await bucket.get("docs/a.txt");
  eq([Array.from(new Uint8Array(await again.arrayBuffer())), again.httpMetadata, again.customMetadata], [[1, 2, 3], {}, {}]);
});

test("bodies of every kind; the stream and json readers", async () => {
  await bucket.put("s", new Response("from a stream").body);
  eq(await (await bucket.get("s")).text(), "from a stream");
  await bucket.put("blob", new Blob(["bl", "ob"]));
  eq(await (await bucket.get("blob")).text(), "blob");
  await bucket.put("j", JSON.stringify({ a: [1] }));
  eq(await (await bucket.get("j")).json(), { a: [1] });
  const o = await bucket.get("j");
  eq(await new Response(o.body).text(), '{"a":[1]}');
  await bucket.put("empty", null);
  eq([(await bucket.head("empty")).size, await (await bucket.get("empty")).text()], [0, ""]);
  ok((await rejects(bucket.put("bad", { not: "a body" }))) instanceof TypeError, "objects are not bodies");
});

test("ranges", async () => {
  await bucket.put("r", "0123456789");
  const mid = await bucket.get("r", { range: { offset: 2, length: 3 } });
  eq([await mid.text(), mid.range], ["234", { offset: 2, length: 3 }]);
  eq(await (await bucket.get("r", { range: { offset: 7 } })).text(), "789");
  eq(await (await bucket.get("r", { range: { suffix: 2 } })).text(), "89");
  eq(await (await bucket.get("r", { range: new Headers({ range: "bytes=1-2" }) })).text(), "12");
  eq(await (await bucket.get("r", { range: new Headers({ range: "bytes=-3" }) })).text(), "789");
  // A Range header R2 cannot use is ignored; an impossible range object is an error.
  eq(await (await bucket.get("r", { range: new Headers({ range: "bytes=0-1, 4-5" }) })).text(), "0123456789");
  eq(await (await bucket.get("r", { range: new Headers({ range: "lines=1-2" }) })).text(), "0123456789");
  for (const range of [{ offset: 20 }, { suffix: 0 }, { offset: 10 }]) {
    eq((await rejects(bucket.get("r", { range }))).message, "get: The requested range is not satisfiable. (10039)");
  }
  eq(await (await bucket.get("r", { range: { offset: 8, length: 50 } })).text(), "89");
  eq(await (await bucket.get("r", { range: { offset: 3, length: 0 } })).text(), "");
  await bucket.put("nothing", "");
  const none = await bucket.get("nothing", { range: { offset: 0 } });
  eq([await none.text(), none.range], ["", { offset: 0, length: 0 }]);
  eq(await (await bucket.get("nothing", { range: { suffix: 5 } })).text(), "");
});

test("conditions: onlyIf on get and put", async () => {
  const o = await bucket.put("c", "v1");
  const hit = await bucket.get("c", { onlyIf: { etagMatches: o.etag } });
  eq(await hit.text(), "v1");
  const miss = await bucket.get("c", { onlyIf: { etagDoesNotMatch: o.etag } });
  ok(miss !== null && !("body" in miss && miss.body), "a failed condition gives the object without a body");
  eq(miss.etag, o.etag);
  eq((await bucket.get("c", { onlyIf: new Headers({ "if-none-match": o.httpEtag }) })).body, undefined);
  eq(await bucket.put("c", "v2", { onlyIf: { etagMatches: "0000" } }), null);
  eq(await (await bucket.get("c")).text(), "v1");
  ok((await bucket.put("c", "v2", { onlyIf: { etagMatches: o.etag } })) !== null, "matching etag: written");
  eq(await (await bucket.get("c")).text(), "v2");
  // Create only if absent.
  eq(await bucket.put("c", "v3", { onlyIf: new Headers({ "if-none-match": "*" }) }), null);
  ok((await bucket.put("fresh", "x", { onlyIf: new Headers({ "if-none-match": "*" }) })) !== null, "absent: created");
  eq(await bucket.put("absent", "x", { onlyIf: { etagMatches: "*" } }), null);
  eq(await bucket.put("absent", "x", { onlyIf: { uploadedAfter: new Date(0) } }), null); // needs an object
  ok((await rejects(bucket.get("c", { onlyIf: { etagMatches: '"quoted"' } }))) instanceof TypeError, "quoted object-form etag");
  const latest = await bucket.head("c");
  eq((await bucket.get("c", { onlyIf: new Headers({ "if-match": `W/${latest.httpEtag}` }) })).body, undefined); // If-Match is strong
  eq(await (await bucket.get("c", { onlyIf: new Headers({ "if-match": latest.httpEtag }) })).text(), "v2");
});

test("md5 checks and metadata limits", async () => {
  ok((await bucket.put("m", "hello", { md5: "5d41402abc4b2a76b9719d911017c592" })) !== null, "right md5");
  const bad = await rejects(bucket.put("m", "hello", { md5: "00000000000000000000000000000000" }));
  eq(bad.message, "put: The MD5 checksum you specified did not match what we received. (10037)");
  ok((await bucket.put("m", "x", { customMetadata: { k: "v".repeat(2047) } })) !== null, "2048 bytes of keys and values fit");
  const big = await rejects(bucket.put("m", "x", { customMetadata: { k: "v".repeat(2048) } }));
  eq(big.message, "put: Your metadata headers exceed the maximum allowed metadata size. (10012)");
  const split = await rejects(bucket.put("m", "x", { httpMetadata: { contentType: "text/plain\r\nSet-Cookie: a=b" } }));
  ok(split.message.includes("invalid header value"), "CR/LF in httpMetadata: " + split.message);
  const long = await rejects(bucket.get("k".repeat(1025)));
  eq(long.message, "get: The specified object name is not valid. (10020)");
});

test("delete one or many", async () => {
  await other.put("d1", "1");
  await other.put("d2", "2");
  await other.put("d3", "3");
  eq(await other.delete("d1"), undefined);
  await other.delete(["d2", "d3", "never"]);
  eq([await other.head("d1"), await other.head("d2"), await other.head("d3")], [null, null, null]);
});

test("list: order, prefix, limit and cursor, startAfter, delimiter, include", async () => {
  for (const k of ["photos/2024/a.jpg", "photos/2024/b.jpg", "photos/2025/c.jpg", "photos/top.jpg", "readme.md", "zeta"]) {
    await other.put(k, "x", { customMetadata: { k }, httpMetadata: { contentType: "image/jpeg" } });
  }
  const all = await other.list();
  eq([all.objects.map((o) => o.key), all.truncated, all.cursor, all.delimitedPrefixes],
    [["photos/2024/a.jpg", "photos/2024/b.jpg", "photos/2025/c.jpg", "photos/top.jpg", "readme.md", "zeta"], false, undefined, []]);
  eq([all.objects[0].customMetadata, all.objects[0].httpMetadata], [undefined, undefined]); // not included unless asked
  ok(throws(() => all.objects[0].writeHttpMetadata(new Headers())) instanceof TypeError, "no httpMetadata to write");
  const inc = await other.list({ prefix: "readme", include: ["customMetadata", "httpMetadata"] });
  eq([inc.objects[0].customMetadata, inc.objects[0].httpMetadata], [{ k: "readme.md" }, { contentType: "image/jpeg" }]);
  const p1 = await other.list({ prefix: "photos/", limit: 2 });
  eq([p1.objects.map((o) => o.key), p1.truncated, typeof p1.cursor], [["photos/2024/a.jpg", "photos/2024/b.jpg"], true, "string"]);
  const p2 = await other.list({ prefix: "photos/", limit: 2, cursor: p1.cursor });
  eq([p2.objects.map((o) => o.key), p2.truncated], [["photos/2025/c.jpg", "photos/top.jpg"], false]);
  eq((await other.list({ startAfter: "photos/top.jpg" })).objects.map((o) => o.key), ["readme.md", "zeta"]);
  const dirs = await other.list({ prefix: "photos/", delimiter: "/" });
  eq([dirs.objects.map((o) => o.key), dirs.delimitedPrefixes], [["photos/top.jpg"], ["photos/2024/", "photos/2025/"]]);
  const top = await other.list({ delimiter: "/", limit: 1 });
  eq([top.delimitedPrefixes, top.objects.length, top.truncated], [["photos/"], 0, true]);
  const rest = await other.list({ delimiter: "/", cursor: top.cursor });
  eq([rest.objects.map((o) => o.key), rest.delimitedPrefixes], [["readme.md", "zeta"], []]);
  eq((await rejects(other.list({ limit: 0 }))).message, "list: MaxKeys params must be positive integer <= 1000. (10022)");
  eq((await rejects(other.list({ cursor: "not a cursor!" }))).message, "list: The cursor is not valid. (10038)");
});

test("keys with spaces, non-ASCII, URL syntax and plus signs", async () => {
  const keys = ["odd/with space.txt", "odd/ünïcødé/ключ", "odd/q?x#y&z=1", "odd/plus+sign", "odd/percent%20not-a-space"];
  for (const k of keys) await other.put(k, k);
  for (const k of keys) eq([k, await (await other.get(k)).text()], [k, k]);
  eq((await other.list({ prefix: "odd/" })).objects.map((o) => o.key), [...keys].sort());
  await other.delete(keys);
  eq((await other.list({ prefix: "odd/" })).objects, []);
});

test("the empty key is not a valid object name, on every store and operation", async () => {
  const want = (op) => `${op}: The specified object name is not valid. (10020)`;
  eq((await rejects(bucket.put("", "x"))).message, want("put"));
  eq((await rejects(bucket.get(""))).message, want("get"));
  eq((await rejects(bucket.head(""))).message, want("head"));
  eq((await rejects(bucket.delete(["a", ""]))).message, want("delete"));
  eq((await rejects(bucket.createMultipartUpload(""))).message, want("createMultipartUpload"));
  // Keys of characters file systems treat specially are keys like any
  // other: the local store keeps them in its index, never in a path.
  const odd = ["%2F", "a\\b", "Case", "case", "dot.", "dot", "tab\tx", "ctl\u0001"];
  for (const k of odd) await bucket.put(k, "v:" + k);
  for (const k of odd) eq([k, await (await bucket.get(k)).text()], [k, "v:" + k]);
  await bucket.delete(odd);
});

test("a range whose length runs past the end reads to the end, however long", async () => {
  await bucket.put("far", "0123456789");
  for (const length of [1e300, Infinity, Number.MAX_SAFE_INTEGER, 2 ** 63]) {
    const o = await bucket.get("far", { range: { offset: 8, length } });
    eq([length, await o.text(), o.range], [length, "89", { offset: 8, length: 2 }]);
  }
});
