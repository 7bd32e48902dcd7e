package hyperdrive

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"edgerun/bindings/localpg/pgtest"
	"edgerun/isolates"
	"edgerun/isolates/jstest"
	"edgerun/isolates/webapi"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopAll()
	os.Exit(code)
}

// openTest opens a binding on a fresh database.
func openTest(t testing.TB, cfg Config) (*Binding, string) {
	t.Helper()
	dsn := pgtest.NewDatabase(t)
	cfg.ConnString = dsn
	if cfg.Name == "" {
		cfg.Name = "HYPERDRIVE"
	}
	b, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close(context.Background()) })
	return b, dsn
}

// isolateWith makes an isolate whose global `db` is b's JS value.
func isolateWith(t testing.TB, b *Binding) *isolates.Isolate {
	t.Helper()
	iso, err := isolates.New(isolates.Options{Setup: func(iso *isolates.Isolate) error {
		if _, err := webapi.Install(iso, webapi.Options{}); err != nil {
			return err
		}
		v, err := b.Value(iso)
		if err != nil {
			return err
		}
		return iso.Runtime().Set("db", v)
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { iso.Retire(nil); <-iso.Done() })
	return iso
}

func TestStatementAPI(t *testing.T) {
	for _, file := range jstest.Files(t, "testdata") {
		t.Run(filepath.Base(file), func(t *testing.T) {
			b, _ := openTest(t, Config{})
			jstest.Run(t, isolateWith(t, b), file, nil)
		})
	}
}

func TestTimeoutCancelsOnServer(t *testing.T) {
	b, dsn := openTest(t, Config{QueryTimeout: 300 * time.Millisecond, Retries: -1})
	start := time.Now()
	_, err := b.Query(context.Background(), "SELECT pg_sleep(30) AS slept")
	elapsed := time.Since(start)
	if err == nil {
		t.Fatal("pg_sleep(30) did not time out")
	}
	var he *Error
	if !asError(err, &he) || he.Code != CodeTimeout {
		t.Fatalf("error = %#v, want code %s", err, CodeTimeout)
	}
	if elapsed > 5*time.Second {
		t.Fatalf("timeout took %s", elapsed)
	}
	// The statement is gone from the server, not merely abandoned.
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	deadline := time.Now().Add(5 * time.Second)
	for {
		var n int
		err := conn.QueryRow(context.Background(),
			`SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d pg_sleep statements still active on the server after the timeout", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The connection went back to the pool in working order.
	r, err := b.Query(context.Background(), "SELECT 1 AS one")
	if err != nil || r.Rows[0][0] != int64(1) {
		t.Fatalf("query after timeout = %v, %v", r, err)
	}
}

func TestAcquireTimeoutNamesBinding(t *testing.T) {
	b, _ := openTest(t, Config{Name: "DB", MaxConns: 1, AcquireTimeout: 200 * time.Millisecond, Retries: -1})
	done := make(chan error, 1)
	go func() {
		_, err := b.Query(context.Background(), "SELECT pg_sleep(1)")
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	_, err := b.Query(context.Background(), "SELECT 1")
	if err == nil || !strings.Contains(err.Error(), `Failed to acquire a connection from the pool (hyperdrive "DB")`) {
		t.Fatalf("second query with the pool exhausted = %v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "deadline exceeded") || strings.Contains(msg, "<nil>") {
		t.Fatalf("the error does not say why the acquire failed: %q", msg)
	}
	if err := <-done; err != nil {
		t.Fatalf("first query: %v", err)
	}
}

func TestPasswordNeverInErrors(t *testing.T) {
	const secret = "sup3r-s3cret-pw"
	b, err := Open(context.Background(), Config{
		Name:           "DOWN",
		ConnString:     "postgres://someone:" + secret + "@127.0.0.1:1/nodb?sslmode=disable&connect_timeout=1",
		AcquireTimeout: time.Second,
		Retries:        -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close(context.Background())
	_, err = b.Query(context.Background(), "SELECT 1")
	if err == nil {
		t.Fatal("query against a closed port succeeded")
	}
	var he *Error
	if !asError(err, &he) || he.Code != CodeConnection {
		t.Fatalf("error = %v, want code %s", err, CodeConnection)
	}
	if strings.Contains(err.Error(), secret) {
		t.Fatalf("password leaked: %v", err)
	}
	if b.OriginProperties().Password != secret {
		t.Fatalf("origin password = %q", b.OriginProperties().Password)
	}
	// env.HYPERDRIVE names the local Hyperdrive: never the origin's password.
	if p := b.Properties(); p.Password == secret || strings.Contains(p.ConnectionString, secret) {
		t.Fatalf("properties show the origin's password: %+v", p)
	}
}

func asError(err error, target **Error) bool {
	e, ok := err.(*Error)
	if ok {
		*target = e
	}
	return ok
}
