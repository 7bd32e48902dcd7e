export default {
  async fetch() {
    await Promise.resolve(5);
    return new Response("Hello World!");
  },
};
