package kv

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"sync"

	"github.com/dop251/goja"

	"edgerun/bindings"
	"edgerun/isolates"
	"edgerun/isolates/webapi"
)

//go:embed js/kv.js
var shimSource string

// shimProgram is compiled on first use, not at package init: a process
// whose project has no such binding never pays for it.
var shimProgram = sync.OnceValue(func() *goja.Program { return goja.MustCompile("edgerun:kv.js", shimSource, true) })

// Namespace is one [[kv_namespaces]] binding: env[Name] in every isolate,
// its keys kept in the store's bucket ID.
type Namespace struct {
	name  string
	id    string
	store Store
}

var _ bindings.Binding = (*Namespace)(nil)

// NewNamespace binds namespace id of store to the env name.
func NewNamespace(store Store, name, id string) *Namespace {
	return &Namespace{name: name, id: id, store: store}
}

func (n *Namespace) Name() string { return n.name }

// Store is where the namespace's keys live.
func (n *Namespace) Store() Store { return n.store }

// Close does nothing: the store belongs to whoever opened it.
func (n *Namespace) Close(context.Context) error { return nil }

// Value builds env[Name] for one isolate.
func (n *Namespace) Value(iso *isolates.Isolate) (goja.Value, error) {
	vm := iso.Runtime()
	native := vm.NewObject()
	_ = native.Set("byteLength", func(s string) int { return len(s) })
	_ = native.Set("get", func(c goja.FunctionCall) goja.Value { return n.jsGet(iso, c) })
	_ = native.Set("put", func(c goja.FunctionCall) goja.Value { return n.jsPut(iso, c) })
	_ = native.Set("delete", func(c goja.FunctionCall) goja.Value { return n.jsDelete(iso, c) })
	_ = native.Set("list", func(c goja.FunctionCall) goja.Value { return n.jsList(iso, c) })
	fn, err := vm.RunProgram(shimProgram())
	if err != nil {
		return nil, err
	}
	f, _ := goja.AssertFunction(fn)
	return f(goja.Undefined(), native)
}

func (n *Namespace) fail(op string, err error) error {
	return fmt.Errorf("KV %s failed: 500 %w", op, err)
}

// jsGet(keys, asText) resolves to one {value, metadata} or null per key:
// value a string when asText, else a Uint8Array.
func (n *Namespace) jsGet(iso *isolates.Isolate, c goja.FunctionCall) goja.Value {
	vm := iso.Runtime()
	var keys []string
	if err := vm.ExportTo(c.Argument(0), &keys); err != nil {
		return vm.ToValue(iso.Rejected(err))
	}
	asText := c.Argument(1).ToBoolean()
	return vm.ToValue(iso.Async(func(context.Context) func(*goja.Runtime) (goja.Value, error) {
		entries, err := n.store.Get(n.id, keys)
		return func(vm *goja.Runtime) (goja.Value, error) {
			if err != nil {
				return nil, n.fail("GET", err)
			}
			out := make([]any, len(entries))
			for i, e := range entries {
				if e == nil {
					out[i] = goja.Null()
					continue
				}
				var value goja.Value
				if asText {
					value = vm.ToValue(webapi.DecodeUTF8(e.Value)) // as TextDecoder decodes
				} else {
					value = iso.NewUint8Array(e.Value)
				}
				obj := vm.NewObject()
				_ = obj.Set("value", value)
				_ = obj.Set("metadata", e.Metadata)
				out[i] = obj
			}
			return vm.NewArray(out...), nil
		}
	}))
}

// jsPut(key, value, expiration, metadata): value a string or a Uint8Array.
func (n *Namespace) jsPut(iso *isolates.Isolate, c goja.FunctionCall) goja.Value {
	vm := iso.Runtime()
	key := c.Argument(0).String()
	var value []byte
	var err error
	if s, ok := isolates.Export(c.Argument(1)).(string); ok {
		value = []byte(s)
	} else if value, err = isolates.ViewBytes(vm, c.Argument(1)); err != nil {
		return vm.ToValue(iso.Rejected(fmt.Errorf("KV put(): %w", err)))
	} else {
		value = bytes.Clone(value) // the script may change its array afterwards
	}
	e := Entry{Value: value, Expiration: c.Argument(2).ToInteger(), Metadata: c.Argument(3).String()}
	return vm.ToValue(iso.Async(func(context.Context) func(*goja.Runtime) (goja.Value, error) {
		err := n.store.Put(n.id, key, e)
		return func(*goja.Runtime) (goja.Value, error) {
			if err != nil {
				return nil, n.fail("PUT", err)
			}
			return goja.Undefined(), nil
		}
	}))
}

func (n *Namespace) jsDelete(iso *isolates.Isolate, c goja.FunctionCall) goja.Value {
	key := c.Argument(0).String()
	return iso.Runtime().ToValue(iso.Async(func(context.Context) func(*goja.Runtime) (goja.Value, error) {
		err := n.store.Delete(n.id, key)
		return func(*goja.Runtime) (goja.Value, error) {
			if err != nil {
				return nil, n.fail("DELETE", err)
			}
			return goja.Undefined(), nil
		}
	}))
}

// jsList(prefix, limit, cursor) resolves to {keys: [{name, expiration,
// metadata}], cursor}.
func (n *Namespace) jsList(iso *isolates.Isolate, c goja.FunctionCall) goja.Value {
	prefix, limit, cursor := c.Argument(0).String(), int(c.Argument(1).ToInteger()), c.Argument(2).String()
	return iso.Runtime().ToValue(iso.Async(func(context.Context) func(*goja.Runtime) (goja.Value, error) {
		keys, next, err := n.store.List(n.id, prefix, limit, cursor)
		return func(vm *goja.Runtime) (goja.Value, error) {
			if err == ErrInvalidCursor {
				return nil, fmt.Errorf("KV LIST failed: 400 %w", err)
			}
			if err != nil {
				return nil, n.fail("LIST", err)
			}
			items := make([]any, len(keys))
			for i, k := range keys {
				obj := vm.NewObject()
				_ = obj.Set("name", k.Name)
				_ = obj.Set("expiration", k.Expiration)
				_ = obj.Set("metadata", k.Metadata)
				items[i] = obj
			}
			page := vm.NewObject()
			_ = page.Set("keys", vm.NewArray(items...))
			_ = page.Set("cursor", next)
			return page, nil
		}
	}))
}
