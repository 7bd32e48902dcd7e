package assets

import (
	"context"
	"net/url"
	"strings"
	"sync"

	"github.com/dop251/goja"

	"edgerun/bindings"
	"edgerun/isolates"
)

// Binding is [assets] binding = "ASSETS": env.ASSETS.fetch(request) asks
// the assets directly, as a worker that runs first does to hand a request
// on to them.
type Binding struct {
	name   string
	assets *Assets
}

var _ bindings.Binding = (*Binding)(nil)

// NewBinding makes env[name] a fetcher of a's files.
func NewBinding(name string, a *Assets) *Binding { return &Binding{name: name, assets: a} }

func (b *Binding) Name() string { return b.name }

// Close does nothing: the assets belong to the app.
func (b *Binding) Close(context.Context) error { return nil }

// fetcherProgram is compiled on first use, not at package init: a process
// whose project has no such binding never pays for it.
var fetcherProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("edgerun:assets.js", `(function (native) {
  "use strict";
  class Fetcher {
    async fetch(input, init) {
      const request = new Request(input, init);
      const headers = [];
      for (const [k, v] of request.headers) headers.push(k, v);
      const r = await native.fetch(request.method, request.url, headers);
      return new Response(r.body, { status: r.status, headers: r.headers });
    }
  }
  Object.defineProperty(Fetcher.prototype, Symbol.toStringTag, { value: "Fetcher" });
  return new Fetcher();
})`, true)
})

// Value builds env[Name] for one isolate.
func (b *Binding) Value(iso *isolates.Isolate) (goja.Value, error) {
	vm := iso.Runtime()
	native := vm.NewObject()
	_ = native.Set("fetch", func(c goja.FunctionCall) goja.Value { return b.jsFetch(iso, c) })
	fn, err := vm.RunProgram(fetcherProgram())
	if err != nil {
		return nil, err
	}
	f, _ := goja.AssertFunction(fn)
	return f(goja.Undefined(), native)
}

// jsFetch(method, url, [name, value, …]) resolves to {status, headers,
// body}.
func (b *Binding) jsFetch(iso *isolates.Isolate, c goja.FunctionCall) goja.Value {
	vm := iso.Runtime()
	method := c.Argument(0).String()
	u, err := url.Parse(c.Argument(1).String())
	var flat []string
	if err == nil {
		err = vm.ExportTo(c.Argument(2), &flat)
	}
	if err != nil {
		return vm.ToValue(iso.Rejected(err))
	}
	header := func(name string) string {
		for i := 0; i+1 < len(flat); i += 2 {
			if strings.EqualFold(flat[i], name) {
				return flat[i+1]
			}
		}
		return ""
	}
	req := Request{Method: method, Path: u.EscapedPath(), RawQuery: u.RawQuery, Header: header}
	return vm.ToValue(iso.Async(func(context.Context) func(*goja.Runtime) (goja.Value, error) {
		resp, err := b.assets.Serve(req)
		var body []byte
		if err == nil && resp.File != "" {
			body, err = b.assets.ReadFile(resp.File)
		}
		return func(vm *goja.Runtime) (goja.Value, error) {
			if err != nil {
				return nil, err
			}
			out := vm.NewObject()
			_ = out.Set("status", resp.Status)
			headers := make([]any, len(resp.Headers))
			for i, h := range resp.Headers {
				headers[i] = vm.NewArray(h[0], h[1])
			}
			_ = out.Set("headers", vm.NewArray(headers...))
			if body != nil {
				u8, err := vm.New(vm.Get("Uint8Array"), vm.ToValue(vm.NewArrayBuffer(body)))
				if err != nil {
					return nil, err
				}
				_ = out.Set("body", u8)
			} else {
				_ = out.Set("body", goja.Null())
			}
			return out, nil
		}
	}))
}
