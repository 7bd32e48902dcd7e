// Package url provides the WHATWG URL and URLSearchParams classes to goja
// runtimes, as Cloudflare Workers does.
//
// Enable defines both globals on one runtime. The classes are native:
// instances are goja dynamic objects holding Go state, and every attribute
// and method lives on the prototype with WebIDL's property shapes, so
// Object.keys(url) is [] and JSON.stringify(url) is the href.
//
// Parsing is the URL Standard's state machine as of 2025 (parser.go), with
// domain-to-ASCII over golang.org/x/net/idna (host.go) and the
// application/x-www-form-urlencoded parser and serialiser behind
// URLSearchParams (encoding.go). It is linear in its input; plain absolute
// http(s) URLs, the shape of every request.url, take a faster path
// (parse.go).
//
// github.com/nlnwa/whatwg-url was the first parser here. It lags the
// standard (domain-to-ASCII, '^' in paths, spaces before an opaque path's
// query, form encoding of search params) and is quadratic in userinfo
// length, opaque-host length and path segment count (seconds for a 100 KB
// input, which vm.Interrupt cannot stop), and its only path accessors are
// the quadratic ones. It remains as the oracle of a differential fuzz test
// (oracle_test.go).
//
// Conformance with the Web Platform Tests data in
// ../../../../shared/conformance is measured by TestWPT*, which run every
// case through the JS API.
package url
