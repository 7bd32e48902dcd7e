package hyperdrive

import (
	"context"
	"encoding/hex"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/maypok86/otter/v2"
	"golang.org/x/sync/singleflight"
)

// queryCache caches read results with Hyperdrive's semantics (max_age,
// stale_while_revalidate, only cacheable single reads) and goes beyond them:
// memory is bounded by bytes (otter, weight-based eviction), concurrent
// identical misses run once (singleflight), and a write through the binding
// makes every cached read stale at once.
//
// Invalidation is one write generation for the whole binding, not per
// table: a write reaches tables its text does not name (through views,
// ON DELETE CASCADE, triggers, rules, functions), so only "every write
// invalidates every read" keeps the promise that a read after an
// acknowledged write never returns older data. An entry remembers the
// generation taken before its query ran; a write bumps the generation after
// it is applied (or may have been), so every entry filled before the write
// no longer matches.
type queryCache struct {
	cfg   CacheConfig
	now   func() time.Time
	store *otter.Cache[string, *cacheEntry]

	flight singleflight.Group

	gen atomic.Uint64 // write generation

	hits, misses, stale, evictions, uncacheableSize atomic.Int64
}

type cacheEntry struct {
	res *result
	// served is res as a cache hit answers it (servedFromCache), made once
	// at put: hits share it, and nothing changes a result once made.
	served     *result
	size       uint32
	stored     time.Time
	gen        uint64 // the write generation before the query ran
	refreshing atomic.Bool
}

func newQueryCache(cfg CacheConfig, now func() time.Time) (*queryCache, error) {
	c := &queryCache{cfg: cfg, now: now}
	store, err := otter.New(&otter.Options[string, *cacheEntry]{
		MaximumWeight: uint64(cfg.MaxBytes),
		Weigher:       func(_ string, e *cacheEntry) uint32 { return e.size },
		// Nothing is served past max_age + stale_while_revalidate.
		ExpiryCalculator: otter.ExpiryWriting[string, *cacheEntry](cfg.MaxAge + cfg.StaleWhileRevalidate),
		OnDeletion: func(e otter.DeletionEvent[string, *cacheEntry]) {
			if e.Cause == otter.CauseOverflow {
				c.evictions.Add(1)
			}
		},
	})
	if err != nil {
		return nil, err
	}
	c.store = store
	return c, nil
}

// writeGeneration is taken before a read runs: its result is current while
// no write has happened since.
func (c *queryCache) writeGeneration() uint64 { return c.gen.Load() }

// wrote records a write (applied, or possibly applied): every cached read
// is stale from now on.
func (c *queryCache) wrote() { c.gen.Add(1) }

type freshness int

const (
	miss freshness = iota
	fresh
	staleOK
)

func (c *queryCache) lookup(key string) (*cacheEntry, freshness) {
	e, ok := c.store.GetIfPresent(key)
	if !ok || e.gen != c.gen.Load() {
		return nil, miss
	}
	age := c.now().Sub(e.stored)
	switch {
	case age < c.cfg.MaxAge:
		return e, fresh
	case age < c.cfg.MaxAge+c.cfg.StaleWhileRevalidate:
		return e, staleOK
	}
	return nil, miss
}

func (c *queryCache) put(key string, r *result, gen uint64) {
	size := resultSize(r) + len(key)
	if int64(size) > c.cfg.MaxEntryBytes {
		c.uncacheableSize.Add(1)
		return
	}
	c.store.Set(key, &cacheEntry{res: r, served: servedFromCache(r), size: uint32(size), stored: c.now(), gen: gen})
}

// CacheStats is a snapshot of the cache's counters.
type CacheStats struct {
	Hits, Misses, Stale, Evictions, TooLarge int64
	Entries                                  int
	Bytes                                    uint64
	// Invalidation is the cross-instance listener's state with
	// caching.notify_channel: "listening" or "not listening" (reads
	// bypass the cache); "" without.
	Invalidation string
}

func (c *queryCache) stats() CacheStats {
	return CacheStats{
		Hits: c.hits.Load(), Misses: c.misses.Load(), Stale: c.stale.Load(), Evictions: c.evictions.Load(),
		TooLarge: c.uncacheableSize.Load(), Entries: c.store.EstimatedSize(), Bytes: c.store.WeightedSize(),
	}
}

// cacheKey identifies a read: the database, the SQL text, and every
// parameter with its type (so 1 and "1" differ).
func cacheKey(db, sql string, args []any) string {
	return string(appendCacheKey(make([]byte, 0, len(db)+len(sql)+16*len(args)+2), db, sql, args))
}

// appendCacheKey appends cacheKey's bytes to dst: a cache hit looks the key
// up in a reused buffer and makes no string of it (cacheHit).
func appendCacheKey(dst []byte, db, sql string, args []any) []byte {
	dst = append(dst, db...)
	dst = append(dst, 0)
	dst = append(dst, sql...)
	for _, a := range args {
		dst = append(dst, 0)
		dst = appendKeyValue(dst, a)
	}
	return dst
}

func appendKeyValue(b []byte, a any) []byte {
	switch x := a.(type) {
	case nil:
		return append(b, 'n')
	case jsInt:
		return strconv.AppendInt(append(b, 'i'), int64(x), 10)
	case jsFloat:
		return strconv.AppendFloat(append(b, 'f'), float64(x), 'g', -1, 64)
	case jsBool:
		if x {
			return append(b, 't')
		}
		return append(b, 'F')
	case string:
		b = strconv.AppendInt(append(b, 's'), int64(len(x)), 10)
		return append(append(b, ':'), x...)
	case []byte:
		return hex.AppendEncode(append(b, 'x'), x)
	case time.Time:
		return strconv.AppendInt(append(b, 'd'), x.UnixNano(), 10)
	case *jsArray:
		b = appendKeyValue(b, x.elems)
		if x.json != "" { // [{a: 1}] and ['{"a":1}'] have the same elements, not the same JSON
			b = strconv.AppendInt(append(b, 'j'), int64(len(x.json)), 10)
			b = append(append(b, ':'), x.json...)
		}
		return b
	case []any:
		b = strconv.AppendInt(append(b, 'a'), int64(len(x)), 10)
		b = append(b, '[')
		for _, e := range x {
			b = append(appendKeyValue(b, e), ',')
		}
		return append(b, ']')
	default:
		return fmt.Appendf(b, "?%T:%v", x, x)
	}
}

// resultSize estimates the bytes a result keeps alive.
func resultSize(r *result) int {
	n := 64 + len(r.command) + len(r.wireStmtDesc) + len(r.wireDesc) + len(r.wireRows)
	for _, c := range r.columns {
		n += len(c) + 16
	}
	for _, row := range r.rows {
		n += 24
		for _, v := range row {
			n += valueSize(v)
		}
	}
	return n
}

func valueSize(v any) int {
	switch x := v.(type) {
	case string:
		return 16 + len(x)
	case jsonText:
		return 16 + len(x)
	case jsBytes:
		return 24 + len(x)
	case []any:
		n := 24
		for _, e := range x {
			n += valueSize(e)
		}
		return n
	default:
		return 16
	}
}

// cacheTrusted: the cache exists and can know of every write: with
// caching.notify_channel, only while it is listening for other instances'.
func (b *Binding) cacheTrusted() bool {
	return b.cache != nil && (b.invalidator == nil || b.invalidator.listening.Load())
}

// strictCoherence: cached reads wait for a barrier (notify.go), so they
// are never answered synchronously from the cache.
func (b *Binding) strictCoherence() bool {
	return b.invalidator != nil && b.cfg.Cache.StrictCoherence
}

// cacheCurrent reports whether the cache may answer a read that begins
// now: always, unless strict coherence's barrier fails.
func (b *Binding) cacheCurrent(ctx context.Context) bool {
	return !b.strictCoherence() || b.invalidator.barrier(ctx)
}

// wrote records a write through the binding (applied, or possibly
// applied): every cached read is stale, here at once and, with
// caching.notify_channel, in other instances before this returns.
// notified: the write's own connection announced it already.
func (b *Binding) wrote(ctx context.Context, notified bool) {
	if b.cache == nil {
		return
	}
	b.cache.wrote()
	if b.invalidator != nil && !notified {
		b.invalidator.notify(ctx)
	}
}

// cacheHit returns the cached result for a cacheable read if there is a
// fresh one (or a stale one within stale_while_revalidate, whose refresh it
// starts), without running anything: the binding answers such reads on the
// isolate's own goroutine, with no query goroutine at all. keyBuf is the
// isolate's buffer for the key: a hit makes no key string (the cache keeps
// no key it is asked for, only those it stores).
func (b *Binding) cacheHit(st *statement, args []any, keyBuf *[]byte) (*result, bool) {
	c := b.cache
	if !st.info.Cacheable || !b.cacheTrusted() || b.strictCoherence() {
		return nil, false
	}
	buf := appendCacheKey((*keyBuf)[:0], b.dbID, st.raw, args)
	if cap(buf) <= maxKeyBuf { // a huge parameter's key is not kept for the isolate's life
		*keyBuf = buf
	}
	e, state := c.lookup(unsafe.String(unsafe.SliceData(buf), len(buf)))
	if state == miss {
		return nil, false
	}
	if state == staleOK {
		c.stale.Add(1)
		b.refresh(e, string(buf), st, args)
	}
	c.hits.Add(1)
	return e.served, true
}

// maxKeyBuf bounds the key buffer an isolate keeps between reads.
const maxKeyBuf = 4 << 10

// refresh re-runs a stale entry's query once, in the background.
func (b *Binding) refresh(e *cacheEntry, key string, st *statement, args []any) {
	if !e.refreshing.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer e.refreshing.Store(false)
		rctx, cancel := context.WithTimeout(context.Background(), b.cfg.QueryTimeout)
		defer cancel()
		_, _, _ = b.cache.flight.Do(key+"\x00refresh", func() (any, error) { return b.fill(rctx, key, st, args) })
	}()
}

// cachedRead serves a cacheable statement from the cache, or runs it once
// for every concurrent caller and stores the result.
func (b *Binding) cachedRead(ctx context.Context, st *statement, args []any) (*result, error) {
	c := b.cache
	key := cacheKey(b.dbID, st.raw, args)
	// Unsure what other instances wrote (a failed barrier): the read runs
	// as a miss, whose fresh result may be stored.
	if b.cacheCurrent(ctx) {
		if e, state := c.lookup(key); state != miss {
			if state == staleOK {
				c.stale.Add(1)
				b.refresh(e, key, st, args)
			}
			c.hits.Add(1)
			return e.served, nil
		}
	}
	c.misses.Add(1)
	// Concurrent identical misses share one query — but only those that
	// started after the same write: a read that begins after a write was
	// acknowledged must not be handed a result that may predate it.
	flightKey := key + "\x00" + strconv.FormatUint(c.writeGeneration(), 10)
	// The leader's query must not die with the leader's request: others
	// wait on it. It is still bounded by the query timeout.
	v, err, _ := c.flight.Do(flightKey, func() (any, error) { return b.fill(context.WithoutCancel(ctx), key, st, args) })
	if err != nil {
		return nil, err
	}
	return v.(*result), nil
}

// fill runs a cacheable read (through fillRunner: never on a replica) and
// stores its result. A lagging replica's result may predate a write this
// binding has acknowledged, and a cached copy would serve it to every
// request, the writer's included (a replica result that slips through is
// returned, not stored).
func (b *Binding) fill(ctx context.Context, key string, st *statement, args []any) (*result, error) {
	gen := b.cache.writeGeneration()
	r, err := b.fillRunner(st, args)(ctx)
	if err != nil {
		return nil, err
	}
	if r.servedBy != "replica" {
		b.cache.put(key, r, gen)
	}
	return r, nil
}

func servedFromCache(r *result) *result {
	cp := *r
	cp.cached = true
	cp.duration = 0
	return &cp
}
