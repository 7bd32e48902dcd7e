// Top-level code that throws in the ways real projects do, chosen by the
// MODE global the test sets before running the bundle.
import { check } from "./util";
import legacy from "./legacy.cjs";

declare const MODE: string;
const loaded: number = check(MODE) + legacy;

export default {
  fetch(): Response {
    return new Response(String(loaded));
  },
};
