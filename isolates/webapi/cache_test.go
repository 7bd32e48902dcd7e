package webapi

import (
	"testing"
	"time"
)

// Entries leave at their TTL; the store is bounded by bytes.
func TestCacheStorageExpiryAndBound(t *testing.T) {
	c := NewCacheStorage(4096)
	c.put("", "https://x/short", &cachedResponse{status: 200, body: []byte("s"), ttl: 50 * time.Millisecond})
	c.put("", "https://x/long", &cachedResponse{status: 200, body: []byte("l"), ttl: time.Hour})
	if _, ok := c.match("", "https://x/short"); !ok {
		t.Fatal("a fresh entry is missing")
	}
	time.Sleep(150 * time.Millisecond)
	if _, ok := c.match("", "https://x/short"); ok {
		t.Fatal("an entry outlived its TTL")
	}
	if r, ok := c.match("", "https://x/long"); !ok || string(r.body) != "l" {
		t.Fatal("a long-lived entry is missing")
	}
	for i := range 100 {
		c.put("", "https://x/big"+string(rune('a'+i%26))+string(rune('a'+i/26)), &cachedResponse{status: 200, body: make([]byte, 512), ttl: time.Hour})
	}
	c.store.CleanUp() // eviction may trail the writes
	if w := c.store.WeightedSize(); w > 4096 {
		t.Fatalf("the store holds %d bytes, over its bound of 4096", w)
	}
}
