// Package kv is the Workers KV binding ([[kv_namespaces]]), kept locally as
// wrangler dev keeps it: every namespace in one bbolt file under the
// project's .edgerun/state, so values survive restarts. The JS API is
// Workers': get (text, json, arrayBuffer, stream; one key or up to 100),
// getWithMetadata, put (expiration, expirationTtl, metadata), delete and
// list (prefix, limit, cursor), with KV's limits and error messages.
package kv

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// KV's limits, as Workers and wrangler dev enforce them.
const (
	MaxKeyBytes      = 512
	MaxValueBytes    = 25 << 20
	MaxMetadataBytes = 1024
	MaxListKeys      = 1000
	MaxBulkKeys      = 100
	MinTTLSeconds    = 60
)

// Store is the file every namespace of a project lives in.
type Store struct {
	db  *bolt.DB
	now func() time.Time
}

// Open opens (creating it if needed) the store at path. Only one process
// can hold it: a second edgerun on the same project fails with a clear
// error rather than waiting.
func Open(path string, now func() time.Time) (*Store, error) {
	if now == nil {
		now = time.Now
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("kv: %w", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("kv: %s is in use by another process (another edgerun on this project?)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("kv: opening %s: %w", path, err)
	}
	return &Store{db: db, now: now}, nil
}

// Close closes the file.
func (s *Store) Close() error { return s.db.Close() }

// Entry is a stored value with its expiration (Unix seconds, 0 for none)
// and metadata (JSON text, "" for none).
type Entry struct {
	Value      []byte
	Expiration int64
	Metadata   string
}

// Record layout: a version byte, the expiration (int64), the metadata's
// length (uint32) and text, then the value.
const recordVersion = 1

func encode(e Entry) []byte {
	b := make([]byte, 0, 13+len(e.Metadata)+len(e.Value))
	b = append(b, recordVersion)
	b = binary.BigEndian.AppendUint64(b, uint64(e.Expiration))
	b = binary.BigEndian.AppendUint32(b, uint32(len(e.Metadata)))
	b = append(b, e.Metadata...)
	return append(b, e.Value...)
}

// decode parses a record; withValue false skips copying the value (list).
func decode(rec []byte, withValue bool) (Entry, error) {
	if len(rec) < 13 || rec[0] != recordVersion {
		return Entry{}, errors.New("kv: corrupt record")
	}
	e := Entry{Expiration: int64(binary.BigEndian.Uint64(rec[1:]))}
	n := int(binary.BigEndian.Uint32(rec[9:]))
	if 13+n > len(rec) {
		return Entry{}, errors.New("kv: corrupt record")
	}
	e.Metadata = string(rec[13 : 13+n])
	if withValue {
		e.Value = bytes.Clone(rec[13+n:])
		if e.Value == nil {
			e.Value = []byte{}
		}
	}
	return e, nil
}

func (s *Store) expired(e Entry) bool {
	return e.Expiration != 0 && e.Expiration <= s.now().Unix()
}

// Get returns the live entries of keys in namespace ns (nil for a missing
// or expired key).
func (s *Store) Get(ns string, keys []string) ([]*Entry, error) {
	out := make([]*Entry, len(keys))
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(ns))
		if b == nil {
			return nil
		}
		for i, k := range keys {
			rec := b.Get([]byte(k))
			if rec == nil {
				continue
			}
			e, err := decode(rec, true)
			if err != nil {
				return fmt.Errorf("%w (key %q)", err, k)
			}
			if !s.expired(e) {
				out[i] = &e
			}
		}
		return nil
	})
	return out, err
}

// Put stores e under key in namespace ns.
func (s *Store) Put(ns, key string, e Entry) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte(ns))
		if err != nil {
			return err
		}
		return b.Put([]byte(key), encode(e))
	})
}

// Delete removes key from namespace ns (nothing if it is not there).
func (s *Store) Delete(ns, key string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(ns))
		if b == nil {
			return nil
		}
		return b.Delete([]byte(key))
	})
}

// ListKey is one key of a List page.
type ListKey struct {
	Name       string
	Expiration int64
	Metadata   string
}

// List returns up to limit live keys of namespace ns that start with
// prefix, in byte order, after the position cursor names; next is the
// cursor of the following page, "" when this one is the last.
func (s *Store) List(ns, prefix string, limit int, cursor string) (keys []ListKey, next string, err error) {
	start := []byte(prefix)
	after := []byte(nil)
	if cursor != "" {
		after, err = base64.RawURLEncoding.DecodeString(cursor)
		if err != nil {
			return nil, "", ErrInvalidCursor
		}
		if bytes.Compare(after, start) > 0 {
			start = after
		}
	}
	keys = []ListKey{}
	err = s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(ns))
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, rec := c.Seek(start); k != nil && bytes.HasPrefix(k, []byte(prefix)); k, rec = c.Next() {
			if after != nil && bytes.Compare(k, after) <= 0 {
				continue
			}
			e, err := decode(rec, false)
			if err != nil {
				return fmt.Errorf("%w (key %q)", err, k)
			}
			if s.expired(e) {
				continue
			}
			if len(keys) == limit {
				next = base64.RawURLEncoding.EncodeToString([]byte(keys[len(keys)-1].Name))
				return nil
			}
			keys = append(keys, ListKey{Name: string(k), Expiration: e.Expiration, Metadata: e.Metadata})
		}
		return nil
	})
	return keys, next, err
}

// ErrInvalidCursor is a list cursor this store did not make.
var ErrInvalidCursor = errors.New("Invalid cursor")

// Purge deletes expired entries of every namespace; it returns how many.
func (s *Store) Purge() (int, error) {
	n := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
			c := b.Cursor()
			for k, rec := c.First(); k != nil; {
				e, err := decode(rec, false)
				if err == nil && s.expired(e) {
					if err := c.Delete(); err != nil {
						return err
					}
					n++
					k, rec = c.Seek(k) // Delete moves the cursor: continue from where the key was
					continue
				}
				k, rec = c.Next()
			}
			return nil
		})
	})
	return n, err
}
