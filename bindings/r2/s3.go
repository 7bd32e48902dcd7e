// S3Store: R2 kept in an S3-compatible service, shared by every process
// pointed at it.

package r2

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config names an S3-compatible service and the credentials to use it.
type S3Config struct {
	// Endpoint is the service's URL: https://s3.us-east-1.amazonaws.com,
	// https://<account>.r2.cloudflarestorage.com, http://127.0.0.1:9000.
	Endpoint string
	// Region signs the requests (default "us-east-1"; R2 takes "auto").
	Region string
	// AccessKeyID and SecretAccessKey (and SessionToken, for temporary
	// credentials) sign every request; none of them is ever logged or put
	// in an error.
	AccessKeyID, SecretAccessKey, SessionToken string
	// Transport, when set, carries the requests (tests, proxies); default
	// Go's.
	Transport http.RoundTripper
}

// S3Store keeps buckets in an S3-compatible service. Each store method's
// bucket is the S3 bucket's name. What S3 cannot say as R2 does is
// documented on each method and in the README.
type S3Store struct {
	core     minio.Core
	endpoint string // for errors: the URL without credentials
}

// OpenS3 makes a store for cfg's service. It does not connect: the first
// request does.
func OpenS3(cfg S3Config) (*S3Store, error) {
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || strings.Trim(u.Path, "/") != "" || u.User != nil {
		return nil, fmt.Errorf("r2: endpoint %q: want http(s)://host[:port] with no path or user", redactURL(cfg.Endpoint))
	}
	region := cfg.Region
	if region == "" {
		region = "us-east-1"
	}
	c, err := minio.NewCore(u.Host, &minio.Options{
		Creds:     credentials.NewStaticV4(cfg.AccessKeyID, cfg.SecretAccessKey, cfg.SessionToken),
		Secure:    u.Scheme == "https",
		Region:    region,
		Transport: cfg.Transport,
	})
	if err != nil {
		return nil, fmt.Errorf("r2: endpoint %s: %w", u.Host, err)
	}
	return &S3Store{core: *c, endpoint: u.Scheme + "://" + u.Host}, nil
}

// Close does nothing: the client holds no more than idle connections.
func (s *S3Store) Close() error { return nil }

func redactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		u.User = url.User("xxxxx")
		return u.String()
	}
	return raw
}

// fail gives a service error context: the operation, bucket and key. S3
// errors carry neither credentials nor signatures.
func (s *S3Store) fail(op, bucket, key string, err error) error {
	if key == "" {
		return fmt.Errorf("r2 on %s: %s bucket %q: %w", s.endpoint, op, bucket, err)
	}
	return fmt.Errorf("r2 on %s: %s %q in bucket %q: %w", s.endpoint, op, key, bucket, err)
}

func s3Code(err error) string { return minio.ToErrorResponse(err).Code }

func notFound(err error) bool {
	r := minio.ToErrorResponse(err)
	return r.Code == "NoSuchKey" || r.Code == "NotFound" || r.StatusCode == http.StatusNotFound && r.Code != "NoSuchBucket" && r.Code != "NoSuchUpload"
}

func preconditionFailed(err error) bool {
	r := minio.ToErrorResponse(err)
	return r.StatusCode == http.StatusPreconditionFailed || r.Code == "PreconditionFailed"
}

// Head returns key's metadata, nil when there is no such object.
func (s *S3Store) Head(ctx context.Context, bucket, key string) (*Object, error) {
	info, err := s.core.StatObject(ctx, bucket, key, minio.StatObjectOptions{})
	if notFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, s.fail("head", bucket, key, err)
	}
	return objectOf(key, info, info.Size), nil
}

// Get reads key. With conditions it first looks at the object (HEAD) and
// judges them as R2 does (S3 answers a failed condition without the
// object's metadata), then reads with If-Match on the etag it judged, so
// that what it returns is that object; an object replaced in between is
// looked at again.
func (s *S3Store) Get(ctx context.Context, bucket, key string, rng *Range, cond *Conditions) (*Object, []byte, int64, error) {
	for attempt := 0; ; attempt++ {
		var want *Object
		if cond != nil {
			o, err := s.Head(ctx, bucket, key)
			if err != nil || o == nil || !cond.holds(o) {
				return o, nil, 0, err
			}
			want = o
		}
		o, body, offset, err := s.get(ctx, bucket, key, rng, want)
		if want != nil && preconditionFailed(err) && attempt < 3 {
			continue
		}
		return o, body, offset, err
	}
}

func (s *S3Store) get(ctx context.Context, bucket, key string, rng *Range, want *Object) (*Object, []byte, int64, error) {
	var opts minio.GetObjectOptions
	if want != nil {
		_ = opts.SetMatchETag(want.ETag)
	}
	if rng != nil {
		if rng.Suffix < 0 || rng.Suffix == 0 && (rng.Offset < 0 || rng.Length < -1) {
			return nil, nil, 0, ErrRangeNotSatisfiable
		}
		switch {
		case rng.Suffix > 0:
			opts.Set("Range", "bytes=-"+strconv.FormatInt(rng.Suffix, 10))
		case rng.Length == 0:
			// "bytes=N-(N-1)" is no range: S3 would send the whole body.
			o, err := s.Head(ctx, bucket, key)
			if err != nil || o == nil {
				return o, nil, 0, err
			}
			if _, _, err := rng.span(o.Size); err != nil {
				return nil, nil, 0, err
			}
			return o, []byte{}, rng.Offset, nil
		case rng.Length > 0 && rng.Length <= math.MaxInt64-rng.Offset:
			opts.Set("Range", fmt.Sprintf("bytes=%d-%d", rng.Offset, rng.Offset+rng.Length-1))
		case rng.Length > 0:
			// A length past any object's end (1e300, Infinity): offset+length
			// would overflow into a range S3 ignores, sending the whole body.
			opts.Set("Range", fmt.Sprintf("bytes=%d-", rng.Offset))
		default:
			opts.Set("Range", fmt.Sprintf("bytes=%d-", rng.Offset))
		}
	}
	rc, info, h, err := s.core.GetObject(ctx, bucket, key, opts)
	switch {
	case notFound(err):
		return nil, nil, 0, nil
	case s3Code(err) == "InvalidRange" || minio.ToErrorResponse(err).StatusCode == http.StatusRequestedRangeNotSatisfiable:
		return s.emptyRange(ctx, bucket, key, rng)
	case err != nil:
		return nil, nil, 0, s.fail("get", bucket, key, err)
	}
	defer rc.Close()
	body, err := io.ReadAll(rc)
	if err != nil {
		return nil, nil, 0, s.fail("get", bucket, key, err)
	}
	size, offset := info.Size, int64(0)
	if cr := h.Get("Content-Range"); cr != "" {
		// "bytes first-last/size"
		var first, last int64
		if _, err := fmt.Sscanf(cr, "bytes %d-%d/%d", &first, &last, &size); err != nil {
			return nil, nil, 0, s.fail("get", bucket, key, fmt.Errorf("Content-Range %q: %w", cr, err))
		}
		offset = first
	}
	return objectOf(key, info, size), body, offset, nil
}

// emptyRange answers a range S3 refused (416): R2 gives an empty object
// an empty body for {offset: 0} and refuses the rest alike.
func (s *S3Store) emptyRange(ctx context.Context, bucket, key string, rng *Range) (*Object, []byte, int64, error) {
	o, err := s.Head(ctx, bucket, key)
	if err != nil || o == nil {
		return o, nil, 0, err
	}
	offset, _, err := rng.span(o.Size)
	if err != nil || o.Size != 0 {
		return nil, nil, 0, ErrRangeNotSatisfiable
	}
	return o, []byte{}, offset, nil
}

// Put writes key. With conditions it looks at the object first, judges
// them as R2 does, and writes only with If-Match on the etag it judged (or
// If-None-Match: * when there was none), so a concurrent write in between
// fails the put (null) rather than being overwritten. That needs a service
// that honours conditional writes (AWS S3 since 2024, R2, MinIO,
// versitygw); one that ignores them leaves a window between the look and
// the write.
func (s *S3Store) Put(ctx context.Context, bucket, key string, body Body, meta Metadata, cond *Conditions) (*Object, error) {
	opts := putOptions(meta)
	if cond != nil {
		prev, err := s.Head(ctx, bucket, key)
		if err != nil {
			return nil, err
		}
		if !cond.holds(prev) {
			return nil, nil
		}
		if prev == nil {
			opts.SetMatchETagExcept("*")
		} else {
			opts.SetMatchETag(prev.ETag)
		}
	}
	r := newBodyReader(body)
	up, err := s.core.PutObject(ctx, bucket, key, r, body.Size, contentMD5(body), "", opts)
	if cond != nil && preconditionFailed(err) {
		return nil, nil
	}
	if err != nil {
		return nil, s.bodyFailed("put", bucket, key, r, err)
	}
	o, err := s.readBack(ctx, bucket, key, up, meta, body.Size)
	if err != nil {
		return nil, err
	}
	o.Checksums = map[string]string{"md5": hex.EncodeToString(r.sum)} // known here, whatever the service's etags are
	return o, nil
}

// contentMD5 is the Content-MD5 to send with body, so that the service
// checks what it got: the MD5 it must have, or that of a body in memory;
// none for a stream (whose MD5 is known only at its end, where bodyReader
// checks it before the last bytes go).
func contentMD5(body Body) string {
	sum := body.MD5
	if br, ok := body.R.(*bytes.Reader); ok && sum == nil && br.Len() == int(body.Size) {
		h := md5.New()
		if _, err := io.Copy(h, io.NewSectionReader(br, 0, body.Size)); err != nil {
			return ""
		}
		sum = h.Sum(nil)
	}
	if sum == nil {
		return ""
	}
	return base64.StdEncoding.EncodeToString(sum)
}

// bodyFailed is a write's error: the body's own as it is (the script's
// stream errored, it was not its length, its MD5 was not the one given),
// the service's with context.
func (s *S3Store) bodyFailed(op, bucket, key string, r *bodyReader, err error) error {
	if r.err != nil {
		return r.err
	}
	if c := s3Code(err); c == "BadDigest" || c == "InvalidDigest" {
		return ErrBadDigest
	}
	return s.fail(op, bucket, key, err)
}

// readBack is the object a write just made, as a head will show it (its
// time and version are the service's): a HEAD with If-Match on the etag
// the write got. When another write has replaced it already, it is made
// from the write's answer and meta instead (its uploaded time then the
// service's, or this machine's clock when the service gave none).
func (s *S3Store) readBack(ctx context.Context, bucket, key string, up minio.UploadInfo, meta Metadata, size int64) (*Object, error) {
	var opts minio.StatObjectOptions
	_ = opts.SetMatchETag(trimETag(up.ETag))
	info, err := s.core.StatObject(ctx, bucket, key, opts)
	if err == nil {
		return objectOf(key, info, info.Size), nil
	}
	if !preconditionFailed(err) && !notFound(err) {
		return nil, s.fail("head", bucket, key, err)
	}
	h := http.Header{}
	for field, name := range httpHeaders {
		if v, ok := meta.HTTP[field].(string); ok && v != "" {
			h.Set(name, v)
		}
	}
	for k, v := range meta.Custom {
		h.Set("X-Amz-Meta-"+k, v)
	}
	mod := up.LastModified
	if mod.IsZero() {
		mod = time.Now()
	}
	o := objectOf(key, minio.ObjectInfo{ETag: up.ETag, LastModified: mod, VersionID: up.VersionID, Metadata: h}, size)
	if ms, ok := meta.HTTP["cacheExpiry"].(float64); ok {
		o.HTTPMetadata["cacheExpiry"] = int64(ms)
	}
	return o, nil
}

// putOptions says meta as S3 headers: the HTTP metadata as themselves,
// custom metadata as x-amz-meta-* (values outside ASCII RFC 2047-encoded,
// as AWS's SDKs send them).
func putOptions(meta Metadata) minio.PutObjectOptions {
	str := func(k string) string { v, _ := meta.HTTP[k].(string); return v }
	opts := minio.PutObjectOptions{
		ContentType:        str("contentType"),
		ContentLanguage:    str("contentLanguage"),
		ContentDisposition: str("contentDisposition"),
		ContentEncoding:    str("contentEncoding"),
		CacheControl:       str("cacheControl"),
		UserMetadata:       map[string]string{},
		DisableMultipart:   true,
	}
	if ms, ok := meta.HTTP["cacheExpiry"].(float64); ok {
		opts.Expires = time.UnixMilli(int64(ms)).UTC()
	}
	for k, v := range meta.Custom {
		opts.UserMetadata[k] = encodeMetaValue(v)
	}
	return opts
}

func encodeMetaValue(v string) string {
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] >= 0x7f {
			return mime.BEncoding.Encode("UTF-8", v)
		}
	}
	return v
}

// httpHeaders are the headers of R2's httpMetadata fields (cacheExpiry
// is Expires, a date).
var httpHeaders = map[string]string{"contentType": "Content-Type", "contentLanguage": "Content-Language",
	"contentDisposition": "Content-Disposition", "contentEncoding": "Content-Encoding", "cacheControl": "Cache-Control"}

// objectOf is R2's view of an S3 object of size bytes.
func objectOf(key string, info minio.ObjectInfo, size int64) *Object {
	etag := strings.Trim(info.ETag, `"`)
	o := &Object{Key: key, Size: size, ETag: etag, Uploaded: info.LastModified.UnixMilli(),
		HTTPMetadata: map[string]any{}, CustomMetadata: map[string]string{}, Checksums: md5Checksum(etag)}
	// R2's version is an id per write; S3 has one only with versioning on,
	// so without it the etag and time of the write stand in.
	o.Version = info.VersionID
	if o.Version == "" || o.Version == "null" {
		v := md5.Sum([]byte(etag + "/" + strconv.FormatInt(info.LastModified.UnixNano(), 10)))
		o.Version = hex.EncodeToString(v[:])
	}
	h := info.Metadata
	for field, name := range httpHeaders {
		if v := h.Get(name); v != "" {
			o.HTTPMetadata[field] = v
		}
	}
	// aws-chunked is how the client signed the upload, not the object's
	// encoding: AWS drops it, some servers keep it.
	if ce, ok := o.HTTPMetadata["contentEncoding"].(string); ok {
		var kept []string
		for _, e := range strings.Split(ce, ",") {
			if e = strings.TrimSpace(e); e != "" && !strings.EqualFold(e, "aws-chunked") {
				kept = append(kept, e)
			}
		}
		if len(kept) == 0 {
			delete(o.HTTPMetadata, "contentEncoding")
		} else {
			o.HTTPMetadata["contentEncoding"] = strings.Join(kept, ", ")
		}
	}
	// S3 gives every object a type; R2 none unless put with one.
	if ct := o.HTTPMetadata["contentType"]; ct == "application/octet-stream" || ct == "binary/octet-stream" {
		delete(o.HTTPMetadata, "contentType")
	}
	if !info.Expires.IsZero() && info.Expires.Unix() > 0 {
		o.HTTPMetadata["cacheExpiry"] = info.Expires.UnixMilli()
	}
	for name, vs := range h {
		if len(vs) > 0 && len(name) > len("X-Amz-Meta-") && strings.EqualFold(name[:len("X-Amz-Meta-")], "X-Amz-Meta-") {
			v := vs[0]
			if !utf8.ValidString(v) {
				continue
			}
			o.CustomMetadata[strings.ToLower(name[len("X-Amz-Meta-"):])] = v
		}
	}
	return o
}

// Delete removes keys with one DeleteObjects request per 1000.
func (s *S3Store) Delete(ctx context.Context, bucket string, keys []string) error {
	ch := make(chan minio.ObjectInfo, len(keys))
	for _, k := range keys {
		ch <- minio.ObjectInfo{Key: k}
	}
	close(ch)
	for e := range s.core.RemoveObjects(ctx, bucket, ch, minio.RemoveObjectsOptions{}) {
		if e.Err != nil && !notFound(e.Err) {
			return s.fail("delete", bucket, e.ObjectName, e.Err)
		}
	}
	return nil
}

// List is one ListObjectsV2 request: S3 orders keys by their bytes and
// counts common prefixes against MaxKeys as R2 does. The cursor is S3's
// continuation token (base64url: a string S3 never made is refused as R2
// refuses it, not taken for a marker). With include, each object's metadata takes a HEAD
// (S3 lists none), a few at a time.
func (s *S3Store) List(ctx context.Context, bucket string, opts ListOptions) (*ListResult, error) {
	limit := opts.Limit
	if limit <= 0 || limit > MaxListKeys {
		limit = MaxListKeys
	}
	token, err := base64.RawURLEncoding.DecodeString(opts.Cursor)
	if err != nil {
		return nil, ErrInvalidCursor
	}
	r, err := s.core.ListObjectsV2(bucket, opts.Prefix, opts.StartAfter, string(token), opts.Delimiter, limit)
	if err != nil {
		if opts.Cursor != "" && minio.ToErrorResponse(err).StatusCode == http.StatusBadRequest {
			return nil, ErrInvalidCursor
		}
		return nil, s.fail("list", bucket, "", err)
	}
	res := &ListResult{Objects: []*Object{}, DelimitedPrefixes: []string{}, Truncated: r.IsTruncated}
	if r.IsTruncated {
		res.Cursor = base64.RawURLEncoding.EncodeToString([]byte(r.NextContinuationToken))
	}
	for _, p := range r.CommonPrefixes {
		res.DelimitedPrefixes = append(res.DelimitedPrefixes, p.Prefix)
	}
	for _, info := range r.Contents {
		res.Objects = append(res.Objects, objectOf(info.Key, info, info.Size))
	}
	if opts.includes("httpMetadata") || opts.includes("customMetadata") {
		if err := s.fillMetadata(ctx, bucket, res.Objects); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func (s *S3Store) fillMetadata(ctx context.Context, bucket string, objects []*Object) error {
	var wg sync.WaitGroup
	errs := make([]error, len(objects))
	sem := make(chan struct{}, 8)
	for i, o := range objects {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			full, err := s.Head(ctx, bucket, o.Key)
			if err != nil {
				errs[i] = err
			} else if full != nil { // deleted since the listing: keep what it said
				o.HTTPMetadata, o.CustomMetadata = full.HTTPMetadata, full.CustomMetadata
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Check asks the service whether bucket exists and the credentials may
// use it (one HEAD bucket), for a warning at start-up rather than an error
// at the first request.
func (s *S3Store) Check(ctx context.Context, bucket string) error {
	ok, err := s.core.BucketExists(ctx, bucket)
	if err != nil {
		return s.fail("check", bucket, "", err)
	}
	if !ok {
		return s.fail("check", bucket, "", errors.New("no such bucket"))
	}
	return nil
}
