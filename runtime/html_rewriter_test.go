package runtime

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"edgerun/runtime/config"
)

// The HTMLRewriter app (testdata/workers/html-rewriter) rewrites pages as
// they stream. The expected output is built here from the same pattern,
// block by block, independently of the rewriter.
func rewrittenBlock(i int) string {
	return fmt.Sprintf(`<div class="item" id="i%d" data-seen="1"><a href="https://cdn.example/p/%d">link %d</a><p>TEXT %d &AMP; MORE</p><span>%s</span></div>`+"\n", i, i, i, i, rewriterFiller)
}

var rewriterFiller = strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 10)

const (
	rewrittenHead = "<!DOCTYPE html>\n<html><head><title>Rewritten</title></head><body>\n"
	rewrittenTail = "</body></html>\n<!-- rewritten -->"
)

// expectRewritten reads want from r, failing with where they part.
func expectRewritten(t *testing.T, r *bufio.Reader, want string, what string) {
	t.Helper()
	got := make([]byte, len(want))
	n, err := io.ReadFull(r, got)
	if err != nil || string(got) != want {
		t.Fatalf("%s: read %d bytes (%v):\n got  %q\n want %q", what, n, err, got[:n], want)
	}
}

func startRewriterApp(t *testing.T) *testApp {
	return startAppWith(t, config.Options{Dir: fixture("html-rewriter")}, false, func(cfg *config.Config) {
		cfg.Edgerun.Isolates = 1 // /generated reads the page's counter
	})
}

// A page of several MB made by the worker is rewritten while it streams:
// the first rewritten bytes reach the client while the page's source is
// still held back (nothing waits for the whole document), the source is
// read only as fast as the client reads (backpressure), the live heap
// stays far below the page's size, and every byte is as expected.
func TestHTMLRewriterStreamsALargePage(t *testing.T) {
	a := startRewriterApp(t)
	const blocks = 34000 // about 24 MB
	resp, err := http.Get(a.base + "/page?blocks=" + strconv.Itoa(blocks))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("content-type") != "text/html" {
		t.Fatalf("status %d, content-type %q", resp.StatusCode, resp.Header.Get("content-type"))
	}
	r := bufio.NewReaderSize(resp.Body, 4096)

	// The source holds everything after its first three chunks (~24 KB)
	// until /release: the head and the first blocks must arrive first.
	firstRead := make(chan error, 1)
	go func() {
		got := make([]byte, len(rewrittenHead)+len(rewrittenBlock(0)))
		_, err := io.ReadFull(r, got)
		if err == nil && string(got) != rewrittenHead+rewrittenBlock(0) {
			err = fmt.Errorf("first bytes %q", got)
		}
		firstRead <- err
	}()
	select {
	case err := <-firstRead:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no rewritten bytes reached the client while the page's source was held back: the rewrite waits for the whole document")
	}
	if _, body := a.get(t, "/release"); body != "released" {
		t.Fatalf("/release: %q", body)
	}

	var received int64 = int64(len(rewrittenHead) + len(rewrittenBlock(0)))
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	for i := 1; i < blocks; i++ {
		want := rewrittenBlock(i)
		expectRewritten(t, r, want, fmt.Sprintf("block %d", i))
		received += int64(len(want))
		if i == blocks/2 {
			// Stop reading for a while: the source must stop too.
			generated := waitSettled(t, a)
			if limit := received + 8<<20; generated > limit {
				t.Errorf("with %d bytes read by the client the worker had made %d of its page: the source is not held back by the client", received, generated)
			}
			runtime.GC()
			var mid runtime.MemStats
			runtime.ReadMemStats(&mid)
			if grew := int64(mid.HeapAlloc) - int64(base.HeapAlloc); grew > 8<<20 {
				t.Errorf("live heap grew by %d bytes halfway through a %d-byte page", grew, received*2)
			}
			t.Logf("halfway: client read %d bytes, worker made %d, live heap %+d bytes", received, generated, int64(mid.HeapAlloc)-int64(base.HeapAlloc))
		}
	}
	expectRewritten(t, r, rewrittenTail, "the end")
	if rest, _ := io.ReadAll(r); len(rest) != 0 {
		t.Fatalf("%d bytes after the end: %q", len(rest), rest[:min(len(rest), 200)])
	}
}

// waitSettled polls /generated until it stops growing.
func waitSettled(t *testing.T, a *testApp) int64 {
	t.Helper()
	last := int64(-1)
	for i := 0; i < 100; i++ {
		_, body := a.get(t, "/generated")
		n, err := strconv.ParseInt(body, 10, 64)
		if err != nil {
			t.Fatalf("/generated: %q", body)
		}
		if n == last {
			return n
		}
		last = n
		time.Sleep(100 * time.Millisecond)
	}
	return last
}

// A page fetched from a real origin server comes back rewritten.
func TestHTMLRewriterRewritesAFetchedPage(t *testing.T) {
	const blocks = 2000
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("content-type", "text/html")
		io.WriteString(w, "<!DOCTYPE html>\n<html><head><title>Origin</title></head><body>\n")
		for i := 0; i < blocks; i++ {
			fmt.Fprintf(w, `<div class="item" id="i%d"><a href="/p/%d">link %d</a><!-- c%d --><p>text %d &amp; more</p><span>%s</span></div>`+"\n", i, i, i, i, i, rewriterFiller)
		}
		io.WriteString(w, "</body></html>\n")
	}))
	defer origin.Close()
	a := startRewriterApp(t)
	code, body := a.get(t, "/rewrite?origin="+origin.URL)
	var want strings.Builder
	want.WriteString(rewrittenHead)
	for i := 0; i < blocks; i++ {
		want.WriteString(rewrittenBlock(i))
	}
	want.WriteString(rewrittenTail)
	if code != 200 || body != want.String() {
		t.Fatalf("status %d, %d bytes, want %d", code, len(body), want.Len())
	}
}
