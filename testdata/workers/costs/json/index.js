export default {
  fetch() {
    return Response.json({ id: 5, name: "item-5" });
  },
};
