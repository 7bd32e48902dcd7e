package localpg

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

const (
	defaultDatabase     = "edgerun"
	defaultStartTimeout = 30 * time.Second

	pgdataDirName   = "pgdata"
	socketDirName   = "run"
	logFileName     = "server.log"
	portFileName    = "port"
	initializedName = "initialized"
	lockFileName    = ".lock"

	// maintenanceDatabase exists in every cluster; readiness checks and CREATE DATABASE
	// connect to it because Options.Database may not exist yet.
	maintenanceDatabase = "postgres"

	// maxSocketPath is the longest unix socket path every unix accepts (sun_path is 104
	// bytes on macOS and the BSDs, 108 on Linux, including the terminating NUL).
	maxSocketPath = 103

	// rotateLogAt keeps server.log from growing without bound across many dev sessions.
	rotateLogAt = 16 << 20

	portAttempts = 3
)

// Options describe the managed server.
type Options struct {
	// DataDir holds the cluster and the server's files (see the package doc), e.g.
	// <project>/.edgerun/state/postgres. Created with initdb on first use, reused after.
	// Required.
	DataDir string
	// Database is created if missing and is the database ConnString names. Default "edgerun".
	Database string
	// Log receives start, reuse and stop events. Nil discards them.
	Log *slog.Logger
	// Progress hears the steps of a first start, the one that runs initdb
	// (step k of total, what it does), which takes seconds; later starts
	// take milliseconds and report nothing. Nil: no report.
	Progress func(step, total int, what string)
	// StartTimeout bounds how long Start waits for the server to accept connections.
	// Default 30s.
	StartTimeout time.Duration
}

// Server is a running local PostgreSQL, either launched by Start as a child process or
// found already running on the data directory.
type Server struct {
	dataDir  string
	database string
	port     int
	binDir   string
	account  *account
	creds    credentials
	tls      *tlsFiles // set by Start (ensureTLS); nil makes startServer leave TLS off
	log      *slog.Logger

	// child is the postgres process Start launched; nil when Start reused a server that
	// another process launched, which that process stops.
	child   *exec.Cmd
	exited  chan struct{} // closed once child has exited
	waitErr error         // child's exit status, set before exited is closed

	stopOnce sync.Once
	stopErr  error
}

// Start returns a running server for opts.DataDir: the one already running on it, or a new
// child process (after initdb on first use). It returns once the server accepts connections,
// requires passwords, and opts.Database exists, owned by the unprivileged role ConnString
// names. A data directory of an older edgerun (trust authentication) is upgraded in place.
// The caller must call Stop.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.DataDir == "" {
		return nil, errors.New("localpg: Options.DataDir is required")
	}
	dataDir, err := filepath.Abs(opts.DataDir)
	if err != nil {
		return nil, fmt.Errorf("localpg: data directory: %w", err)
	}
	s := &Server{
		dataDir:  dataDir,
		database: cmp.Or(opts.Database, defaultDatabase),
		log:      opts.Log,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	timeout := opts.StartTimeout
	if timeout <= 0 {
		timeout = defaultStartTimeout
	}
	if s.binDir, err = FindBinaries(); err != nil {
		return nil, err
	}
	if s.account, err = serverAccount(); err != nil {
		return nil, err
	}
	if err := s.prepareDataDir(); err != nil {
		return nil, err
	}
	unlock, err := lockFile(ctx, filepath.Join(dataDir, lockFileName))
	if err != nil {
		return nil, fmt.Errorf("localpg: %w", err)
	}
	defer unlock()

	began := time.Now()
	if s.creds, err = s.loadCredentials(); err != nil {
		return nil, err
	}
	tlsChanged, err := s.ensureTLS(time.Now())
	if err != nil {
		return nil, err
	}
	reused, err := s.adoptRunning(ctx, timeout)
	if err != nil {
		return nil, err
	}
	first := !reused && !s.initialized()
	step := func(k int, what string) {
		if first && opts.Progress != nil {
			opts.Progress(k, 4, what)
		}
	}
	if !reused {
		step(1, "initdb "+s.pgdata())
		if err := s.initCluster(ctx); err != nil {
			return nil, err
		}
		step(2, "starting postgres")
		if err := s.launch(ctx, timeout); err != nil {
			return nil, err
		}
	}
	step(3, "roles and passwords")
	if err := s.secure(ctx); err != nil {
		_ = s.Stop(context.WithoutCancel(ctx))
		return nil, err
	}
	step(4, "database "+s.database)
	if err := s.ensureDatabase(ctx); err != nil {
		_ = s.Stop(context.WithoutCancel(ctx))
		return nil, err
	}
	if reused && tlsChanged {
		// PostgreSQL reads its certificate files again on reload. A server another edgerun
		// started without TLS keeps it off until it restarts.
		if err := s.reloadConf(ctx); err != nil {
			return nil, err
		}
	}
	s.log.Info("local PostgreSQL ready", "url", redactedURL(s.ConnString()), "data_dir", dataDir,
		"reused", reused, "bin_dir", s.binDir, "took", time.Since(began).Round(time.Millisecond))
	return s, nil
}

// ConnString is a libpq URL for Options.Database over loopback TCP, usable by pgx. It names
// the app role, which owns the database but holds no power outside it, and carries its
// password: keep it out of logs.
func (s *Server) ConnString() string {
	return s.connStringFor(s.database)
}

func (s *Server) connStringFor(database string) string {
	return connString(appRole, s.creds.App, s.port, database)
}

// adminConnString names the superuser, for setting the cluster up; never handed out.
func (s *Server) adminConnString(database string) string {
	return connString(superuser, s.creds.Superuser, s.port, database)
}

func connString(user, password string, port int, database string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(user, password),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		Path:     "/" + database,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// redactedURL is a connection URL fit for logs and errors: its password replaced by xxxxx.
func redactedURL(connString string) string {
	u, err := url.Parse(connString)
	if err != nil {
		return "(unparsable connection string)" // the text may hold a password
	}
	return u.Redacted()
}

// Stop shuts the server down cleanly (pg_ctl stop -m fast: open sessions are rolled back
// and disconnected) and waits for it to exit. If ctx ends first the server is stopped with
// an immediate shutdown. A reused server is left running for the process that launched it.
// Stop is idempotent; later calls return the first call's result.
func (s *Server) Stop(ctx context.Context) error {
	s.stopOnce.Do(func() { s.stopErr = s.stop(ctx) })
	return s.stopErr
}

func (s *Server) stop(ctx context.Context) error {
	if s.child == nil {
		return nil
	}
	select {
	case <-s.exited:
		return nil
	default:
	}
	out, err := s.tool(ctx, "pg_ctl", "stop", "-D", s.pgdata(), "-m", "fast", "-w", "-s").CombinedOutput()
	if err != nil {
		s.log.Warn("pg_ctl stop failed; signalling the server", "err", err, "output", strings.TrimSpace(string(out)))
		_ = s.child.Process.Signal(syscall.SIGINT) // what pg_ctl -m fast sends
	}
	select {
	case <-s.exited:
		s.log.Info("local PostgreSQL stopped", "data_dir", s.dataDir)
		return nil
	case <-ctx.Done():
	}
	_ = s.child.Process.Signal(syscall.SIGQUIT) // immediate shutdown: crash recovery at next start
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
		_ = s.child.Process.Kill()
		<-s.exited
	}
	return fmt.Errorf("localpg: fast shutdown of the server on %s did not finish, used immediate shutdown: %w", s.dataDir, ctx.Err())
}

func (s *Server) pgdata() string    { return filepath.Join(s.dataDir, pgdataDirName) }
func (s *Server) socketDir() string { return filepath.Join(s.dataDir, socketDirName) }
func (s *Server) logPath() string   { return filepath.Join(s.dataDir, logFileName) }
func (s *Server) portPath() string  { return filepath.Join(s.dataDir, portFileName) }

// initialized reports whether a cluster we finished setting up exists.
func (s *Server) initialized() bool {
	_, err := os.Stat(filepath.Join(s.dataDir, initializedName))
	return err == nil
}

// prepareDataDir creates the data directory and, when the server runs as another account,
// makes sure that account can reach it and owns it.
func (s *Server) prepareDataDir() error {
	created, err := mkdirAllTracked(s.dataDir, 0o755)
	if err != nil {
		return fmt.Errorf("localpg: creating data directory: %w", err)
	}
	if err := os.Mkdir(s.socketDir(), 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("localpg: creating socket directory: %w", err)
	}
	if s.account == nil {
		return nil
	}
	for _, dir := range created {
		// A umask such as 077 would leave what we created closed to the server's account.
		if err := os.Chmod(dir, 0o755); err != nil {
			return fmt.Errorf("localpg: %w", err)
		}
	}
	if err := checkTraversable(s.dataDir, s.account, statOwnership); err != nil {
		return err
	}
	if err := chownTree(s.dataDir, s.account); err != nil {
		return fmt.Errorf("localpg: handing %s to user %s: %w", s.dataDir, s.account.name, err)
	}
	return nil
}

// adoptRunning reuses a server already running on the data directory. A postmaster.pid
// whose process is gone (or is not postgres) is stale and removed.
func (s *Server) adoptRunning(ctx context.Context, timeout time.Duration) (bool, error) {
	pidPath := filepath.Join(s.pgdata(), "postmaster.pid")
	data, err := os.ReadFile(pidPath)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("localpg: %w", err)
	}
	pid, port := parsePostmasterPID(data)
	if pid <= 0 || pid == os.Getpid() || !processAlive(pid) || !isPostgresProcess(pid) {
		s.log.Info("removing stale postmaster.pid", "path", pidPath, "pid", pid)
		if err := os.Remove(pidPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return false, fmt.Errorf("localpg: removing stale %s: %w", pidPath, err)
		}
		return false, nil
	}
	// It may still be starting up (another process's Start in progress), so give it the
	// same time we would give our own.
	if err := waitReady(ctx, connString(superuser, s.creds.Superuser, port, maintenanceDatabase), timeout, nil); err != nil {
		if isAuthError(err) {
			return false, fmt.Errorf("localpg: the PostgreSQL server (pid %d) on %s rejects the superuser password of %s: %w",
				pid, s.pgdata(), s.passwordPath(), err)
		}
		return false, fmt.Errorf("localpg: a PostgreSQL server (pid %d) holds %s but does not accept connections on 127.0.0.1:%d: %w; stop it (pg_ctl stop -D %s) and retry",
			pid, s.pgdata(), port, err, s.pgdata())
	}
	s.port = port
	s.log.Info("reusing running local PostgreSQL", "pid", pid, "port", port)
	return true, nil
}

// parsePostmasterPID reads the pid (line 1) and port (line 4) of a postmaster.pid file;
// zero for what is missing or malformed.
func parsePostmasterPID(data []byte) (pid, port int) {
	lines := strings.Split(string(data), "\n")
	field := func(i int) int {
		if i >= len(lines) {
			return 0
		}
		n, err := strconv.Atoi(strings.TrimSpace(lines[i]))
		if err != nil || n < 0 {
			return 0
		}
		return n
	}
	return field(0), field(3)
}

// initCluster runs initdb unless a cluster we finished setting up exists. A pgdata without
// our marker is what an interrupted initdb leaves behind; initdb needs an empty directory.
func (s *Server) initCluster(ctx context.Context) error {
	if s.initialized() {
		return nil
	}
	if _, err := os.Stat(s.pgdata()); err == nil {
		s.log.Warn("removing incomplete cluster left by an interrupted initdb", "path", s.pgdata())
		if err := os.RemoveAll(s.pgdata()); err != nil {
			return fmt.Errorf("localpg: %w", err)
		}
	}
	began := time.Now()
	pwfile, err := s.writeInitdbPasswordFile()
	if err != nil {
		return err
	}
	defer os.Remove(pwfile)
	// --locale=C: byte-order collation does not depend on the machine's locales, which
	// containers often lack. --no-sync: a fresh cluster lost to a power cut is re-created.
	out, err := s.tool(ctx, "initdb", "-D", s.pgdata(), "-U", superuser,
		"--auth=scram-sha-256", "--pwfile="+pwfile,
		"-E", "UTF8", "--locale=C", "--no-sync").CombinedOutput()
	if err != nil {
		return fmt.Errorf("localpg: initdb -D %s: %w\n%s", s.pgdata(), err, tailLines(out, 20))
	}
	if err := s.writeHBA(); err != nil {
		return err
	}
	marker := filepath.Join(s.dataDir, initializedName)
	if err := os.WriteFile(marker, []byte(s.binDir+"\n"), 0o644); err != nil {
		return fmt.Errorf("localpg: %w", err)
	}
	s.log.Info("initialised PostgreSQL cluster", "path", s.pgdata(), "took", time.Since(began).Round(time.Millisecond))
	return nil
}

// bindError means the server could not listen on its port: someone took it between our
// check and the server's bind.
type bindError struct{ port int }

func (e *bindError) Error() string { return fmt.Sprintf("port %d is in use", e.port) }

// launch starts postgres on the kept port if it is free, else on a new one, which is kept.
func (s *Server) launch(ctx context.Context, timeout time.Duration) error {
	for attempt := 1; ; attempt++ {
		port, err := s.choosePort()
		if err != nil {
			return err
		}
		err = s.startServer(ctx, port, timeout)
		var inUse *bindError
		if errors.As(err, &inUse) && attempt < portAttempts {
			s.log.Info("port taken at start-up, choosing another", "port", port)
			_ = os.Remove(s.portPath())
			continue
		}
		if err != nil {
			return err
		}
		s.port = port
		if err := os.WriteFile(s.portPath(), []byte(strconv.Itoa(port)+"\n"), 0o644); err != nil {
			s.log.Warn("could not keep the port; the URL may change at next start", "err", err)
		}
		return nil
	}
}

func (s *Server) choosePort() (int, error) {
	if data, err := os.ReadFile(s.portPath()); err == nil {
		if port, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil && port > 0 && port < 65536 {
			if portFree(port) {
				return port, nil
			}
			s.log.Info("kept port is taken, choosing another", "port", port)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("localpg: choosing a port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func portFree(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	_ = l.Close()
	return true
}

// startServer runs postgres as a child and waits until it accepts connections.
func (s *Server) startServer(ctx context.Context, port int, timeout time.Duration) error {
	logFile, logStart, err := s.openLog()
	if err != nil {
		return err
	}
	socketDir := s.socketDir()
	if len(socketDir)+len("/.s.PGSQL.65535.lock") > maxSocketPath {
		s.log.Warn("data directory path too long for a unix socket; TCP only", "dir", socketDir)
		socketDir = ""
	}
	cmd := exec.Command(filepath.Join(s.binDir, "postgres"),
		"-D", s.pgdata(),
		"-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories="+socketDir,
		"-c", "max_connections=200", // room for tests with several pools
		"-c", "shared_buffers=16MB",
		"-c", "log_line_prefix=%m [%p] ",
	)
	if s.tls != nil {
		// Clients may ask for TLS (sslmode=require, verify-full with CACertPEM); plain
		// connections keep working, as pg_hba.conf's host lines match both.
		cmd.Args = append(cmd.Args,
			"-c", "ssl=on",
			"-c", "ssl_cert_file="+s.tls.serverCert,
			"-c", "ssl_key_file="+s.tls.serverKey,
		)
	}
	cmd.Dir = s.dataDir
	cmd.Env = childEnv(s.account)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = serverAttr(s.account)

	s.child, s.exited, s.waitErr = cmd, make(chan struct{}), nil
	started := make(chan error, 1)
	go func() {
		// The parent-death signal fires when the starting thread exits, so this thread
		// must live as long as the server: keep it locked while waiting for the child.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	err = <-started
	_ = logFile.Close() // the child has its own descriptor
	if err != nil {
		s.child = nil
		return fmt.Errorf("localpg: starting postgres: %w", err)
	}

	err = waitReady(ctx, connString(superuser, s.creds.Superuser, port, maintenanceDatabase), timeout, s.exited)
	if err == nil {
		return nil
	}
	select {
	case <-s.exited:
		tail := s.logTail(logStart)
		if strings.Contains(tail, "could not bind") || strings.Contains(tail, "could not create any TCP/IP sockets") {
			return &bindError{port}
		}
		return fmt.Errorf("localpg: PostgreSQL exited during start-up (%v); server log %s:\n%s", s.waitErr, s.logPath(), tail)
	default:
	}
	_ = s.child.Process.Signal(syscall.SIGQUIT)
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
		_ = s.child.Process.Kill()
		<-s.exited
	}
	if isAuthError(err) {
		return fmt.Errorf("localpg: PostgreSQL on %s rejects the superuser password of %s: %w", s.pgdata(), s.passwordPath(), err)
	}
	return fmt.Errorf("localpg: PostgreSQL did not accept connections on 127.0.0.1:%d: %w; server log %s:\n%s",
		port, err, s.logPath(), s.logTail(logStart))
}

// openLog opens server.log for appending, rotating it when large, and returns the offset
// where this run's output starts.
func (s *Server) openLog() (*os.File, int64, error) {
	if info, err := os.Stat(s.logPath()); err == nil && info.Size() > rotateLogAt {
		_ = os.Rename(s.logPath(), s.logPath()+".1")
	}
	f, err := os.OpenFile(s.logPath(), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, 0, fmt.Errorf("localpg: server log: %w", err)
	}
	offset, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		_ = f.Close()
		return nil, 0, fmt.Errorf("localpg: server log: %w", err)
	}
	return f, offset, nil
}

// logTail returns the last lines the server wrote since offset.
func (s *Server) logTail(offset int64) string {
	f, err := os.Open(s.logPath())
	if err != nil {
		return "(server log unreadable: " + err.Error() + ")"
	}
	defer f.Close()
	const maxTail = 4 << 10
	if info, err := f.Stat(); err == nil && info.Size()-offset > maxTail {
		offset = info.Size() - maxTail
	}
	data, _ := io.ReadAll(io.NewSectionReader(f, offset, maxTail))
	return tailLines(data, 20)
}

func tailLines(data []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// waitReady connects until the server accepts a session, ctx or timeout end, or exited
// (when non-nil) is closed. A server that turns our credentials away is up, and will not
// change its mind: that error (see isAuthError) is returned at once.
func waitReady(ctx context.Context, connString string, timeout time.Duration, exited <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cfg, err := pgx.ParseConfig(connString)
	if err != nil {
		return err
	}
	var lastErr error
	for {
		attemptCtx, cancelAttempt := context.WithTimeout(ctx, 2*time.Second)
		conn, err := pgx.ConnectConfig(attemptCtx, cfg)
		cancelAttempt()
		if err == nil {
			_ = conn.Close(ctx)
			return nil
		}
		if isAuthError(err) {
			return err
		}
		lastErr = err
		select {
		case <-exited:
			return fmt.Errorf("server exited: %w", lastErr)
		case <-ctx.Done():
			return fmt.Errorf("gave up after %v: %w", timeout, lastErr)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// tool prepares one of the server's command-line programs, run as the server's account.
func (s *Server) tool(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(s.binDir, name), args...)
	// The account may not be able to enter our working directory (root's home is 0700).
	cmd.Dir = s.dataDir
	cmd.Env = childEnv(s.account)
	cmd.SysProcAttr = toolAttr(s.account)
	return cmd
}

// childEnv is the whole environment of the server programs: the search path, the locale
// and the time zone. Nothing else of ours is passed on: SQL run by a superuser (COPY …
// FROM PROGRAM) or an extension could read the server's environment, and ours holds the
// secrets of the workers; libpq and server variables (PGDATA, PGPORT, …) would override the
// settings we pass. HOME is the server account's when it runs as another user.
func childEnv(a *account) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name == "PATH" || name == "LANG" || name == "TZ" || strings.HasPrefix(name, "LC_") {
			env = append(env, kv)
		}
	}
	home := os.Getenv("HOME")
	if a != nil {
		home = a.home
	}
	if home != "" {
		env = append(env, "HOME="+home)
	}
	return env
}
