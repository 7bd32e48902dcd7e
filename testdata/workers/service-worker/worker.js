addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.pathname === "/later") {
    event.respondWith(new Promise((resolve) => setTimeout(() => resolve(new Response("later " + WHO)), 5)));
    return;
  }
  event.respondWith(new Response("hello from " + WHO + " " + event.request.method));
});
