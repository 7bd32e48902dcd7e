package localpg

import (
	"context"
	"errors"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// HelperDataDirEnv makes the test binary act as an edgerun process that starts a server on
// the named data directory, prints "pid: <server pid>" and hangs until killed (see TestMain
// in main_test.go and TestServerStopsWhenParentDies).
const HelperDataDirEnv = "LOCALPG_TEST_HELPER_DATA_DIR"

// requireBinaries skips tests that need a real server where none is installed, except under
// CI=true, where that is a failure.
func requireBinaries(t *testing.T) {
	t.Helper()
	if _, err := FindBinaries(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
}

// testDataDir is a data directory inside t.TempDir. The testing package makes the
// directory above t.TempDir 0700; opening it lets the server's account in when we are root.
func testDataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Chmod(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "state", "postgres")
}

func startForTest(t *testing.T, opts Options) *Server {
	t.Helper()
	opts.StartTimeout = 20 * time.Second
	s, err := Start(t.Context(), opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Stop(context.Background()); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	return s
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

func execSQL(t *testing.T, connString, sql string) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), connString)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func portOf(t *testing.T, connString string) int {
	t.Helper()
	u, err := url.Parse(connString)
	if err != nil {
		t.Fatal(err)
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatal(err)
	}
	return port
}

// TestServerLifecycle runs one data directory through first start, reuse by a second
// Start, restarts, a taken port, stale pid files and a broken configuration, in order.
func TestServerLifecycle(t *testing.T) {
	requireBinaries(t)
	dataDir := testDataDir(t)
	opts := Options{DataDir: dataDir, Database: "edgerun dev"}
	first := startForTest(t, opts)
	connURL := first.ConnString()
	execSQL(t, connURL, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)")
	// Subtests that need the data directory free stop the first server themselves, so that
	// each can run alone (go test -run).
	stopFirst := func(t *testing.T) {
		t.Helper()
		if err := first.Stop(t.Context()); err != nil {
			t.Fatalf("Stop: %v", err)
		}
	}

	t.Run("first start", func(t *testing.T) {
		u, err := url.Parse(connURL)
		if err != nil {
			t.Fatal(err)
		}
		if password, _ := u.User.Password(); u.Hostname() != "127.0.0.1" || u.User.Username() != appRole || password == "" || u.Path != "/edgerun dev" {
			t.Errorf("ConnString = %s, want loopback, user %s with a password, database %q", redactedURL(connURL), appRole, "edgerun dev")
		}
		for sql, want := range map[string]string{
			"SELECT current_user":       appRole,
			"SELECT current_database()": "edgerun dev",
			"SHOW listen_addresses":     "127.0.0.1",
			"SHOW max_connections":      "200",
		} {
			if got := queryString(t, connURL, sql); got != want {
				t.Errorf("%s = %q, want %q", sql, got, want)
			}
		}
		// Only the superuser may read where the socket is.
		if got, want := queryString(t, first.adminConnString("postgres"), "SHOW unix_socket_directories"), filepath.Join(dataDir, "run"); got != want {
			t.Errorf("unix_socket_directories = %q, want %q", got, want)
		}
	})

	t.Run("runs as an unprivileged user when root", func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("not root: the server runs as ourselves")
		}
		pgUser, err := user.Lookup("postgres")
		if err != nil {
			pgUser, err = user.Lookup("nobody")
		}
		if err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(filepath.Join(dataDir, "pgdata"))
		if err != nil {
			t.Fatal(err)
		}
		if o, _ := ownerOf(info); strconv.Itoa(int(o.uid)) != pgUser.Uid {
			t.Errorf("pgdata owner uid = %d, want %s (%s)", o.uid, pgUser.Uid, pgUser.Username)
		}
		if runtime.GOOS == "linux" {
			status, err := os.ReadFile("/proc/" + strconv.Itoa(first.child.Process.Pid) + "/status")
			if err != nil {
				t.Fatal(err)
			}
			for line := range strings.SplitSeq(string(status), "\n") {
				if uids, ok := strings.CutPrefix(line, "Uid:"); ok && strings.Fields(uids)[0] != pgUser.Uid {
					t.Errorf("server process real uid = %s, want %s", strings.Fields(uids)[0], pgUser.Uid)
				}
			}
		}
	})

	t.Run("second Start reuses the running server", func(t *testing.T) {
		second := startForTest(t, opts)
		if second.child != nil {
			t.Fatal("second Start launched its own server")
		}
		if second.ConnString() != connURL {
			t.Errorf("reused ConnString = %s, want %s", redactedURL(second.ConnString()), redactedURL(connURL))
		}
		if err := second.Stop(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := queryString(t, connURL, "SELECT v::text FROM kept"); got != "42" {
			t.Errorf("after the reusing Server stopped: v = %s, want 42", got)
		}
	})

	t.Run("Stop is clean and idempotent", func(t *testing.T) {
		for i := range 2 {
			if err := first.Stop(t.Context()); err != nil {
				t.Fatalf("Stop #%d: %v", i+1, err)
			}
		}
		if _, err := os.Stat(filepath.Join(dataDir, "pgdata", "postmaster.pid")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("postmaster.pid after Stop: %v, want it removed by a clean shutdown", err)
		}
		if conn, err := pgx.Connect(t.Context(), connURL); err == nil {
			conn.Close(context.Background())
			t.Error("server still accepts connections after Stop")
		}
	})

	t.Run("restart keeps data and port", func(t *testing.T) {
		stopFirst(t)
		s := startForTest(t, opts)
		if s.child == nil {
			t.Fatal("restart reused a server that was stopped")
		}
		if s.ConnString() != connURL {
			t.Errorf("ConnString after restart = %s, want %s (the same password too)", redactedURL(s.ConnString()), redactedURL(connURL))
		}
		if got := queryString(t, s.ConnString(), "SELECT v::text FROM kept"); got != "42" {
			t.Errorf("v = %s, want 42", got)
		}
		if err := s.Stop(t.Context()); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("taken port is replaced and the new one kept", func(t *testing.T) {
		stopFirst(t)
		taken, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(portOf(t, connURL))))
		if err != nil {
			t.Fatal(err)
		}
		defer taken.Close()
		s := startForTest(t, opts)
		newPort := portOf(t, s.ConnString())
		if newPort == portOf(t, connURL) {
			t.Fatalf("server on the taken port %d", newPort)
		}
		kept, err := os.ReadFile(filepath.Join(dataDir, "port"))
		if err != nil || strings.TrimSpace(string(kept)) != strconv.Itoa(newPort) {
			t.Errorf("port file = %q, %v; want %d", kept, err, newPort)
		}
		if got := queryString(t, s.ConnString(), "SELECT v::text FROM kept"); got != "42" {
			t.Errorf("v = %s, want 42", got)
		}
		if err := s.Stop(t.Context()); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("stale postmaster.pid", func(t *testing.T) {
		stopFirst(t)
		exited := exec.Command("true")
		if err := exited.Run(); err != nil {
			t.Fatal(err)
		}
		notPostgres := exec.Command("sleep", "60")
		if err := notPostgres.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { _ = notPostgres.Process.Kill(); _ = notPostgres.Wait() }()
		for name, pid := range map[string]int{"dead process": exited.Process.Pid, "recycled pid": notPostgres.Process.Pid} {
			t.Run(name, func(t *testing.T) {
				pidFile := strconv.Itoa(pid) + "\n" + filepath.Join(dataDir, "pgdata") + "\n1700000000\n5432\n\n127.0.0.1\n  0  0\nready   \n"
				if err := os.WriteFile(filepath.Join(dataDir, "pgdata", "postmaster.pid"), []byte(pidFile), 0o600); err != nil {
					t.Fatal(err)
				}
				s := startForTest(t, opts)
				if s.child == nil {
					t.Fatal("Start reused a server from a stale pid file")
				}
				if got := queryString(t, s.ConnString(), "SELECT v::text FROM kept"); got != "42" {
					t.Errorf("v = %s, want 42", got)
				}
				if err := s.Stop(t.Context()); err != nil {
					t.Fatal(err)
				}
			})
		}
	})

	t.Run("failed start-up reports the server log", func(t *testing.T) {
		stopFirst(t)
		conf := filepath.Join(dataDir, "pgdata", "postgresql.conf")
		orig, err := os.ReadFile(conf)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = os.WriteFile(conf, orig, 0o600) }()
		if err := os.WriteFile(conf, append(orig, "this is not a setting\n"...), 0o600); err != nil {
			t.Fatal(err)
		}
		opts := opts
		opts.StartTimeout = 20 * time.Second
		s, err := Start(t.Context(), opts)
		if err == nil {
			_ = s.Stop(context.Background())
			t.Fatal("Start with a broken postgresql.conf succeeded")
		}
		if testing.Verbose() {
			t.Log(err)
		}
		for _, want := range []string{"exited during start-up", "server.log", "postgresql.conf", "contains errors"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error lacks %q:\n%v", want, err)
			}
		}
	})
}

func TestStartNamesInaccessibleDirectory(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root hands the server to another user")
	}
	requireBinaries(t)
	private := filepath.Join(filepath.Dir(filepath.Dir(testDataDir(t))), "private")
	if err := os.Mkdir(private, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := Start(t.Context(), Options{DataDir: filepath.Join(private, "pg")})
	if err == nil || !strings.Contains(err.Error(), "directory "+private+" ") || !strings.Contains(err.Error(), "not accessible") {
		t.Fatalf("Start under a root-only directory: %v; want an error naming %s", err, private)
	}
	if testing.Verbose() {
		t.Log(err)
	}
}

func TestStartRequiresDataDir(t *testing.T) {
	if _, err := Start(t.Context(), Options{}); err == nil || !strings.Contains(err.Error(), "DataDir") {
		t.Errorf("Start without DataDir: %v, want an error naming DataDir", err)
	}
}
