// WebSocket, WebSocketPair and their events (MessageEvent, CloseEvent,
// ErrorEvent), as workerd has them. Natives: websocket_natives.go.
//
// A pair's two ends talk in JavaScript: a message sent on one is delivered
// to the other in a later microtask, held until that end calls accept().
// An end that talks to the network has a Go socket (an id): the client end
// a request answered an Upgrade with (coupleResponse, called by dispatch.js:
// the host couples it to the client's connection, and its peer, the
// script's end, sends to and hears from that socket), or an outbound socket
// (new WebSocket(url), fetch() with Upgrade: websocket). A network socket
// holds its request open until it has ended.

const wsToken = Symbol("WebSocket");
// Each WebSocket's state, out of the script's reach.
const wsState = new WeakMap();
const readyState = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 };
// What the compatibility date changes (webapi.Compat).
const compat = native.wsCompat();

const eventClass = (name, make) => {
  const existing = global[name];
  if (typeof existing === "function") return existing; // another file defined it first
  const cls = make();
  define(name, cls);
  return cls;
};
const MessageEventClass = eventClass("MessageEvent", () => {
  const data = new WeakMap();
  const cls = class MessageEvent extends Event {
    constructor(type, init) {
      super(type, init);
      data.set(this, init !== undefined && init !== null && init.data !== undefined ? init.data : null);
    }
    get data() { return data.get(this); }
    get origin() { return ""; }
    get lastEventId() { return ""; }
    get source() { return null; }
    get ports() { return []; }
  };
  tag(cls, "MessageEvent");
  return cls;
});
const CloseEventClass = eventClass("CloseEvent", () => {
  const fields = new WeakMap();
  const cls = class CloseEvent extends Event {
    constructor(type, init) {
      super(type, init);
      const i = init === undefined || init === null ? {} : init;
      fields.set(this, { code: i.code === undefined ? 0 : i.code | 0, reason: i.reason === undefined ? "" : String(i.reason), wasClean: !!i.wasClean });
    }
    get code() { return fields.get(this).code; }
    get reason() { return fields.get(this).reason; }
    get wasClean() { return fields.get(this).wasClean; }
  };
  tag(cls, "CloseEvent");
  return cls;
});
const ErrorEventClass = eventClass("ErrorEvent", () => {
  const fields = new WeakMap();
  const cls = class ErrorEvent extends Event {
    constructor(type, init) {
      super(type, init);
      const i = init === undefined || init === null ? {} : init;
      fields.set(this, {
        message: i.message === undefined ? "" : String(i.message), filename: i.filename === undefined ? "" : String(i.filename),
        lineno: i.lineno | 0, colno: i.colno | 0, error: i.error,
      });
    }
    get message() { return fields.get(this).message; }
    get filename() { return fields.get(this).filename; }
    get lineno() { return fields.get(this).lineno; }
    get colno() { return fields.get(this).colno; }
    get error() { return fields.get(this).error; }
  };
  tag(cls, "ErrorEvent");
  return cls;
});

// newWSState: phase is "connecting" (new WebSocket, handshake under way),
// "awaiting" (not accepted yet), "accepted" or "released" (returned in a
// response, or done with).
const newWSState = (phase) => ({
  phase, peer: null, id: 0, coupled: false, inbox: [], closedIncoming: false, closedOutgoing: false,
  outgoingAborted: false, error: undefined, binaryType: compat.standardBinaryType ? "blob" : "arraybuffer",
  url: null, protocol: "", extensions: "", allowHalfOpen: !compat.autoReplyToClose, release: null,
});
const stateOf = (ws) => {
  const st = wsState.get(ws);
  if (st === undefined) throw new TypeError("Illegal invocation");
  return st;
};
const mustAccept = () => new TypeError("You must call one of accept() or state.acceptWebSocket() on this WebSocket before sending messages.");

function WebSocket(url, protocols) {
  if (new.target === undefined)
    throw new TypeError("Failed to construct 'WebSocket': Please use the 'new' operator, this object constructor cannot be called as a function.");
  this[kListeners] = new Map(); // what EventTarget's constructor sets
  if (url === wsToken) {
    wsState.set(this, protocols);
    return;
  }
  connectOutbound(this, String(url), protocols);
}
Object.setPrototypeOf(WebSocket.prototype, EventTarget.prototype);
Object.setPrototypeOf(WebSocket, EventTarget);
for (const [k, v] of Object.entries(readyState)) {
  for (const name of [k, "READY_STATE_" + k]) {
    defineSlot(WebSocket, name, { value: v, enumerable: true });
    defineSlot(WebSocket.prototype, name, { value: v, enumerable: true });
  }
}
const wsProto = {
  accept(options) {
    const st = stateOf(this);
    if (st.phase === "connecting") throw new TypeError("Websockets obtained from the 'new WebSocket()' constructor cannot call accept");
    if (st.phase === "released") throw new TypeError("Can't accept() WebSocket that was already used in a response.");
    if (st.phase === "accepted") return;
    if (options !== undefined && options !== null && options.allowHalfOpen !== undefined) st.allowHalfOpen = !!options.allowHalfOpen;
    acceptWS(this, st);
  },
  send(...args) {
    const st = stateOf(this);
    const message = args[0];
    if (args.length === 0 || message === undefined)
      throw new TypeError("Failed to execute 'send' on 'WebSocket': parameter 1 is not of type 'ArrayBuffer or ArrayBufferView or string'.");
    if (st.closedOutgoing) throw new TypeError("Can't call WebSocket send() after close().");
    if (st.outgoingAborted || st.phase === "released") return;
    if (st.phase !== "accepted") throw mustAccept();
    let frame;
    if (message instanceof ArrayBuffer) frame = { kind: "binary", data: new Uint8Array(message.slice(0)) };
    else if (ArrayBuffer.isView(message)) frame = { kind: "binary", data: new Uint8Array(message.buffer, message.byteOffset, message.byteLength).slice() };
    else frame = { kind: "text", data: String(message) };
    transmit(this, st, frame);
  },
  close(code, reason) {
    const st = stateOf(this);
    if (code !== undefined) {
      code = Number(code) | 0;
      if (code < 1000 || code >= 5000 || code === 1004 || code === 1005 || code === 1006 || code === 1015)
        throw new DOMException(`Invalid WebSocket close code: ${code}.`, "InvalidAccessError");
    }
    if (compat.closeReasonByteLimit && reason !== undefined && utf8Length(String(reason)) > 123)
      throw new DOMException("WebSocket close reason must not be longer than 123 bytes when UTF-8 encoded.", "SyntaxError");
    if (reason !== undefined && code === undefined)
      throw new DOMException("If you specify a WebSocket close reason, you must also specify a code.", "InvalidAccessError");
    if (st.phase === "connecting") { st.phase = "released"; return; }
    if (st.closedOutgoing || st.outgoingAborted || st.phase === "released") return;
    if (st.phase !== "accepted") throw mustAccept();
    if (st.error !== undefined) throw st.error;
    transmit(this, st, { kind: "close", code: code === undefined ? 1005 : code, reason: reason === undefined ? "" : String(reason) });
    st.closedOutgoing = true;
  },
  serializeAttachment() { throw new Error("serializeAttachment() is for hibernatable WebSockets of Durable Objects, which edgerun does not run."); },
  deserializeAttachment() { return null; },
  get readyState() {
    const st = stateOf(this);
    if ((st.closedIncoming && st.closedOutgoing) || st.error !== undefined) return 3;
    if (st.closedIncoming || st.closedOutgoing) return 2;
    return st.phase === "connecting" ? 0 : 1;
  },
  get url() { return stateOf(this).url; },
  get protocol() { return stateOf(this).protocol; },
  get extensions() { return stateOf(this).extensions; },
  get binaryType() { return stateOf(this).binaryType; },
  set binaryType(v) {
    const st = stateOf(this);
    if (v === "blob" || v === "arraybuffer") st.binaryType = v;
  },
};
for (const k of Object.getOwnPropertyNames(wsProto)) {
  const d = Object.getOwnPropertyDescriptor(wsProto, k);
  d.enumerable = false;
  defineSlot(WebSocket.prototype, k, d);
}
tag(WebSocket, "WebSocket");
define("WebSocket", WebSocket);

// utf8Length is s's length in UTF-8 (a lone surrogate counts as U+FFFD's
// three bytes, as encoding it would).
function utf8Length(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

function WebSocketPair() {
  if (new.target === undefined)
    throw new TypeError("Failed to construct 'WebSocketPair': Please use the 'new' operator, this object constructor cannot be called as a function.");
  const a = newWSState("awaiting"), b = newWSState("awaiting");
  const first = new WebSocket(wsToken, a), second = new WebSocket(wsToken, b);
  a.peer = second;
  b.peer = first;
  defineSlot(this, "0", { value: first, enumerable: true });
  defineSlot(this, "1", { value: second, enumerable: true });
}
defineSlot(WebSocketPair.prototype, Symbol.iterator, {
  value: function entries() { return [this[0], this[1]][Symbol.iterator](); }, writable: true, configurable: true,
});
tag(WebSocketPair, "WebSocketPair");
define("WebSocketPair", WebSocketPair);

function acceptWS(ws, st) {
  st.phase = "accepted";
  if (st.id !== 0) native.wsStart(st.id); // an outbound socket: reads begin
  else if (st.peer !== null) {
    const ps = wsState.get(st.peer);
    if (ps.coupled) native.wsStart(ps.id); // the client's frames come to this end
  }
  const inbox = st.inbox;
  st.inbox = [];
  for (const f of inbox) later(ws, f);
}

// transmit sends a frame from ws: to its Go socket, to the socket its
// coupled peer stands for, or to its peer in the isolate.
function transmit(ws, st, frame) {
  let id = st.id;
  let peer = null;
  if (id === 0 && st.peer !== null) {
    const ps = wsState.get(st.peer);
    if (ps.coupled) id = ps.id;
    else peer = st.peer;
  }
  if (id !== 0) toGo(id, frame);
  else if (peer !== null) {
    const ps = wsState.get(peer);
    if (ps.phase === "accepted") later(peer, frame);
    else ps.inbox.push(frame);
  }
}
function toGo(id, frame) {
  if (frame.kind === "close") native.wsClose(id, frame.code, frame.reason);
  else if (native.wsSend(id, frame.data) === false) throw new RangeError("WebSocket send() would take the worker past its memory limit: its peer is not reading what was sent.");
}
function later(ws, frame) {
  Promise.resolve().then(() => receive(ws, frame));
}

// receive handles a frame that reached ws.
function receive(ws, frame) {
  const st = wsState.get(ws);
  if (st.phase !== "accepted") { st.inbox.push(frame); return; }
  if (frame.kind === "close") {
    if (st.closedIncoming) return;
    if (frame.clean === false) {
      // Gone without a Close frame: workerd fires the event while the
      // socket still reads as open, and sends nothing back.
      fire(ws, new CloseEventClass("close", { code: frame.code, reason: frame.reason, wasClean: false }));
      st.closedIncoming = true;
      return;
    }
    st.closedIncoming = true;
    if (!st.allowHalfOpen && !st.closedOutgoing && !st.outgoingAborted) {
      transmit(ws, st, { kind: "close", code: frame.code, reason: frame.reason });
      st.closedOutgoing = true;
    }
    fire(ws, new CloseEventClass("close", { code: frame.code, reason: frame.reason, wasClean: true }));
    return;
  }
  if (frame.kind === "error") {
    reportWSError(ws, st, frame.error);
    return;
  }
  if (st.closedIncoming) return;
  let data = frame.data;
  if (frame.kind === "binary") {
    const buf = data instanceof ArrayBuffer ? data : data.buffer;
    data = st.binaryType === "blob" ? new Blob([buf]) : buf;
  }
  fire(ws, new MessageEventClass("message", { data }));
}
function reportWSError(ws, st, error) {
  if (st.error !== undefined) return;
  st.error = error;
  st.outgoingAborted = true;
  fire(ws, new ErrorEventClass("error", { message: String(error), error }));
}
// fire dispatches event on ws: its on<type> property first (workerd's
// order), then the listeners. A handler that throws is reported, as an
// uncaught exception in an event handler is.
function fire(ws, event) {
  const h = ws["on" + event.type];
  if (typeof h === "function") {
    try { h.call(undefined, event); } catch (e) { reportUncaught(e); }
  }
  try { ws.dispatchEvent(event); } catch (e) { reportUncaught(e); }
}
function reportUncaught(e) {
  native.print("error", "Uncaught " + inspect(e, 0, [], true));
}

// fromGo is what a Go socket tells the end it delivers to.
function fromGo(ws, end) {
  return (kind, data, code, reason) => {
    const st = wsState.get(ws);
    switch (kind) {
      case "text":
      case "binary":
        receive(ws, { kind, data });
        return;
      case "close":
        receive(ws, { kind, code, reason });
        return;
      case "error":
        receive(ws, { kind, error: new Error(reason) });
        return;
      case "end":
        // The connection is over: what did not close cleanly closed now.
        st.outgoingAborted = true;
        if (!st.closedIncoming) receive(ws, { kind: "close", code: 1006, reason: "WebSocket disconnected without sending Close frame.", clean: false });
        if (st.phase !== "accepted" && !st.closedIncoming) st.closedIncoming = true;
        if (end !== undefined) end();
    }
  };
}

// hold keeps the current request open until the returned function is
// called.
function holdRequest(state) {
  let release;
  const p = new Promise((r) => { release = r; });
  if (state !== undefined) waitUntil(state, p);
  else native.wsHold(p);
  return release;
}

// coupleResponse answers state's request with a 101 whose socket the host
// couples to the client (dispatch.js calls it for a Response with a
// webSocket).
function coupleResponse(state, res) {
  const ws = res.webSocket;
  const st = wsState.get(ws);
  if (st === undefined) { fail(state, new TypeError("Response.webSocket must be a WebSocket.")); return; }
  if (st.phase === "connecting") { fail(state, new TypeError("Can't return WebSocket in a Response if it was created with `new WebSocket()`")); return; }
  if (st.phase === "released") { fail(state, new TypeError("Can't return WebSocket that was already used in a response.")); return; }
  if (st.phase === "accepted") { fail(state, new TypeError("Can't return WebSocket in a Response after calling accept().")); return; }
  const id = native.wsNew();
  if (st.peer === null) {
    // A WebSocket from fetch(): the host splices the client's connection
    // to it, and the request lasts until the client's side has ended (the
    // fetched side holds it too, through its own binding).
    st.phase = "released";
    const release = holdRequest(state);
    native.wsBind(id, (kind) => { if (kind === "end") release(); });
    native.wsSplice(id, st.id);
    respond101(state, res, id);
    return;
  }
  st.id = id;
  st.coupled = true;
  st.phase = "released";
  native.wsBind(id, fromGo(st.peer, holdRequest(state)));
  const ps = wsState.get(st.peer);
  // What the script's end sent before the response goes out first.
  for (const f of st.inbox) toGo(id, f);
  st.inbox = [];
  if (ps.phase === "accepted") native.wsStart(id);
  respond101(state, res, id);
}
function respond101(state, res, id) {
  const h = res[kHeaders];
  state.responded = true;
  native.respondWebSocket(state.id, 101, res[kStatusText], h === undefined ? "" : flatten(h), id);
}

// connectOutbound starts new WebSocket(url, protocols)'s handshake.
function connectOutbound(ws, url, protocols) {
  let u;
  try { u = new URL(url); } catch (e) { throw new DOMException("WebSocket Constructor: The url is invalid.", "SyntaxError"); }
  if (u.protocol !== "ws:" && u.protocol !== "wss:") throw new DOMException("WebSocket Constructor: The url scheme must be ws or wss.", "SyntaxError");
  if (u.hash !== "" || url.endsWith("#")) throw new DOMException("WebSocket Constructor: The url fragment must be empty.", "SyntaxError");
  let header = "";
  if (protocols !== undefined) {
    if (typeof protocols === "string") {
      if (!validProtoToken(protocols)) throw new DOMException("WebSocket Constructor: The protocol header token is invalid.", "SyntaxError");
      header = protocols;
    } else {
      const list = Array.from(protocols, String);
      const seen = new Set();
      for (const p of list) {
        if (!validProtoToken(p)) throw new DOMException("WebSocket Constructor: One of the protocol header tokens is invalid.", "SyntaxError");
        if (seen.has(p)) throw new DOMException("WebSocket Constructor: The protocols header cannot have repeating values.", "SyntaxError");
        seen.add(p);
      }
      header = list.join(", ");
    }
  }
  const st = newWSState("connecting");
  st.url = url;
  wsState.set(ws, st);
  // Any userinfo is dropped, as workerd does (use an Authorization header).
  const target = u.protocol + "//" + u.host + u.pathname + u.search;
  native.wsConnect(target, header === "" ? "" : "sec-websocket-protocol\0" + header, false).then((r) => {
    if (st.phase !== "connecting") { native.wsClose(r.id, 1000, ""); return; } // closed meanwhile
    st.id = r.id;
    st.protocol = r.protocol === "" ? null : r.protocol;
    st.extensions = r.extensions === "" ? null : r.extensions;
    native.wsBind(r.id, fromGo(ws, holdRequest(undefined)));
    acceptWS(ws, st);
    fire(ws, new Event("open"));
  }, (e) => {
    if (st.phase !== "connecting") return;
    st.closedIncoming = true;
    reportWSError(ws, st, e);
    fire(ws, new CloseEventClass("close", { code: 1006, reason: "Failed to establish websocket connection", wasClean: false }));
  });
}
const protoSeparators = "()<>@,;:\\/[]?={}";
function validProtoToken(p) {
  if (p.length === 0) return false;
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c < 0x21 || c > 0x7e || protoSeparators.indexOf(p[i]) !== -1) return false;
  }
  return true;
}

// fetchWebSocket is fetch() of a request with Upgrade: websocket: on a
// 101 the Response carries the socket (accept() it), otherwise it is the
// server's answer.
function fetchWebSocket(req) {
  const url = req[kURL].replace(/^http/, "ws");
  return native.wsConnect(url, flatten(req.headers), true).then((r) => {
    const res = new Response(null, { statusText: r.statusText });
    if (r.status !== 200) res[kStatus] = r.status;
    res[kHeaders] = hostHeaders(r.headers, "immutable");
    res[kRespType] = "basic";
    res[kRespURL] = req[kURL];
    if (r.status === 101) {
      const st = newWSState("awaiting");
      st.id = r.id;
      st.protocol = r.protocol === "" ? null : r.protocol;
      st.extensions = r.extensions === "" ? null : r.extensions;
      const ws = new WebSocket(wsToken, st);
      native.wsBind(r.id, fromGo(ws, holdRequest(undefined)));
      res.webSocket = ws;
    } else if (r.body !== null && r.body.byteLength > 0 && !nullBodyStatus.has(r.status)) res[kBody] = new Uint8Array(r.body);
    return res;
  });
}
function isWebSocketRequest(req) {
  const h = req.headers.get("upgrade");
  return h !== null && h.toLowerCase() === "websocket";
}
