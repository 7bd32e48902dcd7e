const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/item": {
        // A cacheable read: the second identical call is a cache hit.
        const id = Number(url.searchParams.get("id"));
        const row = await env.DB.prepare("SELECT ?::int AS id, 'item-' || ?::text AS name").bind(id, id).first();
        return Response.json(row);
      }
      case "/write": {
        const row = await env.DB.prepare("INSERT INTO notes (body) VALUES (?) RETURNING id").bind(url.searchParams.get("body") || "note").first();
        return Response.json(row);
      }
      case "/bad-sql": {
        try {
          await env.DB.prepare("SELECT * FROM no_such_table").all();
          return new Response("unexpectedly worked", { status: 500 });
        } catch (e) {
          return new Response(`query failed: ${e.code}`);
        }
      }
      case "/slow": {
        // The bound value is a secret: the slow-query log must not show it.
        const secret = await request.text();
        await env.DB.prepare("SELECT pg_sleep(0.2), ?::text AS secret").bind(secret).run();
        return new Response("slept");
      }
      case "/timer": {
        const id = url.searchParams.get("id");
        await sleep(Number(url.searchParams.get("ms") || 500));
        ctx.waitUntil(sleep(200).then(() => console.log(`waitUntil done ${id}`)));
        return new Response(`done ${id}`);
      }
      case "/connection-string":
        // The local Hyperdrive's URL, for tests that connect a pg client to it.
        return new Response(env.DB.connectionString);
      case "/console":
        console.log(`hello from handler ${url.searchParams.get("id")}`);
        return new Response("logged");
      case "/fail":
        throw new Error("boom");
      default:
        return new Response("not found", { status: 404 });
    }
  },
};
