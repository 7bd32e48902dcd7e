// node:net and node:tls over cloudflare:sockets, against the servers
// sockets_test.go starts (ECHO, TLS_ECHO, STARTTLS, REFUSED).
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
