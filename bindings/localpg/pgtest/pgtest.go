package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"edgerun/bindings/localpg"

	"github.com/jackc/pgx/v5"
)

// EnvDatabaseURL names a PostgreSQL to use instead of starting one; used as-is.
const EnvDatabaseURL = "EDGERUN_TEST_DATABASE_URL"

// tempPrefix starts the names of the temporary directories of started servers; the pid of
// the test binary follows, so leftovers of dead binaries can be found and removed.
const tempPrefix = "edgerun-pgtest-"

const startTimeout = 60 * time.Second

// shared is the one server of this test binary. started is reset by StopAll, so a later
// Start starts a new one.
var shared struct {
	mu      sync.Mutex
	started bool
	server  *localpg.Server
	dir     string
	err     error
}

var databaseSeq atomic.Int64

// Start returns a connection string to a real PostgreSQL for tests. It first honours
// EDGERUN_TEST_DATABASE_URL (used as-is); otherwise it starts one temporary server per test
// binary, kept until StopAll. If no server binaries exist it fails the test under CI=true,
// naming what to install, and skips it otherwise.
//
// The started server's URL names a role that owns its database but is not a superuser, as
// the managed server of edgerun dev hands out: it may create tables and end its own
// sessions (pg_terminate_backend), not create databases or reach the host's files.
func Start(t testing.TB) string {
	t.Helper()
	connString, _ := start(t)
	return connString
}

// start returns the server's connection string and, when pgtest started the server rather
// than EDGERUN_TEST_DATABASE_URL naming one, the server.
func start(t testing.TB) (string, *localpg.Server) {
	t.Helper()
	if connString := os.Getenv(EnvDatabaseURL); connString != "" {
		return connString, nil
	}
	server, err := startShared()
	if err != nil {
		failOrSkip(t, err)
	}
	return server.ConnString(), server
}

// failOrSkip reports a server that could not be started: a missing installation skips the
// test on a developer machine, but CI must have one.
func failOrSkip(t testing.TB, err error) {
	t.Helper()
	if errors.Is(err, localpg.ErrNoBinaries) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("pgtest: these tests need a real PostgreSQL and CI=true: %v (or set %s)", err, EnvDatabaseURL)
		}
		t.Skipf("pgtest: no PostgreSQL for these tests: %v (or set %s)", err, EnvDatabaseURL)
	}
	t.Fatalf("pgtest: %v", err)
}

func startShared() (*localpg.Server, error) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if !shared.started {
		shared.started = true
		shared.err = startServer()
	}
	return shared.server, shared.err
}

// startServer runs under shared.mu.
func startServer() error {
	removeLeftovers(os.TempDir())
	dir, err := os.MkdirTemp("", tempPrefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return err
	}
	// MkdirTemp makes it 0700; when we are root the server runs as another user, who must
	// be able to enter it.
	if err := os.Chmod(dir, 0o755); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	server, err := localpg.Start(ctx, localpg.Options{DataDir: dir, Database: "pgtest", StartTimeout: startTimeout})
	if err != nil {
		_ = os.RemoveAll(dir)
		return err
	}
	shared.server, shared.dir = server, dir
	return nil
}

// StopAll stops the server this process started, if any, and removes its files. For
// TestMain, after m.Run.
func StopAll() {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if err := shared.server.Stop(ctx); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: stopping PostgreSQL: %v\n", err)
		}
		cancel()
	}
	if shared.dir != "" {
		if err := os.RemoveAll(shared.dir); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		}
	}
	shared.started, shared.server, shared.dir, shared.err = false, nil, "", nil
}

// NewDatabase creates a fresh, empty database on the server of Start, with a name no other
// test uses, and returns its connection string. The database is dropped in t.Cleanup
// (after the test's own later-registered cleanups, such as closing its pool). On the
// server pgtest starts, the database belongs to the role of Start's URL.
func NewDatabase(t testing.TB) string {
	t.Helper()
	base, server := start(t)
	name := databaseName(t.Name())
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	connString, err := createDatabase(ctx, base, server, name)
	if err != nil {
		t.Fatalf("pgtest: creating database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
		defer cancel()
		if err := dropDatabase(ctx, base, server, name); err != nil {
			t.Errorf("pgtest: dropping database %s: %v", name, err)
		}
	})
	return connString
}

// createDatabase creates name through the server we started, whose superuser creates it for
// the role of its URL (which may not create databases), or else as the role of base.
func createDatabase(ctx context.Context, base string, server *localpg.Server, name string) (string, error) {
	if server != nil {
		return server.CreateDatabase(ctx, name)
	}
	if err := execOn(ctx, base, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE template0"); err != nil {
		return "", err
	}
	return withDatabase(base, name)
}

func dropDatabase(ctx context.Context, base string, server *localpg.Server, name string) error {
	if server != nil {
		return server.DropDatabase(ctx, name)
	}
	// FORCE ends sessions a test left open (PostgreSQL 13 and later).
	return execOn(ctx, base, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
}

func execOn(ctx context.Context, connString, sql string) error {
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	_, err = conn.Exec(ctx, sql)
	return err
}

// databaseName is unique within the server, even across test binaries sharing
// EDGERUN_TEST_DATABASE_URL (pid and sequence), and says which test made it.
func databaseName(testName string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "pgtest_%d_%d_", os.Getpid(), databaseSeq.Add(1))
	for _, r := range strings.ToLower(testName) {
		if b.Len() >= 63 { // NAMEDATALEN-1: longer names are truncated by the server
			break
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// withDatabase returns connString naming database instead of its own, for both forms libpq
// accepts: URLs and keyword/value strings (where a later keyword wins).
func withDatabase(connString, database string) (string, error) {
	if strings.HasPrefix(connString, "postgres://") || strings.HasPrefix(connString, "postgresql://") {
		u, err := url.Parse(connString)
		if err != nil {
			return "", errors.New("pgtest: cannot parse the connection string as a URL") // the text may hold a password
		}
		u.Path, u.RawPath = "/"+database, ""
		return u.String(), nil
	}
	quoted := strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(database)
	return strings.TrimSpace(connString) + " dbname='" + quoted + "'", nil
}

// removeLeftovers deletes the directories of servers whose test binary died without
// StopAll; their server is gone too (it shuts down with its parent on Linux), or still
// running elsewhere, in which case the directory is kept.
func removeLeftovers(tempDir string) {
	dirs, _ := filepath.Glob(filepath.Join(tempDir, tempPrefix+"*"))
	for _, dir := range dirs {
		pidText, _, ok := strings.Cut(strings.TrimPrefix(filepath.Base(dir), tempPrefix), "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		if data, err := os.ReadFile(filepath.Join(dir, "pgdata", "postmaster.pid")); err == nil {
			if serverPID, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(data), "\n", 2)[0])); err == nil && processAlive(serverPID) {
				continue
			}
		}
		_ = os.RemoveAll(dir)
	}
}

// CACertPEM returns the PEM certificate of the CA that signed the TLS certificate of the
// server Start started, for clients that verify it (sslmode=verify-full, a TLS socket's
// roots); the certificate is valid for localhost, 127.0.0.1 and ::1. It is nil when
// EDGERUN_TEST_DATABASE_URL names the server, whose CA pgtest does not know.
func CACertPEM(t testing.TB) []byte {
	t.Helper()
	_, server := start(t)
	if server == nil {
		return nil
	}
	return server.CACertPEM()
}

// WithSSLMode returns the URL connString with its sslmode parameter set to mode
// ("require", "verify-full", …). The server pgtest starts accepts TLS and plain
// connections alike; its URLs say sslmode=disable.
func WithSSLMode(connString, mode string) (string, error) {
	u, err := url.Parse(connString)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", errors.New("pgtest: WithSSLMode needs a postgres:// URL") // the text may hold a password
	}
	q := u.Query()
	q.Set("sslmode", mode)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// Psql is the path of psql, the reference client, for tests that drive a
// server with it: a missing psql skips the test on a developer machine and
// fails it under CI=true.
func Psql(t testing.TB) string {
	t.Helper()
	psql, err := exec.LookPath("psql")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pgtest: psql is not installed (CI=true: required)")
		}
		t.Skip("pgtest: psql is not installed")
	}
	return psql
}
