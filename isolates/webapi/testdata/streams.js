// WritableStream, TransformStream, pipes and the text streams.

const collect = async (readable) => {
  const out = [];
  const reader = readable.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return out;
    out.push(value);
  }
};

test("WritableStream: writes reach the sink in order, close and errors", async () => {
  const seen = [];
  let closed = false;
  const ws = new WritableStream({
    async write(chunk) { await new Promise((r) => setTimeout(r, chunk === "a" ? 5 : 0)); seen.push(chunk); },
    close() { closed = true; },
  });
  const w = ws.getWriter();
  ok(ws.locked, "locked by its writer");
  throws(() => ws.getWriter());
  w.write("a");
  w.write("b");
  await w.close();
  eq([seen, closed], [["a", "b"], true]);
  await w.closed;
  eq(w.desiredSize, 0);
  const late = await rejects(w.write("c"));
  ok(late instanceof TypeError, String(late));

  const bad = new WritableStream({ write() { throw new Error("disk full"); } });
  const bw = bad.getWriter();
  eq((await rejects(bw.write(1))).message, "disk full");
  eq((await rejects(bw.write(2))).message, "disk full");
  eq((await rejects(bw.closed)).message, "disk full");

  let aborted;
  const ab = new WritableStream({ abort(r) { aborted = r; } });
  await ab.getWriter().abort("why");
  eq(aborted, "why");
});

test("TransformStream: transform, flush, identity, errors", async () => {
  const upper = new TransformStream({
    transform(chunk, c) { c.enqueue(chunk.toUpperCase()); },
    flush(c) { c.enqueue("!"); },
  });
  const w = upper.writable.getWriter();
  w.write("a");
  w.write("b");
  w.close();
  eq(await collect(upper.readable), ["A", "B", "!"]);

  const id = new TransformStream();
  const iw = id.writable.getWriter();
  iw.write(new Uint8Array([1]));
  iw.close();
  eq((await collect(id.readable)).map((c) => Array.from(c)), [[1]]);
  ok(new IdentityTransformStream() instanceof TransformStream, "IdentityTransformStream");

  const failing = new TransformStream({ transform() { throw new Error("bad chunk"); } });
  const fw = failing.writable.getWriter();
  eq((await rejects(fw.write("x"))).message, "bad chunk");
  eq((await rejects(failing.readable.getReader().read())).message, "bad chunk");
});

test("the Workers streaming pattern: write in waitUntil, respond with the readable", async () => {
  const { readable, writable } = new TransformStream();
  const writer = writable.getWriter();
  const enc = new TextEncoder();
  (async () => {
    for (const part of ["hello", " ", "world"]) {
      await new Promise((r) => setTimeout(r, 1));
      await writer.write(enc.encode(part));
    }
    await writer.close();
  })();
  eq(await new Response(readable).text(), "hello world");
});

test("pipeTo, pipeThrough and ReadableStream.from", async () => {
  const seen = [];
  await ReadableStream.from(["x", "y"]).pipeTo(new WritableStream({ write(c) { seen.push(c); } }));
  eq(seen, ["x", "y"]);
  const out = ReadableStream.from(["a", "b"])
    .pipeThrough(new TransformStream({ transform(c, ctl) { ctl.enqueue(c + c); } }));
  eq(await collect(out), ["aa", "bb"]);
  const src = new ReadableStream({ start(c) { c.error(new Error("source broke")); } });
  let abortedWith;
  const dest = new WritableStream({ abort(r) { abortedWith = r; } });
  eq((await rejects(src.pipeTo(dest))).message, "source broke");
  eq(abortedWith.message, "source broke");
  const ac = new AbortController();
  ac.abort();
  const stopped = await rejects(ReadableStream.from([1]).pipeTo(new WritableStream(), { signal: ac.signal }));
  eq(stopped.name, "AbortError");
});

test("TextEncoderStream and TextDecoderStream keep characters split across chunks", async () => {
  const bytes = new TextEncoder().encode("é€😀");
  const chunks = [bytes.slice(0, 1), bytes.slice(1, 4), bytes.slice(4, 8), bytes.slice(8)];
  const text = await collect(ReadableStream.from(chunks).pipeThrough(new TextDecoderStream()));
  eq(text.join(""), "é€😀");
  const enc = await collect(ReadableStream.from(["hé", "llo"]).pipeThrough(new TextEncoderStream()));
  eq(new TextDecoder().decode(new Uint8Array([...enc[0], ...enc[1]])), "héllo");
  const d = new TextDecoder();
  eq(d.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]), { stream: true }) + d.decode(new Uint8Array([0xef, 0xbb, 0xbf])), "A\ufeff");
});
