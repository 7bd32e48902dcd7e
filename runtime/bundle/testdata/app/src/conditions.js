// Which build of a package the bundler picks (conditions_test.go).
import a from "pick-condition";
import b from "pick-worker";
import c from "pick-browser";
export default [a, b, c].join(" ");
