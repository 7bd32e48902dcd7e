// A CommonJS module: esbuild runs it inside its __commonJS wrapper.
if (MODE === "cjs") {
  throw new TypeError("legacy module cannot start");
}
module.exports = 1;
