// WebSockets (issue #14 item 3): WebSocketPair, accept, send, close and its validation, the
// events and their fields, readyState, on* handlers, the Response that carries a socket.
const pair = () => {
  const p = new WebSocketPair();
  return [p[0], p[1]];
};
const accepted = () => {
  const [a, b] = pair();
  a.accept();
  b.accept();
  return [a, b];
};
const err = (fn) => {
  try {
    fn();
    return "no error";
  } catch (e) {
    return { name: e.name, message: e.message, isDOMException: e instanceof DOMException, code: e.code };
  }
};
// next resolves with the next event of type on ws (its fields read at once, as they were).
const next = (ws, type) => new Promise((resolve) => {
  ws.addEventListener(type, (e) => resolve(describe(ws, e)), { once: true });
});
const describe = (ws, e) => {
  const d = { type: e.type, ctor: e.constructor.name, readyState: ws.readyState, isEvent: e instanceof Event };
  if ("data" in e) d.data = e.data instanceof ArrayBuffer ? { arrayBuffer: [...new Uint8Array(e.data)] } : e.data;
  if (e.type === "close") { d.code = e.code; d.reason = e.reason; d.wasClean = e.wasClean; }
  return d;
};
const tick = () => new Promise((r) => setTimeout(r, 5));

export const probes = {
  "websocket: globals": () => [typeof WebSocket, typeof WebSocketPair, typeof CloseEvent, typeof MessageEvent, typeof ErrorEvent],
  "websocket: pair shape": () => {
    const p = new WebSocketPair();
    return {
      keys: Object.keys(p),
      zero: p[0] instanceof WebSocket, one: p[1] instanceof WebSocket, same: p[0] === p[0],
      distinct: p[0] !== p[1], iterable: [...p].length, iterSame: [...p][0] === p[0],
      tag: Object.prototype.toString.call(p), wsTag: Object.prototype.toString.call(p[0]),
      eventTarget: p[0] instanceof EventTarget,
    };
  },
  "websocket: pair destructuring": () => {
    const [client, server] = Object.values(new WebSocketPair());
    return [client instanceof WebSocket, server instanceof WebSocket, client !== server];
  },
  "websocket: WebSocketPair without new": () => err(() => WebSocketPair()),
  "websocket: WebSocket without new": () => err(() => WebSocket("wss://example.com/")),
  "websocket: readyState constants": () => [WebSocket.CONNECTING, WebSocket.OPEN, WebSocket.CLOSING, WebSocket.CLOSED,
    WebSocket.READY_STATE_CONNECTING, WebSocket.READY_STATE_OPEN, WebSocket.READY_STATE_CLOSING, WebSocket.READY_STATE_CLOSED],
  "websocket: readyState constants on instances": () => {
    const [a] = pair();
    return [a.CONNECTING, a.OPEN, a.CLOSING, a.CLOSED];
  },
  "websocket: fresh pair end": () => {
    const [a] = pair();
    return { readyState: a.readyState, url: a.url, protocol: a.protocol, extensions: a.extensions, binaryType: a.binaryType, onmessage: a.onmessage, hasOn: "onmessage" in a };
  },
  "websocket: binaryType setter": () => {
    const [a] = pair();
    const out = [];
    a.binaryType = "blob"; out.push(a.binaryType);
    a.binaryType = "nonsense"; out.push(a.binaryType);
    a.binaryType = "arraybuffer"; out.push(a.binaryType);
    return out;
  },
  "websocket: send before accept": () => err(() => pair()[0].send("x")),
  "websocket: close before accept": () => err(() => pair()[0].close()),
  "websocket: accept twice": () => {
    const [a] = pair();
    a.accept();
    a.accept();
    return a.readyState;
  },
  "websocket: accept with options": () => {
    const [a] = pair();
    a.accept({ allowHalfOpen: false });
    return a.readyState;
  },
  "websocket: close code 999": () => err(() => accepted()[0].close(999)),
  "websocket: close code 1004": () => err(() => accepted()[0].close(1004)),
  "websocket: close code 1005": () => err(() => accepted()[0].close(1005)),
  "websocket: close code 1006": () => err(() => accepted()[0].close(1006)),
  "websocket: close code 1015": () => err(() => accepted()[0].close(1015)),
  "websocket: close code 5000": () => err(() => accepted()[0].close(5000)),
  "websocket: close code 1001": () => err(() => accepted()[0].close(1001)),
  "websocket: close code 2999": () => err(() => accepted()[0].close(2999)),
  "websocket: close code 4999": () => err(() => accepted()[0].close(4999)),
  "websocket: close code as string": () => err(() => accepted()[0].close("1000")),
  "websocket: close code NaN": () => err(() => accepted()[0].close(NaN)),
  "websocket: close code 1000.5": () => err(() => accepted()[0].close(1000.5)),
  "websocket: close reason without code": () => err(() => accepted()[0].close(undefined, "bye")),
  "websocket: close bad code before accept": () => err(() => pair()[0].close(1)),
  "websocket: close reason of 124 bytes": () => err(() => accepted()[0].close(1000, "a".repeat(124))),
  "websocket: close twice": () => {
    const [a] = accepted();
    a.close(1000, "x");
    a.close(1000, "y");
    return a.readyState;
  },
  "websocket: send after close": () => {
    const [a] = accepted();
    a.close();
    return err(() => a.send("x"));
  },
  "websocket: readyState after close()": () => {
    const [a] = accepted();
    a.close(1000);
    return a.readyState;
  },
  "websocket: text message": async () => {
    const [a, b] = accepted();
    const got = next(b, "message");
    a.send("héllo");
    return got;
  },
  "websocket: empty text message": async () => {
    const [a, b] = accepted();
    const got = next(b, "message");
    a.send("");
    return got;
  },
  "websocket: ArrayBuffer message": async () => {
    const [a, b] = accepted();
    const got = next(b, "message");
    a.send(new Uint8Array([1, 2, 255]).buffer);
    return got;
  },
  "websocket: typed array view message": async () => {
    const [a, b] = accepted();
    const got = next(b, "message");
    a.send(new Uint8Array([9, 8, 7, 6, 5]).subarray(1, 4));
    return got;
  },
  "websocket: DataView message": async () => {
    const [a, b] = accepted();
    const got = next(b, "message");
    a.send(new DataView(new Uint8Array([1, 2, 3, 4]).buffer, 2));
    return got;
  },
  "websocket: number message": async () => {
    const [a, b] = accepted();
    const got = next(b, "message");
    a.send(42);
    return got;
  },
  "websocket: send without argument": () => {
    const [a] = accepted();
    return err(() => a.send());
  },
  "websocket: send after peer close received": async () => {
    const [a, b] = accepted();
    const closed = next(b, "close");
    a.close(1000, "done");
    await closed;
    return err(() => b.send("still here"));
  },
  "websocket: messages in order": async () => {
    const [a, b] = accepted();
    const got = [];
    const done = new Promise((resolve) => b.addEventListener("message", (e) => { got.push(e.data); if (got.length === 3) resolve(); }));
    a.send("1"); a.send("2"); a.send("3");
    await done;
    return got;
  },
  "websocket: sent before the peer accepts": async () => {
    const [a, b] = pair();
    a.accept();
    a.send("early");
    await tick();
    const got = next(b, "message");
    b.accept();
    return got;
  },
  "websocket: both directions": async () => {
    const [a, b] = accepted();
    const atB = next(b, "message"), atA = next(a, "message");
    a.send("to b");
    b.send("to a");
    return [await atB, await atA];
  },
  "websocket: message event is async": () => {
    const [a, b] = accepted();
    let seen = false;
    b.addEventListener("message", () => { seen = true; });
    a.send("x");
    return seen;
  },
  "websocket: close event": async () => {
    const [a, b] = accepted();
    const got = next(b, "close");
    a.close(4000, "going away");
    return [await got, a.readyState];
  },
  "websocket: close without code": async () => {
    const [a, b] = accepted();
    const got = next(b, "close");
    a.close();
    return got;
  },
  "websocket: closer hears the reply": async () => {
    const [a, b] = accepted();
    const atB = next(b, "close"), atA = next(a, "close");
    a.close(1000, "bye");
    await atB;
    b.close(1000, "bye too");
    return [await atA, a.readyState, b.readyState];
  },
  "websocket: close with allowHalfOpen false": async () => {
    const [a, b] = pair();
    a.accept();
    b.accept({ allowHalfOpen: false });
    const atB = next(b, "close"), atA = next(a, "close");
    a.close(1000, "bye");
    const first = await atB;
    return [first, await atA, a.readyState, b.readyState];
  },
  "websocket: onmessage handler": async () => {
    const [a, b] = accepted();
    const got = new Promise((resolve) => { b.onmessage = function (e) { resolve([e.data, this === b, typeof b.onmessage]); }; });
    a.send("via onmessage");
    return got;
  },
  "websocket: onclose handler": async () => {
    const [a, b] = accepted();
    const got = new Promise((resolve) => { b.onclose = (e) => resolve([e.code, e.reason, e.wasClean]); });
    a.close(3001, "r");
    return got;
  },
  "websocket: onmessage runs before listeners": async () => {
    const [a, b] = accepted();
    const order = [];
    const done = new Promise((resolve) => {
      b.addEventListener("message", () => { order.push("listener"); resolve(order); });
      b.onmessage = () => order.push("on");
    });
    a.send("x");
    return done;
  },
  "websocket: onmessage not a function": async () => {
    const [a, b] = accepted();
    b.onmessage = "nope";
    const got = next(b, "message");
    a.send("x");
    return [await got, b.onmessage];
  },
  "websocket: removeEventListener": async () => {
    const [a, b] = accepted();
    const got = [];
    const l = (e) => got.push("removed " + e.data);
    b.addEventListener("message", l);
    b.removeEventListener("message", l);
    const last = next(b, "message");
    a.send("m");
    await last;
    return got;
  },
  "websocket: listener this": async () => {
    const [a, b] = accepted();
    const got = new Promise((resolve) => b.addEventListener("message", function (e) { resolve([this === b, e.target === b, e.currentTarget === b]); }));
    a.send("x");
    return got;
  },
  "websocket: CloseEvent constructor": () => {
    const e = new CloseEvent("close", { code: 1000, reason: "r", wasClean: true });
    const d = new CloseEvent("close");
    return [e.type, e.code, e.reason, e.wasClean, d.code, d.reason, d.wasClean, e instanceof Event];
  },
  "websocket: MessageEvent constructor": () => {
    const e = new MessageEvent("message", { data: "d" });
    const d = new MessageEvent("message");
    return [e.type, e.data, d.data, e instanceof Event];
  },
  "websocket: Response with webSocket": () => {
    const [client] = pair();
    const r = new Response(null, { status: 101, webSocket: client });
    return { status: r.status, statusText: r.statusText, same: r.webSocket === client, ok: r.ok, body: r.body };
  },
  "websocket: Response 101 without webSocket": () => err(() => new Response(null, { status: 101 })),
  "websocket: Response webSocket with status 200": () => err(() => new Response(null, { status: 200, webSocket: pair()[0] })),
  "websocket: Response webSocket default status": () => err(() => new Response(null, { webSocket: pair()[0] })),
  "websocket: Response webSocket null": () => new Response("x", { webSocket: null }).webSocket,
  "websocket: plain Response webSocket": () => new Response("x").webSocket,
  "websocket: clone a webSocket Response": () => {
    const r = new Response(null, { status: 101, webSocket: pair()[0] });
    return err(() => r.clone());
  },
  "websocket: constructor bad scheme": () => err(() => new WebSocket("http://example.com/")),
  "websocket: constructor bad url": () => err(() => new WebSocket("not a url")),
  "websocket: constructor fragment": () => err(() => new WebSocket("wss://example.com/#x")),
  "websocket: constructor bad protocol": () => err(() => new WebSocket("wss://example.com/", "a b")),
  "websocket: constructor repeated protocols": () => err(() => new WebSocket("wss://example.com/", ["a", "a"])),
  "websocket: new WebSocket before it connects": () => {
    const ws = new WebSocket("wss://example.com/");
    const out = { readyState: ws.readyState, url: ws.url, protocol: ws.protocol, extensions: ws.extensions, accept: err(() => ws.accept()) };
    ws.close();
    out.afterClose = ws.readyState;
    return out;
  },
  "websocket: new WebSocket send while connecting": () => {
    const ws = new WebSocket("wss://example.com/");
    const e = err(() => ws.send("x"));
    ws.close();
    return e;
  },
};
