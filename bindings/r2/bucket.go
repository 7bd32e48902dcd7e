package r2

import (
	"bytes"
	"context"
	"crypto/md5"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/dop251/goja"

	"edgerun/bindings"
	"edgerun/isolates"
)

//go:embed js/r2.js
var shimSource string

var shimProgram = goja.MustCompile("edgerun:r2.js", shimSource, true)

// Bucket is one [[r2_buckets]] binding: env[Name] in every isolate, its
// objects kept in the store under ID.
type Bucket struct {
	name  string
	id    string
	store *Store
}

var _ bindings.Binding = (*Bucket)(nil)

// NewBucket binds bucket id of store to the env name.
func NewBucket(store *Store, name, id string) *Bucket {
	return &Bucket{name: name, id: id, store: store}
}

func (b *Bucket) Name() string { return b.name }

// Close does nothing: the store belongs to whoever opened it.
func (b *Bucket) Close(context.Context) error { return nil }

// Value builds env[Name] for one isolate.
func (b *Bucket) Value(iso *isolates.Isolate) (goja.Value, error) {
	vm := iso.Runtime()
	native := vm.NewObject()
	_ = native.Set("byteLength", func(s string) int { return len(s) })
	_ = native.Set("md5", func(c goja.FunctionCall) goja.Value {
		sum := md5.Sum(bodyBytes(vm, c.Argument(0)))
		return vm.ToValue(hex.EncodeToString(sum[:]))
	})
	_ = native.Set("head", func(c goja.FunctionCall) goja.Value { return b.jsHead(iso, c) })
	_ = native.Set("get", func(c goja.FunctionCall) goja.Value { return b.jsGet(iso, c) })
	_ = native.Set("put", func(c goja.FunctionCall) goja.Value { return b.jsPut(iso, c) })
	_ = native.Set("delete", func(c goja.FunctionCall) goja.Value { return b.jsDelete(iso, c) })
	_ = native.Set("list", func(c goja.FunctionCall) goja.Value { return b.jsList(iso, c) })
	fn, err := vm.RunProgram(shimProgram)
	if err != nil {
		return nil, err
	}
	f, _ := goja.AssertFunction(fn)
	return f(goja.Undefined(), native)
}

// bodyBytes is a string's UTF-8 or a Uint8Array's bytes (copied: the
// script may change its array afterwards).
func bodyBytes(vm *goja.Runtime, v goja.Value) []byte {
	if s, ok := v.Export().(string); ok {
		return []byte(s)
	}
	var b []byte
	if err := vm.ExportTo(v, &b); err != nil {
		panic(vm.NewTypeError("r2: %v", err))
	}
	return bytes.Clone(b)
}

func metaJSON(o *Object) string {
	b, _ := json.Marshal(o)
	return string(b)
}

func conditionsArg(v goja.Value) (*Conditions, error) {
	s := v.String()
	if goja.IsUndefined(v) || goja.IsNull(v) || s == "" {
		return nil, nil
	}
	var c Conditions
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return nil, fmt.Errorf("r2: onlyIf: %w", err)
	}
	return &c, nil
}

func (b *Bucket) jsHead(iso *isolates.Isolate, c goja.FunctionCall) goja.Value {
	key := c.Argument(0).String()
	return iso.Runtime().ToValue(iso.Async(func(context.Context) func(*goja.Runtime) (goja.Value, error) {
		o, err := b.store.Head(b.id, key)
		return func(vm *goja.Runtime) (goja.Value, error) {
			if err != nil {
				return nil, err
			}
			if o == nil {
				return goja.Null(), nil
			}
			return vm.ToValue(metaJSON(o)), nil
		}
	}))
}

// jsGet(key, range|null, conditions) resolves to null, or {meta, body,
// offset} with body null when a condition failed.
func (b *Bucket) jsGet(iso *isolates.Isolate, c goja.FunctionCall) goja.Value {
	vm := iso.Runtime()
	key := c.Argument(0).String()
	var rng *Range
	if r, ok := c.Argument(1).(*goja.Object); ok {
		rng = &Range{Offset: r.Get("offset").ToInteger(), Length: r.Get("length").ToInteger(), Suffix: r.Get("suffix").ToInteger()}
	}
	cond, err := conditionsArg(c.Argument(2))
	if err != nil {
		return vm.ToValue(iso.Rejected(err))
	}
	return vm.ToValue(iso.Async(func(context.Context) func(*goja.Runtime) (goja.Value, error) {
		o, body, offset, err := b.store.Get(b.id, key, rng, cond)
		return func(vm *goja.Runtime) (goja.Value, error) {
			if err != nil {
				return nil, err
			}
			if o == nil {
				return goja.Null(), nil
			}
			out := vm.NewObject()
			_ = out.Set("meta", metaJSON(o))
			_ = out.Set("offset", offset)
			if body == nil {
				_ = out.Set("body", goja.Null())
			} else {
				_ = out.Set("body", iso.NewUint8Array(body))
			}
			return out, nil
		}
	}))
}

// jsPut(key, bytes|string, httpMetadata JSON, customMetadata JSON,
// conditions) resolves to the object's metadata JSON, or null when a
// condition failed.
func (b *Bucket) jsPut(iso *isolates.Isolate, c goja.FunctionCall) goja.Value {
	vm := iso.Runtime()
	key := c.Argument(0).String()
	body := bodyBytes(vm, c.Argument(1))
	var httpMeta map[string]any
	var custom map[string]string
	err := json.Unmarshal([]byte(c.Argument(2).String()), &httpMeta)
	if err == nil {
		err = json.Unmarshal([]byte(c.Argument(3).String()), &custom)
	}
	if err == nil {
		err = checkHTTPMetadata(httpMeta)
	}
	var cond *Conditions
	if err == nil {
		cond, err = conditionsArg(c.Argument(4))
	}
	if err != nil {
		return vm.ToValue(iso.Rejected(err))
	}
	return vm.ToValue(iso.Async(func(context.Context) func(*goja.Runtime) (goja.Value, error) {
		o, err := b.store.Put(b.id, key, body, httpMeta, custom, cond)
		return func(vm *goja.Runtime) (goja.Value, error) {
			if err != nil {
				return nil, err
			}
			if o == nil {
				return goja.Null(), nil
			}
			return vm.ToValue(metaJSON(o)), nil
		}
	}))
}

func (b *Bucket) jsDelete(iso *isolates.Isolate, c goja.FunctionCall) goja.Value {
	vm := iso.Runtime()
	var keys []string
	if err := vm.ExportTo(c.Argument(0), &keys); err != nil {
		panic(vm.NewTypeError("r2: delete: %v", err))
	}
	return vm.ToValue(iso.Async(func(context.Context) func(*goja.Runtime) (goja.Value, error) {
		err := b.store.Delete(b.id, keys)
		return func(*goja.Runtime) (goja.Value, error) {
			if err != nil {
				return nil, err
			}
			return goja.Undefined(), nil
		}
	}))
}

func (b *Bucket) jsList(iso *isolates.Isolate, c goja.FunctionCall) goja.Value {
	vm := iso.Runtime()
	var opts ListOptions
	if err := json.Unmarshal([]byte(c.Argument(0).String()), &opts); err != nil {
		panic(vm.NewTypeError("r2: list: %v", err))
	}
	return vm.ToValue(iso.Async(func(context.Context) func(*goja.Runtime) (goja.Value, error) {
		res, err := b.store.List(b.id, opts)
		return func(vm *goja.Runtime) (goja.Value, error) {
			if err != nil {
				return nil, err
			}
			text, err := json.Marshal(res)
			if err != nil {
				return nil, err
			}
			return vm.ToValue(string(text)), nil
		}
	}))
}

// checkHTTPMetadata refuses HTTP metadata that would be written into a
// response header as it is (writeHttpMetadata, the served object): a CR, LF
// or NUL in it would split the header.
func checkHTTPMetadata(meta map[string]any) error {
	for k, v := range meta {
		s, ok := v.(string)
		if ok && strings.ContainsAny(s, "\r\n\x00") {
			return fmt.Errorf("r2 put: httpMetadata.%s: invalid header value (CR, LF and NUL are not allowed)", k)
		}
	}
	return nil
}
