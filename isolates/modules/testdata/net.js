// node:net and node:tls over cloudflare:sockets, against the servers
// sockets_test.go starts (ECHO, TLS_ECHO, STARTTLS, REFUSED, HALFCLOSE).
// The expected event orders are what Node gives against the same servers.
const net = require("node:net");
const tls = require("node:tls");

function collect(socket, want) {
  return new Promise((resolve, reject) => {
    let s = "";
    socket.on("data", (d) => {
      s += typeof d === "string" ? d : new TextDecoder().decode(d);
      if (s.length >= want) resolve(s);
    });
    socket.on("error", reject);
  });
}
const once = (emitter, event) => new Promise((resolve) => emitter.once(event, (...a) => resolve(a)));
const [echoHost, echoPort] = ECHO.split(":");

test("net.connect: connect, write, data, end, close", async () => {
  const events = [];
  const s = net.connect(Number(echoPort), echoHost, () => events.push("cb"));
  eq(s.connecting, true);
  eq(s.readyState, "opening");
  s.on("connect", () => events.push("connect"));
  s.on("ready", () => events.push("ready"));
  await once(s, "connect");
  eq(s.readyState, "open");
  eq([s.remoteAddress, s.remotePort, s.remoteFamily], [echoHost, Number(echoPort), "IPv4"]);
  const got = collect(s, 10);
  let written = false;
  eq(s.write("hello", () => { written = true; }), true);
  s.write(new TextEncoder().encode(" world"));
  eq(await got, "hello world");
  ok(written, "write callback");
  eq(s.bytesWritten, 11);
  eq(s.bytesRead, 11);
  const closed = once(s, "close");
  const ended = once(s, "end");
  s.end();
  await ended; // the echo server closes when we end: 'end', then 'close'
  eq(await closed, [false]);
  eq(events, ["cb", "connect", "ready"]);
  eq(s.destroyed, true);
});

test("net.createConnection with options; setEncoding; pause holds data back", async () => {
  const s = net.createConnection({ host: echoHost, port: echoPort });
  s.setEncoding("utf8");
  s.pause();
  await once(s, "connect");
  let seen = "";
  s.on("data", (d) => { seen += d; }); // paused: no data yet
  s.write("abc");
  await new Promise((r) => setTimeout(r, 50));
  eq(seen, "");
  eq(s.isPaused(), true);
  s.resume();
  await new Promise((r) => setTimeout(r, 50));
  eq(seen, "abc");
  s.destroy();
  eq(await once(s, "close"), [false]);
});

test("net: refused is an error, then close(true)", async () => {
  const [h, p] = REFUSED.split(":");
  const s = net.connect(Number(p), h);
  const errored = once(s, "error"), closed = once(s, "close");
  const [err] = await errored;
  eq(err.message, "proxy request failed, cannot connect to the specified address");
  eq(await closed, [true]);
});

test("net: argument errors", () => {
  eq(throws(() => net.connect(70000, "h"), RangeError).code, "ERR_SOCKET_BAD_PORT");
  eq(throws(() => net.connect("/tmp/sock"), TypeError).code, "ERR_INVALID_ARG_VALUE");
  eq(throws(() => net.connect({}), TypeError).code, "ERR_MISSING_ARGS");
  eq(throws(() => new net.Socket({ fd: 1 })).code, "ERR_OPTION_NOT_IMPLEMENTED");
  eq(throws(() => net.createServer()).code, "ERR_METHOD_NOT_IMPLEMENTED");
});

test("net: write after end", async () => {
  const s = net.connect(Number(echoPort), echoHost);
  await once(s, "connect");
  s.end();
  let cbErr;
  eq(s.write("x", (e) => { cbErr = e; }), false);
  const [err] = await once(s, "error");
  eq([err.code, cbErr && cbErr.code], ["ERR_STREAM_WRITE_AFTER_END", "ERR_STREAM_WRITE_AFTER_END"]);
});

test("net: setTimeout emits timeout when idle", async () => {
  const s = net.connect(Number(echoPort), echoHost);
  await once(s, "connect");
  s.setTimeout(20);
  await once(s, "timeout");
  s.destroy();
});

test("tls.connect: TLS from the start", async () => {
  const [h, p] = TLS_ECHO.split(":");
  const s = tls.connect({ host: h, port: Number(p) });
  ok(s instanceof tls.TLSSocket && s instanceof net.Socket, "a TLSSocket is a net.Socket");
  eq(s.encrypted, true);
  await once(s, "secureConnect");
  eq(s.authorized, true);
  const got = collect(s, 6);
  s.write("secret");
  eq(await got, "secret");
  s.destroy();
});

test("tls.connect({socket}): upgrade a plain socket", async () => {
  const [h, p] = STARTTLS.split(":");
  const plain = net.connect(Number(p), h);
  await once(plain, "connect");
  const go = collect(plain, 3);
  plain.write("STARTTLS\n");
  eq(await go, "GO\n");
  const s = tls.connect({ socket: plain, servername: "localhost" });
  await once(s, "secureConnect");
  const got = collect(s, 8);
  s.write("over tls");
  eq(await got, "over tls");
  s.destroy();
});

test("tls: constants and helpers", () => {
  eq([tls.DEFAULT_MIN_VERSION, tls.DEFAULT_MAX_VERSION], ["TLSv1.2", "TLSv1.3"]);
  ok(tls.getCiphers().includes("tls_aes_128_gcm_sha256"), "getCiphers");
  eq(throws(() => tls.createServer()).code, "ERR_METHOD_NOT_IMPLEMENTED");
});

// ---- net.Socket is a stream.Duplex ----
const { Duplex, Readable, Writable, PassThrough, pipeline } = require("node:stream");
const [byeHost, byePort] = HALFCLOSE.split(":");
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

// order records a socket's lifecycle events until it closes.
async function order(s, act) {
  const ev = [];
  for (const n of ["connect", "ready", "end", "finish", "close", "prefinish"]) {
    s.on(n, (...a) => ev.push(a.length ? n + ":" + a.join(",") : n));
  }
  const closed = once(s, "close");
  s.on("data", () => {});
  await act(s);
  await closed;
  await tick(10);
  return ev;
}

test("net.Socket is a Duplex", () => {
  const s = new net.Socket();
  ok(s instanceof Duplex && s instanceof Readable && s instanceof Writable, "Duplex, Readable, Writable");
  eq([s.readable, s.writable, s.allowHalfOpen, s.readableHighWaterMark, s.writableHighWaterMark], [true, true, false, 16384, 16384]);
  eq(new net.Socket({ allowHalfOpen: true }).allowHalfOpen, true);
});

test("net: we end first: prefinish, finish, end, close", async () => {
  const ev = await order(net.connect(Number(echoPort), echoHost), async (s) => { await once(s, "connect"); s.end("x"); });
  // Node's order is connect, ready, prefinish, finish, end, close:false.
  // Our half-close settles through the host while the peer's end comes
  // in, so 'end' may come before 'prefinish': the rest holds.
  eq(ev.filter((e) => e !== "end"), ["connect", "ready", "prefinish", "finish", "close:false"]);
  eq(ev.indexOf("end") > 1 && ev.indexOf("end") < 5, true);
});

test("net: the peer ends first, without allowHalfOpen: our side ends too", async () => {
  const ev = await order(net.connect(Number(byePort), byeHost), async () => {});
  eq(ev, ["connect", "ready", "end", "prefinish", "finish", "close:false"]);
  const s = net.connect(Number(byePort), byeHost);
  s.resume();
  const closed = once(s, "close");
  await once(s, "end");
  await tick();
  eq([s.writable, s.readyState, s.writableEnded], [false, "closed", true]);
  await closed;
});

test("net: allowHalfOpen keeps our side open after the peer's end", async () => {
  let late;
  const ev = await order(net.connect({ port: Number(byePort), host: byeHost, allowHalfOpen: true }), async (s) => {
    await once(s, "end");
    eq([s.writable, s.readyState], [true, "writeOnly"]);
    s.write("late", (e) => { late = e; });
    s.end();
  });
  eq(late, null);
  eq(ev, ["connect", "ready", "end", "prefinish", "finish", "close:false"]);
});

test("net: writes before the connection opens are sent once it does", async () => {
  const s = net.connect(Number(echoPort), echoHost);
  s.write("ear");
  s.write("ly");
  s.setEncoding("utf8");
  eq(s.bytesWritten, 5);
  eq(await collect(s, 5), "early");
  eq(s.bytesWritten, 5);
  s.destroy();
});

test("net: pipe into a socket and out of it", async () => {
  const s = net.connect(Number(echoPort), echoHost);
  let got = "";
  const sink = new Writable({ write(c, e, cb) { got += c; cb(); } });
  s.pipe(sink);
  Readable.from(["a", "b", "c"]).pipe(s);
  await once(sink, "finish");
  eq(got, "abc");
  await tick(10);
  eq(s.destroyed, true);
});

test("net: pipeline through a socket", async () => {
  const big = "x".repeat(200000);
  let got = 0;
  await new Promise((resolve, reject) => pipeline(
    Readable.from([big.slice(0, 100000), big.slice(100000)]),
    net.connect(Number(echoPort), echoHost),
    new PassThrough(),
    new Writable({ write(c, e, cb) { got += c.length; setTimeout(cb, 0); } }), // a slow sink: backpressure
    (err) => (err ? reject(err) : resolve())));
  eq(got, 200000);
});

test("net: async iteration reads the socket to its end", async () => {
  const s = net.connect(Number(echoPort), echoHost);
  s.end("hello iter");
  const it = s[Symbol.asyncIterator]();
  let got = "";
  for (let r = await it.next(); !r.done; r = await it.next()) {
    ok(r.value instanceof Uint8Array, "a Buffer chunk");
    got += r.value;
  }
  eq(got, "hello iter");
  await tick(10);
  eq(s.destroyed, true);
});

test("net: destroy(err): error, then close(true)", async () => {
  const s = net.connect(Number(echoPort), echoHost);
  await once(s, "connect");
  const ev = [];
  s.on("error", (e) => ev.push("error:" + e.message));
  s.on("close", (h) => ev.push("close:" + h));
  s.destroy(new Error("boom"));
  await tick(20);
  eq(ev, ["error:boom", "close:true"]);
});

test("net: an unconnected socket", async () => {
  const s = new net.Socket();
  const ev = [];
  s.on("close", (...a) => ev.push(["close", ...a]));
  s.destroy();
  await tick(20);
  eq(ev, [["close"]]);
  const t = new net.Socket();
  let cbCode, errCode;
  t.write("x", (e) => { cbCode = e && e.code; });
  t.on("error", (e) => { errCode = e.code; });
  await tick(20);
  eq([cbCode, errCode], ["ERR_SOCKET_CLOSED", "ERR_SOCKET_CLOSED"]);
});

test("tls: a TLSSocket is a Duplex too (pipe through TLS)", async () => {
  const [h, p] = TLS_ECHO.split(":");
  const s = tls.connect({ host: h, port: Number(p) });
  ok(s instanceof Duplex, "Duplex");
  let got = "";
  const sink = new Writable({ write(c, e, cb) { got += c; cb(); } });
  s.pipe(sink);
  Readable.from(["se", "cr", "et"]).pipe(s);
  await once(sink, "finish");
  eq(got, "secret");
});

test("net: Readable.toWeb over a socket (a pull waits for the socket's data)", async () => {
  const s = net.connect(Number(echoPort), echoHost);
  s.end("x".repeat(100000));
  const r = Readable.toWeb(s).getReader();
  let n = 0;
  for (let x = await r.read(); !x.done; x = await r.read()) n += x.value.length;
  eq(n, 100000);
});
