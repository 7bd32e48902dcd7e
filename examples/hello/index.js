// The smallest worker: what the throughput benchmark serves.
export default {
  fetch() {
    return new Response("Hello World!");
  },
};
