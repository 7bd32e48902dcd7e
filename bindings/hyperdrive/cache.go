package hyperdrive

import (
	"context"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

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
	res        *result
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
	c.store.Set(key, &cacheEntry{res: r, size: uint32(size), stored: c.now(), gen: gen})
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
	var b strings.Builder
	b.Grow(len(db) + len(sql) + 16*len(args) + 2)
	b.WriteString(db)
	b.WriteByte(0)
	b.WriteString(sql)
	for _, a := range args {
		b.WriteByte(0)
		writeKeyValue(&b, a)
	}
	return b.String()
}

func writeKeyValue(b *strings.Builder, a any) {
	switch x := a.(type) {
	case nil:
		b.WriteString("n")
	case jsInt:
		b.WriteString("i")
		b.WriteString(strconv.FormatInt(int64(x), 10))
	case jsFloat:
		b.WriteString("f")
		b.WriteString(strconv.FormatFloat(float64(x), 'g', -1, 64))
	case jsBool:
		if x {
			b.WriteString("t")
		} else {
			b.WriteString("F")
		}
	case string:
		b.WriteString("s")
		b.WriteString(strconv.Itoa(len(x)))
		b.WriteByte(':')
		b.WriteString(x)
	case []byte:
		b.WriteString("x")
		b.WriteString(hex.EncodeToString(x))
	case time.Time:
		b.WriteString("d")
		b.WriteString(strconv.FormatInt(x.UnixNano(), 10))
	case *jsArray:
		writeKeyValue(b, x.elems)
		if x.json != "" { // [{a: 1}] and ['{"a":1}'] have the same elements, not the same JSON
			b.WriteString("j")
			b.WriteString(strconv.Itoa(len(x.json)))
			b.WriteByte(':')
			b.WriteString(x.json)
		}
	case []any:
		b.WriteString("a")
		b.WriteString(strconv.Itoa(len(x)))
		b.WriteByte('[')
		for _, e := range x {
			writeKeyValue(b, e)
			b.WriteByte(',')
		}
		b.WriteByte(']')
	default:
		fmt.Fprintf(b, "?%T:%v", x, x)
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
// isolate's own goroutine, with no query goroutine at all.
func (b *Binding) cacheHit(st *statement, args []any) (*result, bool) {
	c := b.cache
	if !st.info.Cacheable || !b.cacheTrusted() || b.strictCoherence() {
		return nil, false
	}
	key := cacheKey(b.dbID, st.raw, args)
	e, state := c.lookup(key)
	if state == miss {
		return nil, false
	}
	if state == staleOK {
		c.stale.Add(1)
		b.refresh(e, key, st, args)
	}
	c.hits.Add(1)
	return servedFromCache(e.res), true
}

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
			return servedFromCache(e.res), nil
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
