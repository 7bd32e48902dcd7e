package runtime

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	brrr "github.com/molecule-man/go-brrr"
)

// rawClient sends the Accept-Encoding a test names and hands back the body
// as it came (Go's transport would ask for gzip and decode it itself).
var rawClient = &http.Client{Transport: &http.Transport{DisableCompression: true}}

func rawGet(t *testing.T, u, acceptEncoding string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	resp, err := rawClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip (%v): %q", err, b[:min(len(b), 40)])
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func unbrotli(t *testing.T, b []byte) string {
	t.Helper()
	out, err := brrr.Decompress(b)
	if err != nil {
		t.Fatalf("not brotli (%v)", err)
	}
	return string(out)
}

// compressingOrigin is a real HTTP server that answers in gzip or br, and
// remembers the Accept-Encoding it was sent.
func compressingOrigin(t *testing.T) (*httptest.Server, func() string) {
	var mu sync.Mutex
	var accept string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		accept = r.Header.Get("Accept-Encoding")
		mu.Unlock()
		var b bytes.Buffer
		switch r.URL.Path {
		case "/gzip":
			zw := gzip.NewWriter(&b)
			io.WriteString(zw, "gzip text from the origin")
			zw.Close()
			w.Header().Set("Content-Encoding", "gzip")
		case "/br":
			bw, _ := brrr.NewWriter(&b, 5)
			io.WriteString(bw, "brotli text from the origin")
			bw.Close()
			w.Header().Set("Content-Encoding", "br")
		case "/corrupt":
			b.WriteString("this is not gzip at all")
			w.Header().Set("Content-Encoding", "gzip")
		case "/plain":
			b.WriteString("plain text from the origin")
		}
		w.Write(b.Bytes())
	}))
	t.Cleanup(srv.Close)
	return srv, func() string { mu.Lock(); defer mu.Unlock(); return accept }
}

func TestFetchDecodesGzipAndBrotli(t *testing.T) {
	origin, accepted := compressingOrigin(t)
	a := startApp(t, fixture("compression"), nil)
	for _, c := range []struct{ path, text, encoding string }{
		{"/gzip", "gzip text from the origin", "gzip"},
		{"/br", "brotli text from the origin", "br"},
		{"/plain", "plain text from the origin", ""},
	} {
		_, body := a.do(t, "GET", "/fetch?origin="+url.QueryEscape(origin.URL+c.path), nil, nil)
		var got struct {
			Text     string
			Encoding *string
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatalf("%s: %q", c.path, body)
		}
		enc := ""
		if got.Encoding != nil {
			enc = *got.Encoding
		}
		if got.Text != c.text || enc != c.encoding {
			t.Errorf("fetch %s: text %q, content-encoding %q; want %q, %q", c.path, got.Text, enc, c.text, c.encoding)
		}
	}
	if got := accepted(); got != "br, gzip" {
		t.Errorf("fetch() sent Accept-Encoding %q; Workers asks for br, gzip", got)
	}

	// encodeResponseBody: "manual": the bytes as they came.
	_, body := a.do(t, "GET", "/fetch-manual?origin="+url.QueryEscape(origin.URL+"/gzip"), nil, nil)
	m := decodeJSON(t, body)
	if m["back"] != "gzip text from the origin" || m["encoding"] != "gzip" || m["magic"].([]any)[0] != float64(0x1f) {
		t.Errorf("manual: %v", m)
	}

	// A body that is not what its header says fails when read.
	_, body = a.do(t, "GET", "/fetch-corrupt?origin="+url.QueryEscape(origin.URL+"/corrupt"), nil, nil)
	if !strings.HasPrefix(body, "TypeError: ") {
		t.Errorf("corrupt body: %q", body)
	}
}

func TestContentEncodingOnTheWayOut(t *testing.T) {
	origin, _ := compressingOrigin(t)
	a := startApp(t, fixture("compression"), nil)
	page := strings.Repeat("<p>a page that compresses well</p>\n", 200)

	// A client that accepts gzip gets the body gzipped, with the header.
	resp, b := rawGet(t, a.base+"/gzip", "gzip, deflate")
	if resp.Header.Get("Content-Encoding") != "gzip" || gunzip(t, b) != page || len(b) >= len(page)/4 {
		t.Errorf("gzip to a gzip client: %q, %d bytes", resp.Header.Get("Content-Encoding"), len(b))
	}
	// One that does not (no header, or q=0) gets it plain, without the header.
	for _, ae := range []string{"", "identity", "gzip;q=0, br;q=0"} {
		resp, b = rawGet(t, a.base+"/gzip", ae)
		if resp.Header.Get("Content-Encoding") != "" || string(b) != page {
			t.Errorf("gzip to a client with Accept-Encoding %q: %q, %d bytes", ae, resp.Header.Get("Content-Encoding"), len(b))
		}
	}
	resp, b = rawGet(t, a.base+"/br", "gzip, br")
	if resp.Header.Get("Content-Encoding") != "br" || unbrotli(t, b) != page {
		t.Errorf("br to a br client: %q", resp.Header.Get("Content-Encoding"))
	}
	resp, b = rawGet(t, a.base+"/br", "gzip")
	if resp.Header.Get("Content-Encoding") != "" || string(b) != page {
		t.Errorf("br to a gzip-only client: %q", resp.Header.Get("Content-Encoding"))
	}

	// encodeBody: "manual": the script's gzip bytes, as they are.
	resp, b = rawGet(t, a.base+"/manual", "gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" || gunzip(t, b) != page {
		t.Errorf("manual: %q", resp.Header.Get("Content-Encoding"))
	}
	if _, body := a.do(t, "GET", "/bad-encode-body", nil, nil); body != "TypeError: encodeBody: unexpected value: sometimes" {
		t.Errorf("bad encodeBody: %q", body)
	}

	// A streamed body is encoded as it streams.
	resp, b = rawGet(t, a.base+"/stream", "gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" || gunzip(t, b) != "event 0\nevent 1\nevent 2\n" {
		t.Errorf("stream: %q", resp.Header.Get("Content-Encoding"))
	}
	resp, b = rawGet(t, a.base+"/stream", "")
	if resp.Header.Get("Content-Encoding") != "" || string(b) != "event 0\nevent 1\nevent 2\n" {
		t.Errorf("stream to a plain client: %q %q", resp.Header.Get("Content-Encoding"), b)
	}

	// A fetched gzip response returned as it is: decoded for the script,
	// encoded again for the client; with "manual", the origin's own bytes.
	passthrough := "/passthrough?origin=" + url.QueryEscape(origin.URL+"/gzip")
	resp, b = rawGet(t, a.base+passthrough, "gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" || gunzip(t, b) != "gzip text from the origin" {
		t.Errorf("passthrough: %q", resp.Header.Get("Content-Encoding"))
	}
	resp, b = rawGet(t, a.base+passthrough, "")
	if resp.Header.Get("Content-Encoding") != "" || string(b) != "gzip text from the origin" {
		t.Errorf("passthrough to a plain client: %q %q", resp.Header.Get("Content-Encoding"), b)
	}
	resp, b = rawGet(t, a.base+"/passthrough-manual?origin="+url.QueryEscape(origin.URL+"/gzip"), "gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" || gunzip(t, b) != "gzip text from the origin" {
		t.Errorf("manual passthrough: %q", resp.Header.Get("Content-Encoding"))
	}
}
