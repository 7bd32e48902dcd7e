// LocalStore: R2 kept on this machine, as wrangler dev keeps it.

package r2

import (
	"bytes"
	"context"
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

// LocalStore holds every bucket of a project: metadata in one bbolt file,
// each object's body in a file of its own under blobs (an upload's parts
// too, until complete joins them into the object's).
type LocalStore struct {
	db    *bolt.DB
	blobs string
	now   func() time.Time
}

// Open opens (creating them if needed) the index at dir/r2.db and the
// bodies under dir/r2. One process holds the index.
func Open(dir string, now func() time.Time) (*LocalStore, error) {
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
	s := &LocalStore{db: db, blobs: blobs, now: now}
	if err := s.sweep(); err != nil {
		db.Close()
		return nil, fmt.Errorf("r2: %w", err)
	}
	return s, nil
}

// Close closes the index.
func (s *LocalStore) Close() error { return s.db.Close() }

// record is what the index keeps per key.
type record struct {
	Object
	Blob string `json:"blob"`
}

func (s *LocalStore) lookup(tx *bolt.Tx, bucket, key string) (*Object, error) {
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
	if r.Checksums == nil { // an entry written before checksums were kept
		r.Checksums = md5Checksum(r.ETag)
	}
	return &r.Object, nil
}

// Head returns key's metadata, nil when there is no such object.
func (s *LocalStore) Head(_ context.Context, bucket, key string) (*Object, error) {
	var o *Object
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		o, err = s.lookup(tx, bucket, key)
		return err
	})
	return o, err
}

// Get returns key's metadata and, when cond holds, the bytes of rng (the
// whole body when rng is nil) and the range they are; body is nil when a
// condition failed, o is nil when there is no such object.
func (s *LocalStore) Get(ctx context.Context, bucket, key string, rng *Range, cond *Conditions) (o *Object, body []byte, offset int64, err error) {
	// A put or delete may replace the body between the index lookup and
	// the open: look again (the new object, or none).
	for attempt := 0; ; attempt++ {
		o, body, offset, err = s.get(ctx, bucket, key, rng, cond)
		if !errors.Is(err, fs.ErrNotExist) || attempt == 3 {
			return o, body, offset, err
		}
	}
}

func (s *LocalStore) get(ctx context.Context, bucket, key string, rng *Range, cond *Conditions) (o *Object, body []byte, offset int64, err error) {
	o, err = s.Head(ctx, bucket, key)
	if err != nil || o == nil || !cond.holds(o) {
		return o, nil, 0, err
	}
	offset, length, err := rng.span(o.Size)
	if err != nil {
		return nil, nil, 0, err
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

// Put stores body under key when cond holds; nil when it does not. The
// body is written to a file of its own as it is read (its MD5 computed on
// the way), and named in the index only once it is all there and checked.
func (s *LocalStore) Put(ctx context.Context, bucket, key string, body Body, meta Metadata, cond *Conditions) (*Object, error) {
	if cond != nil {
		// A condition that fails now is not worth reading the body for
		// (it is judged again when the index is written).
		prev, err := s.Head(ctx, bucket, key)
		if err != nil {
			return nil, err
		}
		if !cond.holds(prev) {
			return nil, nil
		}
	}
	blob, sum, err := s.writeBody(body)
	if err != nil {
		return nil, err
	}
	etag := hex.EncodeToString(sum)
	o := s.newObject(key, body.Size, etag, meta, blob)
	o.Checksums = map[string]string{"md5": etag}
	var old string
	stored := false
	err = s.db.Update(func(tx *bolt.Tx) error {
		prev, err := s.lookup(tx, bucket, key)
		if err != nil || !cond.holds(prev) {
			return err
		}
		old, err = s.store(tx, bucket, o, prev)
		stored = err == nil
		return err
	})
	if err != nil || !stored {
		os.Remove(filepath.Join(s.blobs, blob))
		if err != nil {
			return nil, fmt.Errorf("r2: %w", err)
		}
		return nil, nil
	}
	s.removeBlobs(old)
	return o, nil
}

func (s *LocalStore) newObject(key string, size int64, etag string, meta Metadata, blob string) *Object {
	if meta.HTTP == nil {
		meta.HTTP = map[string]any{}
	}
	if meta.Custom == nil {
		meta.Custom = map[string]string{}
	}
	return &Object{Key: key, Version: randomHex(16), Size: size, ETag: etag, Uploaded: s.now().UnixMilli(),
		HTTPMetadata: meta.HTTP, CustomMetadata: meta.Custom, Checksums: map[string]string{}, Blob: blob}
}

// store writes o's index entry in tx, replacing prev; it returns prev's
// body file, which the caller removes once tx has committed.
func (s *LocalStore) store(tx *bolt.Tx, bucket string, o, prev *Object) (string, error) {
	b, err := tx.CreateBucketIfNotExists([]byte(bucket))
	if err != nil {
		return "", err
	}
	v, err := json.Marshal(record{Object: *o, Blob: o.Blob})
	if err != nil {
		return "", err
	}
	if err := b.Put([]byte(o.Key), v); err != nil {
		return "", err
	}
	if prev == nil {
		return "", nil
	}
	return prev.Blob, nil
}

// writeBlob writes a new body file with fill and returns its name: synced
// and renamed into place, so that the index (synced by bbolt on commit)
// never names a body a crash left unfinished.
func (s *LocalStore) writeBlob(fill func(io.Writer) error) (string, error) {
	blob := randomHex(16)
	tmp := filepath.Join(s.blobs, blob+".tmp")
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		err = fill(f)
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(s.blobs, blob))
	}
	if err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("r2: %w", err)
	}
	return blob, nil
}

// writeBody writes body to a new body file (writeBlob) and returns its name
// and the body's MD5; a body that fails leaves no file.
func (s *LocalStore) writeBody(body Body) (string, []byte, error) {
	r := newBodyReader(body)
	blob, err := s.writeBlob(func(w io.Writer) error {
		_, err := io.CopyBuffer(w, r, make([]byte, 64<<10))
		return err
	})
	return blob, r.sum, err
}

// removeBlobs removes body files no index entry names any more (readers
// holding one open keep reading it).
func (s *LocalStore) removeBlobs(blobs ...string) {
	for _, b := range blobs {
		if b != "" {
			os.Remove(filepath.Join(s.blobs, b))
		}
	}
}

// Delete removes keys (missing ones are not an error).
func (s *LocalStore) Delete(_ context.Context, bucket string, keys []string) error {
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
	s.removeBlobs(blobs...)
	return nil
}

// List returns keys of bucket in byte order, as R2 lists them: objects
// and, with a delimiter, the common prefixes that stand for the objects
// under them; Limit counts both.
func (s *LocalStore) List(_ context.Context, bucket string, opts ListOptions) (*ListResult, error) {
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

// sweep removes body files the index does not name (a put or delete a
// crash interrupted, unfinished .tmp files) and, as R2's default lifecycle
// rule does, uploads not completed within uploadLifetime.
func (s *LocalStore) sweep() error {
	named := map[string]bool{}
	var dropped []string
	err := s.db.Update(func(tx *bolt.Tx) error {
		var err error
		dropped, err = s.expireUploads(tx)
		if err != nil {
			return err
		}
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return b.ForEach(func(_, v []byte) error {
				if string(name) == uploadsBucket {
					if u, err := decodeUpload(v); err == nil {
						for _, p := range u.Parts {
							named[p.Blob] = true
						}
					}
				} else if o, err := decodeRecord("", v); err == nil {
					named[o.Blob] = true
				}
				return nil
			})
		})
	})
	if err != nil {
		return err
	}
	s.removeBlobs(dropped...)
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
