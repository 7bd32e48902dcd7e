// node:diagnostics_channel.
import dc from "node:diagnostics_channel";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A store with AsyncLocalStorage's run() shape, so the probe does not
// depend on node:async_hooks.
function fakeStore() {
  const s = { current: undefined, run(v, fn) { const prev = s.current; s.current = v; try { return fn(); } finally { s.current = prev; } } };
  return s;
}

export const probes = {
  "diagnostics_channel: shape": () => [Object.keys(dc).sort(), typeof dc.Channel],
  "diagnostics_channel: channel identity and name": () => {
    const a = dc.channel("probe:a");
    const sym = Symbol("s");
    return [a === dc.channel("probe:a"), a.name, dc.channel(sym).name === sym, a instanceof dc.Channel, a.hasSubscribers];
  },
  "diagnostics_channel: bad names": () => {
    const out = [];
    for (const n of [1, null, {}, undefined]) {
      try { dc.channel(n); out.push("ok"); } catch (e) { out.push([e.name, e.code]); }
    }
    return out;
  },
  "diagnostics_channel: subscribe publish unsubscribe": () => {
    const ch = dc.channel("probe:pub");
    const got = [];
    const f = (msg, name) => got.push([msg, name]);
    ch.subscribe(f);
    const has = [ch.hasSubscribers, dc.hasSubscribers("probe:pub"), dc.hasSubscribers("probe:none")];
    ch.publish({ n: 1 });
    const un = [ch.unsubscribe(f), ch.unsubscribe(f)];
    ch.publish({ n: 2 });
    return [got, has, un, ch.hasSubscribers];
  },
  "diagnostics_channel: module-level subscribe": () => {
    const got = [];
    const f = (m) => got.push(m);
    dc.subscribe("probe:mod", f);
    dc.channel("probe:mod").publish("x");
    return [got, dc.unsubscribe("probe:mod", f), dc.unsubscribe("probe:mod", f), dc.unsubscribe("probe:never", f)];
  },
  "diagnostics_channel: bad subscriber": () => dc.channel("probe:bad").subscribe(5),
  "diagnostics_channel: throwing subscriber does not stop publish": async () => {
    const ch = dc.channel("probe:throw");
    const got = [];
    const bad = () => { throw new Error("subscriber"); };
    const good = (m) => got.push(m);
    const swallow = () => got.push("uncaught");
    globalThis.process?.on?.("uncaughtException", swallow);
    ch.subscribe(bad);
    ch.subscribe(good);
    ch.publish("m");
    ch.unsubscribe(bad);
    ch.unsubscribe(good);
    got.push("published");
    await sleep(5);
    globalThis.process?.off?.("uncaughtException", swallow);
    return got.filter((x) => x !== "uncaught");
  },
  "diagnostics_channel: bindStore runStores": () => {
    const ch = dc.channel("probe:stores");
    const store = fakeStore();
    ch.bindStore(store, (data) => ({ wrapped: data }));
    const seen = [];
    ch.subscribe((m) => seen.push(["published", m, store.current]));
    const r = ch.runStores("d", function (a, b) { seen.push(["inside", store.current, this.t, a, b]); return "ret"; }, { t: "this" }, 1, 2);
    const unbound = [ch.unbindStore(store), ch.unbindStore(store)];
    return [r, seen, unbound, store.current];
  },
  "diagnostics_channel: tracingChannel traceSync": () => {
    const tc = dc.tracingChannel("probe:sync");
    const events = [];
    const handlers = {};
    for (const ev of ["start", "end", "asyncStart", "asyncEnd", "error"]) handlers[ev] = (ctx) => events.push([ev, { ...ctx, error: ctx.error && ctx.error.message }]);
    const before = tc.hasSubscribers;
    tc.subscribe(handlers);
    const r = tc.traceSync((a) => a * 2, { id: 1 }, null, 21);
    let thrown;
    try { tc.traceSync(() => { throw new Error("bad"); }, { id: 2 }); } catch (e) { thrown = e.message; }
    const un = tc.unsubscribe(handlers);
    return [before, r, thrown, events, un, tc.hasSubscribers, tc.start.name, tc.asyncEnd.name];
  },
  "diagnostics_channel: tracingChannel tracePromise": async () => {
    const tc = dc.tracingChannel("probe:promise");
    const events = [];
    const handlers = {};
    for (const ev of ["start", "end", "asyncStart", "asyncEnd", "error"]) handlers[ev] = (ctx) => events.push([ev, ctx.result, ctx.error && ctx.error.message]);
    tc.subscribe(handlers);
    const r = await tc.tracePromise(async (x) => x + 1, {}, null, 1);
    let thrown;
    try { await tc.tracePromise(async () => { throw new Error("no"); }, {}); } catch (e) { thrown = e.message; }
    tc.unsubscribe(handlers);
    return [r, thrown, events];
  },
  "diagnostics_channel: tracingChannel traceCallback": async () => {
    const tc = dc.tracingChannel("probe:cb");
    const events = [];
    const handlers = {};
    for (const ev of ["start", "end", "asyncStart", "asyncEnd", "error"]) handlers[ev] = (ctx) => events.push([ev, ctx.result, ctx.error && ctx.error.message]);
    tc.subscribe(handlers);
    const done = new Promise((resolve) => {
      tc.traceCallback((v, cb) => setTimeout(() => cb(null, v * 3), 1), -1, {}, null, 5, (err, res) => { events.push(["callback", err, res]); resolve(); });
    });
    await done;
    tc.unsubscribe(handlers);
    return events;
  },
  "diagnostics_channel: tracingChannel from channels": () => {
    const chans = {};
    for (const ev of ["start", "end", "asyncStart", "asyncEnd", "error"]) chans[ev] = dc.channel("probe:own:" + ev);
    const tc = dc.tracingChannel(chans);
    let bad;
    try { dc.tracingChannel(5); } catch (e) { bad = [e.name, e.code]; }
    return [tc.start === chans.start, tc.error.name, bad];
  },
};
