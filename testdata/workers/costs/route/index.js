export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname !== "/item") return new Response("not found", { status: 404 });
    const id = Number(url.searchParams.get("id"));
    const row = await Promise.resolve({ id, name: "item-" + id });
    return Response.json(row);
  },
};
