// LocalStore's multipart uploads: each upload is an index entry under
// uploadsBucket naming its parts' body files; complete joins them into
// the object's body.

package r2

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// uploadsBucket is the index's bucket of multipart uploads (no R2 bucket
// name starts with a NUL).
const uploadsBucket = "\x00multipart"

// uploadLifetime is how long an upload may stay unfinished: R2's default
// lifecycle rule aborts it after 7 days. Ended uploads are remembered as
// long, so a late uploadPart or complete gets NoSuchUpload.
const uploadLifetime = 7 * 24 * time.Hour

// upload is an index entry of uploadsBucket, keyed by the upload's id.
type upload struct {
	Bucket  string               `json:"bucket"`
	Key     string               `json:"key"`
	HTTP    map[string]any       `json:"httpMetadata"`
	Custom  map[string]string    `json:"customMetadata"`
	Created int64                `json:"created"` // Unix ms
	Ended   bool                 `json:"ended"`   // completed or aborted
	Parts   map[string]localPart `json:"parts"`   // by part number
}

type localPart struct {
	Blob string `json:"blob"`
	Size int64  `json:"size"`
	MD5  string `json:"md5"` // hex: the part's etag
}

func decodeUpload(v []byte) (*upload, error) {
	var u upload
	if err := json.Unmarshal(v, &u); err != nil {
		return nil, fmt.Errorf("r2: corrupt upload entry: %w", err)
	}
	if u.Parts == nil {
		u.Parts = map[string]localPart{}
	}
	return &u, nil
}

// liveUpload is the unfinished upload id of bucket/key, or ErrNoSuchUpload.
func liveUpload(tx *bolt.Tx, bucket, key, id string) (*upload, error) {
	b := tx.Bucket([]byte(uploadsBucket))
	if b == nil {
		return nil, ErrNoSuchUpload
	}
	v := b.Get([]byte(id))
	if v == nil {
		return nil, ErrNoSuchUpload
	}
	u, err := decodeUpload(v)
	if err != nil {
		return nil, err
	}
	if u.Ended || u.Bucket != bucket || u.Key != key {
		return nil, ErrNoSuchUpload
	}
	return u, nil
}

func putUpload(tx *bolt.Tx, id string, u *upload) error {
	b, err := tx.CreateBucketIfNotExists([]byte(uploadsBucket))
	if err != nil {
		return err
	}
	v, err := json.Marshal(u)
	if err != nil {
		return err
	}
	return b.Put([]byte(id), v)
}

// CreateMultipartUpload starts an upload of key.
func (s *LocalStore) CreateMultipartUpload(_ context.Context, bucket, key string, meta Metadata) (string, error) {
	id := randomHex(24)
	u := &upload{Bucket: bucket, Key: key, HTTP: meta.HTTP, Custom: meta.Custom, Created: s.now().UnixMilli(), Parts: map[string]localPart{}}
	if err := s.db.Update(func(tx *bolt.Tx) error { return putUpload(tx, id, u) }); err != nil {
		return "", fmt.Errorf("r2: %w", err)
	}
	return id, nil
}

// UploadPart stores part n (replacing an earlier part n) and returns its
// etag, the part's hex MD5.
func (s *LocalStore) UploadPart(_ context.Context, bucket, key, uploadID string, n int, body Body) (string, error) {
	blob, sum, err := s.writeBody(body)
	if err != nil {
		return "", err
	}
	etag := hex.EncodeToString(sum)
	var old string
	err = s.db.Update(func(tx *bolt.Tx) error {
		u, err := liveUpload(tx, bucket, key, uploadID)
		if err != nil {
			return err
		}
		old = u.Parts[strconv.Itoa(n)].Blob
		u.Parts[strconv.Itoa(n)] = localPart{Blob: blob, Size: body.Size, MD5: etag}
		return putUpload(tx, uploadID, u)
	})
	if err != nil {
		s.removeBlobs(blob)
		return "", wrapLocal(err)
	}
	s.removeBlobs(old)
	return etag, nil
}

// CompleteMultipartUpload joins the parts into the object's body (R2's
// checks first: checkParts) and ends the upload.
func (s *LocalStore) CompleteMultipartUpload(_ context.Context, bucket, key, uploadID string, parts []Part) (*Object, error) {
	var u *upload
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		u, err = liveUpload(tx, bucket, key, uploadID)
		return err
	})
	if err != nil {
		return nil, wrapLocal(err)
	}
	uploaded := map[int]PartInfo{}
	for k, p := range u.Parts {
		n, _ := strconv.Atoi(k)
		uploaded[n] = PartInfo{Number: n, Size: p.Size, ETag: p.MD5}
	}
	ordered, err := checkParts(parts, uploaded)
	if err != nil {
		return nil, err
	}
	// The object's etag, as S3 and R2 make a multipart one: the MD5 of
	// the parts' MD5s, and how many there are.
	sums := md5.New()
	var size int64
	for _, p := range ordered {
		b, _ := hex.DecodeString(p.ETag)
		sums.Write(b)
		size += p.Size
	}
	etag := hex.EncodeToString(sums.Sum(nil)) + "-" + strconv.Itoa(len(ordered))
	blob, err := s.writeBlob(func(w io.Writer) error {
		for _, p := range ordered {
			if err := appendFile(w, filepath.Join(s.blobs, u.Parts[strconv.Itoa(p.Number)].Blob)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	o := s.newObject(key, size, etag, Metadata{HTTP: u.HTTP, Custom: u.Custom}, blob)
	var drop []string
	err = s.db.Update(func(tx *bolt.Tx) error {
		now, err := liveUpload(tx, bucket, key, uploadID)
		if err != nil {
			return err
		}
		for _, p := range ordered { // a part replaced meanwhile: its etag no longer matches
			if now.Parts[strconv.Itoa(p.Number)].MD5 != p.ETag {
				return ErrInvalidPart
			}
		}
		prev, err := s.lookup(tx, bucket, key)
		if err != nil {
			return err
		}
		old, err := s.store(tx, bucket, o, prev)
		if err != nil {
			return err
		}
		drop = append(drop, old)
		for _, p := range now.Parts {
			drop = append(drop, p.Blob)
		}
		now.Ended, now.Parts = true, nil
		return putUpload(tx, uploadID, now)
	})
	if err != nil {
		s.removeBlobs(blob)
		return nil, wrapLocal(err)
	}
	s.removeBlobs(drop...)
	return o, nil
}

// AbortMultipartUpload drops an upload's parts. As on R2, abort may be
// called again, or after complete: then it does nothing.
func (s *LocalStore) AbortMultipartUpload(_ context.Context, bucket, key, uploadID string) error {
	var drop []string
	err := s.db.Update(func(tx *bolt.Tx) error {
		u, err := liveUpload(tx, bucket, key, uploadID)
		if err != nil {
			return nil // unknown or ended: S3 cannot tell these apart either
		}
		for _, p := range u.Parts {
			drop = append(drop, p.Blob)
		}
		u.Ended, u.Parts = true, nil
		return putUpload(tx, uploadID, u)
	})
	if err != nil {
		return fmt.Errorf("r2: %w", err)
	}
	s.removeBlobs(drop...)
	return nil
}

// expireUploads forgets uploads created more than uploadLifetime ago and
// returns the body files of their parts.
func (s *LocalStore) expireUploads(tx *bolt.Tx) ([]string, error) {
	b := tx.Bucket([]byte(uploadsBucket))
	if b == nil {
		return nil, nil
	}
	cutoff := s.now().Add(-uploadLifetime).UnixMilli()
	var ids [][]byte
	var blobs []string
	err := b.ForEach(func(k, v []byte) error {
		u, err := decodeUpload(v)
		if err != nil || u.Created < cutoff {
			ids = append(ids, k)
			if u != nil {
				for _, p := range u.Parts {
					blobs = append(blobs, p.Blob)
				}
			}
		}
		return nil
	})
	for _, id := range ids {
		if err == nil {
			err = b.Delete(id)
		}
	}
	return blobs, err
}

func appendFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// wrapLocal passes R2's errors as they are and gives others context.
func wrapLocal(err error) error {
	if _, ok := err.(*Error); ok {
		return err
	}
	return fmt.Errorf("r2: %w", err)
}
