// A counter per session in KV, and a flag namespace without an id.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const id = url.searchParams.get("id") ?? "anon";
    if (url.pathname === "/visit") {
      const n = Number((await env.SESSIONS.get(`visits:${id}`)) ?? 0) + 1;
      await env.SESSIONS.put(`visits:${id}`, String(n), { metadata: { last: url.pathname } });
      return Response.json({ id, visits: n });
    }
    if (url.pathname === "/sessions") {
      const { keys } = await env.SESSIONS.list({ prefix: "visits:" });
      return Response.json(keys);
    }
    if (url.pathname === "/flag") {
      if (request.method === "PUT") await env.FLAGS.put("beta", await request.text());
      return new Response(await env.FLAGS.get("beta"));
    }
    return new Response("not found", { status: 404 });
  },
};
