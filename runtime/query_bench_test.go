package runtime

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	goruntime "runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"edgerun/bindings/hyperdrive"
	"edgerun/bindings/localpg/pgtest"
	"edgerun/isolates"
	"edgerun/isolates/webapi"
	"edgerun/runtime/config"
)

// queryClients is the number of concurrent requests the query benchmarks
// keep in flight (bench/query.sh's 50 connections): RunParallel runs
// SetParallelism × GOMAXPROCS goroutines. QUERY_CLIENTS=n in the
// environment measures another concurrency.
const queryClients = 50

// BenchmarkQueryPath puts the uncached query path next to the bare Go
// baseline in one run (issue #16 items 3 and 4), against one real
// PostgreSQL, 50 concurrent clients, a pool of 10 on both sides:
//
//   - bare: pgxpool QueryRow of the fixture's statement and a Scan, what
//     bench/barequery does per request minus HTTP;
//   - uncached: GET /item through the dispatch path of
//     testdata/workers/hyperdrive-app with caching disabled
//     (prepare().bind().first(), then Response.json);
//   - cached: the same route answered from the query cache;
//   - binding: the same statement through the binding's Go API (Query), no
//     JavaScript: the Go query path alone, next to bare;
//   - route: the same JavaScript with Promise.resolve(row) for the query
//     (testdata/workers/costs/route), the handler's own cost.
//
// cpu-µs/op is this process's user+system CPU per operation (PostgreSQL's
// is not included): compare uncached − cached (the query's own cost inside
// a request) and binding with bare.
func BenchmarkQueryPath(b *testing.B) {
	dsn := pgtest.NewDatabase(b)
	b.Run("bare", func(b *testing.B) {
		cfg, err := pgxpool.ParseConfig(dsn)
		if err != nil {
			b.Fatal(err)
		}
		cfg.MaxConns = 10
		cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeCacheStatement
		pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		defer pool.Close()
		// The fixture's table, made here when the app has not made it yet.
		if _, err := pool.Exec(context.Background(), "CREATE TABLE IF NOT EXISTS bare_items (id int PRIMARY KEY, name text NOT NULL); "+
			"INSERT INTO bare_items SELECT g, 'item-' || g FROM generate_series(1, 1000) AS g ON CONFLICT DO NOTHING"); err != nil {
			b.Fatal(err)
		}
		parallelCPU(b, func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var id int32
			var name string
			if err := pool.QueryRow(ctx, "SELECT id, name FROM bare_items WHERE id = $1", int32(5)).Scan(&id, &name); err != nil || id != 5 || name != "item-5" {
				b.Fatalf("bare: %d %q %v", id, name, err)
			}
		})
	})
	for _, cached := range []bool{false, true} {
		name := "uncached"
		if cached {
			name = "cached"
		}
		b.Run(name, func(b *testing.B) {
			wk, _ := readApp(b, dsn, cached)
			fetch := itemFetch(b, wk)
			fetch()
			parallelCPU(b, fetch)
		})
	}
	b.Run("binding", func(b *testing.B) {
		_, hd := readApp(b, dsn, false)
		parallelCPU(b, func() {
			r, err := hd.Query(context.Background(), "SELECT id, name FROM items WHERE id = ?", int64(5))
			if err != nil || len(r.Rows) != 1 || r.Rows[0][1] != "item-5" {
				b.Fatalf("binding: %+v %v", r, err)
			}
		})
	})
	b.Run("route", func(b *testing.B) {
		wk := benchWorkerT(b, fixture("costs/route"))
		fetch := itemFetch(b, wk)
		fetch()
		parallelCPU(b, fetch)
	})
}

// readApp opens testdata/workers/hyperdrive-app on dsn (its migrations
// applied) and returns the version serving it and its binding.
func readApp(b *testing.B, dsn string, cached bool) (*Version, *hyperdrive.Binding) {
	b.Helper()
	cfg, _, err := config.Load(config.Options{
		Dir: fixture("hyperdrive-app"),
		Getenv: func(k string) (string, bool) {
			return dsn, k == "CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE"
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	cfg.Edgerun.Admin = ""
	cfg.Hyperdrive[0].Caching.Disabled = !cached
	app, err := Open(context.Background(), AppOptions{Config: cfg, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { app.Shutdown(context.Background()) })
	return app.Server().Version(), app.databases[0].(*hyperdrive.Binding)
}

// itemFetch is one GET /item?id=5 through wk's dispatch path, its answer
// checked (the fixture's and costs/route's are the same bytes).
func itemFetch(b *testing.B, wk *Version) func() {
	req := &webapi.Request{Method: "GET", URL: "http://127.0.0.1:8787/item?id=5", Headers: "host\x00127.0.0.1:8787"}
	return func() {
		resp, err := wk.Fetch(context.Background(), req, isolates.NewScope(context.Background(), 1), nil)
		if err != nil || resp.Status != 200 || string(resp.Body) != `{"id":5,"name":"item-5"}` {
			b.Fatalf("resp %+v err %v", resp, err)
		}
	}
}

// parallelCPU runs op from queryClients goroutines (or QUERY_CLIENTS) and reports allocations
// and the process's CPU per op.
func parallelCPU(b *testing.B, op func()) {
	b.ReportAllocs()
	clients := queryClients
	if n, err := strconv.Atoi(os.Getenv("QUERY_CLIENTS")); err == nil && n > 0 {
		clients = n
	}
	b.SetParallelism(max(1, clients/goruntime.GOMAXPROCS(0)))
	before := processCPU()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			op()
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(processCPU()-before)/float64(time.Microsecond)/float64(b.N), "cpu-µs/op")
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(fmt.Sprintf("getrusage: %v", err))
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
