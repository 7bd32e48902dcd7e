const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export default {
  async fetch(request) {
    const id = new URL(request.url).searchParams.get("id");
    await sleep(5 + (Number(id) % 7));
    await null;
    return new Response(`id=${id}`);
  },
};
