// Package url provides the WHATWG URL and URLSearchParams classes to goja
// runtimes, as Cloudflare Workers does.
//
// Enable defines both globals on one runtime. The classes are native:
// instances are goja dynamic objects holding Go state, and every attribute
// and method lives on the prototype with WebIDL's property shapes.
//
// Parsing follows the current URL Standard. The state machine is
// github.com/nlnwa/whatwg-url's; this package replaces the parts where that
// library lags the standard (domain-to-ASCII, the '^' in the path
// percent-encode set, trailing spaces of opaque paths) and implements
// URLSearchParams itself (the library's form encoding is not
// application/x-www-form-urlencoded). Plain absolute http(s) URLs, the shape
// of every request.url, bypass the library on a fast path that is
// differentially fuzzed against it.
//
// Conformance against the Web Platform Tests data in
// ../../../../shared/conformance is measured by TestWPT*.
package url
