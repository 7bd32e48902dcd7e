package pgtest

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"edgerun/bindings/localpg"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) {
	code := m.Run()
	StopAll()
	os.Exit(code)
}

func queryString(t *testing.T, connString, sql string, args ...any) string {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), connString)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(context.Background())
	var v string
	if err := conn.QueryRow(t.Context(), sql, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return v
}

func TestStartSharesOneServer(t *testing.T) {
	first, second := Start(t), Start(t)
	if first != second {
		t.Errorf("Start returned %s, then %s; want one server per test binary", first, second)
	}
	if got := queryString(t, first, "SELECT 'up'"); got != "up" {
		t.Errorf("query = %q, want up", got)
	}
}

func TestStartUsesEnvironmentURLAsIs(t *testing.T) {
	const external = "postgres://someone:secret@db.invalid:6543/app?sslmode=require"
	t.Setenv(EnvDatabaseURL, external)
	if got := Start(t); got != external {
		t.Errorf("Start = %q, want %s as-is", got, EnvDatabaseURL)
	}
}

func TestNewDatabaseIsolatesTests(t *testing.T) {
	t.Parallel()
	a, b := NewDatabase(t), NewDatabase(t)
	dbA := queryString(t, a, "SELECT current_database()")
	dbB := queryString(t, b, "SELECT current_database()")
	if dbA == dbB {
		t.Fatalf("both databases are %s", dbA)
	}
	conn, err := pgx.Connect(t.Context(), a)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), "CREATE TABLE only_in_a (id int)"); err != nil {
		t.Fatal(err)
	}
	if got := queryString(t, a, "SELECT coalesce(to_regclass('only_in_a')::text, 'absent')"); got != "only_in_a" {
		t.Errorf("in a: %s, want only_in_a", got)
	}
	if got := queryString(t, b, "SELECT coalesce(to_regclass('only_in_a')::text, 'absent')"); got != "absent" {
		t.Errorf("in b: table of a is %s, want absent", got)
	}
}

// TestURLsAreTheBindingRole: tests see the managed server as bindings do, as a role that
// owns its database (tables, its own sessions) and has no way out to the host.
func TestURLsAreTheBindingRole(t *testing.T) {
	t.Setenv(EnvDatabaseURL, "") // this test is about the server pgtest starts
	for name, connString := range map[string]string{"Start": Start(t), "NewDatabase": NewDatabase(t)} {
		t.Run(name, func(t *testing.T) {
			got := queryString(t, connString, `SELECT rolsuper::text || ',' ||
				(SELECT datdba = r.oid FROM pg_database WHERE datname = current_database())::text
				FROM pg_roles r WHERE rolname = current_user`)
			if got != "false,true" {
				t.Errorf("superuser, owns the database = %s; want false,true", got)
			}
			conn, err := pgx.Connect(t.Context(), connString)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(context.Background())
			if _, err := conn.Exec(t.Context(), "CREATE TEMP TABLE o (l text); COPY o FROM PROGRAM 'id'"); err == nil || !strings.Contains(err.Error(), "42501") {
				t.Errorf("COPY FROM PROGRAM: %v; want permission denied", err)
			}
			other, err := pgx.Connect(t.Context(), connString)
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close(context.Background())
			if got := queryString(t, connString, "SELECT pg_terminate_backend($1::int)::text", other.PgConn().PID()); got != "true" {
				t.Errorf("pg_terminate_backend of its own session = %s, want true", got)
			}
		})
	}
}

func TestNewDatabaseIsDroppedAtCleanup(t *testing.T) {
	t.Parallel()
	var name string
	t.Run("inner", func(t *testing.T) {
		db := NewDatabase(t)
		name = queryString(t, db, "SELECT current_database()")
		// An open session must not keep the database from being dropped.
		conn, err := pgx.Connect(t.Context(), db)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close(context.Background()) })
	})
	if !strings.HasPrefix(name, "pgtest_") {
		t.Fatalf("database name %q", name)
	}
	if got := queryString(t, Start(t), "SELECT count(*)::text FROM pg_database WHERE datname = $1", name); got != "0" {
		t.Errorf("database %s still exists after its test ended", name)
	}
}

func TestStopAllRemovesTheServer(t *testing.T) {
	t.Setenv(EnvDatabaseURL, "") // this test is about the server pgtest starts
	before := Start(t)
	shared.mu.Lock()
	dir := shared.dir
	shared.mu.Unlock()
	if dir == "" {
		t.Fatal("no temporary directory recorded for the started server")
	}
	StopAll()
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("server directory %s after StopAll: %v, want removed", dir, err)
	}
	if conn, err := pgx.Connect(t.Context(), before); err == nil {
		conn.Close(context.Background())
		t.Error("server still accepts connections after StopAll")
	}
	after := Start(t) // a later Start brings a new server
	if got := queryString(t, after, "SELECT 'up'"); got != "up" {
		t.Errorf("query after restart = %q", got)
	}
}

// recordingTB stands in for a test, to see whether failOrSkip fails or skips.
type recordingTB struct {
	testing.TB
	fatal, skip string
}

func (r *recordingTB) Helper() {}
func (r *recordingTB) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (r *recordingTB) Skipf(format string, args ...any) {
	r.skip = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestFailOrSkip(t *testing.T) {
	noBinaries := fmt.Errorf("localpg: no PostgreSQL server binaries: %w", localpg.ErrNoBinaries)
	tests := []struct {
		name      string
		ci        string
		err       error
		wantFatal bool
	}{
		{"missing binaries on a developer machine skip", "", noBinaries, false},
		{"missing binaries under CI fail", "true", noBinaries, true},
		{"other start errors fail", "", errors.New("initdb failed"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			rec := &recordingTB{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				failOrSkip(rec, tt.err)
			}()
			<-done
			if tt.wantFatal {
				if rec.fatal == "" || rec.skip != "" {
					t.Fatalf("fatal = %q, skip = %q; want a failure", rec.fatal, rec.skip)
				}
			} else if rec.skip == "" || rec.fatal != "" {
				t.Fatalf("fatal = %q, skip = %q; want a skip", rec.fatal, rec.skip)
			}
			got := rec.fatal + rec.skip
			if errors.Is(tt.err, localpg.ErrNoBinaries) && !strings.Contains(got, "apt-get install postgresql") {
				t.Errorf("message %q does not say what to install", got)
			}
		})
	}
}

func TestWithDatabase(t *testing.T) {
	tests := []struct {
		in, db, want string
	}{
		{"postgres://u:p@127.0.0.1:5432/base?sslmode=disable", "pgtest_1", "postgres://u:p@127.0.0.1:5432/pgtest_1?sslmode=disable"},
		{"postgresql://u@h", "x", "postgresql://u@h/x"},
		{"host=127.0.0.1 dbname=base user=u", "pgtest_1", "host=127.0.0.1 dbname=base user=u dbname='pgtest_1'"},
		{"host=h ", `it's`, `host=h dbname='it\'s'`},
	}
	for _, tt := range tests {
		got, err := withDatabase(tt.in, tt.db)
		if err != nil || got != tt.want {
			t.Errorf("withDatabase(%q, %q) = %q, %v; want %q", tt.in, tt.db, got, err, tt.want)
		}
	}
	// pgx reads the later dbname of a keyword/value string.
	cfg, err := pgx.ParseConfig("host=127.0.0.1 dbname=base user=u dbname='pgtest_1'")
	if err != nil || cfg.Database != "pgtest_1" {
		t.Errorf("pgx database = %v, %v; want pgtest_1", cfg, err)
	}
}

func TestDatabaseName(t *testing.T) {
	long := databaseName("TestSomething/With Spaces-and-UPPER/" + strings.Repeat("x", 100))
	if len(long) > 63 {
		t.Errorf("len(%q) = %d, want at most 63", long, len(long))
	}
	for _, r := range long {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			t.Fatalf("name %q has %q", long, r)
		}
	}
	if a, b := databaseName("TestX"), databaseName("TestX"); a == b {
		t.Errorf("two names for one test are both %q", a)
	}
	if !strings.Contains(databaseName("TestX"), "testx") {
		t.Error("name does not say which test made it")
	}
}

func TestRemoveLeftovers(t *testing.T) {
	tmp := t.TempDir()
	exited := exec.Command("true")
	if err := exited.Run(); err != nil {
		t.Fatal(err)
	}
	dir := func(name string) string {
		d := filepath.Join(tmp, name)
		if err := os.MkdirAll(filepath.Join(d, "pgdata"), 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	dead := dir(tempPrefix + strconv.Itoa(exited.Process.Pid) + "-1")
	deadWithLiveServer := dir(tempPrefix + strconv.Itoa(exited.Process.Pid) + "-2")
	if err := os.WriteFile(filepath.Join(deadWithLiveServer, "pgdata", "postmaster.pid"), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ours := dir(tempPrefix + strconv.Itoa(os.Getpid()) + "-3")
	unrelated := dir("edgerun-other-1")
	malformed := dir(tempPrefix + "abc-4")

	removeLeftovers(tmp)

	for d, wantKept := range map[string]bool{dead: false, deadWithLiveServer: true, ours: true, unrelated: true, malformed: true} {
		_, err := os.Stat(d)
		if kept := err == nil; kept != wantKept {
			t.Errorf("%s: kept = %v, want %v", filepath.Base(d), kept, wantKept)
		}
	}
}

// TestTLSWithTheCA: a database's URL with sslmode=require runs over TLS, and verify-full
// against CACertPEM (as the sockets layer will verify) connects.
func TestTLSWithTheCA(t *testing.T) {
	if os.Getenv(EnvDatabaseURL) != "" {
		t.Skip("the server is not pgtest's: its TLS set-up is unknown")
	}
	dsn := NewDatabase(t)
	require, err := WithSSLMode(dsn, "require")
	if err != nil {
		t.Fatal(err)
	}
	if got := queryString(t, require, "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()"); got != "true" {
		t.Errorf("sslmode=require: ssl = %s, want true", got)
	}
	full, err := WithSSLMode(dsn, "verify-full")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := pgx.ParseConfig(full)
	if err != nil {
		t.Fatal(err)
	}
	cfg.TLSConfig.RootCAs = x509.NewCertPool()
	if !cfg.TLSConfig.RootCAs.AppendCertsFromPEM(CACertPEM(t)) {
		t.Fatal("CACertPEM holds no certificate")
	}
	conn, err := pgx.ConnectConfig(t.Context(), cfg)
	if err != nil {
		t.Fatalf("verify-full with CACertPEM: %v", err)
	}
	conn.Close(context.Background())
	if got := queryString(t, dsn, "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()"); got != "false" {
		t.Errorf("sslmode=disable: ssl = %s, want false", got)
	}
}
