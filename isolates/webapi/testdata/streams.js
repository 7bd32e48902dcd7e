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
  const read = failing.readable.getReader().read(); // a chunk is transformed once a read asks for it
  eq((await rejects(fw.write("x"))).message, "bad chunk");
  eq((await rejects(read)).message, "bad chunk");
});

test("backpressure: an awaited write waits for a read, ready and desiredSize follow", async () => {
  const { readable, writable } = new TransformStream();
  const w = writable.getWriter();
  eq(w.desiredSize, 1);
  let written = false;
  const p = w.write(new Uint8Array([1])).then(() => { written = true; });
  eq(w.desiredSize, 0);
  await new Promise((r) => setTimeout(r, 5));
  eq(written, false); // nobody has read
  const reader = readable.getReader();
  eq(Array.from((await reader.read()).value), [1]);
  await p;
  eq([written, w.desiredSize], [true, 1]);
  await w.ready;
});

test("locks: released readers and writers refuse, pending reads end", async () => {
  const rs = new ReadableStream();
  const r = rs.getReader();
  const pending = r.read();
  r.releaseLock();
  ok((await rejects(pending)) instanceof TypeError, "a pending read rejects on release");
  ok((await rejects(r.read())) instanceof TypeError, "a released reader refuses");
  ok(!rs.locked, "the stream is free again");
  const ws = new WritableStream();
  const w = ws.getWriter();
  w.releaseLock();
  ok((await rejects(w.write(1))) instanceof TypeError, "a released writer refuses");
  ok((await rejects(w.closed)) instanceof TypeError, "closed rejects once released");
  const failing = new WritableStream({ write() { throw new Error("broken"); } });
  const fw = failing.getWriter();
  await fw.write(1).catch(() => {});
  eq((await rejects(fw.close())).message, "broken"); // the stored error
  const order = [];
  const slow = new WritableStream({ async write() { await new Promise((r) => setTimeout(r, 5)); order.push("write done"); }, abort() { order.push("abort"); } });
  const sw = slow.getWriter();
  sw.write(1).catch(() => {});
  await Promise.resolve(); // the write is under way
  await Promise.resolve();
  await sw.abort("stop");
  eq(order, ["write done", "abort"]);
});

test("pipeTo ends on an abort while the source is idle, ReadableStream.from awaits promises", async () => {
  const ac = new AbortController();
  const idle = new ReadableStream(); // never yields
  const piping = idle.pipeTo(new WritableStream(), { signal: ac.signal });
  setTimeout(() => ac.abort(), 1);
  eq((await rejects(piping)).name, "AbortError");
  const values = [];
  await ReadableStream.from([Promise.resolve("a"), "b"]).pipeTo(new WritableStream({ write(v) { values.push(v); } }));
  eq(values, ["a", "b"]);
  const chunks = await collect(ReadableStream.from(["\ud83d", "\ude00!"]).pipeThrough(new TextEncoderStream()));
  eq(new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => Array.from(c)))), "😀!");
  const id = new IdentityTransformStream();
  const iw = id.writable.getWriter();
  const ir = id.readable.getReader().read();
  ok((await rejects(iw.write("text"))) instanceof TypeError, "IdentityTransformStream takes bytes only");
  await rejects(ir);
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
test("a pull that settles before its data arrives is not repeated at once", async () => {
  // The source waits for I/O (a timer here): its pull resolves at once and
  // enqueues later. The stream must not call pull again in a loop meanwhile
  // (that spun the microtask queue and starved the timer).
  let pulls = 0;
  const rs = new ReadableStream({
    pull(c) {
      pulls++;
      if (pulls > 50) throw new Error("pull called in a loop");
      setTimeout(() => { if (pulls <= 3) c.enqueue(pulls); else c.close(); }, 1);
      return Promise.resolve();
    },
  });
  const reader = rs.getReader();
  const got = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    got.push(value);
  }
  eq(got, [1, 2, 3]);
  eq(pulls, 4);
});

// FixedLengthStream: workerd's answers (its constructor's checks, and the
// errors of too many bytes or too few before close).
test("FixedLengthStream passes exactly its length", async () => {
  const read = async (s) => { const r = s.getReader(); let n = 0; for (;;) { const { value, done } = await r.read(); if (done) return n; n += value.byteLength; } };
  const fixed = (n, sizes) => {
    const f = new FixedLengthStream(n);
    const w = f.writable.getWriter();
    for (const s of sizes) w.write(new Uint8Array(s)).catch(() => {});
    f.closed = w.close();
    f.closed.catch(() => {});
    return f;
  };
  const f = fixed(3, [1, 2]);
  ok(f instanceof IdentityTransformStream && f instanceof TransformStream, "a TransformStream");
  eq(await read(f.readable), 3);
  eq(await read(fixed(3n, [3]).readable), 3);
  eq((await rejects(read(fixed(10, [3]).readable))).message, "FixedLengthStream did not see all expected bytes before close().");
  eq((await rejects(read(fixed(2, [3]).readable))).message, "Attempt to write too many bytes through a FixedLengthStream.");
  const short = fixed(10, [3]);
  read(short.readable).catch(() => {});
  eq((await rejects(short.closed)).message, "FixedLengthStream did not see all expected bytes before close().");
  for (const [arg, msg] of [
    [undefined, "Failed to construct 'FixedLengthStream': constructor parameter 1 is not of type 'bigint'."],
    [-1, "The value cannot be converted because it is negative and this API expects a positive bigint."],
    [2 ** 53, "FixedLengthStream requires an integer expected length less than 2^53."],
  ]) {
    let err;
    try { new FixedLengthStream(arg); } catch (x) { err = x; }
    ok(err instanceof TypeError, String(arg));
    eq(err.message, msg);
  }
});
