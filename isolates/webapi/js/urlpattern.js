// URLPattern (urlpattern-impl.js, with urlpattern-parser.js and urlpattern-regexp.js): the
// global is made the first time a script reaches it, as Intl is (intl.js), and its files
// are compiled on a process's first use (lazyAPIs in apis.go), not with the prelude.
Object.defineProperty(global, "URLPattern", {
  configurable: true, enumerable: false,
  get() { const v = lazyAPI("urlpattern").upBuild(); define("URLPattern", v); return v; },
  set(v) { define("URLPattern", v); },
});
