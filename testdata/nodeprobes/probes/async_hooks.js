// node:async_hooks: AsyncLocalStorage across await, timers, then() and
// microtasks; AsyncResource; nesting and exit.
import { AsyncLocalStorage, AsyncResource } from "node:async_hooks";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const probes = {
  "async_hooks: getStore outside run": () => new AsyncLocalStorage().getStore(),
  "async_hooks: run returns the callback's value": () => new AsyncLocalStorage().run(1, (a, b) => a + b, 2, 3),
  "async_hooks: store across await": async () => {
    const als = new AsyncLocalStorage();
    return als.run({ id: 7 }, async () => {
      await null;
      await sleep(1);
      return als.getStore().id;
    });
  },
  "async_hooks: store in setTimeout": async () => {
    const als = new AsyncLocalStorage();
    return als.run("t", () => new Promise((r) => setTimeout(() => r(als.getStore()), 1)));
  },
  "async_hooks: store in then and queueMicrotask": async () => {
    const als = new AsyncLocalStorage();
    const seen = [];
    await als.run("m", () => new Promise((r) => {
      Promise.resolve().then(() => seen.push(als.getStore()));
      queueMicrotask(() => { seen.push(als.getStore()); r(); });
    }));
    seen.push(als.getStore());
    return seen;
  },
  "async_hooks: concurrent runs keep their stores": async () => {
    const als = new AsyncLocalStorage();
    const one = (n, ms) => als.run(n, async () => { await sleep(ms); const a = als.getStore(); await sleep(ms); return [a, als.getStore()]; });
    return Promise.all([one("a", 3), one("b", 1), one("c", 2)]);
  },
  "async_hooks: nested run and exit": () => {
    const als = new AsyncLocalStorage();
    return als.run(1, () => {
      const inner = als.run(2, () => als.getStore());
      const exited = als.exit(() => als.getStore());
      return [inner, exited, als.getStore()];
    });
  },
  "async_hooks: two storages are independent": () => {
    const a = new AsyncLocalStorage(), b = new AsyncLocalStorage();
    return a.run("x", () => b.run("y", () => [a.getStore(), b.getStore()]));
  },
  "async_hooks: store after run returns": () => {
    const als = new AsyncLocalStorage();
    als.run(1, () => {});
    return als.getStore();
  },
  "async_hooks: bind and snapshot": () => {
    const als = new AsyncLocalStorage();
    const bound = als.run("b", () => AsyncLocalStorage.bind(() => als.getStore()));
    const snap = als.run("s", () => AsyncLocalStorage.snapshot());
    return [bound(), snap(() => als.getStore()), als.getStore()];
  },
  "async_hooks: AsyncResource runs in its creation context": () => {
    const als = new AsyncLocalStorage();
    const res = als.run("r", () => new AsyncResource("X"));
    const bound = als.run("q", () => AsyncResource.bind(() => als.getStore()));
    return [res.runInAsyncScope(() => als.getStore()), bound(), typeof res.asyncId()];
  },
  "async_hooks: run needs a function": () => new AsyncLocalStorage().run(1, 5),
  "async_hooks: AsyncResource needs a type": () => new AsyncResource(5),
};
