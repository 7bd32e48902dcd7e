// A counter per session in KV, a flag namespace without an id, and files in R2.
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
    if (url.pathname.startsWith("/files/")) {
      const key = url.pathname.slice("/files/".length);
      if (request.method === "PUT") {
        const o = await env.UPLOADS.put(key, request.body, { httpMetadata: request.headers });
        return Response.json({ key: o.key, size: o.size, etag: o.etag });
      }
      const o = await env.UPLOADS.get(key, { range: request.headers });
      if (o === null) return new Response("no such file", { status: 404 });
      const headers = new Headers({ etag: o.httpEtag });
      o.writeHttpMetadata(headers);
      if (!o.range) return new Response(o.body, { headers });
      headers.set("content-range", `bytes ${o.range.offset}-${o.range.offset + o.range.length - 1}/${o.size}`);
      return new Response(o.body, { status: 206, headers });
    }
    return new Response("not found", { status: 404 });
  },
};
