// Routes that attack the host on purpose (each named after the hardening
// item it reproduces), next to a well-behaved one at "/".
const never = () => new Promise(() => {});
let ticks = 0;
let topLevelTimer = "allowed"; // workerd refuses timers in global scope
try { setInterval(() => { ticks++; }, 1); } catch (e) { topLevelTimer = e.message; }
const seen = []; // what a setter on a shared prototype observed

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const q = (k, d) => url.searchParams.get(k) ?? d;
    switch (url.pathname) {
      case "/":
        return new Response(`ok ${q("id", "")}`);
      case "/hang": // the handler's promise never settles
        await never();
        return new Response("unreachable");
      case "/hang-wait-until": // answers, but leaves work that never settles
        ctx.waitUntil(never());
        return new Response("answered");
      case "/interval": // leaves a timer behind
        setInterval(() => { ticks++; }, 5);
        return new Response("armed");
      case "/top-level-timer":
        return new Response(topLevelTimer);
      case "/ticks":
        return new Response(String(ticks));
      case "/ctx-keys": // what of the host's bookkeeping a script can see
        return Response.json({
          own: Reflect.ownKeys(ctx).map(String),
          proto: Reflect.ownKeys(Object.getPrototypeOf(ctx)).map(String),
          id: ctx._id === undefined ? null : ctx._id,
        });
      case "/ctx-forge": { // try to answer another request through a forged context
        let forged = "refused";
        try {
          const C = ctx.constructor;
          const other = new C(1, { id: Number(q("target", "1")), waits: 0, responded: true });
          other.waitUntil(Promise.resolve());
          forged = "made";
        } catch (e) {
          forged = e.name;
        }
        ctx._id = Number(q("target", "1"));
        return new Response(`forge ${forged}`);
      }
      case "/spy": { // a setter on the shared request prototype, for later requests
        for (const proto of [Object.getPrototypeOf(request), Request.prototype]) {
          for (const sym of Object.getOwnPropertySymbols(proto).concat(Object.getOwnPropertySymbols(request))) {
            try {
              Object.defineProperty(proto, sym, {
                configurable: true,
                set(v) { seen.push(String(v)); Object.defineProperty(this, sym, { value: v, writable: true, configurable: true }); },
                get() { return undefined; },
              });
            } catch {}
          }
        }
        return new Response("spying");
      }
      case "/seen":
        return new Response(seen.join("\n"));
      case "/ip":
        return new Response(request.headers.get("cf-connecting-ip"));
    }
    return new Response("no such route", { status: 404 });
  },
};
