package localpg

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// pgCode is the SQLSTATE of err, or "" when err is not a PostgreSQL error.
func pgCode(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// execErr runs sql (several statements allowed) on a new connection and returns its error.
func execErr(t *testing.T, connString, sql string) error {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), connString)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(t.Context(), sql)
	return err
}

// TestBindingRoleHasNoServerPowers is the security review's reproduction: through the URL
// the binding gets, SQL must not run programs, read or write the host's files, or gain
// more rights; it may still do everything an application does in its own database.
func TestBindingRoleHasNoServerPowers(t *testing.T) {
	t.Parallel()
	requireBinaries(t)
	s := startForTest(t, Options{DataDir: testDataDir(t), Database: "app"})
	app := s.ConnString()

	t.Run("role attributes", func(t *testing.T) {
		got := queryString(t, app, `SELECT concat_ws(',', rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls)
			FROM pg_roles WHERE rolname = current_user`)
		if got != "f,f,f,f,f" {
			t.Errorf("superuser, createrole, createdb, replication, bypassrls = %s; want all false", got)
		}
		for _, role := range append(serverFileRoles, superuser) {
			if got := queryString(t, app, "SELECT pg_has_role(current_user, $1::name, 'MEMBER')::text", role); got != "false" {
				t.Errorf("member of %s: %s", role, got)
			}
		}
	})

	denied := []struct{ name, sql string }{
		{"COPY FROM PROGRAM", "CREATE TEMP TABLE o (l text); COPY o FROM PROGRAM 'id; env'"},
		{"COPY TO PROGRAM", "COPY (SELECT 1) TO PROGRAM 'cat > /tmp/edgerun-pwned'"},
		{"COPY FROM a file", "CREATE TEMP TABLE f (l text); COPY f FROM '/etc/hostname'"},
		{"COPY TO a file", "COPY (SELECT 1) TO '/tmp/edgerun-pwned'"},
		{"pg_read_file", "SELECT pg_read_file('/etc/hostname')"},
		{"pg_read_binary_file", "SELECT pg_read_binary_file('/etc/hostname')"},
		{"pg_ls_dir", "SELECT pg_ls_dir('/')"},
		{"server-side lo_import", "SELECT lo_import('/etc/hostname')"},
		{"becoming superuser", "ALTER ROLE " + appRole + " SUPERUSER"},
		{"granting itself program execution", "GRANT pg_execute_server_program TO " + appRole},
		{"SET ROLE to the superuser", "SET ROLE " + superuser},
		{"creating roles", "CREATE ROLE intruder LOGIN SUPERUSER"},
		{"creating databases", "CREATE DATABASE other"},
		{"ALTER SYSTEM", "ALTER SYSTEM SET log_statement = 'all'"},
		{"untrusted language", "CREATE FUNCTION sh() RETURNS text LANGUAGE c AS '/bin/sh', 'main'"},
	}
	for _, tt := range denied {
		t.Run("denied: "+tt.name, func(t *testing.T) {
			err := execErr(t, app, tt.sql)
			if testing.Verbose() {
				t.Log(err)
			}
			if code := pgCode(err); code != "42501" { // insufficient_privilege
				t.Errorf("%s: err = %v; want SQLSTATE 42501 (permission denied)", tt.sql, err)
			}
		})
	}
	if _, err := os.Stat("/tmp/edgerun-pwned"); err == nil {
		t.Error("/tmp/edgerun-pwned exists: the server wrote a file for the binding's role")
	}

	t.Run("everything an application does in its database", func(t *testing.T) {
		execSQL(t, app, `
			CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL);
			CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY, at timestamptz DEFAULT now());
			CREATE TYPE mood AS ENUM ('ok', 'great');
			CREATE VIEW item_names AS SELECT name FROM items;
			CREATE FUNCTION twice(int) RETURNS int LANGUAGE sql AS 'SELECT $1 * 2';
			CREATE SCHEMA extra;
			CREATE TABLE extra.t (v int);
			INSERT INTO items (name) VALUES ('a'), ('b');
			INSERT INTO events DEFAULT VALUES;
			CREATE TEMP TABLE scratch (v int);
			SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = current_user AND pid <> pg_backend_pid()`)
		if got := queryString(t, app, "SELECT twice(count(*)::int)::text FROM item_names"); got != "4" {
			t.Errorf("twice(count) = %s, want 4", got)
		}
		if got := queryString(t, app, "SELECT (SELECT datdba::regrole::text FROM pg_database WHERE datname = current_database()) || ',' || (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'public')"); got != appRole+","+appRole {
			t.Errorf("owners of the database and schema public = %s, want %s", got, appRole)
		}
	})
}

// TestPasswordsAreRequired: no role gets in without its password, over TCP or the socket,
// and the right password works over both.
func TestPasswordsAreRequired(t *testing.T) {
	t.Parallel()
	requireBinaries(t)
	s := startForTest(t, Options{DataDir: testDataDir(t)})
	const tcp, socket = "TCP", "socket"
	tests := []struct {
		via, user, password string
		wantAuthError       bool
	}{
		{tcp, superuser, "", true},
		{tcp, superuser, "guess", true},
		{tcp, superuser, s.creds.App, true},
		{tcp, appRole, "", true},
		{tcp, appRole, "guess", true},
		{tcp, "postgres", "", true},
		{socket, superuser, "", true},
		{socket, superuser, "guess", true},
		{socket, appRole, "", true},
		{tcp, appRole, s.creds.App, false},
		{socket, superuser, s.creds.Superuser, false},
		{socket, appRole, s.creds.App, false},
	}
	for _, tt := range tests {
		password := map[string]string{"": "no password", s.creds.App: "app password", s.creds.Superuser: "superuser password"}[tt.password]
		t.Run(tt.via+" "+tt.user+" with "+cmp.Or(password, tt.password), func(t *testing.T) {
			dsn := "host=127.0.0.1"
			if tt.via == socket {
				dsn = "host=" + s.socketDir()
			}
			cfg, err := pgx.ParseConfig(dsn + " port=" + strconv.Itoa(s.port) + " dbname=postgres sslmode=disable user=" + tt.user)
			if err != nil {
				t.Fatal(err)
			}
			cfg.Password = tt.password // overriding any PGPASSWORD or ~/.pgpass ParseConfig found
			conn, err := pgx.ConnectConfig(t.Context(), cfg)
			if err == nil {
				conn.Close(context.Background())
			}
			if got := err != nil && isAuthError(err); got != tt.wantAuthError {
				t.Errorf("connect: %v; want an authentication error: %v", err, tt.wantAuthError)
			}
		})
	}
}

// TestPasswordFile: the passwords are random, private to their owner, kept across starts,
// and a lost file is an error that says what to do rather than a new, unusable password.
func TestPasswordFile(t *testing.T) {
	t.Parallel()
	requireBinaries(t)
	dataDir := testDataDir(t)
	first := startForTest(t, Options{DataDir: dataDir})
	path := filepath.Join(dataDir, passwordFileName)
	execSQL(t, first.ConnString(), "CREATE TABLE kept (v int); INSERT INTO kept VALUES (7)")
	if err := first.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}

	t.Run("private", func(t *testing.T) {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("mode %04o, want 0600", perm)
		}
	})
	t.Run("random", func(t *testing.T) {
		creds, err := readCredentials(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(creds.App) < 20 || len(creds.Superuser) < 20 || creds.App == creds.Superuser {
			t.Errorf("passwords of %d and %d characters, equal: %v", len(creds.App), len(creds.Superuser), creds.App == creds.Superuser)
		}
		other := newCredentials()
		if other.App == creds.App || other.Superuser == creds.Superuser {
			t.Error("two generated passwords are equal")
		}
	})
	t.Run("restart reuses data and passwords", func(t *testing.T) {
		before, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, 0o644); err != nil { // someone loosened it
			t.Fatal(err)
		}
		s := startForTest(t, Options{DataDir: dataDir})
		if s.ConnString() != first.ConnString() {
			t.Errorf("ConnString changed across restarts: %s, was %s", redactedURL(s.ConnString()), redactedURL(first.ConnString()))
		}
		if got := queryString(t, s.ConnString(), "SELECT v::text FROM kept"); got != "7" {
			t.Errorf("v = %s, want 7", got)
		}
		after, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(before, after) {
			t.Errorf("password file changed across restarts (%v)", err)
		}
		if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("password file left readable by others: %v, %v", info.Mode(), err)
		}
		if err := s.Stop(t.Context()); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("lost file is a clear error", func(t *testing.T) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		defer func() { _ = os.WriteFile(path, data, 0o600) }()
		s, err := Start(t.Context(), Options{DataDir: dataDir, StartTimeout: 20 * time.Second})
		if err == nil {
			_ = s.Stop(context.Background())
			t.Fatal("Start without the password file of a password-protected cluster succeeded")
		}
		if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "missing") {
			t.Errorf("error does not name the missing %s: %v", path, err)
		}
		if _, statErr := os.Stat(path); !errors.Is(statErr, os.ErrNotExist) {
			t.Errorf("Start wrote a new password file (%v), which could never log in", statErr)
		}
	})
	t.Run("wrong passwords are an error that does not show them", func(t *testing.T) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = os.WriteFile(path, data, 0o600) }()
		wrong := newCredentials()
		if err := writeCredentials(path, wrong); err != nil {
			t.Fatal(err)
		}
		s, err := Start(t.Context(), Options{DataDir: dataDir, StartTimeout: 20 * time.Second})
		if err == nil {
			_ = s.Stop(context.Background())
			t.Fatal("Start with wrong passwords succeeded")
		}
		if testing.Verbose() {
			t.Log(err)
		}
		if !strings.Contains(err.Error(), "rejects the superuser password") || !strings.Contains(err.Error(), path) {
			t.Errorf("error does not say the password of %s was rejected: %v", path, err)
		}
		if strings.Contains(err.Error(), wrong.Superuser) || strings.Contains(err.Error(), wrong.App) {
			t.Errorf("error shows a password: %v", err)
		}
	})
}

// TestLogsShowNoPassword: the start-up logs name the URL, never with its password.
func TestLogsShowNoPassword(t *testing.T) {
	t.Parallel()
	requireBinaries(t)
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := startForTest(t, Options{DataDir: testDataDir(t), Log: log})
	if !strings.Contains(logs.String(), "local PostgreSQL ready") || !strings.Contains(logs.String(), appRole+":xxxxx@") {
		t.Errorf("logs lack the redacted URL:\n%s", logs.String())
	}
	for _, password := range []string{s.creds.App, s.creds.Superuser} {
		if strings.Contains(logs.String(), password) {
			t.Errorf("logs show a password:\n%s", logs.String())
		}
	}
	serverLog, err := os.ReadFile(s.logPath())
	if err != nil {
		t.Fatal(err)
	}
	for _, password := range []string{s.creds.App, s.creds.Superuser} {
		if bytes.Contains(serverLog, []byte(password)) {
			t.Errorf("server.log shows a password:\n%s", serverLog)
		}
	}
}

func TestChildEnv(t *testing.T) {
	t.Setenv("PATH", "/usr/bin:/bin")
	t.Setenv("LANG", "C.UTF-8")
	t.Setenv("LC_ALL", "C")
	t.Setenv("LC_MESSAGES", "C")
	t.Setenv("TZ", "UTC")
	t.Setenv("HOME", "/home/me")
	t.Setenv("CLOUDFLARE_API_TOKEN", "secret")
	t.Setenv("PGPASSWORD", "secret")
	t.Setenv("PGDATA", "/elsewhere")
	t.Setenv("LD_PRELOAD", "/tmp/evil.so")
	t.Setenv("XLANG", "not a locale")
	base := []string{"PATH=/usr/bin:/bin", "LANG=C.UTF-8", "LC_ALL=C", "LC_MESSAGES=C", "TZ=UTC"}
	tests := []struct {
		name    string
		account *account
		want    []string
	}{
		{"as ourselves", nil, append(base, "HOME=/home/me")},
		{"as the server's account", &account{name: "postgres", home: "/var/lib/postgresql"}, append(base, "HOME=/var/lib/postgresql")},
		{"account without a home", &account{name: "x"}, base},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[string]bool{}
			for _, kv := range childEnv(tt.account) {
				got[kv] = true
			}
			for _, kv := range tt.want {
				if !got[kv] {
					t.Errorf("childEnv lacks %s", kv)
				}
				delete(got, kv)
			}
			for kv := range got {
				t.Errorf("childEnv passes %s", kv)
			}
		})
	}
}

func TestScramVerifier(t *testing.T) {
	v, err := scramVerifier("pencil")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == '$' || r == ':' })
	if len(parts) != 5 || parts[0] != "SCRAM-SHA-256" || parts[1] != "4096" {
		t.Fatalf("verifier %q, want SCRAM-SHA-256$4096:salt$stored:server", v)
	}
	if strings.Contains(v, "pencil") {
		t.Error("verifier holds the password")
	}
	if again, _ := scramVerifier("pencil"); again == v {
		t.Error("two verifiers of one password are equal: the salt is not random")
	}
}

func TestHBATrusts(t *testing.T) {
	tests := []struct {
		name, hba string
		want      bool
	}{
		{"ours", pgHBA, false},
		{"older edgerun", "# Written by edgerun: trust on loopback only.\nlocal all all trust\nhost all all 127.0.0.1/32 trust\n", true},
		{"trust in a comment only", "# no trust here\nlocal all all scram-sha-256 # trust\n", false},
		{"one trusting line", "local all all peer\nhost all all 127.0.0.1/32 trust\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Server{dataDir: t.TempDir()}
			if err := os.MkdirAll(s.pgdata(), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(s.pgdata(), "pg_hba.conf"), []byte(tt.hba), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := s.hbaTrusts()
			if err != nil || got != tt.want {
				t.Errorf("hbaTrusts = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}
