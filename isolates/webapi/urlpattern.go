package webapi

import (
	"unicode"

	"github.com/dop251/goja"

	"edgerun/isolates/webapi/url"
)

// urlpatternNatives are urlpattern.js's: native.urlpattern() makes its
// functions, the first time an isolate constructs a URLPattern.
func (w *Worker) urlpatternNatives(set nativeSet) {
	set("urlpattern", func(goja.FunctionCall) goja.Value {
		o := w.vm.NewObject()
		w.urlpatternFunctions(func(name string, fn func(goja.FunctionCall) goja.Value) { _ = o.Set(name, fn) })
		return o
	})
}

// urlpatternFunctions are the URL parser's side of URLPattern (a URL's
// components to match, a component's canonicalization, both from the url
// package) and the Unicode identifier tables its names are checked
// against (goja's RegExp has no \p{ID_Start}).
func (w *Worker) urlpatternFunctions(set nativeSet) {
	vm := w.vm
	// parse(input, base) is [protocol, username, password,
	// hostname, port, pathname, search, hash, opaquePath] of input parsed
	// as test and exec parse it, against base when base is not undefined,
	// or null; parse(baseURL, undefined, true) parses a
	// URLPatternInit's baseURL.
	set("parse", func(c goja.FunctionCall) goja.Value {
		var in url.PatternInput
		var ok bool
		if base := c.Argument(1); c.Argument(2).ToBoolean() {
			in, ok = url.ParsePatternBase(c.Argument(0).String())
		} else if goja.IsUndefined(base) {
			in, ok = url.ParsePatternInput(c.Argument(0).String(), "", false)
		} else {
			in, ok = url.ParsePatternInput(c.Argument(0).String(), base.String(), true)
		}
		if !ok {
			return goja.Null()
		}
		return vm.NewArray(in.Protocol, in.Username, in.Password, in.Hostname, in.Port,
			in.Pathname, in.Search, in.Hash, in.OpaquePath)
	})
	// canon(component, value, protocol) is value canonicalized
	// as that component, or null where the standard throws.
	set("canon", func(c goja.FunctionCall) goja.Value {
		s, ok := url.CanonicalizePatternPart(c.Argument(0).String(), c.Argument(1).String(), c.Argument(2).String())
		if !ok {
			return goja.Null()
		}
		return vm.ToValue(s)
	})
	// nameChar(codePoint, first) is the standard's "valid name
	// code point" for a non-ASCII code point (the JS side decides ASCII).
	set("nameChar", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(isNameCodePoint(rune(c.Argument(0).ToInteger()), c.Argument(1).ToBoolean()))
	})
}

// isNameCodePoint is ID_Start (first) or ID_Continue, with '$' and, after
// the first, ZWNJ and ZWJ, as ECMAScript's IdentifierName has them.
func isNameCodePoint(r rune, first bool) bool {
	if r == '$' || r == '_' {
		return true
	}
	if !first && (r == 0x200C || r == 0x200D) {
		return true
	}
	if unicode.Is(unicode.Pattern_Syntax, r) || unicode.Is(unicode.Pattern_White_Space, r) {
		return false
	}
	if unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Other_ID_Start, r) {
		return true
	}
	return !first && (unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc) || unicode.Is(unicode.Other_ID_Continue, r))
}
