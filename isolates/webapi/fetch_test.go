package webapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"edgerun/isolates"
	"edgerun/isolates/jstest"
)

func TestFetchOutbound(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{
			"method": r.Method, "path": r.URL.RequestURI(), "header": r.Header.Get("X-Test"),
			"body": string(body), "contentType": r.Header.Get("Content-Type"),
		})
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/echo", http.StatusFound)
	})
	mux.HandleFunc("/status/", func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/status/"))
		w.WriteHeader(code)
		if code != http.StatusNoContent {
			io.WriteString(w, "status "+strconv.Itoa(code))
		}
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 10; i++ { // 300 KB, chunked: streamed
			w.Write([]byte(strings.Repeat(strconv.Itoa(i), 30000)))
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	iso, _ := newTestWorker(t, nil)
	jstest.Run(t, iso, "testdata/net/fetch_outbound.js", func(iso *isolates.Isolate) error {
		return iso.Runtime().Set("ORIGIN", srv.URL)
	})
}
