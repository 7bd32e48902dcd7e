// node:events: EventEmitter and its static helpers.
import EventEmitter, { once, on, errorMonitor, getEventListeners, captureRejectionSymbol, setMaxListeners } from "node:events";
import * as ns from "node:events";

const tick = () => new Promise((r) => setTimeout(r, 0));

export const probes = {
  "events: exports": () => ({
    default: typeof EventEmitter,
    self: EventEmitter.EventEmitter === EventEmitter,
    once: typeof EventEmitter.once,
    on: typeof EventEmitter.on,
    named: ns.EventEmitter === EventEmitter && ns.once === once,
    defaultMaxListeners: EventEmitter.defaultMaxListeners,
    errorMonitor: typeof errorMonitor,
    captureRejectionSymbol: captureRejectionSymbol === Symbol.for("nodejs.rejection"),
    usingDomains: EventEmitter.usingDomains,
    captureRejections: EventEmitter.captureRejections,
  }),
  "events: on and emit order": () => {
    const e = new EventEmitter();
    const log = [];
    e.on("x", (a, b) => log.push("1:" + a + b));
    e.on("x", function () { log.push("2:" + (this === e)); });
    e.prependListener("x", () => log.push("0"));
    const r1 = e.emit("x", "a", "b");
    const r2 = e.emit("y");
    return { log, r1, r2 };
  },
  "events: once and prependOnceListener": () => {
    const e = new EventEmitter();
    const log = [];
    e.once("x", (v) => log.push("once " + v));
    e.prependOnceListener("x", (v) => log.push("first " + v));
    e.emit("x", 1);
    e.emit("x", 2);
    return { log, count: e.listenerCount("x") };
  },
  "events: listeners and rawListeners": () => {
    const e = new EventEmitter();
    const f = () => {};
    const g = () => {};
    e.on("a", f);
    e.once("a", g);
    const raw = e.rawListeners("a");
    return {
      listeners: e.listeners("a").map((l) => l === f ? "f" : l === g ? "g" : "?"),
      rawIsWrapped: raw[1] !== g && raw[1].listener === g,
      none: e.listeners("zzz"),
      countF: e.listenerCount("a", f),
      countG: e.listenerCount("a", g),
    };
  },
  "events: removeListener": () => {
    const e = new EventEmitter();
    const log = [];
    const f = () => log.push("f");
    const g = () => log.push("g");
    e.on("a", f);
    e.on("a", g);
    e.on("a", f);
    e.removeListener("a", f);
    e.emit("a");
    e.off("a", g);
    e.off("a", f);
    return { log, names: e.eventNames(), count: e._eventsCount, same: e.off("a", f) === e };
  },
  "events: removeListener of a once listener": () => {
    const e = new EventEmitter();
    const f = () => {};
    e.once("a", f);
    e.removeListener("a", f);
    return e.listenerCount("a");
  },
  "events: newListener and removeListener events": () => {
    const e = new EventEmitter();
    const log = [];
    e.on("newListener", (name, l) => log.push("new " + String(name) + " " + typeof l));
    e.on("removeListener", (name) => log.push("removed " + String(name)));
    const f = () => {};
    e.on("a", f);
    e.once("b", f);
    e.removeListener("a", f);
    e.emit("b");
    e.removeAllListeners();
    return { log, names: e.eventNames() };
  },
  "events: newListener fires before adding": () => {
    const e = new EventEmitter();
    let seen;
    e.once("newListener", (name) => { if (name === "x") seen = e.listenerCount("x"); });
    e.on("x", () => {});
    return seen;
  },
  "events: removeAllListeners(type)": () => {
    const e = new EventEmitter();
    e.on("a", () => {});
    e.on("a", () => {});
    e.on("b", () => {});
    e.removeAllListeners("a");
    return { names: e.eventNames(), count: e._eventsCount };
  },
  "events: eventNames with symbols": () => {
    const e = new EventEmitter();
    const s = Symbol("sym");
    e.on("a", () => {});
    e.on(s, () => {});
    return e.eventNames().map((n) => typeof n === "symbol" ? n.description : n);
  },
  "events: error without listener throws it": () => {
    const e = new EventEmitter();
    const err = new TypeError("boom");
    try { e.emit("error", err); } catch (x) { return x === err; }
    return "no throw";
  },
  "events: error with a non-Error": () => {
    const e = new EventEmitter();
    try { e.emit("error", "bad"); } catch (x) { return { name: x.name, code: x.code, message: x.message, context: x.context }; }
  },
  "events: error with nothing": () => {
    const e = new EventEmitter();
    try { e.emit("error"); } catch (x) { return { code: x.code, message: x.message }; }
  },
  "events: error with listener": () => {
    const e = new EventEmitter();
    let got;
    e.on("error", (x) => { got = x.message; });
    return { r: e.emit("error", new Error("m")), got };
  },
  "events: errorMonitor": () => {
    const e = new EventEmitter();
    const log = [];
    e.on(errorMonitor, (x) => log.push("monitor " + x.message));
    e.on("error", (x) => log.push("error " + x.message));
    e.emit("error", new Error("m"));
    return log;
  },
  "events: errorMonitor still throws": () => {
    const e = new EventEmitter();
    let monitored = false;
    e.on(errorMonitor, () => { monitored = true; });
    try { e.emit("error", new Error("x")); } catch { return { monitored, threw: true }; }
    return { monitored, threw: false };
  },
  "events: listener not a function": () => new EventEmitter().on("a", 42),
  "events: listener not a function (message)": () => {
    try { new EventEmitter().on("a", "str"); } catch (e) { return e.message; }
  },
  "events: removeListener bad listener": () => new EventEmitter().removeListener("a", null),
  "events: max listeners": () => {
    const e = new EventEmitter();
    const a = e.getMaxListeners();
    e.setMaxListeners(1);
    return { a, b: e.getMaxListeners(), chain: e.setMaxListeners(0) === e, c: e.getMaxListeners() };
  },
  "events: setMaxListeners negative": () => new EventEmitter().setMaxListeners(-1),
  "events: setMaxListeners NaN": () => new EventEmitter().setMaxListeners(NaN),
  "events: setMaxListeners string": () => new EventEmitter().setMaxListeners("1"),
  "events: defaultMaxListeners bad": () => { EventEmitter.defaultMaxListeners = -1; },
  "events: static listenerCount": () => {
    const e = new EventEmitter();
    e.on("a", () => {});
    return EventEmitter.listenerCount(e, "a");
  },
  "events: getEventListeners": () => {
    const e = new EventEmitter();
    const f = () => {};
    e.once("a", f);
    return getEventListeners(e, "a")[0] === f;
  },
  "events: subclass": () => {
    class My extends EventEmitter {
      constructor() { super(); this.x = 1; }
    }
    const m = new My();
    let v;
    m.on("e", function () { v = this.x; });
    m.emit("e");
    return { v, isEE: m instanceof EventEmitter, own: Object.keys(m).sort() };
  },
  "events: old-style inheritance": () => {
    function Old() { EventEmitter.call(this); }
    Object.setPrototypeOf(Old.prototype, EventEmitter.prototype);
    const o = new Old();
    let n = 0;
    o.on("a", () => n++);
    o.emit("a");
    return { n, count: o._eventsCount };
  },
  "events: emit during emit sees a copy": () => {
    const e = new EventEmitter();
    const log = [];
    const b = () => log.push("b");
    e.on("x", () => { log.push("a"); e.removeListener("x", b); e.on("x", () => log.push("c")); });
    e.on("x", b);
    e.emit("x");
    log.push("|");
    e.emit("x");
    return log;
  },
  "events: once(emitter)": async () => {
    const e = new EventEmitter();
    setTimeout(() => e.emit("ready", 1, 2), 0);
    const v = await once(e, "ready");
    return { v, left: e.listenerCount("ready"), leftError: e.listenerCount("error") };
  },
  "events: once rejects on error": async () => {
    const e = new EventEmitter();
    setTimeout(() => e.emit("error", new RangeError("x")), 0);
    try { await once(e, "ready"); } catch (err) { return { name: err.name, left: e.listenerCount("ready") }; }
  },
  "events: once for error": async () => {
    const e = new EventEmitter();
    setTimeout(() => e.emit("error", new Error("x")), 0);
    const [err] = await once(e, "error");
    return err.message;
  },
  "events: once with aborted signal": async () => {
    const e = new EventEmitter();
    const ac = new AbortController();
    ac.abort();
    return once(e, "x", { signal: ac.signal });
  },
  "events: once aborted later": async () => {
    const e = new EventEmitter();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 0);
    try { await once(e, "x", { signal: ac.signal }); } catch (err) { return { name: err.name, code: err.code, left: e.listenerCount("x") + e.listenerCount("error") }; }
  },
  "events: once bad signal": () => once(new EventEmitter(), "x", { signal: 1 }),
  "events: once on EventTarget": async () => {
    const t = new EventTarget();
    setTimeout(() => t.dispatchEvent(new Event("ping")), 0);
    const [ev] = await once(t, "ping");
    return ev.type;
  },
  "events: on() iterator": async () => {
    const e = new EventEmitter();
    setTimeout(() => { e.emit("d", 1); e.emit("d", 2, "x"); e.emit("d", 3); }, 0);
    const out = [];
    const it = on(e, "d");
    for (;;) {
      const { value, done } = await it.next();
      if (done) break;
      out.push(value);
      if (out.length === 3) await it.return();
    }
    return { out, left: e.listenerCount("d") };
  },
  "events: on() error": async () => {
    const e = new EventEmitter();
    const it = on(e, "d");
    e.emit("d", 1);
    e.emit("error", new TypeError("bad"));
    const first = await it.next();
    let err;
    try { await it.next(); } catch (x) { err = x.name; }
    const after = await it.next();
    return { first, err, after, left: e.listenerCount("d") };
  },
  "events: on() is async iterable": () => {
    const it = on(new EventEmitter(), "x");
    return typeof it[Symbol.asyncIterator] === "function" && it[Symbol.asyncIterator]() === it;
  },
  "events: on() with close": async () => {
    const e = new EventEmitter();
    const it = on(e, "d", { close: ["end"] });
    e.emit("d", 1);
    e.emit("end");
    return [await it.next(), await it.next()];
  },
  "events: on() aborted signal": () => {
    const ac = new AbortController();
    ac.abort();
    return on(new EventEmitter(), "x", { signal: ac.signal });
  },
  "events: captureRejections": async () => {
    const e = new EventEmitter({ captureRejections: true });
    let got;
    e.on("x", async () => { throw new Error("rejected"); });
    e.on("error", (err) => { got = err.message; });
    e.emit("x");
    await tick();
    return got;
  },
  "events: captureRejections symbol": async () => {
    const e = new EventEmitter({ captureRejections: true });
    let got;
    e[captureRejectionSymbol] = (err, type, ...args) => { got = [err.message, type, args]; };
    e.on("x", async () => { throw new Error("r"); });
    e.emit("x", 1, 2);
    await tick();
    return got;
  },
  "events: captureRejections bad option": () => new EventEmitter({ captureRejections: 1 }),
  "events: static setMaxListeners on emitter": () => {
    const e = new EventEmitter();
    setMaxListeners(3, e);
    return e.getMaxListeners();
  },
  "events: this in once wrapper": () => {
    const e = new EventEmitter();
    let self;
    e.once("a", function () { self = this === e; });
    e.emit("a");
    return self;
  },
  "events: symbol event": () => {
    const e = new EventEmitter();
    const s = Symbol("s");
    let n = 0;
    e.on(s, () => n++);
    e.emit(s);
    return n;
  },
};
