// URLSearchParams on its own: construction, methods, serialisation,
// iteration and errors.

function pairs(sp) { return [...sp]; }

// Construction from a string: a leading "?" is dropped, '+' is a space,
// percent-escapes are decoded (a decoded '+' stays a '+').
{
	const sp = new URLSearchParams("?a=b+c&a=%2B&empty=&noeq&&=v&%zz=%C3");
	assert.deepEqual(pairs(sp), [["a", "b c"], ["a", "+"], ["empty", ""], ["noeq", ""], ["", "v"], ["%zz", "\uFFFD"]]);
	assert.deepEqual(pairs(new URLSearchParams("??a=1")), [["?a", "1"]], "only one ? is stripped");
	assert.sameValue(new URLSearchParams().size, 0, "no argument");
	assert.sameValue(new URLSearchParams(undefined).size, 0, "undefined");
	assert.deepEqual(pairs(new URLSearchParams(null)), [["null", ""]], "null is a string");
	assert.deepEqual(pairs(new URLSearchParams(42)), [["42", ""]], "numbers are strings");
	assert.deepEqual(pairs(new URLSearchParams("a=%E2%82")), [["a", "\uFFFD"]], "one U+FFFD per truncated sequence");
}

// From a record.
{
	const sp = new URLSearchParams({ a: "1", b: 2, "c d": "e&f" });
	assert.deepEqual(pairs(sp), [["a", "1"], ["b", "2"], ["c d", "e&f"]]);
	assert.sameValue(sp.toString(), "a=1&b=2&c+d=e%26f");
	const proto = Object.create({ inherited: "x" });
	proto.own = "y";
	assert.deepEqual(pairs(new URLSearchParams(proto)), [["own", "y"]], "only own enumerable keys");
}

// From sequences and other iterables.
{
	assert.deepEqual(pairs(new URLSearchParams([["a", "1"], ["a", "2"], ["b", 3]])), [["a", "1"], ["a", "2"], ["b", "3"]]);
	assert.deepEqual(pairs(new URLSearchParams(new Map([["m", "1"]]))), [["m", "1"]], "a Map");
	function* gen() { yield ["g", "1"]; yield new Set(["h", "2"]); }
	assert.deepEqual(pairs(new URLSearchParams(gen())), [["g", "1"], ["h", "2"]], "a generator of iterables");
	const headersLike = {
		*[Symbol.iterator]() { yield ["content-type", "text/plain"]; yield ["x-a", "b"]; },
	};
	assert.deepEqual(pairs(new URLSearchParams(headersLike)), [["content-type", "text/plain"], ["x-a", "b"]], "Headers-like");
	const orig = new URLSearchParams("a=1&b=2");
	const copy = new URLSearchParams(orig);
	copy.append("c", "3");
	assert.sameValue(orig.toString(), "a=1&b=2", "a copy does not share the list");
	assert.sameValue(copy.toString(), "a=1&b=2&c=3");
	const fromURL = new URLSearchParams(new URL("https://a.example/?u=1").searchParams);
	assert.deepEqual(pairs(fromURL), [["u", "1"]], "from url.searchParams");
}

// Bad sequences.
{
	const msg = "Failed to construct 'URLSearchParams': Sequence initializer must only contain pair elements";
	assert.throws(TypeError, () => new URLSearchParams([["a"]]), "one element", msg);
	assert.throws(TypeError, () => new URLSearchParams([["a", "b", "c"]]), "three elements", msg);
	assert.throws(TypeError, () => new URLSearchParams(["ab"]), "a string is not a pair", msg);
	assert.throws(TypeError, () => new URLSearchParams([1]), "a number is not a pair", msg);
	assert.throws(TypeError, () => new URLSearchParams([{}]), "a non-iterable object is not a pair", msg);
	assert.throws(TypeError, () => new URLSearchParams({ [Symbol.iterator]: 1 }), "non-callable @@iterator");
	const boom = { *[Symbol.iterator]() { throw new RangeError("boom"); } };
	assert.throws(RangeError, () => new URLSearchParams(boom), "iterator errors propagate", "boom");
}

// Methods.
{
	const sp = new URLSearchParams("a=1&b=2&a=3&c=4&a=5");
	assert.sameValue(sp.get("a"), "1");
	assert.sameValue(sp.get("zzz"), null);
	assert.deepEqual(sp.getAll("a"), ["1", "3", "5"]);
	assert(Array.isArray(sp.getAll("none")) && sp.getAll("none").length === 0, "getAll of nothing is []");
	assert.sameValue(sp.has("b"), true);
	assert.sameValue(sp.has("a", "3"), true, "has with value");
	assert.sameValue(sp.has("a", "4"), false, "has with another value");
	assert.sameValue(sp.has("a", undefined), true, "undefined value means no value");
	sp.delete("a", "3");
	assert.deepEqual(sp.getAll("a"), ["1", "5"], "delete with value");
	sp.set("a", "x");
	assert.sameValue(sp.toString(), "a=x&b=2&c=4", "set replaces the first and removes the rest");
	sp.set("d", "y");
	assert.sameValue(sp.toString(), "a=x&b=2&c=4&d=y", "set appends a new name");
	sp.delete("b");
	assert.sameValue(sp.toString(), "a=x&c=4&d=y");
	assert.sameValue(sp.size, 3, "size");
	sp.append("null", null);
	assert.sameValue(sp.get("null"), "null", "values are strings");
}

// Missing arguments and brand checks.
{
	const sp = new URLSearchParams();
	assert.throws(TypeError, () => sp.append("a"), "append with one argument",
		"Failed to execute 'append' on 'URLSearchParams': 2 arguments required, but only 1 present.");
	assert.throws(TypeError, () => sp.get(), "get without arguments",
		"Failed to execute 'get' on 'URLSearchParams': 1 argument required, but only 0 present.");
	assert.throws(TypeError, () => sp.set("a"), "set with one argument");
	assert.throws(TypeError, () => sp.forEach(1), "forEach needs a function");
	assert.throws(TypeError, () => URLSearchParams.prototype.get.call({}, "a"), "brand check", "Illegal invocation");
	assert.throws(TypeError, () => URLSearchParams.prototype.get.call(new URL("https://a.example/"), "a"), "brand check on a URL", "Illegal invocation");
}

// The application/x-www-form-urlencoded serialiser.
{
	const sp = new URLSearchParams();
	sp.append("a b", "c d");
	sp.append("*-._", "!'()~");
	sp.append("+&=", "\u00e9\u20ac\ud83d\udca9");
	sp.append("lone", "\ud83d");
	sp.append("nul", "\0");
	assert.sameValue(sp.toString(),
		"a+b=c+d&*-._=%21%27%28%29%7E&%2B%26%3D=%C3%A9%E2%82%AC%F0%9F%92%A9&lone=%EF%BF%BD&nul=%00");
	assert.sameValue(String(new URLSearchParams("a=")), "a=", "empty values keep their =");
	const back = new URLSearchParams(sp.toString());
	assert.deepEqual(pairs(back), pairs(sp), "parse(serialise(x)) is x");
}

// sort: by UTF-16 code units, stable.
{
	function sorted(s) { const sp = new URLSearchParams(s); sp.sort(); return pairs(sp); }
	assert.deepEqual(sorted("z=b&a=b&z=a&a=a"), [["a", "b"], ["a", "a"], ["z", "b"], ["z", "a"]]);
	assert.deepEqual(sorted("\uFFFD=x&\uFFFC&\uFFFD=a"), [["\uFFFC", ""], ["\uFFFD", "x"], ["\uFFFD", "a"]]);
	assert.deepEqual(sorted("\uFB03&\uD83C\uDF08"), [["\uD83C\uDF08", ""], ["\uFB03", ""]], "surrogates sort before U+FB03");
	assert.deepEqual(sorted("\u00e9&e\uFFFD&e\u0301"), [["e\u0301", ""], ["e\uFFFD", ""], ["\u00e9", ""]]);
	const many = "z=z&a=a&z=y&a=b&z=x&a=c&z=w&a=d&z=v&a=e&z=u&a=f&z=t&a=g";
	assert.deepEqual(sorted(many).map(p => p[1]).join(""), "abcdefgzyxwvut", "stable");
}

// forEach and iteration.
{
	const sp = new URLSearchParams("a=1&b=2");
	const seen = [];
	const self = {};
	sp.forEach(function (value, key, obj) { seen.push([key, value, obj === sp, this === self]); }, self);
	assert.deepEqual(seen, [["a", "1", true, true], ["b", "2", true, true]], "forEach arguments and thisArg");

	assert.deepEqual([...sp.keys()], ["a", "b"], "keys");
	assert.deepEqual([...sp.values()], ["1", "2"], "values");
	assert.deepEqual([...sp.entries()], [["a", "1"], ["b", "2"]], "entries");
	assert.sameValue(URLSearchParams.prototype[Symbol.iterator], URLSearchParams.prototype.entries, "@@iterator is entries");
	assert.deepEqual(Object.fromEntries(sp), { a: "1", b: "2" }, "Object.fromEntries");
	const out = [];
	for (const [k, v] of sp) out.push(k + v);
	assert.deepEqual(out, ["a1", "b2"], "for-of");

	const it = sp.keys();
	assert.sameValue(Object.prototype.toString.call(it), "[object URLSearchParams Iterator]");
	assert.sameValue(it[Symbol.iterator](), it, "iterators are iterable");
	assert.deepEqual(it.next(), { value: "a", done: false });
	sp.append("c", "3");
	assert.deepEqual(it.next(), { value: "b", done: false }, "live iteration");
	assert.deepEqual(it.next(), { value: "c", done: false }, "sees appended pairs");
	assert.deepEqual(it.next(), { done: true }, "then done (value undefined)");
	assert.sameValue(it.next().value, undefined);

	// Deleting while iterating shifts the remaining pairs, as in browsers.
	const d = new URLSearchParams("a=1&b=2&c=3&d=4");
	const visited = [];
	d.forEach((v, k) => { visited.push(k); if (k === "a") d.delete("b"); });
	assert.deepEqual(visited, ["a", "c", "d"]);
}

// Class shape.
{
	const sp = new URLSearchParams("a=1");
	assert(sp instanceof URLSearchParams, "instanceof");
	assert.sameValue(Object.prototype.toString.call(sp), "[object URLSearchParams]");
	assert.deepEqual(Object.keys(sp), [], "no own keys");
	assert.sameValue(JSON.stringify(sp), "{}", "like browsers, JSON has no fields");
	assert.sameValue(URLSearchParams.name, "URLSearchParams");
	assert.sameValue(URLSearchParams.length, 0);
	const size = Object.getOwnPropertyDescriptor(URLSearchParams.prototype, "size");
	assert.sameValue(typeof size.get, "function");
	assert.sameValue(size.set, undefined, "size is read-only");
	class Sub extends URLSearchParams {}
	const s = new Sub("x=1");
	assert(s instanceof Sub && s instanceof URLSearchParams, "subclass");
	assert.sameValue(s.get("x"), "1");
}

// Iterators do not depend on globals a script may have replaced (the
// iterator prototype is found once, before any script runs).
{
	const saved = Object.getPrototypeOf;
	Object.getPrototypeOf = () => 5;
	try {
		const it = new URLSearchParams("a=1&b=2").keys();
		assert.deepEqual([it.next().value, it.next().value, it.next().done], ["a", "b", true]);
	} finally {
		Object.getPrototypeOf = saved;
	}
	const it = new URLSearchParams("a=1").entries();
	assert.sameValue(typeof it[Symbol.iterator], "function", "an iterator is iterable");
	assert.sameValue(it[Symbol.iterator](), it, "and is its own iterator");
}
