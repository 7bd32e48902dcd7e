package runtime

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"edgerun/isolates"
	"edgerun/isolates/modules"
	"edgerun/isolates/webapi"
)

// BenchmarkColdStart prices a hello project's start to its first answer:
// the bundle built, the pool's isolates set up (Web APIs, built-in
// modules, the script's top level) and one request served. #16 bounds it
// (≤ 100 ms to the first 200, with the HTTP listener and config on top).
func BenchmarkColdStart(b *testing.B) {
	dir := filepath.Join("..", "examples", "hello")
	req := &webapi.Request{Method: "GET", URL: "http://127.0.0.1:8787/", Headers: "host\x00127.0.0.1:8787"}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		name     string
		isolates int
		compat   modules.Compat
	}{
		{"isolates=1", 1, modules.Compat{}},
		{"isolates=2", 2, modules.Compat{}},
		{"isolates=2/nodejs_compat", 2, modules.CompatFor("2026-11-01", []string{"nodejs_compat"})},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				wk, err := StartVersion(VersionOptions{Dir: dir, Main: "index.js", Isolates: tc.isolates, Compat: tc.compat, Log: log})
				if err != nil {
					b.Fatal(err)
				}
				resp, err := wk.Fetch(context.Background(), req, isolates.NewScope(context.Background(), 1), nil)
				if err != nil || resp.Status != 200 {
					b.Fatalf("first request: %+v %v", resp, err)
				}
				wk.Close(context.Background())
			}
		})
	}
}
