package runtime

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// streamOrigin is a real HTTP server whose answers fetch() must stream:
// ones held back halfway until the test releases them, a large one whose
// writes it counts, one that holds its connection open until the client
// goes away (and reports that it went).
type streamOrigin struct {
	*httptest.Server
	written  atomic.Int64 // bytes /big has written
	release  chan struct{}
	released sync.Once
	gone     chan struct{} // closed when a /hold client went away
	goneOnce sync.Once
}

// bigByte is byte i of /big's body.
func bigByte(i int64) byte { return byte(i*7 + i/4099) }

func newStreamOrigin(t *testing.T) *streamOrigin {
	o := &streamOrigin{release: make(chan struct{}), gone: make(chan struct{})}
	wait := func(r *http.Request) bool {
		select {
		case <-o.release:
			return true
		case <-r.Context().Done():
			return false
		}
	}
	o.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := w.(http.Flusher)
		switch r.URL.Path {
		case "/slow":
			// The first line, then nothing until the test releases the rest.
			io.WriteString(w, "first line\n")
			f.Flush()
			if wait(r) {
				io.WriteString(w, "second line\n")
			}
		case "/big":
			mb, _ := strconv.Atoi(r.URL.Query().Get("mb"))
			total := int64(mb) << 20
			buf := make([]byte, 32<<10)
			for off := int64(0); off < total; off += int64(len(buf)) {
				for i := range buf {
					buf[i] = bigByte(off + int64(i))
				}
				if _, err := w.Write(buf); err != nil {
					return
				}
				o.written.Add(int64(len(buf)))
			}
		case "/hold":
			w.Write(make([]byte, 256<<10))
			f.Flush()
			<-r.Context().Done()
			o.goneOnce.Do(func() { close(o.gone) })
		case "/gzip-slow":
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			io.WriteString(zw, strings.Repeat("gzip part one. ", 1000))
			zw.Flush()
			f.Flush()
			if wait(r) {
				io.WriteString(zw, strings.Repeat("gzip part two. ", 1000))
				zw.Close()
			}
		case "/gzip-big":
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			for i := 0; i < 100000; i++ {
				fmt.Fprintf(zw, "line %06d of a body that compresses well\n", i)
			}
			zw.Close()
		case "/page-slow":
			w.Header().Set("content-type", "text/html")
			io.WriteString(w, "<!DOCTYPE html>\n<html><head><title>Origin</title></head><body>\n")
			for i := 0; i < 2000; i++ {
				if i == 3 {
					f.Flush()
					if !wait(r) {
						return
					}
				}
				fmt.Fprintf(w, `<div class="item" id="i%d"><a href="/p/%d">link %d</a><!-- c%d --><p>text %d &amp; more</p><span>%s</span></div>`+"\n", i, i, i, i, i, rewriterFiller)
			}
			io.WriteString(w, "</body></html>\n")
		case "/corrupt":
			// gzip in name only, long enough to stream
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(make([]byte, 200000))
		case "/gzip-truncated":
			w.Header().Set("Content-Encoding", "gzip")
			var b strings.Builder
			zw := gzip.NewWriter(&b)
			for i := 0; i < 100000; i++ {
				fmt.Fprintf(zw, "line %06d\n", i)
			}
			zw.Close()
			io.WriteString(w, b.String()[:b.Len()-5])
		case "/cut":
			// Part of a body, then the connection drops.
			w.Header().Set("Content-Length", "1000000")
			w.Write(make([]byte, 200000))
			f.Flush()
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		case "/empty":
			w.Header().Set("Content-Length", "0")
		}
	}))
	t.Cleanup(func() { o.releaseAll(); o.Close() })
	return o
}

func (o *streamOrigin) releaseAll() { o.released.Do(func() { close(o.release) }) }

// readWithin reads exactly n bytes from r, failing the test if they do not
// come within d.
func readWithin(t *testing.T, r io.Reader, n int, d time.Duration, what string) string {
	t.Helper()
	got := make(chan string, 1)
	go func() {
		b := make([]byte, n)
		k, err := io.ReadFull(r, b)
		if err != nil {
			got <- fmt.Sprintf("error after %d bytes: %v", k, err)
			return
		}
		got <- string(b)
	}()
	select {
	case s := <-got:
		return s
	case <-time.After(d):
		t.Fatalf("%s: nothing within %v", what, d)
		return ""
	}
}

func waitClosed(t *testing.T, c <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-c:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: the origin never saw its client go", what)
	}
}

func q(u string) string { return url.QueryEscape(u) }

// A worker that returns a fetched response answers as soon as the origin's
// head is in: the client reads the first line while the origin is still
// holding back the rest.
func TestFetchBodyStreamsFromASlowOrigin(t *testing.T) {
	o := newStreamOrigin(t)
	a := startApp(t, fixture("fetch-stream"), nil)
	resp, err := client.Get(a.base + "/proxy?origin=" + q(o.URL+"/slow"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := bufio.NewReader(resp.Body)
	if got := readWithin(t, r, len("first line\n"), 10*time.Second, "the first line"); got != "first line\n" {
		t.Fatalf("first line: %q", got)
	}
	o.releaseAll()
	rest, err := io.ReadAll(r)
	if err != nil || string(rest) != "second line\n" {
		t.Fatalf("rest: %q, %v", rest, err)
	}
}

// 200 MB through a worker: every byte arrives in order, the process's live
// heap stays far below the body's size, and a client that stops reading
// stops the origin (backpressure reaches it through the worker).
func TestFetchBodyOf200MBIsNotBuffered(t *testing.T) {
	o := newStreamOrigin(t)
	a := startApp(t, fixture("fetch-stream"), nil)
	const mb = 200
	resp, err := client.Get(a.base + "/proxy?origin=" + q(o.URL+"/big?mb="+strconv.Itoa(mb)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak int64
	buf := make([]byte, 256<<10)
	var received int64
	paused := false
	for {
		n, err := resp.Body.Read(buf)
		for i := 0; i < n; i++ {
			if buf[i] != bigByte(received+int64(i)) {
				t.Fatalf("byte %d: %d, want %d", received+int64(i), buf[i], bigByte(received+int64(i)))
			}
		}
		received += int64(n)
		if received/(16<<20) != (received-int64(n))/(16<<20) {
			// Live heap, not garbage awaiting collection: a buffered body is
			// retained, a streamed one is not (other tests' garbage made
			// HeapAlloc alone pass 64 MB once).
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			peak = max(peak, int64(m.HeapAlloc)-int64(base.HeapAlloc))
		}
		if !paused && received > 32<<20 {
			// Stop reading: the origin must stop writing soon after.
			paused = true
			var last int64 = -1
			for i := 0; i < 50 && o.written.Load() != last; i++ {
				last = o.written.Load()
				time.Sleep(100 * time.Millisecond)
			}
			ahead := o.written.Load() - received
			t.Logf("client paused at %d MB read: the origin had written %d MB (%d MB ahead)", received>>20, o.written.Load()>>20, ahead>>20)
			if ahead > 48<<20 {
				t.Errorf("the origin wrote %d MB past what the client read: fetch() does not hold it back", ahead>>20)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after %d bytes: %v", received, err)
		}
	}
	if received != mb<<20 {
		t.Fatalf("received %d bytes, want %d", received, mb<<20)
	}
	t.Logf("200 MB proxied; live heap peaked %d MB above its start", peak>>20)
	if peak > 64<<20 {
		t.Errorf("live heap grew by %d MB while proxying %d MB: the body is buffered", peak>>20, mb)
	}
}

// Read in the worker, chunk by chunk: Uint8Arrays of at most 64 KiB.
func TestFetchBodyChunks(t *testing.T) {
	o := newStreamOrigin(t)
	a := startApp(t, fixture("fetch-stream"), nil)
	_, body := a.do(t, "GET", "/count?origin="+q(o.URL+"/big?mb=16"), nil, nil)
	var got struct {
		Bytes, Chunks, MaxChunk int
		Types                   []string
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("%q", body)
	}
	if got.Bytes != 16<<20 || got.MaxChunk > 64<<10 || got.Chunks < 16<<20/(64<<10) || len(got.Types) != 1 || got.Types[0] != "[object Uint8Array]" {
		t.Fatalf("read %+v", got)
	}
	// text() of a streamed body (read whole in Go, decoded on the way).
	_, body = a.do(t, "GET", "/text?origin="+q(o.URL+"/gzip-big"), nil, nil)
	var text struct {
		Length     int
		Head, Tail string
		Used       bool
	}
	if err := json.Unmarshal([]byte(body), &text); err != nil {
		t.Fatalf("%q", body)
	}
	const lastLine = "line 099999 of a body that compresses well\n"
	if text.Length != 100000*len("line 000000 of a body that compresses well\n") || !strings.HasPrefix(text.Head, "line 000000 of") || text.Tail != lastLine[len(lastLine)-40:] || !text.Used {
		t.Fatalf("text() %+v", text)
	}
	// An empty body is a stream too (as workerd's), a HEAD's is null.
	if _, body = a.do(t, "GET", "/empty?origin="+q(o.URL+"/empty"), nil, nil); body != `{"isStream":true,"text":""}` {
		t.Errorf("empty body: %s", body)
	}
	if _, body = a.do(t, "GET", "/head?origin="+q(o.URL+"/big?mb=1"), nil, nil); body != `{"status":200,"body":null}` {
		t.Errorf("HEAD: %s", body)
	}
}

// A gzip origin's body is decoded as it streams: the first part reaches
// the client while the origin holds back the rest.
func TestFetchBodyGzipStreamsDecoded(t *testing.T) {
	o := newStreamOrigin(t)
	a := startApp(t, fixture("fetch-stream"), nil)
	req, _ := http.NewRequest("GET", a.base+"/proxy?origin="+q(o.URL+"/gzip-slow"), nil)
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := rawClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ce := resp.Header.Get("Content-Encoding"); ce != "" {
		t.Fatalf("content-encoding %q to a client that takes none", ce)
	}
	one := strings.Repeat("gzip part one. ", 1000)
	if got := readWithin(t, resp.Body, len(one), 10*time.Second, "the decoded first part"); got != one {
		t.Fatalf("first part: %q", got[:min(len(got), 80)])
	}
	o.releaseAll()
	rest, err := io.ReadAll(resp.Body)
	if err != nil || string(rest) != strings.Repeat("gzip part two. ", 1000) {
		t.Fatalf("rest: %d bytes, %v", len(rest), err)
	}
}

// Aborting the signal mid-body errors the stream with the signal's reason
// and closes the origin's connection.
func TestFetchAbortMidBodyClosesTheOrigin(t *testing.T) {
	o := newStreamOrigin(t)
	a := startApp(t, fixture("fetch-stream"), nil)
	_, body := a.do(t, "GET", "/abort?bytes=100000&origin="+q(o.URL+"/hold"), nil, nil)
	var got struct {
		Read     int
		After    *struct{ Name, Message string }
		IsReason bool
		IsError  bool
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("%q", body)
	}
	if got.Read < 100000 || got.After == nil || got.IsReason || !got.IsError || got.After.Name != "Error" || got.After.Message != "enough" {
		t.Fatalf("abort mid-body: %s", body)
	}
	waitClosed(t, o.gone, "abort")
}

func TestFetchAbortBeforeTheHeadAndDuringText(t *testing.T) {
	o := newStreamOrigin(t)
	a := startApp(t, fixture("fetch-stream"), nil)
	// /slow never finishes until released; /abort-head's origin never answers.
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer hang.Close()
	for _, c := range []struct{ path, origin string }{{"/abort-head", hang.URL}, {"/abort-text", o.URL + "/slow"}} {
		_, body := a.do(t, "GET", c.path+"?origin="+q(c.origin), nil, nil)
		if body != `{"error":{"name":"AbortError","message":"The operation was aborted"}}` {
			t.Errorf("%s: %s", c.path, body)
		}
	}
}

// A body that fails part way rejects the read (and text()) with workerd's
// errors: the decoder's TypeErrors, or the connection's loss.
func TestFetchBodyErrorsPartWay(t *testing.T) {
	o := newStreamOrigin(t)
	a := startApp(t, fixture("fetch-stream"), nil)
	for path, want := range map[string]string{
		"/corrupt":        "TypeError: Gzip decompression failed.",
		"/gzip-truncated": "TypeError: Gzip compressed stream ended prematurely.",
		"/cut":            "Error: Network connection lost.",
	} {
		_, body := a.do(t, "GET", "/read-error?origin="+q(o.URL+path), nil, nil)
		name, message, _ := strings.Cut(want, ": ")
		one := fmt.Sprintf(`{"name":%q,"message":%q}`, name, message)
		if body != `{"read":`+one+`,"text":`+one+`}` {
			t.Errorf("%s: %s; want %s both ways", path, body, want)
		}
	}
}

// A body the worker stops reading is closed when it cancels the stream,
// or when its request ends.
func TestFetchBodyLeftUnreadClosesTheOrigin(t *testing.T) {
	for _, path := range []string{"/cancel", "/leave"} {
		t.Run(path[1:], func(t *testing.T) {
			o := newStreamOrigin(t)
			a := startApp(t, fixture("fetch-stream"), nil)
			code, body := a.get(t, path+"?origin="+q(o.URL+"/hold"))
			if code != 200 || body == "" {
				t.Fatalf("%d %q", code, body)
			}
			waitClosed(t, o.gone, path)
		})
	}
}

// HTMLRewriter over a fetched page that arrives slowly: the rewritten
// start reaches the client while the origin holds back the rest.
func TestHTMLRewriterStreamsAFetchedSlowPage(t *testing.T) {
	o := newStreamOrigin(t)
	a := startRewriterApp(t)
	resp, err := client.Get(a.base + "/rewrite?origin=" + q(o.URL+"/page-slow"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := bufio.NewReader(resp.Body)
	first := rewrittenHead + rewrittenBlock(0)
	if got := readWithin(t, r, len(first), 10*time.Second, "the rewritten start"); got != first {
		t.Fatalf("first bytes %q", got)
	}
	o.releaseAll()
	for i := 1; i < 2000; i++ {
		expectRewritten(t, r, rewrittenBlock(i), fmt.Sprintf("block %d", i))
	}
	expectRewritten(t, r, rewrittenTail, "the end")
}
