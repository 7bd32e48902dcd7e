package url

import "github.com/dop251/goja"

// urlObject is the state behind a JS URL.
type urlObject struct {
	expandos
	rec *record
	// params and paramsObj are made on the first read of searchParams, so
	// that `new URL(x).pathname` never parses the query.
	params    *searchParams
	paramsObj *goja.Object
}

// setRecord replaces the URL and, when the query may have changed (href and
// search setters), refreshes the searchParams list from it.
func (u *urlObject) setRecord(r *record, queryChanged bool) {
	u.rec = r
	if queryChanged && u.params != nil {
		u.params.list = nil
		if r.hasQuery {
			u.params.list = parseForm(r.query)
		}
	}
}

const invalidURL = "Invalid URL string."

func (b *binding) thisURL(v goja.Value) *urlObject {
	u, _ := exportAs(v, urlObjectType).(*urlObject)
	if u == nil {
		b.throwTypeError("Illegal invocation")
	}
	return u
}

// parseArgs parses (url, base?) as the constructor, URL.parse and
// URL.canParse do.
func (b *binding) parseArgs(args []goja.Value) (*record, error) {
	input := b.toUSV(args[0])
	var base *record
	if given(args, 1) {
		var err error
		if base, err = parse(b.toUSV(args[1]), nil); err != nil {
			return nil, err
		}
	}
	return parse(input, base)
}

func (b *binding) newURL(r *record, proto *goja.Object) *goja.Object {
	obj := b.vm.NewDynamicObject(&urlObject{rec: r})
	_ = obj.SetPrototype(proto)
	return obj
}

func (b *binding) installURL() {
	vm := b.vm
	b.urlCtor, b.urlProto = b.class("URL", 1, func(args []goja.Value, proto *goja.Object) *goja.Object {
		if len(args) < 1 {
			b.throwTypeError("Failed to construct 'URL': 1 argument required, but only 0 present.")
		}
		r, err := b.parseArgs(args)
		if err != nil {
			b.throwTypeError(invalidURL)
		}
		return b.newURL(r, proto)
	})
	proto := b.urlProto

	static := func(name string, f func(goja.FunctionCall) goja.Value) {
		_ = b.urlCtor.DefineDataProperty(name, b.function(name, 1, f), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	static("canParse", func(call goja.FunctionCall) goja.Value {
		b.requireArgs(call, 1, "URL", "canParse")
		_, err := b.parseArgs(call.Arguments)
		return vm.ToValue(err == nil)
	})
	static("parse", func(call goja.FunctionCall) goja.Value {
		b.requireArgs(call, 1, "URL", "parse")
		r, err := b.parseArgs(call.Arguments)
		if err != nil {
			return goja.Null()
		}
		return b.newURL(r, b.urlProto)
	})

	str := func(s string) goja.Value { return vm.ToValue(s) }
	href := func(call goja.FunctionCall) goja.Value { return str(b.thisURL(call.This).rec.href) }
	b.attribute(proto, "href", href, func(call goja.FunctionCall) goja.Value {
		u := b.thisURL(call.This)
		r, err := parse(b.toUSV(call.Argument(0)), nil)
		if err != nil {
			b.throwTypeError(invalidURL)
		}
		u.setRecord(r, true)
		return goja.Undefined()
	})
	b.attribute(proto, "origin", func(call goja.FunctionCall) goja.Value {
		return str(b.thisURL(call.This).rec.origin())
	}, nil)

	// component defines an attribute whose setter goes through record.set.
	component := func(name string, s setter, get func(*record) string) {
		b.attribute(proto, name, func(call goja.FunctionCall) goja.Value {
			return str(get(b.thisURL(call.This).rec))
		}, func(call goja.FunctionCall) goja.Value {
			u := b.thisURL(call.This)
			u.setRecord(u.rec.set(s, b.toUSV(call.Argument(0))), s == setSearch)
			return goja.Undefined()
		})
	}
	component("protocol", setProtocol, (*record).protocol)
	component("username", setUsername, func(r *record) string { return r.username })
	component("password", setPassword, func(r *record) string { return r.password })
	component("host", setHost, (*record).hostAndPort)
	component("hostname", setHostname, (*record).hostname)
	component("port", setPort, func(r *record) string { return r.port })
	component("pathname", setPathname, func(r *record) string { return r.path })
	component("search", setSearch, (*record).search)

	b.attribute(proto, "searchParams", func(call goja.FunctionCall) goja.Value {
		u := b.thisURL(call.This)
		if u.paramsObj == nil {
			u.params = &searchParams{url: u}
			if u.rec.hasQuery {
				u.params.list = parseForm(u.rec.query)
			}
			u.paramsObj = b.newParams(u.params, b.paramsProto)
		}
		return u.paramsObj
	}, nil)
	component("hash", setHash, (*record).hash)

	b.method(proto, "toString", 0, href)
	b.method(proto, "toJSON", 0, href)
}
