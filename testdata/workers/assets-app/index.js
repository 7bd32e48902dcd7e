// Static files in public/, an API under /api/ that runs first.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/api/hello") return Response.json({ hello: "world" });
    if (url.pathname === "/api/style") {
      // The worker hands a request on to the assets.
      const asset = await env.ASSETS.fetch(new URL("/style.css", request.url));
      return new Response(`${asset.status} ${asset.headers.get("content-type")} ${await asset.text()}`);
    }
    if (url.pathname === "/api/missing") {
      const r = await env.ASSETS.fetch(new Request(new URL("/no/such.png", request.url)));
      return new Response(`${r.status} ${(await r.text()).slice(0, 15)}`);
    }
    return new Response(`worker: ${request.method} ${url.pathname}`);
  },
};
