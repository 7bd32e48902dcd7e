// Response's default statusText and the other small answers issue #14 lists.
export const probes = {
  "statusText: 200": () => new Response("x").statusText,
  "statusText: 204": () => new Response(null, { status: 204 }).statusText,
  "statusText: 404": () => new Response("x", { status: 404 }).statusText,
  "statusText: given": () => new Response("x", { status: 200, statusText: "Fine" }).statusText,
  "performance.timeOrigin": () => performance.timeOrigin,
  "navigator.userAgent": () => navigator.userAgent,
  "Date: timezone offset": () => new Date(2020, 6, 1).getTimezoneOffset(),
};
