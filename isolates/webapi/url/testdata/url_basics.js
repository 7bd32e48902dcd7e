// Construction, getters, statics, errors and the shape of the class.

{
	const u = new URL("https://user:pa%20ss@Example.COM:8080/a/./b/../c?x=1&y=%20#frag");
	assert.sameValue(u.href, "https://user:pa%20ss@example.com:8080/a/c?x=1&y=%20#frag", "href");
	assert.sameValue(u.origin, "https://example.com:8080", "origin");
	assert.sameValue(u.protocol, "https:", "protocol");
	assert.sameValue(u.username, "user", "username");
	assert.sameValue(u.password, "pa%20ss", "password");
	assert.sameValue(u.host, "example.com:8080", "host");
	assert.sameValue(u.hostname, "example.com", "hostname");
	assert.sameValue(u.port, "8080", "port");
	assert.sameValue(u.pathname, "/a/c", "pathname");
	assert.sameValue(u.search, "?x=1&y=%20", "search");
	assert.sameValue(u.hash, "#frag", "hash");
	assert.sameValue(u.searchParams.get("y"), " ", "searchParams");
}

// The request.url shape, and its normalisations.
assert.sameValue(new URL("http://localhost:8787/api?id=7").pathname, "/api");
assert.sameValue(new URL("http://localhost:80/").href, "http://localhost/", "default port dropped");
assert.sameValue(new URL("HTTP://EXAMPLE.com").href, "http://example.com/", "scheme and host lowercased, path added");
assert.sameValue(new URL("https://example.com:0443/").port, "", "443 with a leading zero is the default");

// Relative references against a base, given as a string or a URL.
assert.sameValue(new URL("../d?q", "https://a.example/b/c/").href, "https://a.example/b/d?q");
assert.sameValue(new URL("//other.example/x", new URL("https://a.example/")).href, "https://other.example/x");
assert.sameValue(new URL("?q=1", "https://a.example/p").href, "https://a.example/p?q=1");

// An invalid base fails even when the input is absolute.
assert.throws(TypeError, () => new URL("https://abs.example/", "not a url"), "invalid base", "Invalid URL string.");
assert.throws(TypeError, () => new URL("/relative"), "relative without base", "Invalid URL string.");
assert.throws(TypeError, () => new URL("https://exa mple.com/"), "space in host", "Invalid URL string.");
assert.throws(TypeError, () => new URL("http://[::1/"), "unclosed IPv6", "Invalid URL string.");
assert.throws(TypeError, () => new URL("http://[::[]/"), "bracket inside IPv6", "Invalid URL string.");
assert.throws(TypeError, () => new URL(), "no argument");
// undefined base means no base; null is the string "null".
assert.sameValue(new URL("https://a.example/", undefined).href, "https://a.example/");
assert.throws(TypeError, () => new URL("/x", null), "null base");

// Hosts: IDNA, IPv4 forms, IPv6.
assert.sameValue(new URL("https://Bücher.example/").hostname, "xn--bcher-kva.example", "IDNA");
assert.sameValue(new URL("http://0x7f.1/").hostname, "127.0.0.1", "IPv4 shorthand");
assert.sameValue(new URL("http://[0:0::1]:81/").host, "[::1]:81", "IPv6");
assert.sameValue(new URL("http://XN--pokxncvks.example/").hostname, "xn--pokxncvks.example", "ASCII xn-- labels are only lowercased");

// Non-special and opaque URLs.
{
	const u = new URL("mailto:someone@example.com?subject=hi");
	assert.sameValue(u.pathname, "someone@example.com");
	assert.sameValue(u.origin, "null");
	assert.sameValue(u.host, "");
	const d = new URL("data:text/plain,a b ?q");
	assert.sameValue(d.pathname, "text/plain,a b%20", "an opaque path's last space before ? is encoded");
}
assert.sameValue(new URL("blob:https://a.example:444/uuid").origin, "https://a.example:444", "blob origin");
assert.sameValue(new URL("file:///C:/x").origin, "null", "file origin");

// Inputs are converted with ToString.
assert.sameValue(new URL({ toString() { return "https://obj.example/"; } }).host, "obj.example");
assert.throws(TypeError, () => new URL(Symbol("x")), "symbol input");

// Statics.
assert.sameValue(URL.canParse("https://a.example/"), true);
assert.sameValue(URL.canParse("/x"), false);
assert.sameValue(URL.canParse("/x", "https://a.example/"), true);
assert.sameValue(URL.parse("nope"), null);
assert(URL.parse("/x", "https://a.example/") instanceof URL, "URL.parse returns a URL");
assert.sameValue(URL.parse("/x", "https://a.example/").href, "https://a.example/x");
assert.throws(TypeError, () => URL.canParse(), "canParse without arguments");

// Serialisation.
{
	const u = new URL("https://a.example/p?q#h");
	assert.sameValue(String(u), "https://a.example/p?q#h");
	assert.sameValue(u.toString(), u.href);
	assert.sameValue(u.toJSON(), u.href);
	assert.sameValue(JSON.stringify(u), '"https://a.example/p?q#h"');
	assert.sameValue(JSON.stringify({ u }), '{"u":"https://a.example/p?q#h"}');
	assert.sameValue(`${u}`, u.href, "template literal");
}

// Class shape: attributes are accessors on the prototype (WebIDL), not own
// properties; instances have none of their own.
{
	const u = new URL("https://a.example/");
	assert(u instanceof URL, "instanceof");
	assert.sameValue(Object.getPrototypeOf(u), URL.prototype);
	assert.deepEqual(Object.keys(u), [], "Object.keys");
	assert.deepEqual(Object.getOwnPropertyNames(u), [], "own names");
	assert.sameValue(u.hasOwnProperty("href"), false);
	assert("href" in u, "href in url");
	assert.sameValue(Object.prototype.toString.call(u), "[object URL]");
	for (const name of ["href", "protocol", "username", "password", "host", "hostname", "port", "pathname", "search", "hash"]) {
		const d = Object.getOwnPropertyDescriptor(URL.prototype, name);
		assert.sameValue(typeof d.get, "function", name + " getter");
		assert.sameValue(typeof d.set, "function", name + " setter");
		assert.sameValue(d.enumerable, true, name + " enumerable");
		assert.sameValue(d.configurable, true, name + " configurable");
		assert.sameValue(d.get.name, "get " + name, name + " getter name");
	}
	for (const name of ["origin", "searchParams"]) {
		const d = Object.getOwnPropertyDescriptor(URL.prototype, name);
		assert.sameValue(typeof d.get, "function", name + " getter");
		assert.sameValue(d.set, undefined, name + " is read-only");
	}
	const ts = Object.getOwnPropertyDescriptor(URL.prototype, "toString");
	assert.sameValue(ts.writable && ts.enumerable && ts.configurable, true, "method descriptor");
	assert.sameValue(URL.prototype.toString.name, "toString");
	assert.sameValue(URL.name, "URL");
	assert.sameValue(URL.length, 1);
	assert.sameValue(URL.prototype.constructor, URL);
	assert.sameValue(Object.getOwnPropertyDescriptor(globalThis, "URL").enumerable, false, "global is not enumerable");
}

// Scripts may add their own properties.
{
	const u = new URL("https://a.example/");
	u.tag = 1;
	assert.sameValue(u.tag, 1);
	assert.deepEqual(Object.keys(u), ["tag"]);
	delete u.tag;
	assert.deepEqual(Object.keys(u), []);
}

// Read-only attributes: ignored in sloppy code, TypeError in strict code.
{
	const u = new URL("https://a.example/");
	assert.throws(TypeError, function () { "use strict"; u.origin = "https://b.example"; }, "strict assignment to origin");
	(function () { u.origin = "x"; }).call(null);
	assert.sameValue(u.origin, "https://a.example");
}

// Brand checks.
{
	const get = Object.getOwnPropertyDescriptor(URL.prototype, "href").get;
	assert.throws(TypeError, () => get.call({}), "getter on a plain object", "Illegal invocation");
	assert.throws(TypeError, () => URL.prototype.toString.call(new URLSearchParams()), "toString on the wrong class", "Illegal invocation");
	assert.throws(TypeError, () => URL.prototype.href, "getter on the prototype itself", "Illegal invocation");
}

// Subclasses get the URL state and their own prototype.
{
	class MyURL extends URL {
		get shout() { return this.pathname.toUpperCase(); }
	}
	const m = new MyURL("https://a.example/path");
	assert(m instanceof MyURL && m instanceof URL, "subclass instanceof");
	assert.sameValue(m.shout, "/PATH");
	assert.sameValue(m.href, "https://a.example/path");
}
