// Package kv is the Workers KV binding ([[kv_namespaces]]). The JS API is
// Workers': get (text, json, arrayBuffer, stream; one key or up to 100),
// getWithMetadata, put (expiration, expirationTtl, metadata), delete and
// list (prefix, limit, cursor), with KV's limits and error messages.
//
// A namespace's keys live in a Store. BoltStore (bolt.go) keeps them as
// wrangler dev keeps local KV: one bbolt file under the project's
// .edgerun/state, which one process owns. PostgresStore (postgres.go) keeps
// them in a table of a PostgreSQL database, so several edgerun processes
// (a fleet behind a load balancer) share them. Both pass the same test
// table (kv_test.go).
package kv

import (
	"encoding/base64"
	"errors"
)

// KV's limits, as Workers and wrangler dev enforce them (the JS side
// checks them before a store is asked, so every store has them).
const (
	MaxKeyBytes      = 512
	MaxValueBytes    = 25 << 20
	MaxMetadataBytes = 1024
	MaxListKeys      = 1000
	MaxBulkKeys      = 100
	MinTTLSeconds    = 60
)

// Store holds the keys of namespaces. Reads never return an expired entry,
// whether or not Purge has removed it yet.
type Store interface {
	// Get returns the live entries of keys in namespace ns (nil for a
	// missing or expired key), in the order of keys.
	Get(ns string, keys []string) ([]*Entry, error)
	// Put stores e under key in namespace ns, replacing what was there.
	Put(ns, key string, e Entry) error
	// Delete removes key from namespace ns (nothing if it is not there).
	Delete(ns, key string) error
	// List returns up to limit live keys of namespace ns that start with
	// prefix, in byte order, after the position cursor names; next is the
	// cursor of the following page, "" when this one is the last. A cursor
	// the store did not make is ErrInvalidCursor.
	List(ns, prefix string, limit int, cursor string) (keys []ListKey, next string, err error)
	// Purge deletes expired entries of every namespace; it returns how many.
	Purge() (int, error)
	// Close releases the store's file or connections.
	Close() error
}

var (
	_ Store = (*BoltStore)(nil)
	_ Store = (*PostgresStore)(nil)
)

// Entry is a stored value with its expiration (Unix seconds, 0 for none)
// and metadata (JSON text, "" for none).
type Entry struct {
	Value      []byte
	Expiration int64
	Metadata   string
}

// ListKey is one key of a List page.
type ListKey struct {
	Name       string
	Expiration int64
	Metadata   string
}

// ErrInvalidCursor is a list cursor this store did not make.
var ErrInvalidCursor = errors.New("Invalid cursor")

// A cursor is the last key of the page it ends, so a page is the keys
// after it: stable while keys are added or removed between pages, and the
// same in every store (a cursor from one process works on another).
func encodeCursor(lastKey string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(lastKey))
}

func decodeCursor(cursor string) ([]byte, error) {
	after, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, ErrInvalidCursor
	}
	return after, nil
}
