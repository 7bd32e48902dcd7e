package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// buildEdgerun compiles ./cmd/edgerun of the module at root into dir.
func buildEdgerun(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "edgerun")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/edgerun")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/edgerun: %w\n%s", err, out)
	}
	return bin, nil
}

// freePort asks the kernel for a loopback port nobody listens on.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// process is one run of `edgerun serve`; the soak starts another one if it dies.
type process struct {
	cmd     *exec.Cmd
	pid     int
	started time.Time
	exited  chan struct{} // closed once the process has exited
	exitErr error         // its exit status, set before exited is closed
	// recorded is closed once the soak has recorded the death, so that the
	// requests that saw it end after the record lists them as in flight.
	recorded chan struct{}
	log      *stderrLog
}

// launch starts edgerun serve on the fixture with the database's connection
// string in the environment, and waits until /readyz answers 200.
func launch(ctx context.Context, o *Options, dsn string, port, adminPort int) (*process, error) {
	cmd := exec.Command(o.Binary, "serve", "-c", filepath.Join(o.Fixture, "wrangler.toml"),
		"--ip", "127.0.0.1", "--port", strconv.Itoa(port), "--admin", "127.0.0.1:"+strconv.Itoa(adminPort),
		"--log-level", "info", "--drain-timeout", "5s")
	cmd.Env = append(os.Environ(), "CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE="+dsn)
	cmd.Stdout = io.Discard
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", o.Binary, err)
	}
	p := &process{cmd: cmd, pid: cmd.Process.Pid, started: time.Now(), exited: make(chan struct{}), recorded: make(chan struct{}), log: newStderrLog()}
	logDone := make(chan struct{})
	go func() { p.log.consume(stderr); close(logDone) }()
	go func() {
		<-logDone // Wait closes the pipe: read it to the end first
		p.exitErr = cmd.Wait()
		close(p.exited)
	}()
	ready := fmt.Sprintf("http://127.0.0.1:%d/readyz", adminPort)
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case <-p.exited:
			return nil, fmt.Errorf("edgerun exited while starting (%v):\n%s", p.exitErr, p.log.tail(30))
		case <-ctx.Done():
			p.kill()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if resp, err := http.Get(ready); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, nil
			}
		}
		if time.Now().After(deadline) {
			p.kill()
			return nil, fmt.Errorf("edgerun not ready within 60s:\n%s", p.log.tail(30))
		}
	}
}

func (p *process) alive() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// kill ends the process at once and waits for it.
func (p *process) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.exited
}

// stop shuts the process down as a deployment would (SIGTERM, drain), with a
// bounded wait.
func (p *process) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		p.kill()
	}
}

// rssBytes reads VmRSS of a live process.
func rssBytes(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("VmRSS line %q: %w", line, err)
			}
			return kb << 10, nil
		}
	}
	return 0, errors.New("no VmRSS in /proc status")
}

// cpuTicks is the process's user + system CPU time in clock ticks.
func cpuTicks(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces; fields count from after it.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, errors.New("malformed /proc stat")
	}
	fields := strings.Fields(string(data[i+1:]))
	if len(fields) < 13 {
		return 0, errors.New("short /proc stat")
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("/proc stat times: %w", err)
	}
	return utime + stime, nil
}

// clockTicksPerSecond is USER_HZ, 100 on every Linux architecture Go supports.
const clockTicksPerSecond = 100

// poolState is what the admin listener says about the isolate pool.
type poolState struct {
	Isolates, InFlight, Queued, Pending int
	Replaced                            int64
}

func (s poolState) String() string {
	return fmt.Sprintf("isolates %d, in flight %d, queued %d, pending callbacks %d, replaced %d",
		s.Isolates, s.InFlight, s.Queued, s.Pending, s.Replaced)
}

func readPool(ctx context.Context, adminPort int) (poolState, error) {
	var st poolState
	client := &http.Client{Timeout: 5 * time.Second}
	get := func(path string) ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("http://127.0.0.1:%d%s", adminPort, path), nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		return io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	}
	body, err := get("/health")
	if err != nil {
		return st, fmt.Errorf("reading /health: %w", err)
	}
	var health struct {
		Isolates *struct {
			Isolates int   `json:"isolates"`
			InFlight int   `json:"in_flight"`
			Queued   int   `json:"queued"`
			Replaced int64 `json:"replaced"`
		} `json:"isolates"`
	}
	if err := json.Unmarshal(body, &health); err != nil {
		return st, fmt.Errorf("decoding /health: %w", err)
	}
	if health.Isolates == nil {
		return st, errors.New("/health has no isolate pool")
	}
	st.Isolates, st.InFlight, st.Queued, st.Replaced = health.Isolates.Isolates, health.Isolates.InFlight, health.Isolates.Queued, health.Isolates.Replaced
	if body, err = get("/metrics"); err != nil {
		return st, fmt.Errorf("reading /metrics: %w", err)
	}
	v, ok := metricValue(body, "edgerun_isolate_pending_callbacks")
	if !ok {
		return st, errors.New("/metrics has no edgerun_isolate_pending_callbacks")
	}
	st.Pending = int(v)
	return st, nil
}

// metricValue finds an unlabelled sample in Prometheus text.
func metricValue(text []byte, name string) (float64, bool) {
	for _, line := range strings.Split(string(text), "\n") {
		if rest, ok := strings.CutPrefix(line, name+" "); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			return v, err == nil
		}
	}
	return 0, false
}

// stderrLog consumes edgerun's log without keeping it (a hostile console.log
// can write hundreds of MiB): the total, the longest line, the last lines
// (each cut to a few KiB) and the lines around a Go fatal error or panic.
type stderrLog struct {
	mu       sync.Mutex
	bytes    int64
	lines    int64
	maxLine  int64
	last     []string
	fatal    []string // "fatal error:" / "panic:" and the lines after it
	fatalCap int
}

const (
	keepLines   = 40
	keepLineLen = 2 << 10
)

func newStderrLog() *stderrLog { return &stderrLog{} }

func (l *stderrLog) consume(r io.Reader) {
	br := bufio.NewReaderSize(r, 64<<10)
	var line []byte
	var n int64
	for {
		chunk, err := br.ReadSlice('\n')
		n += int64(len(chunk))
		if len(line) < keepLineLen {
			line = append(line, chunk[:min(len(chunk), keepLineLen-len(line))]...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if n > 0 {
			l.add(strings.TrimRight(string(line), "\n"), n)
		}
		line, n = line[:0], 0
		if err != nil {
			return
		}
	}
}

func (l *stderrLog) add(line string, n int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.bytes += n
	l.lines++
	l.maxLine = max(l.maxLine, n)
	l.last = append(l.last, line)
	if len(l.last) > keepLines {
		l.last = l.last[1:]
	}
	if strings.HasPrefix(line, "fatal error:") || strings.HasPrefix(line, "panic:") {
		l.fatalCap = 12
	}
	if l.fatalCap > 0 {
		l.fatal = append(l.fatal, line)
		l.fatalCap--
	}
}

func (l *stderrLog) tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.last[max(0, len(l.last)-n):], "\n")
}

// crash is the lines that say why the process died: its fatal error if it
// printed one, else its last lines.
func (l *stderrLog) crash() string {
	l.mu.Lock()
	fatal := strings.Join(l.fatal, "\n")
	l.mu.Unlock()
	if fatal != "" {
		return fatal
	}
	return l.tail(8)
}

func (l *stderrLog) stats() (bytes, lines, maxLine int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bytes, l.lines, l.maxLine
}
