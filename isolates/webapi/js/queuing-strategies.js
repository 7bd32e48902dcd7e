// ByteLengthQueuingStrategy and CountQueuingStrategy (Streams), as workerd
// has them: highWaterMark and size are prototype getters (size hands out a
// new function each read), the init dictionary is required.

const kHWM = Symbol("highWaterMark");
const strategyInit = (name, init) => {
  if (init === undefined || init === null || typeof init !== "object")
    throw new TypeError(`Failed to construct '${name}': the init dictionary is required.`);
  const h = init.highWaterMark;
  return h === undefined ? undefined : Number(h);
};
class ByteLengthQueuingStrategy {
  constructor(...args) { defineSlot(this, kHWM, { value: strategyInit("ByteLengthQueuingStrategy", args[0]) }); }
  get highWaterMark() { return this[kHWM]; }
  get size() { return (...c) => c[0].byteLength; }
}
class CountQueuingStrategy {
  constructor(...args) { defineSlot(this, kHWM, { value: strategyInit("CountQueuingStrategy", args[0]) }); }
  get highWaterMark() { return this[kHWM]; }
  get size() { return () => 1; }
}
tag(ByteLengthQueuingStrategy, "ByteLengthQueuingStrategy");
tag(CountQueuingStrategy, "CountQueuingStrategy");
define("ByteLengthQueuingStrategy", ByteLengthQueuingStrategy);
define("CountQueuingStrategy", CountQueuingStrategy);
