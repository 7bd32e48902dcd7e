// performance: workerd's, whose timeOrigin is 0 so that now() is Date.now()
// (Workers keep the clock coarse: it moves with I/O, not within a slice of
// computation). Libraries time queries with it (postgres.js).

class Performance extends EventTarget {
  constructor(token) {
    if (token !== performanceToken) throw new TypeError("Illegal constructor");
    super();
  }
  get timeOrigin() { return 0; }
  now() { return dateNow(); }
  toJSON() { return { timeOrigin: 0 }; }
}
const performanceToken = Symbol("Performance");
const dateNow = Date.now;
tag(Performance, "Performance");
define("Performance", Performance);
define("performance", new Performance(performanceToken));
