export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/item": {
        const id = Number(url.searchParams.get("id"));
        const row = await env.HYPERDRIVE.prepare("SELECT id, name FROM items WHERE id = ?").bind(id).first();
        return row ? Response.json(row) : new Response("missing", { status: 404 });
      }
      case "/write": {
        const token = url.searchParams.get("token");
        const row = await env.HYPERDRIVE.prepare("INSERT INTO writes (token) VALUES (?) RETURNING id").bind(token).first();
        return Response.json(row);
      }
      case "/sleep": {
        await env.HYPERDRIVE.prepare("SELECT pg_sleep(?)").bind(Number(url.searchParams.get("s") || 1)).run();
        return new Response("slept");
      }
      default:
        return new Response("not found", { status: 404 });
    }
  },
};
