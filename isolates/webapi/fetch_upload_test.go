package webapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"edgerun/isolates"
	"edgerun/isolates/jstest"
)

// TestFetchStreamedUpload sends request bodies the script is still writing to a real server,
// which reports what it has received so far (/seen) while the upload is under way: a body read
// whole before sending would never let the script see its first chunk arrive.
func TestFetchStreamedUpload(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]string{} // upload name → bytes received so far
	mux := http.NewServeMux()
	mux.HandleFunc("/upload/", func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/upload/")
		var got []byte
		buf := make([]byte, 4096)
		for {
			n, err := r.Body.Read(buf)
			got = append(got, buf[:n]...)
			mu.Lock()
			seen[name] = string(got)
			mu.Unlock()
			if err != nil {
				break
			}
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"body": string(got), "chunked": len(r.TransferEncoding) > 0 && r.TransferEncoding[0] == "chunked",
			"length": r.ContentLength,
		})
	})
	mux.HandleFunc("/seen/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		io.WriteString(w, seen[strings.TrimPrefix(r.URL.Path, "/seen/")])
	})
	mux.HandleFunc("/early", func(w http.ResponseWriter, r *http.Request) {
		// Answers without reading the body: the script's stream is cancelled.
		w.Header().Set("Connection", "close")
		io.WriteString(w, "early")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	iso, _ := newTestWorker(t, nil)
	jstest.Run(t, iso, "testdata/net/fetch_upload.js", func(iso *isolates.Isolate) error {
		return iso.Runtime().Set("ORIGIN", srv.URL)
	})
}
