package localpg

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestServerRunsInItsOwnProcessGroup(t *testing.T) {
	requireBinaries(t)
	s := startForTest(t, Options{DataDir: testDataDir(t)})
	pid := s.child.Process.Pid
	pgid, err := syscall.Getpgid(pid)
	if err != nil {
		t.Fatal(err)
	}
	if pgid != pid || pgid == syscall.Getpgrp() {
		t.Errorf("server pgid = %d (pid %d, ours %d); want its own group, out of reach of the terminal's Ctrl-C", pgid, pid, syscall.Getpgrp())
	}
}

func TestServerStopsWhenParentDies(t *testing.T) {
	requireBinaries(t)
	dataDir := testDataDir(t)
	parent := exec.Command(os.Args[0], "-test.run=^$")
	parent.Env = append(os.Environ(), HelperDataDirEnv+"="+dataDir)
	out, err := parent.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n') // written by TestMain in main_test.go
	pidText, ok := strings.CutPrefix(strings.TrimSpace(line), "pid: ")
	serverPID, err := strconv.Atoi(pidText)
	if !ok || err != nil {
		_ = parent.Process.Kill()
		_ = parent.Wait()
		t.Fatalf("helper said %q", line)
	}
	if err := parent.Process.Kill(); err != nil { // SIGKILL: no chance to call Stop
		t.Fatal(err)
	}
	_ = parent.Wait()

	// The server is reparented, so its exit is seen through its pid file: a fast shutdown
	// removes postmaster.pid, and the pid must go away.
	deadline := time.Now().Add(20 * time.Second)
	for processAlive(serverPID) && isPostgresProcess(serverPID) {
		if time.Now().After(deadline) {
			_ = syscall.Kill(serverPID, syscall.SIGQUIT)
			t.Fatalf("server %d still runs after its parent was killed", serverPID)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := os.Stat(dataDir + "/pgdata/postmaster.pid"); !os.IsNotExist(err) {
		t.Errorf("postmaster.pid after the parent died: %v; want removed by a clean shutdown", err)
	}
}

// TestStartOpensDirectoriesItCreates: under umask 077, the directories Start creates would
// be closed to the server's account if Start did not open them.
func TestStartOpensDirectoriesItCreates(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root hands the server to another user")
	}
	requireBinaries(t)
	dataDir := testDataDir(t) // <tmp>/state/postgres: state and postgres do not exist yet
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	s := startForTest(t, Options{DataDir: dataDir})
	if got := queryString(t, s.ConnString(), "SELECT 'up'"); got != "up" {
		t.Errorf("query = %q", got)
	}
	info, err := os.Stat(filepath.Dir(dataDir))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o755 {
		t.Errorf("created %s with mode %04o, want 0755", filepath.Dir(dataDir), perm)
	}
}

// TestServerEnvironmentIsMinimal: SQL that reads the server's environment (COPY … FROM
// PROGRAM 'env' as a superuser, an extension) must not find the secrets of ours.
func TestServerEnvironmentIsMinimal(t *testing.T) {
	requireBinaries(t)
	t.Setenv("EDGERUN_TEST_SECRET", "do-not-leak")
	t.Setenv("PGOPTIONS", "-c work_mem=1MB")
	s := startForTest(t, Options{DataDir: testDataDir(t)})
	environ, err := os.ReadFile("/proc/" + strconv.Itoa(s.child.Process.Pid) + "/environ")
	if err != nil {
		t.Fatal(err)
	}
	for kv := range strings.SplitSeq(strings.TrimRight(string(environ), "\x00"), "\x00") {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "PATH", name == "LANG", name == "TZ", name == "HOME", strings.HasPrefix(name, "LC_"):
		case name == "PGDATA", name == "PG_GRANDPARENT_PID", strings.HasPrefix(name, "PG_"):
			// set by postgres itself for its children
		default:
			t.Errorf("server environment holds %s", kv)
		}
	}
	// What a superuser would see: the secret is not there.
	var out string
	err = pgx.BeginFunc(t.Context(), mustConnect(t, s.adminConnString("postgres")), func(tx pgx.Tx) error {
		if _, err := tx.Exec(t.Context(), "CREATE TEMP TABLE e (l text) ON COMMIT DROP; COPY e FROM PROGRAM 'env'"); err != nil {
			return err
		}
		return tx.QueryRow(t.Context(), "SELECT string_agg(l, E'\\n') FROM e").Scan(&out)
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "do-not-leak") || strings.Contains(out, "PGOPTIONS") {
		t.Errorf("the server's programs see our environment:\n%s", out)
	}
}

func mustConnect(t *testing.T, connString string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), connString)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}
