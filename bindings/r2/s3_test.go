package r2

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"edgerun/bindings/r2/s3test"
)

// beforeTransport runs before on each request, then sends it.
type beforeTransport struct {
	before func(*http.Request)
}

func (b beforeTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	b.before(r)
	return http.DefaultTransport.RoundTrip(r)
}

func openTestS3(t *testing.T, srv *s3test.Server, secret string, rt http.RoundTripper) *S3Store {
	t.Helper()
	s, err := OpenS3(S3Config{Endpoint: srv.Endpoint, Region: srv.Region, AccessKeyID: srv.AccessKeyID, SecretAccessKey: secret, Transport: rt})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A conditional put judges the object it looked at and writes only if
// that is still the object: another process's write between the look and
// the write makes the put fail (null), never lost. The other write is made
// from inside the conditional put's own request, just before it is sent.
func TestS3ConditionalPutLosesNoWrite(t *testing.T) {
	ctx := context.Background()
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	other := openTestS3(t, srv, srv.SecretAccessKey, nil)
	var once sync.Once
	racing := openTestS3(t, srv, srv.SecretAccessKey, beforeTransport{func(r *http.Request) {
		if r.Method == http.MethodPut && (r.Header.Get("If-Match") != "" || r.Header.Get("If-None-Match") != "") {
			once.Do(func() {
				if _, err := other.Put(ctx, bucket, r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:], BytesBody([]byte("theirs")), Metadata{}, nil); err != nil {
					t.Error(err)
				}
			})
		}
	}})
	first, err := other.Put(ctx, bucket, "k", BytesBody([]byte("v1")), Metadata{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key  string
		cond Conditions
	}{
		{"k", Conditions{EtagMatches: []string{first.ETag}}},
		{"fresh", Conditions{EtagDoesNotMatch: []string{"*"}}}, // create only if absent
	} {
		once = sync.Once{}
		o, err := racing.Put(ctx, bucket, tc.key, BytesBody([]byte("mine")), Metadata{}, &tc.cond)
		if err != nil || o != nil {
			t.Fatalf("%s: conditional put raced by another write = %+v, %v; want null", tc.key, o, err)
		}
		_, body, _, err := other.Get(ctx, bucket, tc.key, nil, nil)
		if err != nil || string(body) != "theirs" {
			t.Fatalf("%s after the race = %q, %v; want the other write kept", tc.key, body, err)
		}
	}
	// Without a race the same condition writes.
	now, _ := other.Head(ctx, bucket, "k")
	if o, err := other.Put(ctx, bucket, "k", BytesBody([]byte("mine")), Metadata{}, &Conditions{EtagMatches: []string{now.ETag}}); err != nil || o == nil {
		t.Fatalf("unraced conditional put = %+v, %v", o, err)
	}
}

// A refused request's error names the endpoint and the operation, never
// the secret.
func TestS3ErrorsHideCredentials(t *testing.T) {
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	secret := "wrong-secret-0123456789abcdef"
	s := openTestS3(t, srv, secret, nil)
	_, err := s.Head(context.Background(), bucket, "k")
	if err == nil {
		t.Fatal("head with a wrong secret succeeded")
	}
	msg := err.Error()
	if strings.Contains(msg, secret) || strings.Contains(msg, srv.SecretAccessKey) || !strings.Contains(msg, "r2 on "+srv.Endpoint+": head") {
		t.Fatalf("error %q: want the endpoint and operation, and no secret", msg)
	}
	if _, err := OpenS3(S3Config{Endpoint: "https://key:" + secret + "@example.com"}); err == nil || strings.Contains(err.Error(), secret) {
		t.Fatalf("endpoint with a password: %v", err)
	}
}

// Custom metadata outside ASCII survives S3's headers (RFC 2047 on the
// wire), and keys come back lower-case, as S3 keeps them.
func TestS3MetadataRoundTrip(t *testing.T) {
	ctx := context.Background()
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	s := openTestS3(t, srv, srv.SecretAccessKey, nil)
	meta := Metadata{HTTP: map[string]any{"contentType": "text/plain; charset=utf-8", "contentDisposition": `attachment; filename="a.txt"`,
		"contentLanguage": "fr", "cacheExpiry": float64(1_800_000_000_000)}, Custom: map[string]string{"Owner": "Zoë ✓", "plain": "x"}}
	if _, err := s.Put(ctx, bucket, "m", BytesBody([]byte("x")), meta, nil); err != nil {
		t.Fatal(err)
	}
	o, err := s.Head(ctx, bucket, "m")
	if err != nil {
		t.Fatal(err)
	}
	if o.CustomMetadata["owner"] != "Zoë ✓" || o.CustomMetadata["plain"] != "x" || len(o.CustomMetadata) != 2 {
		t.Fatalf("custom metadata = %q", o.CustomMetadata)
	}
	want := map[string]any{"contentType": "text/plain; charset=utf-8", "contentDisposition": `attachment; filename="a.txt"`,
		"contentLanguage": "fr", "cacheExpiry": int64(1_800_000_000_000)}
	for k, v := range want {
		if o.HTTPMetadata[k] != v {
			t.Errorf("httpMetadata.%s = %v (%T), want %v", k, o.HTTPMetadata[k], o.HTTPMetadata[k], v)
		}
	}
}

// put answers with the object it wrote, even when another write replaced
// it before put could look: its etag, size and metadata, not the other's.
func TestS3PutAnswersForItsOwnWrite(t *testing.T) {
	ctx := context.Background()
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	other := openTestS3(t, srv, srv.SecretAccessKey, nil)
	var once sync.Once
	racing := openTestS3(t, srv, srv.SecretAccessKey, beforeTransport{func(r *http.Request) {
		if r.Method == http.MethodHead && r.Header.Get("If-Match") != "" {
			once.Do(func() {
				if _, err := other.Put(ctx, bucket, "k", BytesBody([]byte("theirs, longer")), Metadata{}, nil); err != nil {
					t.Error(err)
				}
			})
		}
	}})
	o, err := racing.Put(ctx, bucket, "k", BytesBody([]byte("mine")), Metadata{HTTP: map[string]any{"contentType": "text/plain"}, Custom: map[string]string{"by": "me"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if o.ETag != "918b81db5e91d031548b963c93845e5b" || o.Size != 4 || o.HTTPMetadata["contentType"] != "text/plain" || o.CustomMetadata["by"] != "me" || o.Checksums["md5"] != o.ETag {
		t.Fatalf("put = %+v; want its own write", o)
	}
	if _, body, _, _ := other.Get(ctx, bucket, "k", nil, nil); string(body) != "theirs, longer" {
		t.Fatalf("the later write is %q", body)
	}
	// Unraced, put's answer is what a head shows.
	o, err = other.Put(ctx, bucket, "k2", BytesBody([]byte("x")), Metadata{Custom: map[string]string{"a": "b"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h, err := other.Head(ctx, bucket, "k2")
	if err != nil || h.Version != o.Version || h.Uploaded != o.Uploaded || h.ETag != o.ETag || h.CustomMetadata["a"] != "b" {
		t.Fatalf("put = %+v, head = %+v, %v", o, h, err)
	}
}
