package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"edgerun/bindings/localpg/pgtest"
)

// proxyProcess is a running `edgerun proxy`.
type proxyProcess struct {
	*server
	urls map[string]string // binding → the connection string it printed
	cmd  *exec.Cmd
	done chan error
}

// startProxy runs `edgerun proxy -c <dir>/wrangler.toml args...` and reads
// the connection strings it prints (one per binding, want of them).
func startProxy(t *testing.T, dir string, env []string, want int, args ...string) *proxyProcess {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"proxy", "-c", filepath.Join(dir, "wrangler.toml")}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	p := &proxyProcess{server: &server{}, urls: map[string]string{}, cmd: cmd, done: make(chan error, 1)}
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.mu.Lock()
			p.logs.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
		}
	}()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Signal(os.Interrupt)
			select {
			case <-p.done:
			case <-time.After(15 * time.Second):
				cmd.Process.Kill()
				t.Errorf("edgerun proxy did not exit on SIGINT; logs:\n%s", p.Logs())
			}
		}
	})
	timeout := time.After(60 * time.Second)
	for len(p.urls) < want {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("edgerun proxy ended before printing %d connection strings; logs:\n%s", want, p.Logs())
			}
			name, u, _ := strings.Cut(line, " ")
			p.urls[name] = u
		case <-timeout:
			t.Fatalf("edgerun proxy printed no connection string; logs:\n%s", p.Logs())
		}
	}
	go func() {
		for range lines {
		}
	}()
	return p
}

// stop sends SIGINT and waits for a clean exit.
func (p *proxyProcess) stop(t *testing.T) {
	t.Helper()
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("edgerun proxy exited with %v on SIGINT; logs:\n%s", err, p.Logs())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("edgerun proxy did not exit within 15 s of SIGINT; logs:\n%s", p.Logs())
	}
}

func writeProxyProject(t *testing.T, entry string) string {
	t.Helper()
	dir := t.TempDir()
	// As root the managed server runs as another account, which must reach
	// its data directory under dir.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// No main: the proxy runs no worker.
	toml := "name = \"proxy-only\"\ncompatibility_date = \"2026-11-01\"\n\n[[hyperdrive]]\nbinding = \"DB\"\nid = \"db\"\n" + entry
	if err := os.WriteFile(filepath.Join(dir, "wrangler.toml"), []byte(toml), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestProxyCommandServesPsqlAndPgx runs `edgerun proxy` against a real
// database: psql -c and pgx go through its connection string (the second
// identical read a cache hit, counted on /metrics), the origin's password
// is never printed, and SIGINT disconnects a connected client and exits 0.
func TestProxyCommandServesPsqlAndPgx(t *testing.T) {
	psql := pgtest.Psql(t)
	dsn := pgtest.NewDatabase(t)
	origin, err := pgconn.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	dir := writeProxyProject(t, "origin_connection_limit = 3\n")
	port, adminPort := freePort(t), freePort(t)
	adminBase := fmt.Sprintf("http://127.0.0.1:%d", adminPort)
	p := startProxy(t, dir, []string{"CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_DB=" + dsn}, 1,
		"--port", fmt.Sprint(port), "--admin", adminBase[len("http://"):])
	conn := p.urls["DB"]
	u, err := url.Parse(conn)
	if err != nil {
		t.Fatalf("printed %q: %v", conn, err)
	}
	pw, _ := u.User.Password()
	if u.Host != fmt.Sprintf("127.0.0.1:%d", port) || !strings.HasPrefix(u.User.Username(), "edgerun_") || len(pw) < 16 || u.Path != "/"+origin.Database {
		t.Fatalf("connection string %q: want the listener on --port %d, a random user and password, the origin's database", conn, port)
	}
	if origin.Password != "" && (strings.Contains(conn, origin.Password) || strings.Contains(p.Logs(), origin.Password)) {
		t.Fatalf("the origin's password was shown: %q", conn)
	}

	for range 2 {
		out, err := exec.Command(psql, conn, "-XAtc", "SELECT 'through ' || 'the proxy'").CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != "through the proxy" {
			t.Fatalf("psql -c: %q %v", out, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client, err := pgx.Connect(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close(context.Background())
	var sum int
	if err := client.QueryRow(ctx, "SELECT $1::int + $2::int", 40, 2).Scan(&sum); err != nil || sum != 42 {
		t.Fatalf("pgx through the proxy: %d %v", sum, err)
	}
	m := scrapeMetrics(t, adminBase)
	for _, c := range []struct {
		name string
		want float64
	}{
		{"edgerun_hyperdrive_proxy_clients", 1},
		{"edgerun_hyperdrive_proxy_clients_total", 3},
		{"edgerun_hyperdrive_proxy_statements_total", 3},
		{"edgerun_hyperdrive_proxy_cache_hits_total", 1}, // psql's second SELECT
		{"edgerun_hyperdrive_proxy_cache_misses_total", 2},
		{"edgerun_hyperdrive_pool_max_connections", 3},
	} {
		if got := metricValue(m, c.name, "binding=DB"); got != c.want {
			t.Errorf("%s = %v, want %v", c.name, got, c.want)
		}
	}
	if code, rep := health(t, adminBase); code != 200 || len(rep.Bindings) != 1 || rep.Bindings[0].Proxy == nil ||
		rep.Bindings[0].Proxy.Address != u.Host {
		t.Errorf("/health = %d %+v", code, rep)
	}

	p.stop(t)
	if _, err := client.Exec(ctx, "SELECT now()"); err == nil {
		t.Fatal("a client of a stopped proxy still ran a statement")
	}
}

// TestProxyCommandFixedCredentialsAndManagedDatabase: with no connection
// string the proxy starts the managed local PostgreSQL (as dev does), and
// --user with EDGERUN_PROXY_PASSWORD fixes the credentials; a wrong
// password is refused.
func TestProxyCommandFixedCredentialsAndManagedDatabase(t *testing.T) {
	_ = pgtest.Start(t)                              // skips (or, under CI, fails) without PostgreSQL's server binaries
	dir := writeProxyProject(t, "local_port = -1\n") // -1 (no listener for a worker) still gets one here
	p := startProxy(t, dir, []string{"EDGERUN_PROXY_PASSWORD=s3cret-for-tests", "CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_DB="}, 1,
		"--user", "app", "--admin", "off")
	conn := p.urls["DB"]
	u, err := url.Parse(conn)
	if err != nil {
		t.Fatal(err)
	}
	if pw, _ := u.User.Password(); u.User.Username() != "app" || pw != "s3cret-for-tests" || u.Path != "/db" {
		t.Fatalf("connection string %q: want app:s3cret-for-tests and the managed database db", conn)
	}
	if strings.Contains(p.Logs(), "s3cret-for-tests") {
		t.Fatalf("the password reached the log:\n%s", p.Logs())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client, err := pgx.Connect(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	var db string
	if err := client.QueryRow(ctx, "SELECT current_database()").Scan(&db); err != nil || db != "db" {
		t.Fatalf("current_database() = %q %v", db, err)
	}
	client.Close(ctx)
	wrong := *u
	wrong.User = url.UserPassword("app", "not-it")
	_, err = pgx.Connect(ctx, wrong.String())
	var pg *pgconn.PgError
	if !errors.As(err, &pg) || pg.Code != "28P01" {
		t.Fatalf("wrong password: %v, want 28P01", err)
	}
	p.stop(t)
}

// Bad use of the command gets a clear message and exit status.
func TestProxyCommandRefusesBadUse(t *testing.T) {
	dir := writeProxyProject(t, "")
	noEntries := t.TempDir()
	if err := os.WriteFile(filepath.Join(noEntries, "wrangler.toml"), []byte("name = \"x\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		env  []string
		args []string
		code int
		want string
	}{
		{"user without password", nil, []string{"-c", filepath.Join(dir, "wrangler.toml"), "--user", "app"}, 2, "--user needs the password in $EDGERUN_PROXY_PASSWORD"},
		{"password without user", []string{"EDGERUN_PROXY_PASSWORD=x"}, []string{"-c", filepath.Join(dir, "wrangler.toml")}, 2, "give the user name with --user"},
		{"unknown binding", nil, []string{"-c", filepath.Join(dir, "wrangler.toml"), "--binding", "NOPE"}, 1, `no [[hyperdrive]] entry has binding = "NOPE"`},
		{"no entries", nil, []string{"-c", filepath.Join(noEntries, "wrangler.toml")}, 1, "has no [[hyperdrive]] entry: nothing to proxy"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(binary, append([]string{"proxy", "--admin", "off"}, c.args...)...)
			cmd.Env = append(os.Environ(), "EDGERUN_PROXY_PASSWORD=")
			cmd.Env = append(cmd.Env, c.env...)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != c.code || !strings.Contains(string(out), c.want) {
				t.Fatalf("exit %v, output %q; want exit %d and %q", err, out, c.code, c.want)
			}
		})
	}
}

// TestProxyCommandTenThousandClients: 10,000 pgx clients connected at once
// to `edgerun proxy` (its own process: each side holds 10,000 sockets),
// then all querying at once: every query succeeds, and the origin never
// has more than origin_connection_limit (5) connections, counted in
// pg_stat_activity while the load runs.
func TestProxyCommandTenThousandClients(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	const clients, limit = 10_000, 5
	dsn := pgtest.NewDatabase(t)
	dir := writeProxyProject(t, fmt.Sprintf("origin_connection_limit = %d\nacquire_timeout_ms = 120000\ncaching = { disabled = true }\n", limit))
	p := startProxy(t, dir, []string{"CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_DB=" + dsn}, 1, "--admin", "off", "--log-level", "warn")
	connString := p.urls["DB"]

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	watcher, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Close(context.Background())
	var peak atomic.Int64
	stopWatch := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		for {
			var n int64
			if err := watcher.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'").Scan(&n); err == nil && n > peak.Load() {
				peak.Store(n)
			}
			select {
			case <-stopWatch:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()

	conns := make([]*pgx.Conn, clients)
	var failed atomic.Int64
	var firstErr atomic.Value
	fail := func(err error) {
		failed.Add(1)
		firstErr.CompareAndSwap(nil, err)
	}
	var wg sync.WaitGroup
	dial := make(chan struct{}, 200) // the listen backlog, not the proxy, bounds dialling at once
	for i := range clients {
		wg.Go(func() {
			dial <- struct{}{}
			defer func() { <-dial }()
			c, err := pgx.Connect(ctx, connString)
			if err != nil {
				fail(fmt.Errorf("connect %d: %w", i, err))
				return
			}
			conns[i] = c
		})
	}
	wg.Wait()
	if failed.Load() > 0 {
		t.Fatalf("%d of %d clients could not connect; first: %v", failed.Load(), clients, firstErr.Load())
	}
	defer func() {
		for _, c := range conns {
			c.Close(context.Background())
		}
	}()
	// Every client connected; now all query at once.
	start := make(chan struct{})
	for i, c := range conns {
		wg.Go(func() {
			<-start
			var n int
			if err := c.QueryRow(ctx, "SELECT $1::int * 2", i).Scan(&n); err != nil || n != 2*i {
				fail(fmt.Errorf("client %d: %d %v", i, n, err))
			}
		})
	}
	began := time.Now()
	close(start)
	wg.Wait()
	took := time.Since(began)
	close(stopWatch)
	<-watched
	if failed.Load() > 0 {
		t.Fatalf("%d of %d queries failed; first: %v", failed.Load(), clients, firstErr.Load())
	}
	if pk := peak.Load(); pk > limit || pk == 0 {
		t.Fatalf("the origin saw at most %d connections; want 1..%d", pk, limit)
	}
	t.Logf("%d clients connected at once, %d queries in %s; peak %d origin connections (limit %d)", clients, clients, took.Round(time.Millisecond), peak.Load(), limit)
}
