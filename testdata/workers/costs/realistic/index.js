export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname !== "/item") return new Response("not found", { status: 404 });
    return new Response("Hello World!", { headers: { "content-type": "text/plain" } });
  },
};
