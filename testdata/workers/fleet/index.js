// The fleet test's worker: KV put/get, an acknowledged write, a cached
// read and its update, and a cron that records each tick.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path.startsWith("/kv/")) {
      const key = path.slice("/kv/".length);
      if (request.method === "PUT") {
        await env.KV.put(key, await request.text());
        return new Response("stored");
      }
      const value = await env.KV.get(key);
      return value === null ? new Response("missing", { status: 404 }) : new Response(value);
    }
    if (path === "/write") {
      // 200 only once the row is committed: an acknowledged write.
      const id = url.searchParams.get("id");
      await env.HYPERDRIVE.prepare("INSERT INTO writes (id, instance) VALUES (?, ?)").bind(id, env.INSTANCE).run();
      return Response.json({ id, instance: env.INSTANCE });
    }
    if (path === "/item") {
      const id = Number(url.searchParams.get("id"));
      if (request.method === "PUT") {
        await env.HYPERDRIVE.prepare("UPDATE items SET v = ? WHERE id = ?").bind(await request.text(), id).run();
        return new Response("updated");
      }
      const { results, meta } = await env.HYPERDRIVE.prepare("SELECT v FROM items WHERE id = ?").bind(id).all();
      return Response.json({ v: results.length ? results[0].v : null, cached: meta.cached, instance: env.INSTANCE });
    }
    return new Response(env.INSTANCE);
  },
  async scheduled(controller, env) {
    await env.HYPERDRIVE.prepare("INSERT INTO ticks (instance, scheduled_at) VALUES (?, ?)")
      .bind(env.INSTANCE, new Date(controller.scheduledTime))
      .run();
  },
};
