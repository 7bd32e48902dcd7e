// Which build of a package the bundler picks (conditions_test.go).
import a from "pick-condition";
import b from "pick-worker";
import c from "pick-browser";
import d from "pick-kind";
// A require() gets the CommonJS build, as pg's require("pg-pool") must
// (its import build is a different module object).
const e = require("pick-kind");
export default [a, b, c, d, typeof e === "function" ? e() : typeof e].join(" ");
