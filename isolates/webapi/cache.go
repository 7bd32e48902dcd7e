package webapi

import (
	"strings"
	"time"

	"github.com/dop251/goja"
	"github.com/maypok86/otter/v2"
)

// CacheStorage holds what workers put in the Cache API (caches.default,
// caches.open(name)): one store per process, shared by every isolate, as
// one Workers location shares its cache. Memory is bounded; each entry
// lives for the TTL its response's headers give it (computed by the
// prelude from Cache-Control, Expires and the status, as Workers does).
type CacheStorage struct {
	store *otter.Cache[string, *cachedResponse]
}

type cachedResponse struct {
	status     int
	statusText string
	headers    string // "name\x00value\x00…", as the prelude flattens Headers
	body       []byte
	ttl        time.Duration
}

// NewCacheStorage returns a store bounded to maxBytes.
func NewCacheStorage(maxBytes int64) *CacheStorage {
	store := otter.Must(&otter.Options[string, *cachedResponse]{
		MaximumWeight: uint64(maxBytes),
		Weigher: func(key string, r *cachedResponse) uint32 {
			n := len(key) + len(r.body) + len(r.statusText) + 64
			return uint32(min(n+len(r.headers), 1<<31))
		},
		ExpiryCalculator: otter.ExpiryWritingFunc(func(e otter.Entry[string, *cachedResponse]) time.Duration {
			return e.Value.ttl
		}),
	})
	return &CacheStorage{store: store}
}

// defaultCaches serves isolates whose host gave no CacheStorage.
var defaultCaches = NewCacheStorage(64 << 20)

func cacheKey(name, url string) string { return name + "\x00" + url }

func (c *CacheStorage) put(name, url string, r *cachedResponse) {
	c.store.Set(cacheKey(name, url), r)
}

func (c *CacheStorage) match(name, url string) (*cachedResponse, bool) {
	return c.store.GetIfPresent(cacheKey(name, url))
}

func (c *CacheStorage) delete(name, url string) bool {
	_, ok := c.store.Invalidate(cacheKey(name, url))
	return ok
}

// invalidCacheKey is workerd's message for a key its cache cannot hold.
const invalidCacheKey = "Invalid URL. Cache API keys must be fully-qualified, valid URLs."

// isCacheableURL reports whether url, a serialized URL, can key the cache:
// an http or https URL with a host. Workers' cache sits behind HTTP and
// cannot hold file:, data: or other keys; checking here keeps the rule
// whatever the JS side passed.
func isCacheableURL(url string) bool {
	scheme, rest, ok := strings.Cut(url, "://")
	if !ok || !strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") {
		return false
	}
	return rest != "" && rest[0] != '/' && rest[0] != '?' && rest[0] != '#'
}

// cacheURL is the key argument of a Cache native, or a TypeError thrown
// into the script.
func (w *Worker) cacheURL(v goja.Value) string {
	url := v.String()
	if !isCacheableURL(url) {
		panic(w.vm.NewTypeError(invalidCacheKey))
	}
	return url
}

// cacheNatives are cache.js's Cache API primitives: put(name, url,
// status, statusText, flatHeaders, body, ttlSeconds), match(name, url)
// → {status, statusText, headers, body} or null, delete(name, url) → bool.
func (w *Worker) cacheNatives(set nativeSet) {
	vm := w.vm
	set("cachePut", func(c goja.FunctionCall) goja.Value {
		url := w.cacheURL(c.Argument(1))
		ttl := time.Duration(c.Argument(6).ToFloat() * float64(time.Second))
		if ttl <= 0 {
			return goja.Undefined()
		}
		w.caches.put(c.Argument(0).String(), url, &cachedResponse{
			status: int(c.Argument(2).ToInteger()), statusText: c.Argument(3).String(),
			headers: c.Argument(4).String(), body: append([]byte(nil), w.bytesArg(c.Argument(5))...), ttl: ttl,
		})
		return goja.Undefined()
	})
	set("cacheMatch", func(c goja.FunctionCall) goja.Value {
		r, ok := w.caches.match(c.Argument(0).String(), w.cacheURL(c.Argument(1)))
		if !ok {
			return goja.Null()
		}
		out := vm.NewObject()
		_ = out.Set("status", r.status)
		_ = out.Set("statusText", r.statusText)
		_ = out.Set("headers", r.headers)
		_ = out.Set("body", w.newUint8Array(append([]byte(nil), r.body...)))
		return out
	})
	set("cacheDelete", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(w.caches.delete(c.Argument(0).String(), w.cacheURL(c.Argument(1))))
	})
}
