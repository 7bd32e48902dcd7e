// The fleet test's worker: KV put/get, an acknowledged write, a cached
// read and its update, R2 on a shared S3 bucket, and a cron that records
// each tick.

// What the test compares of an R2 object across instances.
function describe(o) {
  return {
    key: o.key, size: o.size, etag: o.etag, httpEtag: o.httpEtag, version: o.version,
    uploaded: o.uploaded.toISOString(), httpMetadata: o.httpMetadata, customMetadata: o.customMetadata,
    range: o.range,
  };
}

// customMetadata from the request's x-meta-<name> headers.
function customMetadata(request) {
  const out = {};
  for (const [name, value] of request.headers) if (name.startsWith("x-meta-")) out[name.slice("x-meta-".length)] = value;
  return out;
}

// R2 routes; every answer names the instance that gave it (x-instance), so
// the test sees that HAProxy sent it where it was pinned.
async function r2(request, env, url) {
  const path = url.pathname;
  const q = url.searchParams;
  if (path === "/r2-list") {
    const res = await env.MEDIA.list({ prefix: q.get("prefix") ?? undefined, delimiter: q.get("delimiter") ?? undefined,
      include: ["httpMetadata", "customMetadata"] });
    return Response.json({ objects: res.objects.map(describe), delimitedPrefixes: res.delimitedPrefixes, truncated: res.truncated });
  }
  if (path.startsWith("/r2-refused/")) {
    // Credentials the service refuses: the error reaches the log (500).
    await env.REFUSED.head(path.slice("/r2-refused/".length));
    return new Response("the refused bucket answered");
  }
  if (path.startsWith("/r2-multipart/")) {
    const key = path.slice("/r2-multipart/".length);
    if (request.method === "POST" && !q.has("uploadId")) {
      const up = await env.MEDIA.createMultipartUpload(key, { httpMetadata: request.headers, customMetadata: customMetadata(request) });
      return Response.json({ key: up.key, uploadId: up.uploadId });
    }
    const up = env.MEDIA.resumeMultipartUpload(key, q.get("uploadId"));
    if (request.method === "PUT") return Response.json(await up.uploadPart(Number(q.get("part")), request.body));
    return Response.json(describe(await up.complete(await request.json())));
  }
  const key = path.slice("/r2/".length);
  if (request.method === "PUT") {
    const onlyIf = {};
    if (q.has("etagMatches")) onlyIf.etagMatches = q.get("etagMatches");
    if (q.has("etagDoesNotMatch")) onlyIf.etagDoesNotMatch = q.get("etagDoesNotMatch");
    const o = await env.MEDIA.put(key, request.body, { httpMetadata: request.headers, customMetadata: customMetadata(request), onlyIf });
    return o === null ? Response.json(null, { status: 412 }) : Response.json(describe(o));
  }
  let range;
  if (q.has("suffix")) range = { suffix: Number(q.get("suffix")) };
  else if (q.has("offset")) range = { offset: Number(q.get("offset")), length: Number(q.get("length")) };
  const o = await env.MEDIA.get(key, { range });
  if (o === null) return new Response("missing", { status: 404 });
  const headers = new Headers({ "x-r2-object": JSON.stringify(describe(o)) });
  o.writeHttpMetadata(headers);
  return new Response(o.body, { headers });
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path.startsWith("/r2")) {
      const res = await r2(request, env, url);
      res.headers.set("x-instance", env.INSTANCE);
      return res;
    }
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
