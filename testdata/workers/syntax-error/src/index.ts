export default {
  fetch(request: Request): Response {
    const x: number = 1;
    return new Response(x +);
  },
};
