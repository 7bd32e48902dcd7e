package runtime

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"edgerun/bindings/localpg/pgtest"
	"edgerun/isolates"
	"edgerun/isolates/webapi"
)

func benchWorker(b *testing.B, dir string) *Version { return benchWorkerT(b, dir) }

func benchWorkerT(b testing.TB, dir string) *Version {
	b.Helper()
	wk, err := StartVersion(VersionOptions{
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

// BenchmarkHandlerCost prices the JavaScript of a typical route, one
// feature at a time (testdata/workers/costs): compare each with hello, and
// "route" with BenchmarkDispatchCachedRead (the same handler with the query
// answered from the cache instead of Promise.resolve).
func BenchmarkHandlerCost(b *testing.B) {
	workers := []struct{ name, dir string }{
		{"hello", filepath.Join("..", "examples", "hello")},
		{"async", fixture("costs/async")},
		{"url", fixture("costs/url")},
		{"json", fixture("costs/json")},
		{"await", fixture("costs/await")},
		{"route", fixture("costs/route")},
		{"headers", fixture("costs/headers")},
		{"realistic", fixture("costs/realistic")},
	}
	req := &webapi.Request{Method: "GET", URL: "http://127.0.0.1:8787/item?id=5", Headers: "host\x00127.0.0.1:8787"}
	for _, w := range workers {
		b.Run(w.name, func(b *testing.B) {
			wk := benchWorker(b, w.dir)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					resp, err := wk.Fetch(context.Background(), req, isolates.NewScope(context.Background(), 1), nil)
					if err != nil || resp.Status != 200 || len(resp.Body) == 0 {
						b.Fatalf("%s: resp %+v err %v", w.name, resp, err)
					}
				}
			})
		})
	}
}

// benchRead serves testdata/workers/hyperdrive-app (GET /item?id=N: one
// SELECT by primary key through env.HYPERDRIVE) against a real PostgreSQL.
func benchRead(b *testing.B, cached bool) {
	wk, _ := readApp(b, pgtest.NewDatabase(b), cached)
	fetch := itemFetch(b, wk)
	fetch() // fills the cache
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			fetch()
		}
	})
}

// BenchmarkDispatchCachedRead: the read served from the query cache.
// Compare with BenchmarkDispatchHello in the same run.
func BenchmarkDispatchCachedRead(b *testing.B) { benchRead(b, true) }

// BenchmarkDispatchUncachedRead: the same read with caching disabled.
func BenchmarkDispatchUncachedRead(b *testing.B) { benchRead(b, false) }

// BenchmarkHonoRoute measures a Hono route (testdata/apps/hono-api: a
// router of ~20 routes, a parameter, c.json) through the isolate pool
// without HTTP: the JavaScript half of bench/hono.sh.
func BenchmarkHonoRoute(b *testing.B) {
	ensureNodeModules(b)
	wk, err := StartVersion(VersionOptions{
		Dir:  filepath.Join(appsDir, "hono-api"),
		Main: "src/index.js",
		Log:  slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { wk.Close(context.Background()) })
	req := &webapi.Request{Method: "GET", URL: "http://127.0.0.1:8787/api/users/42", Headers: "host\x00127.0.0.1:8787"}
	const want = `{"resource":"users","id":42,"name":"users 42"}`
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := wk.Fetch(context.Background(), req, isolates.NewScope(context.Background(), 1), nil)
			if err != nil || resp.Status != 200 || string(resp.Body) != want {
				b.Fatalf("resp %+v err %v", resp, err)
			}
		}
	})
}
