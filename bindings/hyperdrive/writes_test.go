package hyperdrive

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"edgerun/bindings/hyperdrive/faultproxy"
	"edgerun/bindings/localpg/pgtest"
)

// countRows counts a table's rows behind the binding's back.
func countRows(t *testing.T, dsn, table string) int64 {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int64
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// SELECT add_item(?) calls a user-defined function that inserts: it is a
// write. It runs every time (never from the cache), on the primary (never a
// replica), and makes cached reads stale.
func TestUserFunctionCallIsAWrite(t *testing.T) {
	const addItem = `CREATE TABLE items (name text);
		CREATE FUNCTION add_item(x text) RETURNS bigint LANGUAGE sql AS $$ INSERT INTO items VALUES (x); SELECT count(*) FROM items $$`
	primary, replica := pgtest.NewDatabase(t), pgtest.NewDatabase(t)
	direct(t, primary, addItem)
	direct(t, replica, addItem)
	b := openOn(t, Config{Name: "UDF", ConnString: primary, ReplicaConnStrings: []string{replica}})

	if r := mustQuery(t, b, "SELECT count(*) FROM items"); r.Rows[0][0] != int64(0) {
		t.Fatalf("count = %v", r.Rows[0][0])
	}
	for i := int64(1); i <= 3; i++ {
		r := mustQuery(t, b, "SELECT add_item(?) AS n", "apple")
		if r.Cached || r.ServedBy != "primary" || r.Rows[0][0] != i {
			t.Fatalf("call %d: add_item = %v cached=%v served_by=%s; want %d, run on the primary", i, r.Rows[0][0], r.Cached, r.ServedBy, i)
		}
		// The cached count is stale after each call.
		if r := mustQuery(t, b, "SELECT count(*) FROM items"); r.Cached || r.Rows[0][0] != i {
			t.Fatalf("count after call %d = %v cached=%v", i, r.Rows[0][0], r.Cached)
		}
	}
	if n := countRows(t, primary, "items"); n != 3 {
		t.Fatalf("primary has %d items after 3 calls", n)
	}
	if n := countRows(t, replica, "items"); n != 0 {
		t.Fatalf("the replica ran add_item %d times", n)
	}
}

// A user-defined function that writes is not retried when the connection
// fails after the statement was sent: it may have been applied (here it
// was), and running it again would apply it twice.
func TestUserFunctionCallNotRetriedOnceSent(t *testing.T) {
	dsn, proxy := proxiedDatabase(t)
	direct(t, dsn, `CREATE TABLE items (name text);
		CREATE FUNCTION add_item(x text) RETURNS int LANGUAGE plpgsql AS $$
		BEGIN INSERT INTO items VALUES (x); PERFORM pg_sleep(0.5); RETURN 1; END $$`)
	cfg := faultConfig()
	cfg.ConnString = withPort(t, dsn, proxy.Port())
	b := openOn(t, cfg)
	mustQuery(t, b, "SELECT 1 AS warm")
	go func() {
		time.Sleep(200 * time.Millisecond)
		proxy.SetMode(faultproxy.Blackhole) // the reply (after the function commits) is held…
		time.Sleep(800 * time.Millisecond)
		proxy.ResetAll() // …and the connection dies before the client sees it
		// Only now: in Forward mode the held reply would be delivered
		// before the reset, and the call would simply succeed.
		proxy.SetMode(faultproxy.Forward)
	}()
	_, err := b.Query(context.Background(), "SELECT add_item(?) AS r", "once")
	var he *Error
	if !asError(err, &he) || he.Code != CodeConnection {
		t.Fatalf("add_item with the connection reset = %v; want a connection error", err)
	}
	time.Sleep(time.Second) // a retry, had there been one, has run by now
	if n := countRows(t, dsn, "items"); n != 1 {
		t.Fatalf("one add_item call inserted %d rows", n)
	}
}
