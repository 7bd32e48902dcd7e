// cloudflare:workers' env at the top level and waitUntil without ctx; a
// WorkerEntrypoint class as the default export; import() of a computed
// specifier; AsyncLocalStorage keeping concurrent requests apart.
import { env, waitUntil, WorkerEntrypoint, DurableObject, RpcTarget } from "cloudflare:workers";
import { AsyncLocalStorage } from "node:async_hooks";

const atStart = env.GREETING;
const als = new AsyncLocalStorage();
const done = new Set();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Counter extends DurableObject {}

export default class extends WorkerEntrypoint {
  async fetch(request) {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/env":
        return Response.json({ atStart, now: this.env.GREETING, same: env === this.env, hasCtx: typeof this.ctx.waitUntil,
          classes: [typeof DurableObject, typeof RpcTarget, new Counter({}, env).env === env] });
      case "/wait": {
        const id = url.searchParams.get("id");
        waitUntil(sleep(20).then(() => done.add(id)));
        return new Response("scheduled " + id);
      }
      case "/done":
        return new Response(String(done.has(url.searchParams.get("id"))));
      case "/import": {
        const spec = url.searchParams.get("spec");
        try {
          const mod = await import(spec);
          return Response.json({ keys: Object.keys(mod).sort() });
        } catch (e) {
          return Response.json({ error: e.message }, { status: 404 });
        }
      }
      case "/als": {
        const id = url.searchParams.get("id");
        return als.run(id, async () => {
          await sleep(Number(url.searchParams.get("ms")));
          const afterSleep = als.getStore();
          await new Promise((r) => setTimeout(r, 1));
          return Response.json({ id, afterSleep, afterTimer: als.getStore() });
        });
      }
      case "/als-outside":
        return Response.json({ store: als.getStore() ?? null });
    }
    return new Response("not found", { status: 404 });
  }
}
