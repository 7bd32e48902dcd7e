package localpg_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"edgerun/bindings/localpg"
	"edgerun/bindings/localpg/pgtest"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

var orderedMigrations = []string{"001_schema.sql", "002_seed.sql", "003_more.sql"}

func connect(t *testing.T, connString string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), connString)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func recorded(t *testing.T, conn *pgx.Conn) map[string]string {
	t.Helper()
	rows, err := conn.Query(t.Context(), "SELECT name, checksum FROM "+localpg.MigrationsTable)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	var name, sum string
	if _, err := pgx.ForEachRow(rows, []any{&name, &sum}, func() error { got[name] = sum; return nil }); err != nil {
		t.Fatal(err)
	}
	return got
}

func fileChecksum(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// copyMigrations copies a fixture directory so that a test may edit it.
func copyMigrations(t *testing.T, fixture string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "migrations", fixture))); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestMigrateAppliesInOrderOnce(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDatabase(t)
	dir := filepath.Join("testdata", "migrations", "ordered")
	applied, err := localpg.Migrate(t.Context(), db, dir)
	if err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	if !slices.Equal(applied, orderedMigrations) {
		t.Errorf("applied = %v, want %v", applied, orderedMigrations)
	}
	conn := connect(t, db)
	rec := recorded(t, conn)
	if len(rec) != len(orderedMigrations) {
		t.Errorf("recorded %v, want %v", rec, orderedMigrations)
	}
	for _, name := range orderedMigrations {
		if want := fileChecksum(t, filepath.Join(dir, name)); rec[name] != want {
			t.Errorf("checksum of %s = %q, want %q", name, rec[name], want)
		}
	}

	again, err := localpg.Migrate(t.Context(), db, dir)
	if err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	if again == nil || len(again) != 0 {
		t.Errorf("second Migrate applied %#v, want an empty list", again)
	}
	var items, from003 int
	if err := conn.QueryRow(t.Context(), "SELECT count(*), count(*) FILTER (WHERE added_by = '003') FROM items").Scan(&items, &from003); err != nil {
		t.Fatal(err)
	}
	if items != 3 || from003 != 3 {
		t.Errorf("items = %d (added_by 003: %d), want 3 rows from one run of each file", items, from003)
	}
}

func TestMigrateRejectsChangedFile(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDatabase(t)
	dir := copyMigrations(t, "ordered")
	if _, err := localpg.Migrate(t.Context(), db, dir); err != nil {
		t.Fatal(err)
	}
	seed := filepath.Join(dir, "002_seed.sql")
	if err := os.WriteFile(seed, []byte("INSERT INTO items VALUES (9, 'nine');\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "004_new.sql"), []byte("CREATE TABLE newer (id int);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	applied, err := localpg.Migrate(t.Context(), db, dir)
	if err == nil || !strings.Contains(err.Error(), seed) || !strings.Contains(err.Error(), "changed after it was applied") {
		t.Fatalf("Migrate after editing 002: applied %v, err %v; want an error naming %s", applied, err, seed)
	}
	conn := connect(t, db)
	var newer *string
	if err := conn.QueryRow(t.Context(), "SELECT to_regclass('newer')::text").Scan(&newer); err != nil {
		t.Fatal(err)
	}
	if newer != nil {
		t.Error("a pending migration was applied although an applied one had changed")
	}
}

func TestMigrateFailingFileAppliesNothingOfIt(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDatabase(t)
	applied, err := localpg.Migrate(t.Context(), db, filepath.Join("testdata", "migrations", "failing"))
	if err == nil {
		t.Fatal("Migrate with a failing file succeeded")
	}
	if testing.Verbose() {
		t.Log(err)
	}
	if !slices.Equal(applied, []string{"001_schema.sql"}) {
		t.Errorf("applied = %v, want [001_schema.sql]", applied)
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "42P01" {
		t.Errorf("error %v does not wrap the PostgreSQL error 42P01", err)
	}
	for _, want := range []string{"002_broken.sql", "SQLSTATE 42P01", "no_such_table", "line 4", "nothing of it was applied"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	conn := connect(t, db)
	var halfDone, kept *string
	if err := conn.QueryRow(t.Context(), "SELECT to_regclass('half_done')::text, to_regclass('kept')::text").Scan(&halfDone, &kept); err != nil {
		t.Fatal(err)
	}
	if halfDone != nil {
		t.Error("table half_done of the failing file exists")
	}
	if kept == nil {
		t.Error("table kept of the earlier file is missing")
	}
	if rec := recorded(t, conn); len(rec) != 1 || rec["001_schema.sql"] == "" {
		t.Errorf("recorded %v, want only 001_schema.sql", rec)
	}
}

func TestMigrateConcurrentCallsApplyEachFileOnce(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDatabase(t)
	dir := filepath.Join("testdata", "migrations", "ordered")
	const callers = 4
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		applied []string
		errs    []error
	)
	for range callers {
		wg.Go(func() {
			got, err := localpg.Migrate(t.Context(), db, dir)
			mu.Lock()
			defer mu.Unlock()
			applied = append(applied, got...)
			if err != nil {
				errs = append(errs, err)
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("concurrent Migrate: %v", errors.Join(errs...))
	}
	slices.Sort(applied)
	if !slices.Equal(applied, orderedMigrations) {
		t.Errorf("applied across callers = %v, want each of %v once", applied, orderedMigrations)
	}
}

func TestMigrateMissingDirectory(t *testing.T) {
	_, err := localpg.Migrate(t.Context(), "postgres://unused@127.0.0.1:1/x", filepath.Join(t.TempDir(), "absent"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want a not-exist error", err)
	}
}
