package pgtest

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PgBouncerPoolSize is the server connections PgBouncer opens per
// database and user (default_pool_size), however many clients it has.
const PgBouncerPoolSize = 3

// PgBouncer runs a real PgBouncer in transaction mode in front of dsn and
// returns dsn with PgBouncer's address; it is stopped at cleanup. A missing
// pgbouncer skips the test on a developer machine and fails it under
// CI=true.
func PgBouncer(t testing.TB, dsn string) string {
	t.Helper()
	bin, err := exec.LookPath("pgbouncer")
	if err != nil {
		for _, p := range []string{"/usr/sbin/pgbouncer", "/usr/local/sbin/pgbouncer"} {
			if _, err2 := os.Stat(p); err2 == nil {
				bin, err = p, nil
			}
		}
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pgbouncer is not installed (Debian: apt-get install pgbouncer)")
		}
		t.Skip("pgbouncer is not installed (Debian: apt-get install pgbouncer)")
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal("pgtest: PgBouncer needs a postgres:// URL") // the text may hold a password
	}
	db := strings.TrimPrefix(u.Path, "/")
	// auth_type = any lets every client in; PgBouncer logs in to the
	// server with the password given here (the test server requires one).
	password, _ := u.User.Password()
	dir := t.TempDir()
	// PgBouncer, as the postgres user, reads its configuration and writes
	// its log here.
	if err := os.Chmod(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	ini := fmt.Sprintf(`[databases]
%s = host=127.0.0.1 port=%s dbname=%s user=%s password=%s
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %d
unix_socket_dir =
auth_type = any
pool_mode = transaction
default_pool_size = %d
max_client_conn = 200
logfile = %s/pgbouncer.log
pidfile = %s/pgbouncer.pid
`, db, u.Port(), db, u.User.Username(), password, port, PgBouncerPoolSize, dir, dir)
	path := filepath.Join(dir, "pgbouncer.ini")
	if err := os.WriteFile(path, []byte(ini), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, path)
	if os.Geteuid() == 0 { // PgBouncer refuses to run as root
		if pu, err := user.Lookup("postgres"); err == nil {
			uid, _ := strconv.Atoi(pu.Uid)
			gid, _ := strconv.Atoi(pu.Gid)
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
		}
	}
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Signal(syscall.SIGINT); cmd.Wait() })
	u.Host = "127.0.0.1:" + strconv.Itoa(port)
	bouncer := u.String()
	deadline := time.Now().Add(10 * time.Second)
	for {
		conn, err := pgx.Connect(context.Background(), bouncer+"&default_query_exec_mode=simple_protocol")
		if err == nil {
			conn.Close(context.Background())
			return bouncer
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "pgbouncer.log"))
			t.Fatalf("pgbouncer never accepted connections: %v\n%s\n%s", err, out, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
