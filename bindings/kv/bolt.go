package kv

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// BoltStore keeps every namespace of a project in one bbolt file: the
// zero-set-up default for dev and a single process.
type BoltStore struct {
	db  *bolt.DB
	now func() time.Time
}

// Open opens (creating it if needed) the store at path. Only one process
// can hold it: a second edgerun on the same project fails with a clear
// error rather than waiting.
func Open(path string, now func() time.Time) (*BoltStore, error) {
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
	return &BoltStore{db: db, now: now}, nil
}

func (s *BoltStore) Close() error { return s.db.Close() }

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

func (s *BoltStore) expired(e Entry) bool {
	return e.Expiration != 0 && e.Expiration <= s.now().Unix()
}

func (s *BoltStore) Get(ns string, keys []string) ([]*Entry, error) {
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

func (s *BoltStore) Put(ns, key string, e Entry) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte(ns))
		if err != nil {
			return err
		}
		return b.Put([]byte(key), encode(e))
	})
}

func (s *BoltStore) Delete(ns, key string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(ns))
		if b == nil {
			return nil
		}
		return b.Delete([]byte(key))
	})
}

func (s *BoltStore) List(ns, prefix string, limit int, cursor string) (keys []ListKey, next string, err error) {
	start := []byte(prefix)
	after := []byte(nil)
	if cursor != "" {
		if after, err = decodeCursor(cursor); err != nil {
			return nil, "", err
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
				next = encodeCursor(keys[len(keys)-1].Name)
				return nil
			}
			keys = append(keys, ListKey{Name: string(k), Expiration: e.Expiration, Metadata: e.Metadata})
		}
		return nil
	})
	return keys, next, err
}

func (s *BoltStore) Purge() (int, error) {
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
