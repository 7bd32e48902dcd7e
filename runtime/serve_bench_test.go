package runtime

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/valyala/fasthttp"

	"edgerun/runtime/config"
)

// BenchmarkServe measures one request through the whole HTTP handler of an
// opened app (Server.handle: the fasthttp request read into a Request, the
// hand-off, the worker, the response written back, metrics and alerts, the
// access log when on) and the response's serialization, without the
// network: what edgerun adds to fasthttp's own parsing and writing, which
// bench/barehello pays too. Compare hello with BenchmarkDispatchHello (the
// same worker without the HTTP side) in the same sitting.
func BenchmarkServe(b *testing.B) {
	cases := []struct {
		name, dir, path, want string
		accessLog             bool
	}{
		{"hello", filepath.Join("..", "examples", "hello"), "/", "Hello World!", false},
		{"hello-accesslog", filepath.Join("..", "examples", "hello"), "/", "Hello World!", true},
		{"hono", filepath.Join(appsDir, "hono-api"), "/api/users/42", `{"resource":"users","id":42,"name":"users 42"}`, false},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if c.name == "hono" {
				ensureNodeModules(b)
			}
			cfg, _, err := config.Load(config.Options{Path: filepath.Join(c.dir, "wrangler.toml")})
			if err != nil {
				b.Fatal(err)
			}
			log, _ := NewLogger(io.Discard, "json", slog.LevelInfo)
			app, err := Open(context.Background(), AppOptions{Config: cfg, LogRequests: c.accessLog, Log: log})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				app.Shutdown(ctx)
			})
			var req fasthttp.Request
			req.Header.DisableNormalizing() // as the server's DisableHeaderNamesNormalizing reads them
			req.Header.SetMethod("GET")
			req.SetRequestURI(c.path)
			req.Header.SetHost("127.0.0.1:8787")
			req.Header.Set("user-agent", "bench")
			req.Header.Set("accept", "*/*")
			out := bufio.NewWriter(io.Discard)
			addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
			var rc fasthttp.RequestCtx
			rc.Init(&req, addr, nil)
			if out := os.Getenv("JSPROF"); out != "" && b.N > 1 { // goja's JavaScript profile: go tool pprof -top
				f, err := os.Create(out)
				if err != nil {
					b.Fatal(err)
				}
				if err := goja.StartProfile(f); err != nil {
					b.Fatal(err)
				}
				defer func() { goja.StopProfile(); f.Close() }()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				rc.Response.Reset()
				app.server.handle(&rc)
				if rc.Response.StatusCode() != 200 || string(rc.Response.Body()) != c.want {
					b.Fatalf("status %d body %q", rc.Response.StatusCode(), rc.Response.Body())
				}
				if err := rc.Response.Write(out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
