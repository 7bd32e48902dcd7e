// The WinterTC events workerd exposes: CustomEvent, ErrorEvent,
// PromiseRejectionEvent, MessageEvent, MessageChannel / MessagePort, and
// reportError.
const tick = () => new Promise((r) => setTimeout(r, 5));
export const probes = {
  "events: CustomEvent": () => { const e = new CustomEvent("x", { detail: { a: 1 }, cancelable: true }); return [e.type, e.detail, e.cancelable, e instanceof Event, Object.prototype.toString.call(e)]; },
  "events: CustomEvent default detail": () => new CustomEvent("x").detail,
  "events: CustomEvent no type": () => new CustomEvent(),
  "events: CustomEvent dispatched": () => { const t = new EventTarget(); let got; t.addEventListener("hi", (e) => { got = [e.detail, e.target === t]; }); t.dispatchEvent(new CustomEvent("hi", { detail: 7 })); return got; },
  "events: CustomEvent detail own": () => Object.keys(new CustomEvent("x", { detail: 1 })).includes("detail"),
  "events: ErrorEvent": () => { const err = new RangeError("r"); const e = new ErrorEvent("error", { message: "m", filename: "f.js", lineno: 3, colno: 4, error: err }); return [e.type, e.message, e.filename, e.lineno, e.colno, e.error === err, e instanceof Event]; },
  "events: ErrorEvent defaults": () => { const e = new ErrorEvent("error"); return [e.message, e.filename, e.lineno, e.colno, e.error]; },
  "events: PromiseRejectionEvent": () => { const p = Promise.resolve(1); const e = new PromiseRejectionEvent("unhandledrejection", { promise: p, reason: "why" }); return [e.type, e.promise === p, e.reason, e instanceof Event]; },
  "events: PromiseRejectionEvent defaults": () => { const e = new PromiseRejectionEvent("rejectionhandled"); return [e.promise, e.reason]; },
  "events: MessageEvent": () => { const e = new MessageEvent("message", { data: { x: 1 } }); return [e.type, e.data, e instanceof Event]; },
  "events: MessageEvent defaults": () => { const e = new MessageEvent("message"); return [e.data, e.origin, e.lastEventId, e.source, e.ports]; },
  "events: MessageEvent no type": () => new MessageEvent(),
  "events: globals": () => ["CustomEvent", "ErrorEvent", "PromiseRejectionEvent", "MessageEvent", "MessageChannel", "MessagePort"].map((n) => typeof globalThis[n]),
  "events: MessageChannel shape": () => { const c = new MessageChannel(); return [c.port1 instanceof MessagePort, c.port2 instanceof MessagePort, c.port1 instanceof EventTarget, c.port1 === c.port2, Object.prototype.toString.call(c), Object.prototype.toString.call(c.port1)]; },
  "events: MessagePort constructor": () => new MessagePort(),
  "events: postMessage delivers a clone": async () => {
    const { port1, port2 } = new MessageChannel();
    const sent = { a: [1, 2], d: new Date(0) };
    const got = new Promise((r) => { port2.onmessage = (e) => r([e.data, e.data === sent, e.data.d instanceof Date, e instanceof MessageEvent, e.type, e.target === port2]); });
    port1.postMessage(sent);
    return got;
  },
  "events: postMessage is async": async () => {
    const { port1, port2 } = new MessageChannel();
    const order = [];
    port2.onmessage = (e) => order.push(e.data);
    port1.postMessage(1);
    order.push("sync");
    await tick();
    return order;
  },
  "events: postMessage order": async () => {
    const { port1, port2 } = new MessageChannel();
    const got = [];
    port2.onmessage = (e) => got.push(e.data);
    for (let i = 0; i < 5; i++) port1.postMessage(i);
    await tick();
    return got;
  },
  "events: both directions": async () => {
    const { port1, port2 } = new MessageChannel();
    const got = [];
    port1.onmessage = (e) => got.push("1:" + e.data);
    port2.onmessage = (e) => { got.push("2:" + e.data); port2.postMessage("pong"); };
    port1.postMessage("ping");
    await tick();
    return got;
  },
  "events: addEventListener needs start": async () => {
    const { port1, port2 } = new MessageChannel();
    const got = [];
    port2.addEventListener("message", (e) => got.push(e.data));
    port1.postMessage("queued");
    await tick();
    const before = got.slice();
    port2.start();
    await tick();
    return [before, got];
  },
  "events: close stops delivery": async () => {
    const { port1, port2 } = new MessageChannel();
    const got = [];
    port2.onmessage = (e) => got.push(e.data);
    port1.postMessage("a");
    await tick();
    port2.close();
    port1.postMessage("b");
    await tick();
    return got;
  },
  "events: postMessage uncloneable": () => { const { port1 } = new MessageChannel(); port1.postMessage(() => {}); },
  "events: postMessage transfer": async () => {
    const { port1, port2 } = new MessageChannel();
    const buf = new Uint8Array([9, 8]).buffer;
    const got = new Promise((r) => { port2.onmessage = (e) => r(new Uint8Array(e.data)); });
    port1.postMessage(buf, [buf]);
    return [buf.byteLength, await got];
  },
  "events: postMessage no argument": () => new MessageChannel().port1.postMessage(),
  "events: onmessage getter": () => { const p = new MessageChannel().port1; const f = () => {}; const before = p.onmessage; p.onmessage = f; return [before, p.onmessage === f]; },
  "events: MessagePort methods": () => Object.getOwnPropertyNames(MessagePort.prototype).sort(),
  "events: reportError": () => { reportError(new Error("reported")); return "ok"; },
  "events: reportError non-error": () => reportError("a string"),
};
