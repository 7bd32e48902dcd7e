import { Client } from "pg";

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const id = Number(url.searchParams.get("id"));
    if (url.pathname === "/pg" || url.pathname === "/pg-direct") {
      // /pg: the local Hyperdrive (what production gives a driver); /pg-direct: the origin
      // itself (what wrangler dev gives it), DIRECT_URL being set by the benchmark.
      const connectionString = url.pathname === "/pg" ? env.HYPERDRIVE.connectionString : env.DIRECT_URL;
      const client = new Client({ connectionString });
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
