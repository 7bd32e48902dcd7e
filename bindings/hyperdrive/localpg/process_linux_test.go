package localpg

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
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
