package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"edgerun/bindings/localpg/pgtest"
)

// A client that hangs up mid-query cancels the query on the server, and the
// connection goes back to the pool (issue 5, fault f, through HTTP).
func TestClientDisconnectCancelsQuery(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	srv := startServer(t, "serve", fixture("hyperdrive-app"),
		[]string{"CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE=" + dsn}, "--log-level", "warn", "--admin", "off")

	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(conn, "GET /sleep?s=30 HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	db, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	active := func() int {
		var n int
		if err := db.QueryRow(context.Background(),
			`SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	deadline := time.Now().Add(10 * time.Second)
	for active() == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the query never started; logs:\n%s", srv.Logs())
		}
		time.Sleep(20 * time.Millisecond)
	}
	hungUp := time.Now()
	conn.Close()
	for active() != 0 {
		if time.Since(hungUp) > 5*time.Second {
			t.Fatalf("pg_sleep(30) still running 5 s after the client hung up; logs:\n%s", srv.Logs())
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("query cancelled %s after the client hung up", time.Since(hungUp).Round(time.Millisecond))
	// The pool is intact: a normal request is answered at once.
	resp, err := http.Get(srv.base + "/item?id=7")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != `{"id":7,"name":"item-7"}` {
		t.Fatalf("after the cancel: %d %s", resp.StatusCode, body)
	}
}

func TestTestScheduledRoute(t *testing.T) {
	srv := startServer(t, "dev", fixture("scheduled"), nil, "--test-scheduled", "--admin", "off")
	resp, err := http.Get(srv.base + "/__scheduled?cron=" + "0+12+*+*+mon")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "Ran scheduled event\n" {
		t.Fatalf("/__scheduled = %d %q", resp.StatusCode, body)
	}
	resp, err = http.Get(srv.base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"0 12 * * mon@`) || !strings.Contains(string(body), `waited:0 12 * * mon`) {
		t.Fatalf("scheduled() did not run with the cron: %s", body)
	}
}
