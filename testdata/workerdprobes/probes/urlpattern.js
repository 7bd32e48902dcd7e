// URLPattern: construction from strings (with a baseURL) and init objects,
// options, test/exec and their result shape, the compiled pattern strings,
// canonicalization, and workerd's errors.
const E = (f) => { try { return f(); } catch (e) { return ["throws", e.name, e.message]; } };
const C = ["protocol", "username", "password", "hostname", "port", "pathname", "search", "hash"];
const parts = (p) => Object.fromEntries([...C, "hasRegExpGroups"].map((k) => [k, p[k]]));
const P = (...a) => E(() => parts(new URLPattern(...a)));
const groups = (r) => r && Object.fromEntries(C.map((k) => [k, r[k].groups]));
const inputs = (r) => r && Object.fromEntries(C.map((k) => [k, r[k].input]));
const X = (p, ...a) => E(() => { const r = p.exec(...a); return r && { inputs: r.inputs, groups: groups(r), input: inputs(r) }; });
const T = (p, ...a) => E(() => p.test(...a));

export const probes = {
  "urlpattern: shape": () => [typeof URLPattern, URLPattern.name, URLPattern.length, Object.getOwnPropertyNames(URLPattern.prototype).sort(),
    Object.prototype.toString.call(new URLPattern()), Object.keys(new URLPattern()), JSON.stringify(new URLPattern()), typeof URLPattern.compareComponent],
  "urlpattern: getter descriptors": () => { const d = Object.getOwnPropertyDescriptor(URLPattern.prototype, "pathname"); return [typeof d.get, d.set, d.enumerable, d.configurable, Object.getOwnPropertyDescriptor(URLPattern.prototype, "test").enumerable]; },
  "urlpattern: call without new": () => E(() => URLPattern("https://x.test/*")),
  "urlpattern: illegal invocation": () => [E(() => URLPattern.prototype.test.call({}, "https://x.test/")), E(() => Object.getOwnPropertyDescriptor(URLPattern.prototype, "pathname").get.call({}))],
  "urlpattern: default pattern": () => P(),
  "urlpattern: empty init": () => P({}),
  "urlpattern: string": () => P("https://example.com/books/:id"),
  "urlpattern: string with base": () => P("/books/:id", "https://example.com/shelf/?q#h"),
  "urlpattern: relative needs base": () => P("/books/:id"),
  "urlpattern: init with base and string base": () => P({ pathname: "/a" }, "https://example.com"),
  "urlpattern: init baseURL inheritance": () => P({ pathname: "/a/:b", baseURL: "https://u:p@example.com:8080/x/y?q#h" }),
  "urlpattern: init relative pathname": () => P({ pathname: "foo/:x", baseURL: "https://example.com/a/b" }),
  "urlpattern: init bad baseURL": () => P({ pathname: "/a", baseURL: "not a url" }),
  "urlpattern: init non-string values": () => [P({ pathname: 123 }), P({ pathname: null }), P({ pathname: undefined, search: "a" })],
  "urlpattern: bad input types": () => [P(1), P(null), P(true), P([]), P("https://x.test/*", 5)],
  "urlpattern: hono routes": () => {
    const p = new URLPattern({ pathname: "/api/:version/users/:userId/posts/:postId" });
    return [X(p, "https://app.test/api/v1/users/42/posts/7?x=1"), T(p, "https://app.test/api/v1/users/42"), p.hasRegExpGroups];
  },
  "urlpattern: itty routes": () => {
    const ps = ["/todos/:id", "/todos/:id/:field?", "/files/:path+", "/assets/*", "/posts/:slug.json", "/user/:name-:id"];
    const urls = ["https://t.test/todos/1", "https://t.test/todos/1/title", "https://t.test/files/a/b/c", "https://t.test/assets/img/x.png", "https://t.test/posts/hello.json", "https://t.test/user/ann-12"];
    return ps.map((s) => { const p = new URLPattern({ pathname: s }); return [p.pathname, urls.map((u) => p.test(u)), X(p, urls[ps.indexOf(s)])]; });
  },
  "urlpattern: regexp groups": () => {
    const p = new URLPattern({ pathname: "/items/:id(\\d+)/(\\w+)" });
    return [p.pathname, p.hasRegExpGroups, T(p, "https://x.test/items/12/abc"), T(p, "https://x.test/items/ab/abc"), X(p, "https://x.test/items/12/abc")];
  },
  "urlpattern: anonymous and named mix": () => X(new URLPattern({ pathname: "/(a|b)/:c/(.*)" }), "https://x.test/b/see/d/e"),
  "urlpattern: wildcards": () => {
    const p = new URLPattern("https://*.example.com/static/*");
    return [parts(p), X(p, "https://cdn.eu.example.com/static/css/site.css"), T(p, "https://example.com/static/x")];
  },
  "urlpattern: modifiers": () => ["/f/:p?", "/f/:p*", "/f/:p+", "/f/*?", "/f/(\\d+)*"].map((s) => { const p = new URLPattern({ pathname: s }); return [p.pathname, ["/f", "/f/", "/f/a", "/f/1/2"].map((x) => X(p, { pathname: x }))]; }),
  "urlpattern: optional group undefined": () => X(new URLPattern({ pathname: "/foo/:bar?" }), { pathname: "/foo" }),
  "urlpattern: braces": () => ["/blog{/:slug}?", "/product{s}?", "{/old}?/new", "/a{-:b}*", "/books{/:id(\\d+)}+"].map((s) => { const p = new URLPattern({ pathname: s }); return [p.pathname, ["/blog", "/blog/x", "/product", "/products", "/new", "/old/new", "/a", "/a-1-2", "/books/1/2"].filter((x) => p.test({ pathname: x }))]; }),
  "urlpattern: pattern strings": () => ["/foo/(.*)", "/:id([^\\/]+?)", "/:a(.*)", "/(\\d+)", "/:a\\:b", "/a\\*b", "/:x+baz", "/{a}", "/{:a}", "/:a{x}", "/caf\u00e9/:x", "/a/../b/:c", "/ sp"].map((s) => E(() => new URLPattern({ pathname: s }).pathname)),
  "urlpattern: hostname patterns": () => ["{a:foo}", ":sub.example.com", "*.example.com", "EXAMPLE.com", "xn--caf-dma.com", "caf\u00e9.com", "[::1]", "[::AB]", "bad host", "ex\u00e4mple.{com}?"].map((h) => E(() => new URLPattern({ hostname: h }).hostname)),
  "urlpattern: hostname groups": () => X(new URLPattern("https://:sub.:domain.com/*"), "https://api.example.com/v1"),
  "urlpattern: ports": () => [P({ protocol: "https", port: "443" }), P({ protocol: "https", port: "8443" }), P({ port: "80" }), P({ port: "bad" }), P("http://x.test:80/"), P("http://x.test:8080/")],
  "urlpattern: port match": () => { const p = new URLPattern({ port: "8080" }); return [T(p, "http://x.test:8080/"), T(p, "http://x.test/"), T(p, { port: "8080" }), T(p, { port: "08080" })]; },
  "urlpattern: protocols": () => { const p = new URLPattern("http{s}?://example.com/*"); return [parts(p), T(p, "http://example.com/a"), T(p, "https://example.com/a"), T(p, "ftp://example.com/a")]; },
  "urlpattern: protocol errors": () => [P({ protocol: "1http" }), P({ protocol: "ht tp" }), P({ protocol: "HTTP" }), P({ protocol: "http:" })],
  "urlpattern: search and hash": () => {
    const p = new URLPattern("https://x.test/*?q=:q#:h");
    return [parts(p), X(p, "https://x.test/a?q=word#top"), T(p, "https://x.test/a?q=word")];
  },
  "urlpattern: search canonicalization": () => [P({ search: "q=a b" }), P({ search: "?x" }), P({ hash: "#a b" }), P({ hash: "a`b" })],
  "urlpattern: username and password": () => { const p = new URLPattern("https://:user::pass@x.test/*"); return [parts(p), X(p, "https://ann:secret@x.test/")]; },
  "urlpattern: non-special schemes": () => [P("data:text/plain,*"), P("urn:isbn:*"), T(new URLPattern("urn:isbn:*"), "urn:isbn:12345"), P("foo://host/path/:x")],
  "urlpattern: ipv6": () => { const p = new URLPattern("http://[::1]:8080/*"); return [parts(p), T(p, "http://[::1]:8080/a"), X(p, "http://[0:0::1]:8080/a")]; },
  "urlpattern: base url matching": () => {
    const p = new URLPattern({ pathname: "/books/:id" });
    return [X(p, "/books/1", "https://example.com"), T(p, "/books/1", "https://example.com"), X(p, "/books/1"), T(p, "/books/1", "not a base"), X(p, { pathname: "/books/2", baseURL: "https://example.com/" })];
  },
  "urlpattern: init input with base errors": () => { const p = new URLPattern({ pathname: "/a" }); return [T(p, { pathname: "/a" }, "https://x.test"), X(p, { pathname: "/a" }, "https://x.test")]; },
  "urlpattern: init input": () => { const p = new URLPattern({ pathname: "/a/:b", hostname: "*.example.com" }); return [X(p, { hostname: "www.example.com", pathname: "/a/c" }), X(p, { hostname: "www.example.com", pathname: "/a/c", search: "?x", hash: "#y" }), X(p, { pathname: "/a/c" })]; },
  "urlpattern: invalid input": () => { const p = new URLPattern(); return [X(p, "not a url"), T(p, "not a url"), X(p, { protocol: "1bad" }), T(p, { port: "x" }), T(p), X(p)]; },
  "urlpattern: no args match": () => [T(new URLPattern({ pathname: "" })), X(new URLPattern({ pathname: "" })), X(new URLPattern({ pathname: "/" }))],
  "urlpattern: ignoreCase": () => {
    const a = new URLPattern({ pathname: "/About/:x" }, { ignoreCase: true });
    const b = new URLPattern("https://Example.com/A/*?Q#H", { ignoreCase: true });
    const c = new URLPattern("/A", "https://x.test", { ignoreCase: true });
    const d = new URLPattern({ pathname: "/About" });
    return [T(a, { pathname: "/about/Y" }), X(a, { pathname: "/ABOUT/Y" }), parts(b), T(b, "https://example.com/a/z?q#h"), T(c, "https://x.test/a"), T(d, { pathname: "/about" }), T(new URLPattern({ pathname: "/a" }, { ignoreCase: false }), { pathname: "/A" })];
  },
  "urlpattern: options forms": () => [P("https://x.test/*", {}), P("https://x.test/*", undefined, { ignoreCase: true }), P({ pathname: "/x" }, undefined), P({ pathname: "/x" }, {}, {})],
  "urlpattern: errors": () => ["/:a/:a", "/(abc", "/:", "/(?x)", "/(a(?<n>b))", "/()", "/\\", "/:id(\\d+", "/{a", "/a}", "/:a?+", "/(a)(a)?", "/(\u00e9)", "/:\u00e9t\u00e9", "/:1a", "/:_a$"].map((s) => E(() => new URLPattern({ pathname: s }).pathname)),
  "urlpattern: string errors": () => ["/no-protocol", "https://x.test/:a/:a", "https://[::1/", "https://x.test:99999/", "ht%tp://x/", "https://x.test/(a"].map((s) => P(s)),
  "urlpattern: v-flag regexps": () => ["/([\\w-]+)", "/([a-z]+)", "/((?:a|b)+)", "/([^/]+)", "/(\\d{2,4})", "/([\\d&&[0-1]])", "/(a{2})"].map((s) => E(() => { const p = new URLPattern({ pathname: s }); return [p.pathname, p.test({ pathname: "/ab" }), p.test({ pathname: "/12" })]; })),
  "urlpattern: lookaround regexps": () => { const p = new URLPattern({ pathname: "/(?!admin)(\\w+)" }); return [E(() => p.test({ pathname: "/user" })), E(() => p.test({ pathname: "/admin" }))]; },
  "urlpattern: percent-encoded input": () => { const p = new URLPattern({ pathname: "/caf\u00e9/:x" }); return [p.pathname, X(p, "https://x.test/caf%C3%A9/cr%C3%A8me"), T(p, "https://x.test/café/a")]; },
  "urlpattern: dot segments": () => { const p = new URLPattern({ pathname: "/a/:b" }); return [T(p, "https://x.test/a/x/../y"), T(p, { pathname: "/a/./y" }), X(p, { pathname: "/a/%2e%2e" })]; },
  "urlpattern: inputs identity": () => { const p = new URLPattern(); const init = { pathname: "/x", foo: 1 }; const r = p.exec(init); return [r.inputs.length, r.inputs[0] === init, Object.keys(r.inputs[0]), Array.isArray(r.inputs), Object.keys(r).sort()]; },
  "urlpattern: result is fresh": () => { const p = new URLPattern({ pathname: "/:a" }); const r1 = p.exec({ pathname: "/1" }), r2 = p.exec({ pathname: "/1" }); return [r1 === r2, r1.pathname.groups === r2.pathname.groups, Object.getPrototypeOf(r1.pathname.groups) === Object.prototype]; },
  "urlpattern: init getter order": () => { const seen = []; const init = {}; for (const k of [...C, "baseURL"]) Object.defineProperty(init, k, { get() { seen.push(k); return undefined; }, enumerable: true }); new URLPattern(init); return seen; },
  "urlpattern: toString conversion": () => { const p = new URLPattern({ pathname: { toString() { return "/t/:x"; } } }); return [p.pathname, T(p, { pathname: { toString() { return "/t/1"; } } })]; },
  "urlpattern: long route list": () => {
    const routes = ["/", "/about", "/blog/:slug", "/blog/:year(\\d{4})/:month(\\d{2})", "/shop/*", "/api/:v/*"].map((s) => new URLPattern({ pathname: s }));
    return ["/", "/about", "/blog/hi", "/blog/2024/05", "/shop/a/b", "/api/2/x/y", "/nope/x"].map((u) => routes.findIndex((r) => r.test("https://site.test" + u)));
  },
  "urlpattern: method lengths": () => [URLPattern.prototype.test.length, URLPattern.prototype.exec.length, URLPattern.prototype.test.name, Object.getOwnPropertyDescriptor(URLPattern.prototype, "hash").get.name, Object.getOwnPropertyDescriptor(URLPattern.prototype, "hasRegExpGroups").get.name],
  "urlpattern: relative inputs": () => ["not a url", "foo", "a:b", "", "//x", "?q", "#h", "http://[", "/x y", "http://x/\\y", "not a url?x#y", "https://ex ample.com/"].map((s) => E(() => { const r = new URLPattern().exec(s); return r && inputs(r); })),
  "urlpattern: relative inputs with base": () => ["not a url", "foo", "../up", "?q"].map((s) => E(() => { const r = new URLPattern().exec(s, "https://base.test/dir/x"); return r && inputs(r); })),
  "urlpattern: v-flag classes": () => ["/([\\w\\-]+)", "/([a\\-z])", "/([\\/])", "/([a-z\\d])", "/([\\q{abc}])", "/([\\q{ab|c}]+)", "/([[a-z]--[aeiou]]+)", "/([a&&b])", "/([a--])", "/([&&a])", "/([a&&b--c])", "/([^[a-c]])", "/([\\&])", "/([a.])", "/([a..b])"].map((s) => E(() => { const p = new URLPattern({ pathname: s }); return [p.pathname, ["/ab", "/abc", "/bcd", "/x", "/-", "/&", "/."].filter((x) => p.test({ pathname: x }))]; })),
  "urlpattern: patched RegExp exec": () => { const orig = RegExp.prototype.exec; const p = new URLPattern({ pathname: "/:a(\\d+)" }); let called = 0; RegExp.prototype.exec = function (s) { called++; return orig.call(this, s); }; try { return [p.test({ pathname: "/12" }), X(p, { pathname: "/34" }), called > 0]; } finally { RegExp.prototype.exec = orig; } },
  "urlpattern: unicode names": () => ["/:caf\u00e9", "/:\u00e9t\u00e9/:x\u0301", "/:\u4e2d\u6587", "/:a\u200d", "/:\u200da", "/:\ud835\udc9c"].map((s) => E(() => { const p = new URLPattern({ pathname: s }); return [p.pathname, Object.keys(p.exec({ pathname: "/v/w" }) ? p.exec({ pathname: "/v/w" }).pathname.groups : p.exec({ pathname: "/v" }).pathname.groups).sort()]; })),
  "urlpattern: full string": () => { const p = new URLPattern("https://user:pass@sub.example.com:8080/p/:x?q=1#frag"); return [parts(p), T(p, "https://user:pass@sub.example.com:8080/p/y?q=1#frag"), T(p, "https://sub.example.com:8080/p/y?q=1#frag")]; },
  "urlpattern: escaped ipv6": () => [P({ hostname: "\\[\\:\\:1\\]" }), T(new URLPattern({ hostname: "\\[\\:\\:1\\]" }), "http://[::1]/"), P({ hostname: "\\[\\:\\:G\\]" })],
  "urlpattern: escaped pattern chars": () => [P("https://x.test/a\\(b\\)"), P({ pathname: "/a\\{b\\}" }), P({ search: "a\\+b" })],
};
