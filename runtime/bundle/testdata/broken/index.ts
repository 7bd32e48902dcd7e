const ok: number = 1;
export default {
  fetch() {
    return ok +;
  },
};
