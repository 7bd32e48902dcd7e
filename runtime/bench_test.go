package runtime

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"edgerun/isolates"
	"edgerun/isolates/webapi"
)

func benchWorker(b *testing.B, dir string) *Worker { return benchWorkerT(b, dir) }

func benchWorkerT(b testing.TB, dir string) *Worker {
	b.Helper()
	wk, err := StartWorker(WorkerOptions{
		Dir:  dir,
		Main: "index.js",
		Log:  slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { wk.Close(context.Background()) })
	return wk
}

// BenchmarkDispatchHello measures one request through the isolate pool
// (hand-off, Request object, handler, Response read back) without HTTP.
func BenchmarkDispatchHello(b *testing.B) {
	wk := benchWorker(b, filepath.Join("..", "examples", "hello"))
	req := &webapi.Request{Method: "GET", URL: "http://127.0.0.1:8787/", Headers: "host\x00127.0.0.1:8787\x00user-agent\x00bench"}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := wk.Fetch(context.Background(), req, isolates.NewScope(context.Background(), 1), nil)
			if err != nil || resp.Status != 200 || string(resp.Body) != "Hello World!" {
				b.Fatalf("resp %+v err %v", resp, err)
			}
		}
	})
}
