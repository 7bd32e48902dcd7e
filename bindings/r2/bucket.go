package r2

import (
	"bytes"
	"context"
	"crypto/md5"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/dop251/goja"

	"edgerun/bindings"
	"edgerun/isolates"
	"edgerun/isolates/webapi"
)

//go:embed js/r2.js
var shimSource string

// shimProgram is compiled on first use, not at package init: a process
// whose project has no such binding never pays for it.
var shimProgram = sync.OnceValue(func() *goja.Program { return goja.MustCompile("edgerun:r2.js", shimSource, true) })

// Bucket is one [[r2_buckets]] binding: env[Name] in every isolate, its
// objects kept in the store's bucket ID.
type Bucket struct {
	name  string
	id    string
	store Store
}

var _ bindings.Binding = (*Bucket)(nil)

// NewBucket binds bucket id of store to the env name.
func NewBucket(store Store, name, id string) *Bucket {
	return &Bucket{name: name, id: id, store: store}
}

func (b *Bucket) Name() string { return b.name }

// Store is where the bucket's objects live, and BucketID the bucket's name
// there.
func (b *Bucket) Store() Store     { return b.store }
func (b *Bucket) BucketID() string { return b.id }

// Close does nothing: the store belongs to whoever opened it.
func (b *Bucket) Close(context.Context) error { return nil }

// Value builds env[Name] for one isolate.
func (b *Bucket) Value(iso *isolates.Isolate) (goja.Value, error) {
	vm := iso.Runtime()
	native := vm.NewObject()
	_ = native.Set("byteLength", func(s string) int { return len(s) })
	_ = native.Set("head", func(c goja.FunctionCall) goja.Value { return b.jsHead(iso, c) })
	_ = native.Set("get", func(c goja.FunctionCall) goja.Value { return b.jsGet(iso, c) })
	_ = native.Set("put", func(c goja.FunctionCall) goja.Value { return b.jsPut(iso, c) })
	_ = native.Set("delete", func(c goja.FunctionCall) goja.Value { return b.jsDelete(iso, c) })
	_ = native.Set("list", func(c goja.FunctionCall) goja.Value { return b.jsList(iso, c) })
	_ = native.Set("createMultipartUpload", func(c goja.FunctionCall) goja.Value { return b.jsCreateMultipart(iso, c) })
	_ = native.Set("uploadPart", func(c goja.FunctionCall) goja.Value { return b.jsUploadPart(iso, c) })
	_ = native.Set("completeMultipartUpload", func(c goja.FunctionCall) goja.Value { return b.jsComplete(iso, c) })
	_ = native.Set("abortMultipartUpload", func(c goja.FunctionCall) goja.Value { return b.jsAbort(iso, c) })
	fn, err := vm.RunProgram(shimProgram())
	if err != nil {
		return nil, err
	}
	f, _ := goja.AssertFunction(fn)
	return f(goja.Undefined(), native)
}

// async runs work off the isolate and resolves with toJS of its result;
// an R2 error rejects with op named in its message.
func async[T any](iso *isolates.Isolate, op string, work func(context.Context) (T, error), toJS func(*goja.Runtime, T) goja.Value) goja.Value {
	return iso.Runtime().ToValue(iso.Async(func(ctx context.Context) func(*goja.Runtime) (goja.Value, error) {
		v, err := work(ctx)
		return func(vm *goja.Runtime) (goja.Value, error) {
			if err != nil {
				return nil, withOp(op, err)
			}
			return toJS(vm, v), nil
		}
	}))
}

// chargeBody counts a get's n body bytes against the isolate's memory
// limit, as a fetch() body's are. Bodies already dropped but not yet
// collected would refuse too soon, so a refusal is final only after a
// collection.
func chargeBody(iso *isolates.Isolate, n int) bool {
	if iso.ChargeBuffer(int64(n)) {
		return true
	}
	runtime.GC()
	for range 20 { // cleanups give the bytes back on their own goroutine
		if iso.ChargeBuffer(int64(n)) {
			return true
		}
		time.Sleep(time.Millisecond)
	}
	return false
}

// bodyBytes is a string's UTF-8 or a Uint8Array's bytes (copied: the
// script may change its array while a store writes them).
func bodyBytes(vm *goja.Runtime, v goja.Value) []byte {
	if s, ok := isolates.Export(v).(string); ok {
		return []byte(s)
	}
	b, err := isolates.ViewBytes(vm, v)
	if err != nil {
		panic(vm.NewTypeError("r2: %v", err))
	}
	return bytes.Clone(b)
}

// errUnknownLength is workerd's refusal of a stream whose length is not
// known: R2 needs it before the first byte.
const errUnknownLength = "Provided readable stream must have a known length (request/response body or readable half of FixedLengthStream)"

// putBody is a put's or an uploadPart's body: bytes held whole, or a
// script's stream read as the store writes it.
type putBody struct {
	body Body
	up   *webapi.StreamUpload
}

// bodyArg reads a body argument (loop only): a string, bytes (one copy),
// or a ReadableStream of known length, whose reading starts now and goes
// at the store's pace (webapi.ReadStream: at most 1 MiB waits). A stream
// of unknown length throws workerd's TypeError.
func bodyArg(iso *isolates.Isolate, v goja.Value) putBody {
	vm := iso.Runtime()
	if obj, ok := v.(*goja.Object); ok && !iso.IsArrayBuffer(obj) && !iso.IsView(obj) {
		up, n, err := webapi.ReadStream(iso, obj)
		if errors.Is(err, webapi.ErrUnknownLength) {
			panic(vm.NewTypeError(errUnknownLength))
		}
		if err != nil {
			panic(iso.ToJSError(err))
		}
		return putBody{body: Body{Size: n}, up: up}
	}
	return putBody{body: BytesBody(bodyBytes(vm, v))}
}

// open is the body to hand the store, off the loop.
func (p putBody) open(ctx context.Context) Body {
	if p.up != nil {
		p.body.R = p.up.Reader(ctx)
	}
	return p.body
}

// done cancels the script's stream if the store did not read it all (a
// failed condition, an error).
func (p putBody) done() {
	if p.up != nil {
		p.up.Cancel()
	}
}

// metaValue is an object's metadata as JSON text, null for none.
func metaValue(vm *goja.Runtime, o *Object) goja.Value {
	if o == nil {
		return goja.Null()
	}
	b, _ := json.Marshal(o)
	return vm.ToValue(string(b))
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
	if len(c.EtagMatches)+len(c.EtagDoesNotMatch) == 0 && c.UploadedBefore == nil && c.UploadedAfter == nil {
		return nil, nil // Headers without conditional ones: no condition (and no look first, on S3)
	}
	return &c, nil
}

// metadataArgs reads httpMetadata and customMetadata, JSON text both.
func metadataArgs(httpArg, customArg goja.Value) (Metadata, error) {
	var m Metadata
	err := json.Unmarshal([]byte(httpArg.String()), &m.HTTP)
	if err == nil {
		err = json.Unmarshal([]byte(customArg.String()), &m.Custom)
	}
	if err == nil {
		err = checkHTTPMetadata(m.HTTP)
	}
	return m, err
}

func (b *Bucket) jsHead(iso *isolates.Isolate, c goja.FunctionCall) goja.Value {
	key := c.Argument(0).String()
	return async(iso, "head", func(ctx context.Context) (*Object, error) { return b.store.Head(ctx, b.id, key) }, metaValue)
}

// got is a get's answer.
type got struct {
	o      *Object
	body   []byte
	offset int64
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
	return async(iso, "get", func(ctx context.Context) (got, error) {
		o, body, offset, err := b.store.Get(ctx, b.id, key, rng, cond)
		if err == nil && len(body) > 0 && !chargeBody(iso, len(body)) {
			return got{}, fmt.Errorf("r2 get %q: the body's %d bytes would take the worker past its memory limit (memory_mb); read it in ranges", key, len(body))
		}
		return got{o, body, offset}, err
	}, func(vm *goja.Runtime, g got) goja.Value {
		if g.o == nil {
			return goja.Null()
		}
		out := vm.NewObject()
		_ = out.Set("meta", metaValue(vm, g.o))
		_ = out.Set("offset", g.offset)
		if g.body == nil {
			_ = out.Set("body", goja.Null())
		} else {
			iso.KeepCharged(g.body, int64(len(g.body))) // charged until the script's ArrayBuffer is collected
			_ = out.Set("body", iso.NewUint8Array(g.body))
		}
		return out
	})
}

// jsPut(key, bytes|string|stream, md5 hex|null, httpMetadata JSON,
// customMetadata JSON, conditions) resolves to the object's metadata JSON, or null when a
// condition failed.
func (b *Bucket) jsPut(iso *isolates.Isolate, c goja.FunctionCall) goja.Value {
	vm := iso.Runtime()
	key := c.Argument(0).String()
	meta, err := metadataArgs(c.Argument(3), c.Argument(4))
	var cond *Conditions
	if err == nil {
		cond, err = conditionsArg(c.Argument(5))
	}
	var want []byte
	if m := c.Argument(2); err == nil && !goja.IsNull(m) && !goja.IsUndefined(m) {
		if want, err = hex.DecodeString(m.String()); err != nil || len(want) != md5.Size {
			want, err = []byte("not an MD5"), nil // matches no body: R2's mismatch error
		}
	}
	if err != nil {
		return vm.ToValue(iso.Rejected(err))
	}
	body := bodyArg(iso, c.Argument(1))
	body.body.MD5 = want
	return async(iso, "put", func(ctx context.Context) (*Object, error) {
		defer body.done()
		return b.store.Put(ctx, b.id, key, body.open(ctx), meta, cond)
	}, metaValue)
}

func undefined(*goja.Runtime, struct{}) goja.Value { return goja.Undefined() }

func (b *Bucket) jsDelete(iso *isolates.Isolate, c goja.FunctionCall) goja.Value {
	vm := iso.Runtime()
	var keys []string
	if err := vm.ExportTo(c.Argument(0), &keys); err != nil {
		panic(vm.NewTypeError("r2: delete: %v", err))
	}
	return async(iso, "delete", func(ctx context.Context) (struct{}, error) {
		return struct{}{}, b.store.Delete(ctx, b.id, keys)
	}, undefined)
}

func (b *Bucket) jsList(iso *isolates.Isolate, c goja.FunctionCall) goja.Value {
	vm := iso.Runtime()
	var opts ListOptions
	if err := json.Unmarshal([]byte(c.Argument(0).String()), &opts); err != nil {
		panic(vm.NewTypeError("r2: list: %v", err))
	}
	return async(iso, "list", func(ctx context.Context) (string, error) {
		res, err := b.store.List(ctx, b.id, opts)
		if err != nil {
			return "", err
		}
		text, err := json.Marshal(res)
		return string(text), err
	}, func(vm *goja.Runtime, s string) goja.Value { return vm.ToValue(s) })
}

func stringValue(vm *goja.Runtime, s string) goja.Value { return vm.ToValue(s) }

// jsCreateMultipart(key, httpMetadata JSON, customMetadata JSON) resolves
// to the upload's id.
func (b *Bucket) jsCreateMultipart(iso *isolates.Isolate, c goja.FunctionCall) goja.Value {
	key := c.Argument(0).String()
	meta, err := metadataArgs(c.Argument(1), c.Argument(2))
	if err != nil {
		return iso.Runtime().ToValue(iso.Rejected(err))
	}
	return async(iso, "createMultipartUpload", func(ctx context.Context) (string, error) {
		return b.store.CreateMultipartUpload(ctx, b.id, key, meta)
	}, stringValue)
}

// jsUploadPart(key, uploadId, partNumber, bytes|string|stream) resolves to the
// part's etag.
func (b *Bucket) jsUploadPart(iso *isolates.Isolate, c goja.FunctionCall) goja.Value {
	key, id, n := c.Argument(0).String(), c.Argument(1).String(), int(c.Argument(2).ToInteger())
	body := bodyArg(iso, c.Argument(3))
	return async(iso, "uploadPart", func(ctx context.Context) (string, error) {
		defer body.done()
		return b.store.UploadPart(ctx, b.id, key, id, n, body.open(ctx))
	}, stringValue)
}

// jsComplete(key, uploadId, parts JSON) resolves to the object's metadata.
func (b *Bucket) jsComplete(iso *isolates.Isolate, c goja.FunctionCall) goja.Value {
	key, id := c.Argument(0).String(), c.Argument(1).String()
	var parts []Part
	if err := json.Unmarshal([]byte(c.Argument(2).String()), &parts); err != nil {
		return iso.Runtime().ToValue(iso.Rejected(fmt.Errorf("r2: complete: %w", err)))
	}
	return async(iso, "completeMultipartUpload", func(ctx context.Context) (*Object, error) {
		return b.store.CompleteMultipartUpload(ctx, b.id, key, id, parts)
	}, metaValue)
}

func (b *Bucket) jsAbort(iso *isolates.Isolate, c goja.FunctionCall) goja.Value {
	key, id := c.Argument(0).String(), c.Argument(1).String()
	return async(iso, "abortMultipartUpload", func(ctx context.Context) (struct{}, error) {
		return struct{}{}, b.store.AbortMultipartUpload(ctx, b.id, key, id)
	}, undefined)
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
