import { Client } from "pg";

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const id = Number(url.searchParams.get("id"));
    if (url.pathname === "/pg" || url.pathname === "/pg-ssl" || url.pathname === "/pg-direct") {
      // /pg: the local Hyperdrive (what production gives a driver); /pg-ssl: the same with
      // the binding's properties and `ssl: true`, as Cloudflare's examples also have it;
      // /pg-direct: the origin itself (what wrangler dev gives it), DIRECT_URL being set by
      // the benchmark.
      const h = env.HYPERDRIVE;
      const client = new Client(
        url.pathname === "/pg-ssl"
          ? { host: h.host, port: h.port, user: h.user, password: h.password, database: h.database, ssl: true }
          : { connectionString: url.pathname === "/pg" ? h.connectionString : env.DIRECT_URL },
      );
      await client.connect();
      try {
        const { rows } = await client.query("SELECT id, name, email FROM users WHERE id = $1", [id]);
        return Response.json(rows[0] ?? null);
      } finally {
        ctx.waitUntil(client.end());
      }
    }
    if (url.pathname === "/prepare") {
      const row = await env.HYPERDRIVE.prepare("SELECT id, name, email FROM users WHERE id = $1").bind(id).first();
      return Response.json(row);
    }
    return new Response("not found", { status: 404 });
  },
};
