// node:url: the WHATWG helpers and the legacy API.
import url from "node:url";

function table(fn, inputs) {
  return inputs.map((args) => {
    try {
      const v = fn(...args);
      return v instanceof URL ? v.href : v;
    } catch (e) {
      return { throws: e.name, code: e.code };
    }
  });
}

// a legacy Url object as a plain object (query may have no prototype)
function legacy(u) {
  const o = {};
  for (const k of Object.keys(u)) o[k] = u[k] !== null && typeof u[k] === "object" ? { ...u[k] } : u[k];
  return o;
}

export const probes = {
  "url: shape": () => [url.URL === URL, url.URLSearchParams === URLSearchParams,
    ["parse", "format", "resolve", "resolveObject", "domainToASCII", "domainToUnicode", "fileURLToPath", "pathToFileURL", "urlToHttpOptions", "Url"].map((k) => typeof url[k])],
  "url: domainToASCII": () => table(url.domainToASCII, [["español.com"], ["xn--iñvalid.com"], ["EXAMPLE.com"], [""], ["a b"], ["münchen.de"], ["127.0.0.1"], ["a"], ["b"], ["[::1]"], ["x/y"]]),
  "url: domainToUnicode": () => table(url.domainToUnicode, [["xn--espaol-zwa.com"], ["xn--iñvalid.com"], ["example.com"], [""], ["xn--mnchen-3ya.de"], ["münchen.de"]]),
  "url: domainToASCII no argument": () => url.domainToASCII(),
  "url: fileURLToPath": () => table(url.fileURLToPath, [["file:///a/b%20c"], ["file:///a/%2F"], ["file://host/a"], ["http://x/a"], [new URL("file:///x/y/")], [5], ["file:///%E2%82%AC"], ["file://localhost/etc"]]),
  "url: pathToFileURL": () => table(url.pathToFileURL, [["/a/b c"], ["/a/b/"], ["/a%b"], ["/a\\b"], ["/a#b?c"], ["/€"], ["/a\nb\tc"], [5], ["/x/../y"]]),
  "url: pathToFileURL relative is absolute": () => url.pathToFileURL("rel/x").href.startsWith("file:///") && url.pathToFileURL("rel/x").href.endsWith("/rel/x"),
  "url: urlToHttpOptions": () => [url.urlToHttpOptions(new URL("https://a:b%20c@[::1]:8080/p/a?x=1#h")), url.urlToHttpOptions(new URL("http://example.com"))].map((o) => ({ ...o })),
  "url: parse": () => ["http://user:pass@host.com:8080/p/a/t/h?query=string#hash", "https://EXAMPLE.com", "//host/path", "/just/path?x=1", "mailto:a@b.com",
    "javascript:alert(1)", "HTTP://X.COM/A B", "http://x.com\\a\\b?c\\d", "file:///etc/passwd", "http://[::1]:3000/x", "http://a.com:/x", "  http://trim.me/  ",
    "http://ex.com/p?a=1&a=2", "x:y", "http://münchen.de/", "?q", "#h", "", "a/b", "http://a@b@c/d", "postgres://u:p@db:5432/name?sslmode=require"]
    .map((s) => legacy(url.parse(s))),
  "url: parse query": () => [legacy(url.parse("http://x.com/p?a=1&a=2&b", true)), legacy(url.parse("http://x.com/p", true))],
  "url: parse slashesDenoteHost": () => [legacy(url.parse("//host/p", false, true)), legacy(url.parse("//host/p"))],
  "url: parse bad": () => url.parse(5),
  "url: format": () => [url.format({ protocol: "http", host: "x.com", pathname: "/a" }), url.format({ protocol: "https:", hostname: "x.com", port: 8443, pathname: "p", query: { a: 1, b: [2, 3] } }),
    url.format({ protocol: "http:", slashes: true, auth: "u:p w", hostname: "h", hash: "frag", search: "q=1" }), url.format("http://A.com/b?c#d"), url.format({ protocol: "file", pathname: "/etc" }),
    url.format({ protocol: "mailto", pathname: "a@b.c" }), url.format({ pathname: "/a?b#c" }), url.format({ hostname: "::1", port: "80", protocol: "http" }),
    url.format(new URL("https://u:p@münchen.de/a?b#c"), { auth: false, fragment: false, search: false, unicode: true }), url.format(new URL("https://x.com/a?b#c"))],
  "url: format bad": () => url.format(5),
  "url: parse format round trip": () => ["http://user:pass@host.com:8080/p/a/t/h?query=string#hash", "https://x.com/", "/a/b?c", "mailto:a@b.com"].map((s) => url.format(url.parse(s))),
  "url: resolve": () => table(url.resolve, [["/one/two/three", "four"], ["http://example.com/", "/one"], ["http://example.com/one", "/two"], ["http://example.com/a/b", "../c"],
    ["http://example.com/a/", "b?x=1#y"], ["http://a.com/b", "https://c.com/d"], ["http://a.com/b", "//c.com/d"], ["/a/b", "../../c"], ["a/b", "c"]]),
};
