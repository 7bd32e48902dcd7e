// Package s3test gives tests a real S3-compatible server: versitygw (the
// Versity S3 Gateway, Apache-2.0) over a temporary directory, one per test
// binary, and a fresh bucket per test.
//
// versitygw is built from the version pinned in tools/s3server/go.mod (kept
// out of edgerun's go.mod) with `go build`, which needs only the Go module
// proxy, and cached by version under the user's cache directory, so only
// the first test run on a machine builds it (minutes on a busy machine).
// When it cannot be built or started, the test is skipped, and fails under
// CI=true.
//
// A test binary that uses it should stop the server when its tests are
// done:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		s3test.StopAll()
//		os.Exit(code)
//	}
package s3test

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Server is a running S3-compatible server.
type Server struct {
	Endpoint        string // http://127.0.0.1:port
	Region          string
	AccessKeyID     string
	SecretAccessKey string

	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	dir  string
}

var (
	mu     sync.Mutex
	shared *Server
	failed error
)

// Start returns the test binary's server, starting it on first use.
func Start(t testing.TB) *Server {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if shared == nil && failed == nil {
		shared, failed = start()
	}
	if failed != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("s3test: these tests need a real S3 server and CI=true: %v", failed)
		}
		t.Skipf("s3test: no S3 server for these tests: %v", failed)
	}
	return shared
}

// NewBucket makes an empty bucket for this test and returns its name.
func (s *Server) NewBucket(t testing.TB) string {
	t.Helper()
	c, err := minio.New(strings.TrimPrefix(s.Endpoint, "http://"), &minio.Options{
		Creds: credentials.NewStaticV4(s.AccessKeyID, s.SecretAccessKey, ""), Region: s.Region})
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "t-" + hex.EncodeToString(b)
	if err := c.MakeBucket(context.Background(), name, minio.MakeBucketOptions{Region: s.Region}); err != nil {
		t.Fatalf("s3test: making bucket %s: %v", name, err)
	}
	return name
}

// StopAll stops the server, if one was started, and removes its files.
func StopAll() {
	mu.Lock()
	defer mu.Unlock()
	if shared != nil {
		shared.stop()
		os.RemoveAll(shared.dir)
		shared = nil
	}
}

// stop ends the server: SIGTERM, then SIGKILL after 5 s.
func (s *Server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

func start() (*Server, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "s3test-")
	if err != nil {
		return nil, err
	}
	key := make([]byte, 16)
	_, _ = rand.Read(key)
	s := &Server{Region: "us-east-1", AccessKeyID: "edgerun-test", SecretAccessKey: hex.EncodeToString(key), dir: dir}
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s.Endpoint = "http://127.0.0.1:" + port
		// The secret goes in the environment, not argv, so ps does not show it.
		cmd := exec.Command(bin, "--port", "127.0.0.1:"+port, "--quiet", "posix", data)
		cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY_ID="+s.AccessKeyID, "ROOT_SECRET_ACCESS_KEY="+s.SecretAccessKey)
		log, err := os.Create(filepath.Join(dir, "versitygw.log"))
		if err != nil {
			return nil, err
		}
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Start(); err != nil {
			log.Close()
			os.RemoveAll(dir)
			return nil, fmt.Errorf("starting versitygw: %w", err)
		}
		log.Close()
		s.cmd, s.done = cmd, make(chan struct{})
		go func(done chan struct{}) { _ = cmd.Wait(); close(done) }(s.done)
		err = waitReady(s.Endpoint, s.done)
		if err == nil {
			return s, nil
		}
		s.stop()
		if attempt == 2 {
			out, _ := os.ReadFile(filepath.Join(dir, "versitygw.log"))
			os.RemoveAll(dir)
			return nil, fmt.Errorf("versitygw did not start: %v\n%s", err, out)
		}
		// The port was taken meanwhile, most likely: try another.
	}
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port, nil
}

// waitReady waits until the server answers HTTP (any status: an anonymous
// request is refused, which is an answer).
func waitReady(endpoint string, exited <-chan struct{}) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return errors.New("versitygw exited")
		default:
		}
		resp, err := http.Get(endpoint + "/")
		if err == nil {
			resp.Body.Close()
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("no answer within 30 s")
}

// Binary returns the path of the pinned versitygw, building it on first
// use (under a file lock, so test binaries running at once build it once).
func Binary() (string, error) {
	modDir, err := toolsDir()
	if err != nil {
		return "", err
	}
	version, err := pinnedVersion(filepath.Join(modDir, "go.mod"))
	if err != nil {
		return "", err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "edgerun", "versitygw-"+version+"-"+runtime.GOOS+"-"+runtime.GOARCH)
	bin := filepath.Join(dir, "versitygw")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	lock, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return "", err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", fmt.Errorf("locking %s: %w", lock.Name(), err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if _, err := os.Stat(bin); err == nil { // another test binary built it while we waited
		return bin, nil
	}
	tmp := bin + ".tmp"
	cmd := exec.Command("go", "build", "-trimpath", "-o", tmp, "github.com/versity/versitygw/cmd/versitygw")
	cmd.Dir = modDir
	cmd.Env = append(os.Environ(), "GOWORK=off", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("building versitygw %s in %s: %v\n%s", version, modDir, err, out)
	}
	return bin, os.Rename(tmp, bin)
}

// toolsDir is tools/s3server of this checkout.
func toolsDir() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("s3test: cannot find its source directory")
	}
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "tools", "s3server")
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		return "", fmt.Errorf("s3test: %w", err)
	}
	return dir, nil
}

// pinnedVersion is the versitygw version tools/s3server/go.mod requires.
func pinnedVersion(gomod string) (string, error) {
	f, err := os.Open(gomod)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(strings.TrimPrefix(strings.TrimSpace(sc.Text()), "require "))
		if len(fields) >= 2 && fields[0] == "github.com/versity/versitygw" {
			return fields[1], nil
		}
	}
	return "", fmt.Errorf("%s requires no github.com/versity/versitygw", gomod)
}
