// The harness itself: how answers are recorded.

export const probes = {
  "harness: values": () => ({ n: 1, s: "x", u: undefined, big: 10n, nan: NaN, arr: [1, "a"] }),
  "harness: bytes": () => new Uint8Array([1, 2, 255]),
  "harness: throws": () => { throw new TypeError("x"); },
};
