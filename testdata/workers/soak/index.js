// The soak test's worker (bench/soak). Three well-behaved routes ("/", "/db",
// "/write") answer what bench/soak checks exactly; every "/h/<name>" route is
// one abuse of issue #11, named in bench/soak/hostile.go with the item it
// reproduces. Hostile routes let their errors escape on purpose (the status is
// what is checked), except where the issue asks for a catchable error.

const never = () => new Promise(() => {});
const seen = []; // what a setter planted on a shared prototype observed

// dbError answers a failed statement with its SQLSTATE, so that bench/soak can
// tell a clear, fast database error from a hang or a wrong answer.
function dbError(e) {
  return new Response(`db error ${e && e.code}: ${e && e.message}`, { status: 503 });
}

async function readItem(env, id) {
  try {
    const name = await env.HYPERDRIVE.prepare("SELECT name FROM soak_items WHERE id = ?").bind(1).withoutCache().first("name");
    return new Response(`${name} ${id}`);
  } catch (e) {
    return dbError(e);
  }
}

async function write(request, env) {
  const token = await request.text();
  try {
    await env.HYPERDRIVE.prepare("INSERT INTO soak_writes (token) VALUES (?)").bind(token).run();
  } catch (e) {
    return dbError(e);
  }
  return new Response(`written ${token}`);
}

// sql runs a hostile statement and answers 200 with its row count, or the
// database's error.
async function sql(env, text, ...params) {
  try {
    const { results } = await env.HYPERDRIVE.prepare(text).bind(...params).all();
    return new Response(`rows ${results.length}`);
  } catch (e) {
    return new Response(`db error ${e && e.code}: ${e && e.message}`, { status: 500 });
  }
}

function sym(obj, description) {
  return Object.getOwnPropertySymbols(obj).find((s) => s.description === description);
}

// tamperHeaders writes value into a Headers object's internal map, past the
// validation of set()/append().
function tamperHeaders(headers, value) {
  const map = headers[sym(headers, "map")];
  if (map && typeof map.set === "function") map.set("x-soak", [value]);
  const flat = sym(headers, "flat");
  if (flat) headers[flat] = undefined;
}

const hostile = {
  // items 1, 2: one allocation far past memory_mb
  "alloc-arraybuffer": () => new Response(String(new ArrayBuffer(2 ** 36).byteLength)),
  "alloc-uint8array": () => new Response(String(new Uint8Array(2 ** 36).length)),
  "alloc-repeat": () => new Response(String("x".repeat(2 ** 36).length)),
  "alloc-8gib": () => new Response(String(new ArrayBuffer(8 * 2 ** 30).byteLength)),
  // item 3: one call of a built-in that runs in Go
  "builtin-fill": () => new Response(String(new Array(3e7).fill(0).length)),
  "builtin-join": () => new Response(String(new Array(3e7).join("x").length)),
  "builtin-sort": () => {
    const a = new Array(2e6);
    for (let i = 0; i < a.length; i++) a[i] = (i * 7919) % 1000003;
    return new Response(String(a.sort().length));
  },
  "builtin-indexof-sparse": () => {
    const a = [];
    a.length = 4e9;
    return new Response(String(a.indexOf(1)));
  },
  // item 4: a big body the route never reads
  "body-ignored": () => new Response("ignored"),
  // item 5: a multi-GB result
  "big-result": (req, env) => sql(env, "SELECT repeat('x', 1000000) FROM generate_series(1, 5000)"),
  // item 6: never settles (the client leaves, or waits for the deadline)
  hang: async () => {
    await never();
    return new Response("unreachable");
  },
  "wait-until-never": (req, env, ctx) => {
    ctx.waitUntil(never());
    return new Response("answered");
  },
  // item 7: a timer left behind
  interval: () => {
    setInterval(() => {}, 5);
    return new Response("armed");
  },
  // cpu_ms: a runaway slice
  spin: () => {
    for (;;) {}
  },
  // item 9: the host's bookkeeping
  "ctx-forge": (req, env, ctx) => {
    for (const k of Reflect.ownKeys(ctx)) {
      try { if (typeof ctx[k] === "number") ctx[k] += 1; } catch {}
    }
    try { ctx._id = (ctx._id | 0) + 1; } catch {}
    try { new ctx.constructor(1, { id: 1, waits: 0, responded: true }).waitUntil(Promise.resolve()); } catch {}
    return new Response("forged");
  },
  spy: (request) => {
    for (const proto of [Object.getPrototypeOf(request), Request.prototype, Headers.prototype]) {
      for (const s of Object.getOwnPropertySymbols(proto).concat(Object.getOwnPropertySymbols(request))) {
        try {
          Object.defineProperty(proto, s, {
            configurable: true,
            set(v) { if (seen.length < 1000) seen.push(String(v)); Object.defineProperty(this, s, { value: v, writable: true, configurable: true }); },
            get() { return undefined; },
          });
        } catch {}
      }
    }
    return new Response("spying");
  },
  seen: () => new Response(seen.join("\n")),
  // item 10
  ip: (request) => new Response(`${request.headers.get("cf-connecting-ip")}|${request.headers.get("x-real-ip")}`),
  // item 12: exceptions whose getters throw, or run past cpu_ms
  "throw-getters": () => {
    throw { get name() { throw new Error("name"); }, get message() { throw new Error("message"); } };
  },
  "throw-proxy": () => {
    throw new Proxy({}, { get() { throw new Error("trap"); } });
  },
  "throw-slow-getter": () => {
    throw { get message() { for (;;) {} } };
  },
  // item 13: a goja panic the script must see as a TypeError
  "tolocalestring": () => {
    try {
      Object.prototype.toLocaleString.call(Object.create(null));
      return new Response("no error");
    } catch (e) {
      return new Response(e.name);
    }
  },
  // item 14
  "typeof-require": () => new Response(typeof require),
  // item 15: the client sends 101 MiB
  upload: () => new Response("accepted"),
  // item 16: a statement that ends its own session
  "pg-terminate-self": (req, env) => sql(env, "SELECT pg_terminate_backend(pg_backend_pid())"),
  // items 17, 20: session state left on a pooled connection
  "set-config": (req, env) => sql(env, "SELECT set_config('search_path', 'soak_evil, public', false)"),
  "set-config-uamp": (req, env) => sql(env, `SELECT U&"set\\005Fconfig"('search_path', 'soak_evil, public', false)`),
  "temp-table": (req, env) => sql(env, "CREATE TEMP TABLE IF NOT EXISTS soak_items AS SELECT 1 AS id, 'evil'::text AS name"),
  "pg-temp-select-into": (req, env) => sql(env, "SELECT 1 AS id, 'evil'::text AS name INTO pg_temp.soak_items"),
  "pg-temp-if-not-exists": (req, env) => sql(env, "CREATE TABLE IF NOT EXISTS pg_temp.soak_items AS SELECT 1 AS id, 'evil'::text AS name"),
  "pg-temp-quoted": (req, env) => sql(env, `CREATE TABLE IF NOT EXISTS "pg_temp".soak_items AS SELECT 1 AS id, 'evil'::text AS name`),
  "pg-temp-sequence": (req, env) => sql(env, "CREATE SEQUENCE IF NOT EXISTS pg_temp.soak_seq"),
  "advisory-lock": (req, env) => sql(env, "SELECT pg_advisory_lock(4242)"),
  "advisory-lock-uamp": (req, env) => sql(env, `SELECT U&"pg\\005Fadvisory\\005Flock"(4243)`),
  // item 19: internals reached through symbols, and invalid values
  "internal-nul": () => {
    const r = new Response("x", { headers: { "x-soak": "1" } });
    tamperHeaders(r.headers, "1\0x-injected: yes");
    return r;
  },
  "internal-crlf": () => {
    const r = new Response("x", { headers: { "x-soak": "1" } });
    tamperHeaders(r.headers, "1\r\nx-injected: yes");
    return r;
  },
  "internal-status": () => {
    const r = new Response("x", { status: 201 });
    r[sym(r, "status")] = 9999;
    return r;
  },
  "status-101": () => new Response(null, { status: 101 }),
  "header-name-space": () => {
    const r = new Response("x");
    const map = r.headers[sym(r.headers, "map")];
    if (map) map.set("x bad name", ["1"]);
    return r;
  },
  "statustext-crlf": () => new Response("x", { statusText: "OK\r\nx-injected: yes" }),
  // item 21
  "console-huge": () => {
    console.log("x".repeat(128 * 2 ** 20));
    return new Response("logged");
  },
  host: (request) => new Response(request.headers.get("host")),
  "proxy-bind": (req, env) => {
    const fake = new Proxy([], { get(t, k) { return k === "length" ? 2 ** 32 - 1 : 1; } });
    return sql(env, "SELECT ?::int[] AS a", fake);
  },
  "cache-file-key": async () => {
    try {
      await caches.default.put("file:///etc/passwd", new Response("x", { headers: { "cache-control": "max-age=60" } }));
      return new Response("stored");
    } catch (e) {
      return new Response(e.name);
    }
  },
};

export default {
  // Not async: "/" answers within the slice that received it, so no
  // interrupt of another request's slice can drop its continuation.
  fetch(request, env, ctx) {
    const url = new URL(request.url);
    const id = url.searchParams.get("id") ?? "";
    switch (url.pathname) {
      case "/":
        return new Response(`ok ${id}`);
      case "/db":
        return readItem(env, id);
      case "/write":
        return write(request, env);
    }
    const route = url.pathname.startsWith("/h/") && hostile[url.pathname.slice(3)];
    if (typeof route === "function" && Object.prototype.hasOwnProperty.call(hostile, url.pathname.slice(3))) return route(request, env, ctx);
    return new Response("no such route", { status: 404 });
  },
};
