package hyperdrive

import (
	"context"
	"net"
	"testing"
	"time"
)

// A statement that ends its own session is that request's failure: the
// server answered, so the primary's breaker stays closed and the next
// request is served there, however many such statements ran.
func TestStatementEndingItsSessionDoesNotOpenBreaker(t *testing.T) {
	b, _ := openTest(t, Config{FailureThreshold: 3, OpenTimeout: time.Minute, Cache: CacheConfig{Disabled: true}})
	for i := range 6 { // twice the threshold
		_, err := b.Query(context.Background(), "SELECT pg_terminate_backend(pg_backend_pid())")
		var he *Error
		if !asError(err, &he) {
			t.Fatalf("terminate %d: error = %v; want *Error", i, err)
		}
		if he.Code == CodeConnection {
			t.Fatalf("terminate %d: code %s (%s); want the server's own SQLSTATE", i, he.Code, he.Message)
		}
	}
	r, err := b.Query(context.Background(), "SELECT 1 AS one")
	if err != nil {
		t.Fatalf("ordinary query after self-terminating statements: %v", err)
	}
	if r.Rows[0][0] != int64(1) || r.ServedBy != "primary" {
		t.Fatalf("ordinary query = %v served by %q; want 1 from the primary", r.Rows, r.ServedBy)
	}
	for _, h := range b.Health() {
		if h.Breaker != "closed" {
			t.Fatalf("%s breaker %s; want closed", h.Name, h.Breaker)
		}
	}
}

// Genuine connection failures (nothing listens) still open the breaker.
func TestConnectFailuresOpenBreaker(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	b, err := Open(context.Background(), Config{Name: "DOWN", ConnString: "postgres://u:secret@" + addr + "/db?sslmode=disable",
		FailureThreshold: 3, OpenTimeout: time.Minute, Retries: -1, AcquireTimeout: time.Second, Cache: CacheConfig{Disabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close(context.Background())
	for range 3 {
		if _, err := b.Query(context.Background(), "SELECT 1"); err == nil {
			t.Fatal("query to a closed port succeeded")
		}
	}
	if h := b.Health()[0]; h.Breaker != "open" {
		t.Fatalf("breaker after 3 refused connections = %s; want open", h.Breaker)
	}
	_, err = b.Query(context.Background(), "SELECT 1")
	var he *Error
	if !asError(err, &he) || he.Code != CodeConnection {
		t.Fatalf("query with the breaker open = %v; want code %s", err, CodeConnection)
	}
}
