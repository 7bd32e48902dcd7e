// Probes for ways out of the sandbox; runtime/limits_test.go checks what it
// reports.
function probe(name, fn) {
  try {
    const v = fn();
    return [name, typeof v === "function" ? "function" : String(v)];
  } catch (e) {
    return [name, "threw " + (e && e.name)];
  }
}

// Global lookups from a function made at run time, outside the bundle's
// scope (esbuild shims `require` inside the bundle).
const fromOutside = (name) => (function () {}).constructor(`return typeof ${name}`)();

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/globals") {
      return Response.json(Object.getOwnPropertyNames(globalThis).sort());
    }
    const probes = Object.fromEntries([
      ...["require", "process", "module", "Deno", "Bun", "global", "__dirname", "importScripts", "GoError", "exports"]
        .map((name) => probe(name, () => fromOutside(name))),
      probe("dynamic require", () => require(["f", "s"].join(""))),
      probe("Function-this is globalThis", () => (function () {}).constructor("return this")() === globalThis),
      probe("indirect eval this is globalThis", () => (0, eval)("this") === globalThis),
      probe("generator Function-this is globalThis", () =>
        Object.getPrototypeOf(function* () {}).constructor("yield this")().next().value === globalThis),
      probe("Function sees require", () => fromOutside("require")),
      probe("Function sees process", () => fromOutside("process")),
      probe("bundle exports after setup", () => typeof globalThis.__edgerun_module),
      probe("env keys", () => Object.keys(env).sort().join(",")),
      probe("Go names on Response", () =>
        Object.getOwnPropertyNames(Response).concat(Object.getOwnPropertyNames(Response.prototype))
          .filter((k) => /native|^go|Go[A-Z]/.test(k)).join(",") || "none"),
      probe("timers are native", () => String(setTimeout).includes("[native code]")),
    ]);
    return Response.json(probes);
  },
};
