// node:timers and node:timers/promises.
import timers from "node:timers";
import * as tp from "node:timers/promises";
import tpDefault from "node:timers/promises";

const sleep = (ms) => new Promise((r) => globalThis.setTimeout(r, ms));
const settle = (p) => p.then((v) => ({ value: v }), (e) => ({ throws: e.name, code: e.code, cause: e.cause === undefined ? "none" : String(e.cause && (e.cause.name || e.cause)) }));

export const probes = {
  "timers: shape": () => [["setTimeout", "clearTimeout", "setInterval", "clearInterval", "setImmediate", "clearImmediate"].map((k) => typeof timers[k]),
    typeof timers.promises, timers.promises === tpDefault, Object.keys(tp).sort(), typeof tp.scheduler.wait, typeof tp.scheduler.yield],
  "timers: Timeout object": () => {
    const t = timers.setTimeout(() => {}, 1000);
    const shape = [typeof t, t.hasRef(), t.unref() === t, t.hasRef(), t.ref().hasRef(), typeof t.refresh, typeof t[Symbol.toPrimitive],
      typeof +t, Number.isInteger(+t), t._idleTimeout, t._repeat];
    timers.clearTimeout(t);
    return shape;
  },
  "timers: setTimeout runs with args and this": async () => {
    let got;
    const t = timers.setTimeout(function (a, b) { got = [a, b, this === t]; }, 5, "x", 2);
    await sleep(30);
    return got;
  },
  "timers: delays clamp to 1": () => [-5, 0, "x", NaN, 2 ** 31, 10, "20", undefined].map((d) => {
    const t = timers.setTimeout(() => {}, d);
    const before = t._idleTimeout;
    timers.clearTimeout(t);
    return [before, t._idleTimeout];
  }),
  "timers: clearTimeout by object, by number, and nothing": async () => {
    const hits = [];
    const a = timers.setTimeout(() => hits.push("a"), 5);
    const b = timers.setTimeout(() => hits.push("b"), 5);
    const c = timers.setTimeout(() => hits.push("c"), 5);
    timers.clearTimeout(a);
    timers.clearTimeout(+b);
    timers.clearTimeout(undefined);
    timers.clearTimeout(null);
    timers.clearTimeout({});
    await sleep(30);
    return [hits, a._destroyed];
  },
  "timers: setInterval and clearInterval": async () => {
    let n = 0;
    const t = timers.setInterval(() => { if (++n === 3) timers.clearInterval(t); }, 2);
    await sleep(60);
    return [n, t._repeat];
  },
  "timers: refresh restarts": async () => {
    const hits = [];
    // wide margins: the machine may be busy
    const t = timers.setTimeout(() => hits.push("fired"), 100);
    await sleep(50);
    t.refresh();
    await sleep(70);
    hits.push("after 120");
    await sleep(150);
    return hits;
  },
  "timers: setImmediate": async () => {
    const order = [];
    const i = timers.setImmediate((x) => order.push("immediate " + x), 1);
    const j = timers.setImmediate(() => order.push("cleared"));
    timers.clearImmediate(j);
    order.push([typeof i, i.hasRef(), i.unref().hasRef()].join());
    await sleep(20);
    return order;
  },
  "timers: bad callback": () => {
    const out = [];
    for (const f of [timers.setTimeout, timers.setInterval, timers.setImmediate]) {
      try { f("nope", 1); } catch (e) { out.push([e.name, e.code]); }
    }
    return out;
  },
  "timers/promises: setTimeout": async () => [await tp.setTimeout(5, "v"), await tp.setTimeout(1), await tp.setImmediate("i"), await tp.scheduler.wait(2), await tp.scheduler.yield()],
  "timers/promises: abort before": async () => {
    const c = new AbortController();
    c.abort("why");
    return [await settle(tp.setTimeout(5, "v", { signal: c.signal })), await settle(tp.setImmediate("v", { signal: c.signal }))];
  },
  "timers/promises: abort during": async () => {
    const c = new AbortController();
    const p = settle(tp.setTimeout(50, "v", { signal: c.signal }));
    globalThis.setTimeout(() => c.abort(new Error("stop")), 5);
    return await p;
  },
  "timers/promises: bad options": async () => [await settle(tp.setTimeout(1, "v", "bad")), await settle(tp.setTimeout(1, "v", { signal: {} })),
    await settle(tp.setTimeout(1, "v", { ref: 1 })), await settle(tp.setImmediate("v", null))],
  "timers/promises: setInterval iterator": async () => {
    const out = [];
    const it = tp.setInterval(3, "tick");
    const r1 = await it.next();
    out.push(r1);
    await sleep(20); // several ticks pass: next() answers at once
    out.push(await it.next());
    out.push(await it.return());
    out.push(await it.next());
    out.push(typeof it[Symbol.asyncIterator], it[Symbol.asyncIterator]() === it);
    return out;
  },
  "timers/promises: setInterval abort": async () => {
    const c = new AbortController();
    const it = tp.setInterval(3, "x", { signal: c.signal });
    const first = await it.next();
    const pending = settle(it.next());
    c.abort();
    return [first, await pending];
  },
  "timers/promises: setInterval aborted first": async () => {
    const it = tp.setInterval(3, "x", { signal: AbortSignal.abort() });
    return await settle(it.next());
  },
  "timers/promises: setInterval bad options": async () => {
    const it = tp.setInterval(3, "x", 5);
    return [await settle(it.next()), await it.next()];
  },
};
