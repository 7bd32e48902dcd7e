package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"edgerun/bindings/localpg/pgtest"
	"edgerun/bindings/r2/s3test"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "edgerun-e2e-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "edgerun")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building edgerun: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	pgtest.StopAll()
	s3test.StopAll()
	os.RemoveAll(dir)
	os.Exit(code)
}

func fixture(name string) string {
	p, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "workers", name))
	return p
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

type server struct {
	base   string
	port   int
	cmd    *exec.Cmd
	mu     sync.Mutex
	logs   strings.Builder
	exited chan struct{} // closed once the process has exited and its stderr is read
}

func (s *server) Logs() string { s.mu.Lock(); defer s.mu.Unlock(); return s.logs.String() }

// startServer runs `edgerun <mode> -c <dir>/wrangler.toml` as a child process.
func startServer(t *testing.T, mode, dir string, env []string, args ...string) *server {
	t.Helper()
	return startServerOn(t, freePort(t), mode, dir, env, args...)
}

// startServerOn is startServer on a given port (a fleet's instance that is
// restarted keeps its address). It returns once the port accepts; the
// process gets SIGINT at the end of the test unless it has exited.
func startServerOn(t *testing.T, port int, mode, dir string, env []string, args ...string) *server {
	t.Helper()
	cmdArgs := append([]string{mode, "-c", filepath.Join(dir, "wrangler.toml"), "--port", fmt.Sprint(port)}, args...)
	cmd := exec.Command(binary, cmdArgs...)
	cmd.Env = append(os.Environ(), env...)
	s := &server{base: fmt.Sprintf("http://127.0.0.1:%d", port), port: port, cmd: cmd, exited: make(chan struct{})}
	stderr, _ := cmd.StderrPipe()
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			s.mu.Lock()
			s.logs.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
		}
		cmd.Wait() // after the last read of the pipe, as os/exec requires
		close(s.exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-s.exited:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			t.Errorf("edgerun did not exit on SIGINT; logs:\n%s", s.Logs())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return s
		}
		select {
		case <-s.exited:
			t.Fatalf("edgerun exited before listening; logs:\n%s", s.Logs())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("edgerun never listened; logs:\n%s", s.Logs())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// watchPeak runs count (a query answering one number) on conn every 5 ms
// until stop is called, and keeps the largest answer.
func watchPeak(conn *pgx.Conn, count string) (peak *atomic.Int64, stop func()) {
	peak = new(atomic.Int64)
	quit, watched := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(watched)
		for {
			select {
			case <-quit:
				return
			case <-time.After(5 * time.Millisecond):
			}
			var n int64
			if err := conn.QueryRow(context.Background(), count).Scan(&n); err == nil {
				for cur := peak.Load(); n > cur && !peak.CompareAndSwap(cur, n); cur = peak.Load() {
				}
			}
		}
	}()
	return peak, func() { close(quit); <-watched }
}

// fanOut sends n requests at once: one(i) runs in n goroutines released
// together, and says what was wrong with its answer ("" when it was right).
// A run this long says how it goes: every 10 s, how many have answered. It
// returns how long the n took, how many failed, and the first failure.
func fanOut(t *testing.T, n int, one func(i int) string) (elapsed time.Duration, failed int64, first string) {
	var wg sync.WaitGroup
	var done, failures atomic.Int64
	var firstErr atomic.Value
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer done.Add(1)
			<-start
			if msg := one(i); msg != "" {
				failures.Add(1)
				firstErr.CompareAndSwap(nil, msg)
			}
		}()
	}
	began := time.Now()
	finished, progress := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(progress)
		tick := time.NewTicker(10 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-finished:
				return
			case <-tick.C:
				t.Logf("%v: %d answered", time.Since(began).Round(time.Second), done.Load())
			}
		}
	}()
	close(start)
	wg.Wait()
	elapsed = time.Since(began)
	close(finished)
	<-progress
	first, _ = firstErr.Load().(string)
	return elapsed, failures.Load(), first
}

func TestTenThousandConcurrentQueriesShareTheSmallPool(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	srv := startServer(t, "serve", fixture("hyperdrive-app"),
		[]string{"CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE=" + dsn}, "--log-level", "warn")

	// Count the binding's connections on the server while the load runs.
	watch, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer watch.Close(context.Background())
	maxConns, stopWatching := watchPeak(watch,
		`SELECT count(*) FROM pg_stat_activity WHERE application_name = 'edgerun' AND datname = current_database()`)

	const n = 10000
	client := &http.Client{
		Timeout:   120 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: -1, DisableKeepAlives: true},
	}
	elapsed, failed, first := fanOut(t, n, func(i int) string {
		id := i%1000 + 1
		resp, err := client.Get(fmt.Sprintf("%s/item?id=%d", srv.base, id))
		if err != nil {
			return err.Error()
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if want := fmt.Sprintf(`{"id":%d,"name":"item-%d"}`, id, id); resp.StatusCode != 200 || string(body) != want {
			return fmt.Sprintf("%d %s", resp.StatusCode, body)
		}
		return ""
	})
	stopWatching()
	if failed > 0 {
		t.Fatalf("%d of %d requests failed; first: %v\nlogs:\n%s", failed, n, first, srv.Logs())
	}
	peak := maxConns.Load()
	t.Logf("%d concurrent requests in %s; peak PostgreSQL connections held by the binding: %d", n, elapsed.Round(time.Millisecond), peak)
	if peak == 0 {
		t.Fatal("never saw the binding's connections on the server")
	}
	if peak > 10 {
		t.Fatalf("binding held %d connections, more than origin_connection_limit = 10", peak)
	}
}
