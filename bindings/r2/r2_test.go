package r2

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"edgerun/bindings/r2/s3test"
	"edgerun/isolates"
	"edgerun/isolates/jstest"
	"edgerun/isolates/webapi"
)

func isolateWith(t *testing.T, store Store, buckets map[string]string) *isolates.Isolate {
	t.Helper()
	return limitedIsolateWith(t, store, buckets, 0)
}

// limitedIsolateWith is isolateWith with a memory limit (0: none).
func limitedIsolateWith(t *testing.T, store Store, buckets map[string]string, limit uint64) *isolates.Isolate {
	t.Helper()
	iso, err := isolates.New(isolates.Options{MemoryLimit: limit, Setup: func(iso *isolates.Isolate) error {
		if _, err := webapi.Install(iso, webapi.Options{}); err != nil {
			return err
		}
		for name, id := range buckets {
			v, err := NewBucket(store, name, id).Value(iso)
			if err != nil {
				return err
			}
			if err := iso.Runtime().Set(name, v); err != nil {
				return err
			}
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { iso.Retire(nil); <-iso.Done() })
	return iso
}

// stores are the stores every JS test file runs on, each made fresh per
// test, with a function that makes an empty bucket in it.
var stores = []struct {
	name string
	open func(t *testing.T) (Store, func() string)
}{
	{"local", func(t *testing.T) (Store, func() string) {
		s, err := Open(t.TempDir(), nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s, func() string { return randomHex(4) }
	}},
	{"s3", func(t *testing.T) (Store, func() string) {
		srv := s3test.Start(t)
		s, err := OpenS3(S3Config{Endpoint: srv.Endpoint, Region: srv.Region, AccessKeyID: srv.AccessKeyID, SecretAccessKey: srv.SecretAccessKey})
		if err != nil {
			t.Fatal(err)
		}
		return s, func() string { return srv.NewBucket(t) }
	}},
}

func TestMain(m *testing.M) {
	code := m.Run()
	s3test.StopAll()
	os.Exit(code)
}

func runOnEveryStore(t *testing.T, file string) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			store, newBucket := st.open(t)
			jstest.Run(t, isolateWith(t, store, map[string]string{"bucket": newBucket(), "other": newBucket()}), file, nil)
		})
	}
}

func TestR2BucketAPI(t *testing.T) { runOnEveryStore(t, "testdata/r2.js") }

func TestR2Multipart(t *testing.T) { runOnEveryStore(t, "testdata/multipart.js") }

// Objects survive a restart; replaced and deleted bodies leave no files.
func TestR2PersistsAndCleansUp(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(dir, func() time.Time { return time.UnixMilli(1_700_000_000_000) })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, "b", "a.txt", BytesBody([]byte("one")), Metadata{HTTP: map[string]any{"contentType": "text/plain"}, Custom: map[string]string{"k": "v"}}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, "b", "a.txt", BytesBody([]byte("two")), Metadata{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, "b", "gone.txt", BytesBody([]byte("x")), Metadata{}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "b", []string{"gone.txt", "never"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	o, body, _, err := s.Get(ctx, "b", "a.txt", nil, nil)
	if err != nil || o == nil || string(body) != "two" || o.ETag != "b8a9f715dbb64fd5c56e7783c6820a61" || o.Uploaded != 1_700_000_000_000 {
		t.Fatalf("after reopening: %+v %q %v", o, body, err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "r2", "*"))
	if len(files) != 1 {
		t.Fatalf("%d body files for one object: %v", len(files), files)
	}
}

// A get racing overwrites and deletes of its key sees an object (old or
// new) or none, never an error.
func TestR2GetDuringOverwrites(t *testing.T) {
	ctx := context.Background()
	s, err := Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if i%5 == 4 {
				_ = s.Delete(ctx, "b", []string{"k"})
			} else if _, err := s.Put(ctx, "b", "k", BytesBody([]byte{byte(i)}), Metadata{}, nil); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for range 2000 {
		if o, body, _, err := s.Get(ctx, "b", "k", nil, nil); err != nil || (o != nil && len(body) != 1) {
			t.Fatalf("get during overwrites: %v, %v", o, err)
		}
	}
	close(stop)
	<-done
}

// Bodies a crash left behind (unfinished or no longer named) are removed
// at the next start.
func TestR2SweepsOrphansAtOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, "b", "kept", BytesBody([]byte("x")), Metadata{}, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, name := range []string{"deadbeef", "cafe.tmp"} {
		if err := os.WriteFile(filepath.Join(dir, "r2", name), []byte("orphan"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s, err = Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "r2", "*"))
	if len(files) != 1 {
		t.Fatalf("after Open: %v; want only the kept object's body", files)
	}
	if _, body, _, err := s.Get(ctx, "b", "kept", nil, nil); err != nil || string(body) != "x" {
		t.Fatalf("kept = %q, %v", body, err)
	}
}

// An unfinished upload's parts survive a restart (sweep keeps them); one
// older than R2's 7-day lifetime is dropped with its parts.
func TestR2UploadsSurviveRestartAndExpire(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	now := time.UnixMilli(1_700_000_000_000)
	clock := func() time.Time { return now }
	s, err := Open(dir, clock)
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.CreateMultipartUpload(ctx, "b", "k", Metadata{Custom: map[string]string{"a": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	etag, err := s.UploadPart(ctx, "b", "k", id, 1, BytesBody([]byte("part one")))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(dir, clock); err != nil {
		t.Fatal(err)
	}
	o, err := s.CompleteMultipartUpload(ctx, "b", "k", id, []Part{{1, etag}})
	if err != nil || o.Size != 8 || o.CustomMetadata["a"] != "1" {
		t.Fatalf("complete after a restart: %+v, %v", o, err)
	}
	id2, _ := s.CreateMultipartUpload(ctx, "b", "k2", Metadata{})
	if _, err := s.UploadPart(ctx, "b", "k2", id2, 1, BytesBody([]byte("stale"))); err != nil {
		t.Fatal(err)
	}
	s.Close()
	now = now.Add(uploadLifetime + time.Minute)
	if s, err = Open(dir, clock); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.UploadPart(ctx, "b", "k2", id2, 2, BytesBody([]byte("late"))); !errors.Is(err, ErrNoSuchUpload) {
		t.Fatalf("uploadPart to an expired upload: %v, want NoSuchUpload", err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "r2", "*"))
	if len(files) != 1 {
		t.Fatalf("body files after expiry: %v; want only the completed object's", files)
	}
	if _, body, _, err := s.Get(ctx, "b", "k", nil, nil); err != nil || string(body) != "part one" {
		t.Fatalf("completed object = %q, %v", body, err)
	}
}

// A get's body counts against the isolate's memory limit as a fetch()
// body does: an object bigger than the limit is refused with an error
// saying so (ranges of it still read), instead of being held outside
// any budget however large it is.
func TestR2GetBodiesAreCharged(t *testing.T) {
	ctx := context.Background()
	s, err := Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const mib = 1 << 20
	if _, err := s.Put(ctx, "b", "big", BytesBody(make([]byte, 12*mib)), Metadata{}, nil); err != nil {
		t.Fatal(err)
	}
	iso := limitedIsolateWith(t, s, map[string]string{"bucket": "b"}, 8*mib)
	src := filepath.Join(t.TempDir(), "charged.js")
	if err := os.WriteFile(src, []byte(`
test("an object over the memory limit is refused; a range of it reads", async () => {
  const e = await rejects(bucket.get("big"));
  ok(e.message.includes("memory limit") && e.message.includes("12582912"), e.message);
  const part = await bucket.get("big", { range: { offset: 0, length: 1 << 20 } });
  eq((await part.arrayBuffer()).byteLength, 1 << 20);
  eq((await bucket.head("big")).size, 12582912);
});
`), 0o600); err != nil {
		t.Fatal(err)
	}
	jstest.Run(t, iso, src, nil)
}

func TestR2PutStreams(t *testing.T) { runOnEveryStore(t, "testdata/streams.js") }

// A put of a stream is read as the store writes it: 64 MiB put through a
// FixedLengthStream by a worker whose memory limit is 16 MiB succeeds on
// every store (the script's chunks are collected as they go, at most 1 MiB
// waits for the store), where reading the stream whole first would pass
// the limit. The Go heap stays bounded too: its peak over the put is far
// below the body's size.
func TestR2PutStreamsUnderTheMemoryLimit(t *testing.T) {
	const mib = 1 << 20
	const size, chunk = 64 * mib, 256 << 10
	want := md5.New()
	for i := range size / chunk {
		want.Write(bytes.Repeat([]byte{byte(i)}, chunk))
	}
	wantMD5 := hex.EncodeToString(want.Sum(nil))
	src := filepath.Join(t.TempDir(), "stream.js")
	if err := os.WriteFile(src, []byte(`
test("a 64 MiB stream is put under a 16 MiB limit", async () => {
  const f = new FixedLengthStream(64 << 20);
  const w = f.writable.getWriter();
  (async () => {
    for (let i = 0; i < 256; i++) await w.write(new Uint8Array(256 << 10).fill(i));
    await w.close();
  })().catch(() => {});
  const o = await bucket.put("big", f.readable);
  eq(o.size, 64 << 20);
  let whole;
  try { whole = new Uint8Array(64 << 20); } catch (e) { whole = e; }
  ok(whole instanceof RangeError, "the body could not have been held whole");
});
`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			store, newBucket := st.open(t)
			bucket := newBucket()
			iso := limitedIsolateWith(t, store, map[string]string{"bucket": bucket}, 16*mib)
			runtime.GC()
			base := heapBytes()
			var peak atomic.Uint64
			stop := make(chan struct{})
			sampled := make(chan struct{})
			go func() {
				defer close(sampled)
				for {
					if h := heapBytes(); h > peak.Load() {
						peak.Store(h)
					}
					select {
					case <-stop:
						return
					case <-time.After(2 * time.Millisecond):
					}
				}
			}()
			jstest.Run(t, iso, src, nil)
			close(stop)
			<-sampled
			grew := int64(peak.Load()) - int64(base)
			t.Logf("Go heap over the put: %.1f MiB at most above the %.1f MiB before", float64(grew)/mib, float64(base)/mib)
			if grew > 48*mib {
				t.Errorf("the Go heap grew by %d bytes during a 64 MiB put: the body was held whole somewhere", grew)
			}
			o, err := store.Head(context.Background(), bucket, "big")
			if err != nil || o == nil || o.Size != size || o.Checksums["md5"] != wantMD5 {
				t.Fatalf("stored object = %+v, %v; want %d bytes of md5 %s", o, err, size, wantMD5)
			}
		})
	}
}

// heapBytes is the heap's bytes in objects, live or not yet swept.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// A fetched body is put as it arrives when its length is known (a
// Content-Length, not decoded), as on Workers; a chunked one, or one
// decoded from gzip, has none and is refused with workerd's TypeError.
// (A short body read with the head is bytes, of known length even when
// decoded, where workerd would refuse a decoded one.)
func TestR2PutsAFetchedBody(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB: streamed, not read with the head
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/sized":
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			_, _ = w.Write(body)
		case "/chunked":
			_, _ = w.Write(body[:100])
			w.(http.Flusher).Flush()
			_, _ = w.Write(body[100:])
		case "/gzip":
			// Random bytes: compressed, still more than is read with the head.
			var z bytes.Buffer
			zw := gzip.NewWriter(&z)
			_, _ = io.CopyN(zw, rand.Reader, 1<<20)
			_ = zw.Close()
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Length", strconv.Itoa(z.Len()))
			_, _ = w.Write(z.Bytes())
		}
	}))
	defer srv.Close()
	s, err := Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sum := md5.Sum(body)
	src := filepath.Join(t.TempDir(), "fetched.js")
	if err := os.WriteFile(src, []byte(`
test("a fetched body of known length is put; one of unknown length is refused", async () => {
  const o = await bucket.put("f", (await fetch(origin + "/sized")).body);
  eq([o.size, o.etag], [1 << 20, "`+hex.EncodeToString(sum[:])+`"]);
  for (const path of ["/chunked", "/gzip"]) {
    const e = await rejects(bucket.put("g", (await fetch(origin + path)).body));
    eq(e.message, "Provided readable stream must have a known length (request/response body or readable half of FixedLengthStream)");
  }
  eq(await bucket.head("g"), null);
});
`), 0o600); err != nil {
		t.Fatal(err)
	}
	jstest.Run(t, isolateWith(t, s, map[string]string{"bucket": "b"}), src, func(iso *isolates.Isolate) error {
		return iso.Runtime().Set("origin", srv.URL)
	})
}
