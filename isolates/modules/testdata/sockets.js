// cloudflare:sockets against real servers on loopback (sockets_test.go
// sets ECHO, TLS_ECHO, STARTTLS and REFUSED to their "host:port").
const { connect } = require("cloudflare:sockets");
const enc = new TextEncoder(), dec = new TextDecoder();

async function readText(reader, want) {
  let s = "";
  while (s.length < want) {
    const { value, done } = await reader.read();
    if (done) break;
    ok(value instanceof Uint8Array, "chunks are Uint8Arrays");
    s += dec.decode(value);
  }
  return s;
}

test("exports", () => {
  eq(Object.keys(require("cloudflare:sockets")), ["connect"]);
});

test("echo: write, read back, close", async () => {
  const s = connect(ECHO);
  eq(s.secureTransport, "off");
  eq(s.upgraded, false);
  ok(s.readable instanceof ReadableStream && s.writable instanceof WritableStream, "streams");
  const info = await s.opened;
  eq(info, { remoteAddress: ECHO });
  const w = s.writable.getWriter();
  await w.write(enc.encode("hello "));
  await w.write("world"); // strings are written as UTF-8
  await w.write(new DataView(enc.encode("!").buffer));
  await w.write(enc.encode("?").buffer);
  const r = s.readable.getReader();
  eq(await readText(r, 13), "hello world!?");
  await s.close();
  await s.closed;
  eq((await r.read()).done, true);
  const e = await rejects(w.write(enc.encode("x")), TypeError);
  eq(e.message, "This WritableStream belongs to an object that is closing.");
  await s.close(); // again: nothing more
});

test("echo read with a BYOB reader: the readable is a byte stream", async () => {
  const s = connect(ECHO);
  const w = s.writable.getWriter();
  await w.write(enc.encode("bytes in my buffer"));
  const r = s.readable.getReader({ mode: "byob" });
  let buf = new ArrayBuffer(64), got = "";
  while (got.length < 18) {
    const { value, done } = await r.read(new Uint8Array(buf, 0, 5));
    if (done) break;
    ok(value.byteLength <= 5, "at most the view's length");
    got += dec.decode(value);
    buf = value.buffer;
  }
  eq([got, buf.byteLength], ["bytes in my buffer", 64]);
  await s.close();
});

test("address as {hostname, port}", async () => {
  const [hostname, port] = ECHO.split(":");
  const s = connect({ hostname, port: Number(port) });
  eq(await s.opened, { remoteAddress: ECHO });
  await s.close();
});

test("a chunk that is no bytes", async () => {
  const s = connect(ECHO);
  const w = s.writable.getWriter();
  const e = await rejects(w.write({}), TypeError);
  ok(e.message.includes("non-ArrayBuffer/ArrayBufferView"), e.message);
  await s.close();
});

test("the peer ending its side closes the socket (no allowHalfOpen)", async () => {
  const s = connect(ECHO);
  const w = s.writable.getWriter();
  await w.write("bye");
  await w.close(); // FIN: the echo server answers and closes
  const r = s.readable.getReader();
  eq(await readText(r, 3), "bye");
  eq((await r.read()).done, true);
  await s.closed;
});

test("allowHalfOpen: reads end, writes stay open", async () => {
  const s = connect(ECHO, { allowHalfOpen: true });
  const w = s.writable.getWriter();
  await w.write("x");
  await w.close();
  const r = s.readable.getReader();
  eq(await readText(r, 1), "x");
  eq((await r.read()).done, true);
  await s.closed;
});

test("address errors", () => {
  eq(throws(() => connect("nocolon"), TypeError).message, "Specified address is missing port.");
  eq(throws(() => connect(":80"), TypeError).message, "Specified address is missing hostname.");
  eq(throws(() => connect("host:99999"), TypeError).message, "Specified address could not be parsed.");
  eq(throws(() => connect("ho st:80"), TypeError).message, "Specified address could not be parsed.");
  eq(throws(() => connect("a/b:80"), TypeError).message.startsWith("Specified address"), true);
  eq(throws(() => connect({ hostname: "h", port: 70000 }), TypeError).message, "Value out of range. Must be less than or equal to 65535.");
  eq(throws(() => connect({ hostname: "h", port: -1 }), TypeError).message, "The value cannot be converted because it is negative and this API expects a positive number.");
  eq(throws(() => connect({ hostname: "h" }), TypeError).message, "The value cannot be converted because it is not an integer.");
  eq(throws(() => connect({ hostname: "bad host", port: 1 }), TypeError).message, "Specified address is empty string, contains unsupported characters or is too long.");
  eq(throws(() => connect(ECHO, { secureTransport: "maybe" }), TypeError).message, "Unsupported value in secureTransport socket option: maybe");
});

test("refused: opened and closed reject with workerd's error", async () => {
  const s = connect(REFUSED);
  const e = await rejects(s.opened, Error);
  eq(e.message, "proxy request failed, cannot connect to the specified address");
  eq((await rejects(s.closed, Error)).message, e.message);
  eq((await s.readable.getReader().read()).done, true);
  await rejects(s.writable.getWriter().write("x"), Error);
  await s.close(); // resolves
});

test("port 25 is prohibited", async () => {
  const s = connect("127.0.0.1:25");
  eq((await rejects(s.opened, Error)).message, "Connections to port 25 are prohibited");
});

test("startTls errors", async () => {
  const plain = connect(ECHO);
  eq(throws(() => plain.startTls(), TypeError).message, "The `secureTransport` socket option must be set to 'starttls' for startTls to be used.");
  await plain.close();
  const on = connect(TLS_ECHO, { secureTransport: "on" });
  eq(throws(() => on.startTls(), TypeError).message, "Cannot startTls on a TLS socket.");
  await on.close();
  const st = connect(STARTTLS, { secureTransport: "starttls" });
  await st.opened;
  await st.close();
  eq(throws(() => st.startTls(), TypeError).message, "The connection was closed before startTls could be started.");
});

test("TLS from the start, verified against the extra roots", async () => {
  const s = connect(TLS_ECHO, { secureTransport: "on" });
  eq(s.secureTransport, "on");
  eq(await s.opened, { remoteAddress: TLS_ECHO });
  const w = s.writable.getWriter();
  await w.write("secret");
  eq(await readText(s.readable.getReader(), 6), "secret");
  await s.close();
});

test("TLS to a name the certificate does not carry fails", async () => {
  const s = connect(STARTTLS, { secureTransport: "starttls" });
  const w = s.writable.getWriter(), r = s.readable.getReader();
  await w.write("STARTTLS\n");
  eq(await readText(r, 3), "GO\n");
  w.releaseLock();
  r.releaseLock();
  const t = s.startTls({ expectedServerHostname: "elsewhere.test" });
  const e = await rejects(t.opened, Error);
  ok(e.message.startsWith("TLS handshake failed") && e.message.includes("elsewhere.test"), e.message);
  eq((await rejects(t.closed, Error)).message, e.message);
  await t.close();
});

test("TLS to localhost by name", async () => {
  const port = TLS_ECHO.split(":")[1];
  const s = connect({ hostname: "localhost", port: Number(port) }, { secureTransport: "on" });
  eq(await s.opened, { remoteAddress: "localhost:" + port });
  await s.close();
});

test("startTls upgrades the connection; the old socket is done", async () => {
  const s = connect(STARTTLS, { secureTransport: "starttls" });
  eq(s.secureTransport, "starttls");
  let w = s.writable.getWriter();
  let r = s.readable.getReader();
  await w.write("plain\n");
  eq(await readText(r, 6), "plain\n");
  await w.write("STARTTLS\n");
  eq(await readText(r, 3), "GO\n");
  const pending = r.read(); // outstanding across the upgrade: it just ends
  w.releaseLock();
  r.releaseLock();
  await pending.catch(() => {});
  const t = s.startTls();
  eq(throws(() => s.startTls(), TypeError).message, "startTls has already been called on this socket, or the socket was transferred over RPC.");
  eq(t.secureTransport, "on");
  await s.closed;
  eq(s.upgraded, true);
  eq(t.upgraded, false);
  eq(await t.opened, { remoteAddress: STARTTLS });
  w = t.writable.getWriter();
  r = t.readable.getReader();
  await w.write("over tls");
  eq(await readText(r, 8), "over tls");
  await t.close();
});

test("new Socket is not constructible", async () => {
  const s = connect(ECHO);
  throws(() => new s.constructor(), TypeError);
  await s.close();
});
