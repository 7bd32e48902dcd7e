package localpg

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// legacyHBA is the pg_hba.conf of edgerun versions before password authentication.
const legacyHBA = `# Written by edgerun (bindings/hyperdrive/localpg): trust on loopback only.
local   all   all                  trust
host    all   all   127.0.0.1/32   trust
host    all   all   ::1/128        trust
`

// legacySchema is what an application's migrations left behind when they ran as the
// superuser, as they did before: every kind of object the upgrade hands over.
const legacySchema = `
CREATE TABLE _edgerun_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now(), checksum text NOT NULL);
INSERT INTO _edgerun_migrations (name, checksum) VALUES ('001_schema.sql', 'x');
CREATE TYPE mood AS ENUM ('ok', 'great');
CREATE DOMAIN positive AS int CHECK (VALUE > 0);
CREATE TYPE pair AS (a int, b int);
CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL, mood mood, qty positive);
CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, item int REFERENCES items);
CREATE SEQUENCE tickets;
CREATE VIEW item_names AS SELECT name FROM items;
CREATE MATERIALIZED VIEW item_count AS SELECT count(*) AS n FROM items;
CREATE FUNCTION twice(int) RETURNS int LANGUAGE sql AS 'SELECT $1 * 2';
CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id serial PRIMARY KEY);
INSERT INTO items (name, mood, qty) VALUES ('kept', 'great', 3);
`

// startLegacy makes the data directory an edgerun before password authentication made:
// initdb with trust, its pg_hba.conf, no password file, the superuser handed out. It runs
// the server, creates database with legacySchema as the superuser, and returns the server.
func startLegacy(t *testing.T, dataDir, database string) *Server {
	t.Helper()
	s := &Server{dataDir: dataDir, database: database, log: slog.New(slog.DiscardHandler)}
	var err error
	if s.binDir, err = FindBinaries(); err != nil {
		t.Fatal(err)
	}
	if s.account, err = serverAccount(); err != nil {
		t.Fatal(err)
	}
	if err := s.prepareDataDir(); err != nil {
		t.Fatal(err)
	}
	out, err := s.tool(t.Context(), "initdb", "-D", s.pgdata(), "-U", superuser, "--auth=trust",
		"-E", "UTF8", "--locale=C", "--no-sync").CombinedOutput()
	if err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	if err := os.WriteFile(filepath.Join(s.pgdata(), "pg_hba.conf"), []byte(legacyHBA), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dataDir, initializedName), []byte(s.binDir+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.launch(t.Context(), 20*time.Second); err != nil { // no password: trust
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Stop(context.Background()) })
	execSQL(t, s.adminConnString("postgres"), "CREATE DATABASE "+pgx.Identifier{database}.Sanitize())
	execSQL(t, s.adminConnString(database), legacySchema)
	return s
}

// TestUpgradeFromTrust: a data directory of an older edgerun, stopped or still running
// (another edgerun process), is upgraded in place by Start: passwords, the app role owning
// the database and everything in it, and no way in without a password.
func TestUpgradeFromTrust(t *testing.T) {
	t.Parallel()
	requireBinaries(t)
	tests := []struct {
		name       string
		stopLegacy bool
		wantReused bool
		wantTLS    bool // the server the older edgerun started keeps TLS off until it restarts
	}{
		{"stopped", true, false, true},  // the next edgerun dev after updating edgerun
		{"running", false, true, false}, // an older edgerun process still serves the directory
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dataDir := testDataDir(t)
			legacy := startLegacy(t, dataDir, "app")
			if tt.stopLegacy {
				if err := legacy.Stop(t.Context()); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := os.Stat(filepath.Join(dataDir, passwordFileName)); !os.IsNotExist(err) {
				t.Fatalf("legacy directory has a password file: %v", err)
			}

			s := startForTest(t, Options{DataDir: dataDir, Database: "app"})
			if reused := s.child == nil; reused != tt.wantReused {
				t.Errorf("reused = %v, want %v", reused, tt.wantReused)
			}
			checkUpgraded(t, s)
			if got := serverSSL(t, s); got != tt.wantTLS {
				t.Errorf("server ssl = %v, want %v", got, tt.wantTLS)
			}
		})
	}
}

func checkUpgraded(t *testing.T, s *Server) {
	t.Helper()
	app := s.ConnString()
	info, err := os.Stat(s.passwordPath())
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("password file: %v, %v; want mode 0600", info, err)
	}
	if !s.hbaCurrent() {
		t.Error("pg_hba.conf was not rewritten")
	}
	for _, user := range []string{superuser, appRole} {
		cfg, err := pgx.ParseConfig(connString(user, "", s.port, "app"))
		if err != nil {
			t.Fatal(err)
		}
		cfg.Password = ""
		conn, err := pgx.ConnectConfig(t.Context(), cfg)
		if err == nil {
			conn.Close(context.Background())
		}
		if !isAuthError(err) {
			t.Errorf("%s without password: %v; want an authentication error", user, err)
		}
	}
	if got := queryString(t, app, "SELECT current_user::text || ',' || rolsuper::text FROM pg_roles WHERE rolname = current_user"); got != appRole+",false" {
		t.Errorf("binding's role, superuser = %s; want %s,false", got, appRole)
	}
	// The app role can use, change and drop what the superuser's migrations made.
	execSQL(t, app, `
		INSERT INTO items (name, mood, qty) VALUES ('new', 'ok', 1);
		INSERT INTO events (item) SELECT id FROM items;
		SELECT nextval('tickets'), nextval('billing.invoices_id_seq');
		INSERT INTO billing.invoices DEFAULT VALUES;
		REFRESH MATERIALIZED VIEW item_count;
		ALTER TABLE items ADD COLUMN note text;
		CREATE OR REPLACE VIEW item_names AS SELECT name, note FROM items;
		CREATE OR REPLACE FUNCTION twice(int) RETURNS int LANGUAGE sql AS 'SELECT $1 + $1';
		ALTER TYPE mood ADD VALUE 'meh';
		SELECT ROW(1, 2)::pair;
		CREATE TABLE added_later (id int);
		UPDATE _edgerun_migrations SET checksum = checksum;
		DROP SCHEMA billing CASCADE`)
	if got := queryString(t, app, "SELECT string_agg(name, ',' ORDER BY id) || ':' || twice(count(*)::int) FROM items"); got != "kept,new:4" {
		t.Errorf("items = %s, want kept,new:4", got)
	}
	// Nothing in the database is the superuser's any more.
	conn, err := pgx.Connect(t.Context(), s.adminConnString("app"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(t.Context(), handOverStatements, superuser, appRole)
	if err != nil {
		t.Fatal(err)
	}
	left, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(left) > 0 {
		t.Errorf("still owned by the superuser: %v %v", left, err)
	}
}
