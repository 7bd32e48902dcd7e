let hits = 0; // module state survives across requests in one isolate

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    hits++;
    switch (url.pathname) {
      case "/":
        return new Response(`${env.GREETING} from module`);
      case "/env":
        return Response.json({
          greeting: env.GREETING,
          limits: env.LIMITS,
          token: env.API_TOKEN,
          cli: env.FROM_CLI ?? null,
        });
      case "/echo": {
        const body = request.method === "GET" ? null : await request.text();
        return Response.json({
          method: request.method,
          url: request.url,
          search: url.searchParams.get("q"),
          contentType: request.headers.get("content-type"),
          custom: request.headers.get("X-Custom"),
          body,
          cf: typeof request.cf === "object" && request.cf !== null,
          ip: request.headers.get("cf-connecting-ip"),
        });
      }
      case "/json":
        return Response.json({ got: await request.json() });
      case "/form": {
        const form = await request.formData();
        return Response.json(Object.fromEntries(form));
      }
      case "/bytes": {
        const buf = await request.arrayBuffer();
        return new Response(new Uint8Array(buf).reverse(), { headers: { "content-type": "application/octet-stream" } });
      }
      case "/headers": {
        const h = new Headers({ "X-One": "1" });
        h.append("Set-Cookie", "a=1");
        h.append("Set-Cookie", "b=2");
        return new Response("ok", { status: 201, statusText: "Made", headers: h });
      }
      case "/redirect":
        return Response.redirect("https://example.com/next", 301);
      case "/wait-until": {
        ctx.waitUntil(new Promise((r) => setTimeout(r, 10)).then(() => { globalThis.afterResponse = (globalThis.afterResponse || 0) + 1; }));
        return new Response("queued");
      }
      case "/after":
        return new Response(String(globalThis.afterResponse || 0));
      case "/not-a-response":
        return "just a string";
      case "/throw":
        throw new Error("boom from handler");
      case "/reject":
        await Promise.resolve();
        throw new TypeError("async boom");
      case "/console":
        console.log("logged", { a: 1, nested: { b: [1, 2] } });
        return new Response("logged");
      case "/hits":
        return new Response(String(hits));
      default:
        return new Response("not found", { status: 404 });
    }
  },
};
