// Package r2 is the R2 binding ([[r2_buckets]]), kept locally as
// wrangler dev keeps it: object bodies as files and their metadata in a
// bbolt index under the project's .edgerun/state, so objects survive
// restarts. The JS API is Workers': head, get (ranges, conditions), put
// (HTTP and custom metadata, conditions), delete (one key or many) and
// list (prefix, cursor, startAfter, delimiter, include).
package r2

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// R2's limits.
const (
	MaxKeyBytes            = 1024
	MaxCustomMetadataBytes = 2048
	MaxListKeys            = 1000
)

// Store holds every bucket of a project: metadata in one bbolt file, each
// object's body in a file of its own under blobs.
type Store struct {
	db    *bolt.DB
	blobs string
	now   func() time.Time
}

// Open opens (creating them if needed) the index at dir/r2.db and the
// bodies under dir/r2. One process holds the index.
func Open(dir string, now func() time.Time) (*Store, error) {
	if now == nil {
		now = time.Now
	}
	blobs := filepath.Join(dir, "r2")
	if err := os.MkdirAll(blobs, 0o755); err != nil {
		return nil, fmt.Errorf("r2: %w", err)
	}
	path := filepath.Join(dir, "r2.db")
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("r2: %s is in use by another process (another edgerun on this project?)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("r2: opening %s: %w", path, err)
	}
	s := &Store{db: db, blobs: blobs, now: now}
	if err := s.sweep(); err != nil {
		db.Close()
		return nil, fmt.Errorf("r2: %w", err)
	}
	return s, nil
}

// Close closes the index.
func (s *Store) Close() error { return s.db.Close() }

// Object is an object's metadata, as JSON for the JS side.
type Object struct {
	Key            string            `json:"key"`
	Version        string            `json:"version"`
	Size           int64             `json:"size"`
	ETag           string            `json:"etag"`     // hex MD5 of the body
	Uploaded       int64             `json:"uploaded"` // Unix milliseconds
	HTTPMetadata   map[string]any    `json:"httpMetadata"`
	CustomMetadata map[string]string `json:"customMetadata"`
	Blob           string            `json:"-"`
}

// record is what the index keeps per key.
type record struct {
	Object
	Blob string `json:"blob"`
}

// Conditions are put's and get's onlyIf.
type Conditions struct {
	EtagMatches      []string `json:"etagMatches,omitempty"`
	EtagDoesNotMatch []string `json:"etagDoesNotMatch,omitempty"`
	UploadedBefore   *int64   `json:"uploadedBefore,omitempty"` // Unix ms; nil for none
	UploadedAfter    *int64   `json:"uploadedAfter,omitempty"`
}

// holds reports whether o (nil: no such object) meets the conditions.
// etagMatches compares strongly (a weak W/"…" never matches), as
// If-Match does; etagDoesNotMatch weakly, as If-None-Match does.
func (c *Conditions) holds(o *Object) bool {
	if c == nil {
		return true
	}
	match := func(list []string, strong bool) bool {
		for _, e := range list {
			e = strings.TrimSpace(e)
			if strings.HasPrefix(e, "W/") {
				if strong {
					continue
				}
				e = e[2:]
			}
			e = strings.Trim(e, `"`)
			if e == "*" || o != nil && e == o.ETag {
				return true
			}
		}
		return false
	}
	if o == nil {
		// Only "if none matches" can hold for an object that is not there
		// (put's create-if-absent); every other condition needs one.
		return len(c.EtagMatches) == 0 && c.UploadedBefore == nil && c.UploadedAfter == nil
	}
	if len(c.EtagMatches) > 0 && !match(c.EtagMatches, true) {
		return false
	}
	if len(c.EtagDoesNotMatch) > 0 && match(c.EtagDoesNotMatch, false) {
		return false
	}
	// HTTP semantics: a matching ETag settles it, the dates only count
	// without one (If-Match wins over If-Unmodified-Since, If-None-Match
	// over If-Modified-Since).
	if c.UploadedBefore != nil && len(c.EtagMatches) == 0 && o.Uploaded >= *c.UploadedBefore {
		return false
	}
	if c.UploadedAfter != nil && len(c.EtagDoesNotMatch) == 0 && o.Uploaded <= *c.UploadedAfter {
		return false
	}
	return true
}

func (s *Store) lookup(tx *bolt.Tx, bucket, key string) (*Object, error) {
	b := tx.Bucket([]byte(bucket))
	if b == nil {
		return nil, nil
	}
	v := b.Get([]byte(key))
	if v == nil {
		return nil, nil
	}
	return decodeRecord(key, v)
}

// decodeRecord reads an index entry: the object, with the name of its body
// file (which the JS side never sees).
func decodeRecord(key string, v []byte) (*Object, error) {
	var r record
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, fmt.Errorf("r2: corrupt index entry for %q: %w", key, err)
	}
	r.Object.Blob = r.Blob
	return &r.Object, nil
}

// Head returns key's metadata, nil when there is no such object.
func (s *Store) Head(bucket, key string) (*Object, error) {
	var o *Object
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		o, err = s.lookup(tx, bucket, key)
		return err
	})
	return o, err
}

// Range is a byte range of a get: Offset and Length, or the last Suffix
// bytes. Length -1 is "to the end".
type Range struct {
	Offset, Length, Suffix int64
}

// ErrRangeNotSatisfiable is a range outside the object.
var ErrRangeNotSatisfiable = errors.New("get: The requested range is not satisfiable. (10039)")

// Get returns key's metadata and, when cond holds, the bytes of rng (the
// whole body when rng is nil) and the range they are; body is nil when a
// condition failed, o is nil when there is no such object.
func (s *Store) Get(bucket, key string, rng *Range, cond *Conditions) (o *Object, body []byte, offset int64, err error) {
	// A put or delete may replace the body between the index lookup and
	// the open: look again (the new object, or none).
	for attempt := 0; ; attempt++ {
		o, body, offset, err = s.get(bucket, key, rng, cond)
		if !errors.Is(err, fs.ErrNotExist) || attempt == 3 {
			return o, body, offset, err
		}
	}
}

func (s *Store) get(bucket, key string, rng *Range, cond *Conditions) (o *Object, body []byte, offset int64, err error) {
	o, err = s.Head(bucket, key)
	if err != nil || o == nil || !cond.holds(o) {
		return o, nil, 0, err
	}
	offset, length := int64(0), o.Size
	if rng != nil {
		switch {
		case rng.Suffix != 0:
			if rng.Suffix < 0 {
				return nil, nil, 0, ErrRangeNotSatisfiable
			}
			offset = max(0, o.Size-rng.Suffix)
			length = o.Size - offset
		default:
			if rng.Offset < 0 || rng.Offset > o.Size || rng.Offset == o.Size && o.Size > 0 || rng.Length < -1 {
				return nil, nil, 0, ErrRangeNotSatisfiable
			}
			offset = rng.Offset
			length = o.Size - offset
			if rng.Length >= 0 {
				length = min(rng.Length, length)
			}
		}
	}
	f, err := os.Open(filepath.Join(s.blobs, o.Blob))
	if err != nil {
		return nil, nil, 0, fmt.Errorf("r2: body of %q: %w", key, err)
	}
	defer f.Close()
	body = make([]byte, length)
	if _, err := f.ReadAt(body, offset); err != nil && !(errors.Is(err, io.EOF) && length == 0) {
		return nil, nil, 0, fmt.Errorf("r2: body of %q: %w", key, err)
	}
	return o, body, offset, nil
}

// Put stores body under key when cond holds; nil when it does not.
func (s *Store) Put(bucket, key string, body []byte, httpMetadata map[string]any, custom map[string]string, cond *Conditions) (*Object, error) {
	sum := md5.Sum(body)
	blob := randomHex(16)
	tmp := filepath.Join(s.blobs, blob+".tmp")
	if err := writeSynced(tmp, body); err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("r2: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(s.blobs, blob)); err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("r2: %w", err)
	}
	if httpMetadata == nil {
		httpMetadata = map[string]any{}
	}
	if custom == nil {
		custom = map[string]string{}
	}
	o := &Object{Key: key, Version: randomHex(16), Size: int64(len(body)), ETag: hex.EncodeToString(sum[:]),
		Uploaded: s.now().UnixMilli(), HTTPMetadata: httpMetadata, CustomMetadata: custom, Blob: blob}
	var old string
	stored := false
	err := s.db.Update(func(tx *bolt.Tx) error {
		prev, err := s.lookup(tx, bucket, key)
		if err != nil {
			return err
		}
		if !cond.holds(prev) {
			return nil
		}
		b, err := tx.CreateBucketIfNotExists([]byte(bucket))
		if err != nil {
			return err
		}
		v, err := json.Marshal(record{Object: *o, Blob: blob})
		if err != nil {
			return err
		}
		if prev != nil {
			old = prev.Blob
		}
		stored = true
		return b.Put([]byte(key), v)
	})
	switch {
	case err != nil || !stored:
		os.Remove(filepath.Join(s.blobs, blob))
		if err != nil {
			return nil, fmt.Errorf("r2: %w", err)
		}
		return nil, nil
	case old != "":
		os.Remove(filepath.Join(s.blobs, old)) // readers holding it open keep reading
	}
	return o, nil
}

// Delete removes keys (missing ones are not an error).
func (s *Store) Delete(bucket string, keys []string) error {
	var blobs []string
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucket))
		if b == nil {
			return nil
		}
		for _, k := range keys {
			r, err := s.lookup(tx, bucket, k)
			if err != nil {
				return err
			}
			if r == nil {
				continue
			}
			blobs = append(blobs, r.Blob)
			if err := b.Delete([]byte(k)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("r2: %w", err)
	}
	for _, b := range blobs {
		os.Remove(filepath.Join(s.blobs, b))
	}
	return nil
}

// ListOptions are list()'s.
type ListOptions struct {
	Prefix     string `json:"prefix"`
	Cursor     string `json:"cursor"`
	StartAfter string `json:"startAfter"`
	Delimiter  string `json:"delimiter"`
	Limit      int    `json:"limit"`
}

// ListResult is list()'s answer.
type ListResult struct {
	Objects           []*Object `json:"objects"`
	DelimitedPrefixes []string  `json:"delimitedPrefixes"`
	Truncated         bool      `json:"truncated"`
	Cursor            string    `json:"cursor,omitempty"`
}

// ErrInvalidCursor is a cursor this store did not make.
var ErrInvalidCursor = errors.New("list: The cursor is not valid. (10038)")

// List returns keys of bucket in byte order, as R2 lists them: objects
// and, with a delimiter, the common prefixes that stand for the objects
// under them; Limit counts both.
func (s *Store) List(bucket string, opts ListOptions) (*ListResult, error) {
	res := &ListResult{Objects: []*Object{}, DelimitedPrefixes: []string{}}
	after := opts.StartAfter
	if opts.Cursor != "" {
		c, err := base64.RawURLEncoding.DecodeString(opts.Cursor)
		if err != nil {
			return nil, ErrInvalidCursor
		}
		after = string(c)
	}
	limit := opts.Limit
	if limit <= 0 || limit > MaxListKeys {
		limit = MaxListKeys
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucket))
		if b == nil {
			return nil
		}
		c := b.Cursor()
		start := []byte(opts.Prefix)
		if after > opts.Prefix {
			start = []byte(after)
		}
		last := ""
		seenPrefix := map[string]bool{}
		for k, v := c.Seek(start); k != nil && bytes.HasPrefix(k, []byte(opts.Prefix)); k, v = c.Next() {
			key := string(k)
			if after != "" && key <= after {
				continue
			}
			if opts.Delimiter != "" {
				rest := key[len(opts.Prefix):]
				if i := strings.Index(rest, opts.Delimiter); i >= 0 {
					p := opts.Prefix + rest[:i+len(opts.Delimiter)]
					if seenPrefix[p] {
						continue
					}
					if len(res.Objects)+len(res.DelimitedPrefixes) == limit {
						res.Truncated = true
						break
					}
					seenPrefix[p] = true
					res.DelimitedPrefixes = append(res.DelimitedPrefixes, p)
					// Skip the rest of this prefix: continue after its last key.
					last = p + "\U0010FFFF"
					continue
				}
			}
			if len(res.Objects)+len(res.DelimitedPrefixes) == limit {
				res.Truncated = true
				break
			}
			o, err := decodeRecord(key, v)
			if err != nil {
				return err
			}
			res.Objects = append(res.Objects, o)
			last = key
		}
		if res.Truncated {
			res.Cursor = base64.RawURLEncoding.EncodeToString([]byte(last))
		}
		return nil
	})
	return res, err
}

// writeSynced writes a body file and syncs it, so that the index (synced
// by bbolt on commit) never names a body a crash left empty.
func writeSynced(path string, body []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(body); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// sweep removes body files the index does not name: a put or delete a
// crash interrupted, and unfinished .tmp files.
func (s *Store) sweep() error {
	named := map[string]bool{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
			return b.ForEach(func(_, v []byte) error {
				if o, err := decodeRecord("", v); err == nil {
					named[o.Blob] = true
				}
				return nil
			})
		})
	})
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(s.blobs)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !named[e.Name()] {
			os.Remove(filepath.Join(s.blobs, e.Name()))
		}
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
