// A WebSocket echo and chat worker, driven over real connections by runtime/websocket_test.go.
//   /echo                 text comes back as "echo: <text>", bytes come back inverted; "close me"
//                         makes the worker close (4001, "asked"); a client's close is answered with
//                         its code and "bye <reason>" while the socket is half-open (before the
//                         2026-04-07 compatibility date; after it, edgerun answers for it); "close
//                         long" tries a 124-byte close reason and reports the error
//   /chat?name=N&room=R   every message is broadcast (as JSON) to everyone in the room
//   /outbound?target=U    the worker opens new WebSocket(U), sends, and answers with what it heard
//   /outbound-fetch?target=U   the same through fetch(U, { headers: { Upgrade: "websocket" } })
//   /relay?target=U       the client's socket is relayed to an outbound socket to U, both ways
//   /proxy?target=U       the worker answers with fetch(U)'s own WebSocket: edgerun splices the two
//   /stats                what the isolate knows: rooms, close events seen
const rooms = new Map();
const seen = { closes: [], errors: 0 };

function echo() {
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  server.addEventListener("message", async (e) => {
    if (typeof e.data === "string") {
      if (e.data === "close me") return server.close(4001, "asked");
      if (e.data === "close long") {
        try {
          server.close(4002, "é".repeat(62)); // 124 bytes in UTF-8
          return;
        } catch (err) {
          return server.send(`${err.name}: ${err.message}`);
        }
      }
      if (e.data === "state") return server.send(JSON.stringify({ readyState: server.readyState, binaryType: server.binaryType }));
      server.send("echo: " + e.data);
    } else {
      // A Blob from the 2026-03-17 compatibility date (binaryType "blob"), an ArrayBuffer before.
      const b = new Uint8Array(e.data instanceof Blob ? await e.data.arrayBuffer() : e.data);
      server.send(b.map((x) => 255 - x));
    }
  });
  server.onclose = (e) => {
    seen.closes.push({ code: e.code, reason: e.reason, wasClean: e.wasClean, readyState: server.readyState });
    if (e.code !== 1006 && server.readyState === WebSocket.CLOSING) server.close(e.code === 1005 ? 1000 : e.code, "bye " + e.reason);
  };
  server.onerror = () => seen.errors++;
  return new Response(null, { status: 101, webSocket: client });
}

function chat(room, name) {
  const [client, server] = Object.values(new WebSocketPair());
  server.accept();
  let members = rooms.get(room);
  if (!members) rooms.set(room, (members = new Set()));
  const broadcast = (msg) => {
    for (const m of members) m.send(JSON.stringify(msg));
  };
  members.add(server);
  broadcast({ joined: name, members: members.size });
  server.addEventListener("message", (e) => broadcast({ from: name, text: e.data }));
  server.addEventListener("close", (e) => {
    members.delete(server);
    seen.closes.push({ code: e.code, reason: e.reason, wasClean: e.wasClean });
    if (server.readyState === WebSocket.CLOSING) server.close(1000, "left");
    broadcast({ left: name, members: members.size });
  });
  return new Response(null, { status: 101, webSocket: client, headers: { "x-room": room } });
}

const until = (ws, type) => new Promise((resolve) => ws.addEventListener(type, resolve, { once: true }));

async function outbound(target) {
  const ws = new WebSocket(target);
  const before = ws.readyState;
  await until(ws, "open");
  const opened = ws.readyState;
  const reply = until(ws, "message");
  ws.send("hello from the worker");
  ws.send(new Uint8Array([1, 2, 3]));
  const first = (await reply).data;
  const second = await until(ws, "message");
  const closed = until(ws, "close");
  ws.close(1000, "done");
  const c = await closed;
  return Response.json({ before, opened, first, second: [...new Uint8Array(second.data)], close: { code: c.code, reason: c.reason, wasClean: c.wasClean }, after: ws.readyState });
}

async function outboundFetch(target) {
  const res = await fetch(target.replace(/^ws/, "http"), { headers: { Upgrade: "websocket", "X-From": "worker" } });
  const ws = res.webSocket;
  if (ws === null) return Response.json({ status: res.status, body: await res.text() });
  ws.accept();
  const reply = until(ws, "message");
  ws.send("hello through fetch");
  const got = (await reply).data;
  const closed = until(ws, "close");
  ws.close(1000, "done");
  const c = await closed;
  return Response.json({ status: res.status, header: res.headers.get("x-upstream"), got, close: { code: c.code, reason: c.reason } });
}

function relay(target) {
  const [client, server] = Object.values(new WebSocketPair());
  server.accept();
  const upstream = new WebSocket(target);
  const pending = [];
  upstream.addEventListener("open", () => { for (const m of pending.splice(0)) upstream.send(m); });
  server.addEventListener("message", (e) => (upstream.readyState === WebSocket.OPEN ? upstream.send(e.data) : pending.push(e.data)));
  upstream.addEventListener("message", (e) => server.send(e.data));
  server.addEventListener("close", (e) => { upstream.close(1000, "client left"); server.close(1000, "relay done"); });
  upstream.addEventListener("close", () => { if (server.readyState === WebSocket.OPEN) server.close(1000, "upstream left"); });
  return new Response(null, { status: 101, webSocket: client });
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/echo": return echo();
      case "/chat": return chat(url.searchParams.get("room") || "lobby", url.searchParams.get("name") || "anon");
      case "/outbound": return outbound(url.searchParams.get("target"));
      case "/outbound-fetch": return outboundFetch(url.searchParams.get("target"));
      case "/relay": return relay(url.searchParams.get("target"));
      case "/proxy": return fetch(new Request(url.searchParams.get("target").replace(/^ws/, "http"), request));
      case "/stats": return Response.json({ rooms: Object.fromEntries([...rooms].map(([k, v]) => [k, v.size])), ...seen });
      case "/not-upgrade": return new Response(null, { status: 101, webSocket: new WebSocketPair()[0] });
      default: return new Response("not found", { status: 404 });
    }
  },
};
