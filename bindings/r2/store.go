// Package r2 is the R2 binding ([[r2_buckets]]). The JS API is Workers':
// head, get (ranges, conditions), put (HTTP and custom metadata,
// conditions), delete (one key or many), list (prefix, cursor, startAfter,
// delimiter, include) and multipart uploads (createMultipartUpload,
// resumeMultipartUpload, uploadPart, complete, abort), with R2's limits
// and error messages.
//
// A bucket's objects live in a Store. LocalStore (local.go) keeps them as
// wrangler dev keeps local R2: bodies as files and their metadata in a
// bbolt index under the project's .edgerun/state, which one process owns.
// S3Store (s3.go) keeps them in a bucket of an S3-compatible service (AWS
// S3, R2's own S3 API, MinIO, …), so several edgerun processes share them.
// Both pass the same test table (r2_test.go, testdata/*.js).
//
// Bodies flow to a store as a Body: a reader and its length. A script's
// ReadableStream (of known length, as R2 requires) is read chunk by chunk
// through webapi.ReadStream, the machinery of fetch()'s streamed uploads,
// as the store writes it; strings and bytes are one copy read in place.
// bodyReader computes the MD5 on the way and fails the store's writer
// before the last bytes when the body is not its length or its md5, so a
// failed body is never stored. Get bodies are still read whole (charged to
// the isolate's memory limit).
package r2

import (
	"bytes"
	"cmp"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"
	"strings"
)

// R2's limits.
const (
	MaxKeyBytes            = 1024
	MaxCustomMetadataBytes = 2048
	MaxListKeys            = 1000
	// Multipart uploads: every part but the last is at least MinPartBytes
	// and all of those are the same size; part numbers are 1 to MaxParts.
	MinPartBytes = 5 << 20
	MaxParts     = 10000
)

// Store holds the objects of buckets. Every method's bucket is the
// bucket's name in that store.
type Store interface {
	// Head returns key's metadata, nil when there is no such object.
	Head(ctx context.Context, bucket, key string) (*Object, error)
	// Get returns key's metadata and, when cond holds, the bytes of rng
	// (the whole body when rng is nil) and the offset they start at; body
	// is nil when a condition failed, o is nil when there is no object.
	Get(ctx context.Context, bucket, key string, rng *Range, cond *Conditions) (o *Object, body []byte, offset int64, err error)
	// Put stores body under key when cond holds; nil when it does not
	// (then body may be left unread). A body that fails (its reader's
	// error, a length other than its Size, an MD5 other than its MD5)
	// stores nothing and fails the put with that error.
	Put(ctx context.Context, bucket, key string, body Body, meta Metadata, cond *Conditions) (*Object, error)
	// Delete removes keys (missing ones are not an error).
	Delete(ctx context.Context, bucket string, keys []string) error
	// List returns keys in byte order, as R2 lists them.
	List(ctx context.Context, bucket string, opts ListOptions) (*ListResult, error)

	// CreateMultipartUpload starts an upload of key whose object will
	// have meta; it returns the upload's id.
	CreateMultipartUpload(ctx context.Context, bucket, key string, meta Metadata) (string, error)
	// UploadPart stores part number n of an upload and returns its etag.
	// A failed body stores nothing, as Put's.
	UploadPart(ctx context.Context, bucket, key, uploadID string, n int, body Body) (string, error)
	// CompleteMultipartUpload makes the object of the parts (R2's checks:
	// see checkParts) and ends the upload.
	CompleteMultipartUpload(ctx context.Context, bucket, key, uploadID string, parts []Part) (*Object, error)
	// AbortMultipartUpload drops an upload and its parts; an upload that
	// has already ended is not an error.
	AbortMultipartUpload(ctx context.Context, bucket, key, uploadID string) error

	// Close releases the store's file or connections.
	Close() error
}

var (
	_ Store = (*LocalStore)(nil)
	_ Store = (*S3Store)(nil)
)

// Object is an object's metadata, as JSON for the JS side.
type Object struct {
	Key            string            `json:"key"`
	Version        string            `json:"version"`
	Size           int64             `json:"size"`
	ETag           string            `json:"etag"`     // hex MD5 of the body; for a multipart object, S3's "<md5 of the parts' MD5s>-<parts>"
	Uploaded       int64             `json:"uploaded"` // Unix milliseconds
	HTTPMetadata   map[string]any    `json:"httpMetadata"`
	CustomMetadata map[string]string `json:"customMetadata"`
	Checksums      map[string]string `json:"checksums"` // hex; md5 for objects put whole, none for multipart ones (as R2)
	Blob           string            `json:"-"`
}

// Metadata is what a put or an upload gives its object: HTTP metadata
// (contentType, contentLanguage, contentDisposition, contentEncoding,
// cacheControl as strings, cacheExpiry as Unix ms) and custom metadata.
type Metadata struct {
	HTTP   map[string]any
	Custom map[string]string
}

// Body is what a put or an uploadPart stores: Size bytes read from R, as
// they come (a script's stream is read as the store writes it, never held
// whole). MD5, when set, is the MD5 the body must have (put's md5 option).
type Body struct {
	R    io.Reader
	Size int64
	MD5  []byte
}

// BytesBody is a body held in memory (not copied).
func BytesBody(b []byte) Body { return Body{R: bytes.NewReader(b), Size: int64(len(b))} }

// bodyReader reads a Body for a store: exactly Size bytes, its MD5
// computed on the way. Before it hands over the last bytes it reads on to
// see that the body ends there and checks the MD5, so that the store's
// writer (a file, an HTTP request) fails before it has the whole body: a
// body of another length, or not of the MD5 it must have, is never
// stored.
type bodyReader struct {
	b    Body
	n    int64
	h    hash.Hash
	sum  []byte // the MD5, once all is read
	done bool
	err  error // why the body failed, if it did
}

func newBodyReader(b Body) *bodyReader { return &bodyReader{b: b, h: md5.New()} }

func (r *bodyReader) Read(p []byte) (int, error) {
	n, err := r.read(p)
	if err != nil && !errors.Is(err, io.EOF) && r.err == nil {
		r.err = err
	}
	return n, err
}

func (r *bodyReader) read(p []byte) (int, error) {
	if r.done {
		return 0, io.EOF
	}
	if rest := r.b.Size - r.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	var n int
	var err error
	if len(p) > 0 {
		n, err = r.b.R.Read(p)
		r.n += int64(n)
		r.h.Write(p[:n])
	}
	if errors.Is(err, io.EOF) && r.n < r.b.Size {
		return n, fmt.Errorf("r2: the body ended after %d of its %d bytes", r.n, r.b.Size)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return n, err
	}
	if r.n < r.b.Size {
		return n, nil
	}
	if err := r.end(); err != nil {
		return n, err
	}
	r.done = true
	return n, nil
}

// end checks a body whose Size bytes are all read: nothing more comes, and
// its MD5 is the one it must have.
func (r *bodyReader) end() error {
	var one [1]byte
	for {
		n, err := r.b.R.Read(one[:])
		if n > 0 {
			return fmt.Errorf("r2: the body is longer than its %d bytes", r.b.Size)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
	}
	r.sum = r.h.Sum(nil)
	if r.b.MD5 != nil && !bytes.Equal(r.sum, r.b.MD5) {
		return ErrBadDigest
	}
	return nil
}

// Part is one part of complete(): its number and the etag uploadPart gave.
type Part struct {
	PartNumber int    `json:"partNumber"`
	ETag       string `json:"etag"`
}

// Range is a byte range of a get: Offset and Length, or the last Suffix
// bytes. Length -1 is "to the end".
type Range struct {
	Offset, Length, Suffix int64
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

// span is the part of an object of size bytes that rng asks for.
func (rng *Range) span(size int64) (offset, length int64, err error) {
	if rng == nil {
		return 0, size, nil
	}
	if rng.Suffix != 0 {
		if rng.Suffix < 0 {
			return 0, 0, ErrRangeNotSatisfiable
		}
		offset = max(0, size-rng.Suffix)
		return offset, size - offset, nil
	}
	if rng.Offset < 0 || rng.Offset > size || rng.Offset == size && size > 0 || rng.Length < -1 {
		return 0, 0, ErrRangeNotSatisfiable
	}
	length = size - rng.Offset
	if rng.Length >= 0 {
		length = min(rng.Length, length)
	}
	return rng.Offset, length, nil
}

// ListOptions are list()'s.
type ListOptions struct {
	Prefix     string   `json:"prefix"`
	Cursor     string   `json:"cursor"`
	StartAfter string   `json:"startAfter"`
	Delimiter  string   `json:"delimiter"`
	Limit      int      `json:"limit"`
	Include    []string `json:"include"` // "httpMetadata", "customMetadata": a store may skip reading what is not asked for
}

// includes reports whether list() was asked for field.
func (o ListOptions) includes(field string) bool {
	for _, f := range o.Include {
		if f == field {
			return true
		}
	}
	return false
}

// ListResult is list()'s answer: objects and, with a delimiter, the
// common prefixes that stand for the objects under them; the limit counts
// both.
type ListResult struct {
	Objects           []*Object `json:"objects"`
	DelimitedPrefixes []string  `json:"delimitedPrefixes"`
	Truncated         bool      `json:"truncated"`
	Cursor            string    `json:"cursor,omitempty"`
}

// Error is an R2 error: its message and code as Workers shows them
// ("<operation>: <message> (<code>)"); bucket.go names the operation.
type Error struct {
	Op      string
	Message string
	Code    int
}

func (e *Error) Error() string {
	if e.Op == "" {
		return fmt.Sprintf("%s (%d)", e.Message, e.Code)
	}
	return fmt.Sprintf("%s: %s (%d)", e.Op, e.Message, e.Code)
}

// Is matches R2 errors by code, whatever the operation.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// R2's errors (their codes and messages as R2 and miniflare give them).
var (
	ErrRangeNotSatisfiable = &Error{Op: "get", Message: "The requested range is not satisfiable.", Code: 10039}
	ErrInvalidCursor       = &Error{Op: "list", Message: "The cursor is not valid.", Code: 10038}
	ErrNoSuchUpload        = &Error{Message: "The specified multipart upload does not exist.", Code: 10024}
	ErrInvalidPart         = &Error{Message: "One or more of the specified parts could not be found.", Code: 10025}
	ErrEntityTooSmall      = &Error{Message: "Your proposed upload is smaller than the minimum allowed object size.", Code: 10011}
	ErrPartSizes           = &Error{Message: "All non-trailing parts must have the same length.", Code: 10048}
	ErrBadDigest           = &Error{Op: "put", Message: "The MD5 checksum you specified did not match what we received.", Code: 10037}
)

// withOp names the operation in an R2 error (other errors pass as they are).
func withOp(op string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		c := *e
		c.Op = op
		return &c
	}
	return err
}

// PartInfo is what a store knows of an uploaded part.
type PartInfo struct {
	Number int
	Size   int64
	ETag   string
}

// checkParts applies R2's rules to complete(parts) of an upload whose
// parts are uploaded (by number), as miniflare does: each named part must
// be there with that etag (ErrInvalidPart), every part but the last at
// least MinPartBytes (ErrEntityTooSmall), and, in part-number order, all
// but the last the same size and the last no bigger (ErrPartSizes). It
// returns the parts in part-number order.
func checkParts(parts []Part, uploaded map[int]PartInfo) ([]PartInfo, error) {
	if len(parts) == 0 {
		return nil, ErrInvalidPart
	}
	seen := map[int]bool{}
	out := make([]PartInfo, 0, len(parts))
	for _, p := range parts {
		u, ok := uploaded[p.PartNumber]
		if !ok || seen[p.PartNumber] || strings.Trim(p.ETag, `"`) != u.ETag {
			return nil, ErrInvalidPart
		}
		seen[p.PartNumber] = true
		out = append(out, u)
	}
	for _, u := range out[:len(out)-1] {
		if u.Size < MinPartBytes {
			return nil, ErrEntityTooSmall
		}
	}
	slices.SortFunc(out, func(a, b PartInfo) int { return cmp.Compare(a.Number, b.Number) })
	for _, u := range out[:len(out)-1] {
		if u.Size < MinPartBytes || u.Size != out[0].Size {
			return nil, ErrPartSizes
		}
	}
	if len(out) > 1 && out[len(out)-1].Size > out[0].Size {
		return nil, ErrPartSizes
	}
	return out, nil
}

// md5Checksum is the checksums of an object whose etag is a plain MD5 (put
// whole); a multipart object's etag is no checksum of its body.
func md5Checksum(etag string) map[string]string {
	if len(etag) != 32 {
		return map[string]string{}
	}
	if _, err := hex.DecodeString(etag); err != nil {
		return map[string]string{}
	}
	return map[string]string{"md5": etag}
}
