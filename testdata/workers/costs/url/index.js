export default {
  fetch(request) {
    const url = new URL(request.url);
    if (url.pathname !== "/item" || url.searchParams.get("id") === null) return new Response("not found", { status: 404 });
    return new Response("Hello World!");
  },
};
