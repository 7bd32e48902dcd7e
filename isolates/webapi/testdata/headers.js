test("case-insensitive get/set/has/delete", () => {
  const h = new Headers({ "Content-Type": "text/plain" });
  eq(h.get("content-type"), "text/plain");
  eq(h.get("CONTENT-TYPE"), "text/plain");
  ok(h.has("Content-type"));
  h.set("X-A", "1");
  h.delete("content-type");
  eq(h.has("content-type"), false);
  eq(h.get("missing"), null);
});
test("append joins values, iteration sorted and lower-cased", () => {
  const h = new Headers([["B", "2"], ["a", "1"]]);
  h.append("b", "3");
  eq([...h], [["a", "1"], ["b", "2, 3"]]);
  eq([...h.keys()], ["a", "b"]);
  eq([...h.values()], ["1", "2, 3"]);
  const seen = [];
  h.forEach((v, k) => seen.push(k + "=" + v));
  eq(seen, ["a=1", "b=2, 3"]);
});
test("set-cookie stays separate", () => {
  const h = new Headers();
  h.append("Set-Cookie", "a=1");
  h.append("Set-Cookie", "b=2");
  eq(h.getSetCookie(), ["a=1", "b=2"]);
  eq(h.get("set-cookie"), "a=1, b=2");
  eq([...h].filter(([k]) => k === "set-cookie").length, 2);
});
test("values trimmed, invalid names and values rejected", () => {
  const h = new Headers();
  h.set("x", "  padded \t");
  eq(h.get("x"), "padded");
  throws(() => h.set("bad name", "v"), TypeError);
  throws(() => h.set("x", "a\r\nb"), TypeError);
  throws(() => new Headers([["only-one"]]), TypeError);
});
test("copy constructor is independent", () => {
  const a = new Headers({ x: "1" });
  const b = new Headers(a);
  b.set("x", "2");
  eq(a.get("x"), "1");
  eq(Object.prototype.toString.call(a), "[object Headers]");
});
