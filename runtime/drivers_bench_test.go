//go:build unix

package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"edgerun/bindings/localpg/pgtest"

	"github.com/jackc/pgx/v5"
)

// BenchmarkDriverRoute compares one SELECT by primary key through node-postgres (a new Client
// per request on env.HYPERDRIVE.connectionString: connect, SCRAM, query, end) with the same
// query through env.HYPERDRIVE.prepare(), served over real HTTP (testdata/apps/bench): pg
// connects to the local Hyperdrive (connectionString), pg-ssl the same with ssl: true (TLS
// asked for; in-process, the door skips it), pg-direct to PostgreSQL itself (what
// wrangler dev hands a driver). It reports the server sessions PostgreSQL opened per request
// (pg_stat_database.sessions).
//
//	go test -run '^$' -bench DriverRoute -benchtime 2000x ./runtime/
func BenchmarkDriverRoute(b *testing.B) {
	ensureNodeModules(b)
	dsn := pgtest.NewDatabase(b)
	app := startAppWith(b, driverAppOptions("bench", dsn, map[string]string{"DIRECT_URL": dsn}), false, driverAppConfig(b, pgtest.CACertPEM(b)))
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(context.Background())
	const users = 100
	for i := range users {
		if _, err := conn.Exec(context.Background(), "INSERT INTO users (name, email) VALUES ($1, $2)",
			fmt.Sprint("user ", i), fmt.Sprintf("u%d@example.com", i)); err != nil {
			b.Fatal(err)
		}
	}
	for _, route := range []string{"prepare", "pg", "pg-ssl", "pg-direct"} {
		b.Run(route, func(b *testing.B) {
			before := sessions(b, conn)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					i++
					id := i%users + 1
					resp, err := client.Get(fmt.Sprintf("%s/%s?id=%d", app.base, route, id))
					if err != nil {
						b.Error(err)
						return
					}
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					var row struct {
						ID int `json:"id"`
					}
					if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &row) != nil || row.ID != id {
						b.Errorf("GET /%s?id=%d = %d %.200s", route, id, resp.StatusCode, body)
						return
					}
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(sessions(b, conn)-before)/float64(b.N), "sessions/req")
		})
	}
}

// sessions is pg_stat_database.sessions for the connection's database, once the count has
// settled (sessions ended by ctx.waitUntil(client.end()) are counted when the server flushes
// its statistics).
func sessions(b *testing.B, conn *pgx.Conn) int64 {
	b.Helper()
	var last int64 = -1
	for range 30 {
		var n int64
		if _, err := conn.Exec(context.Background(), "SELECT pg_stat_clear_snapshot()"); err != nil {
			b.Fatal(err)
		}
		if err := conn.QueryRow(context.Background(), "SELECT sessions FROM pg_stat_database WHERE datname = current_database()").Scan(&n); err != nil {
			b.Fatal(err)
		}
		if n == last {
			return n
		}
		last = n
		time.Sleep(200 * time.Millisecond)
	}
	return last
}
