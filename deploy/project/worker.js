// The example worker: one query through env.HYPERDRIVE, so a request proves
// the pod reached the database the Secret names.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname !== "/") {
      return new Response("not found\n", { status: 404 });
    }
    const row = await env.HYPERDRIVE
      .prepare("SELECT current_database() AS database, ?::int + 1 AS answer")
      .bind(41)
      .first();
    return Response.json({ hello: "from edgerun", ...row });
  },
};
