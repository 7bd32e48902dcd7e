// queueMicrotask.

define("queueMicrotask", (fn) => {
  if (typeof fn !== "function") throw new TypeError("The callback provided as parameter 1 is not a function.");
  Promise.resolve().then(() => {
    try { fn(); } catch (e) { native.print("error", "Uncaught " + inspect(e, 0, [], true)); }
  });
});
