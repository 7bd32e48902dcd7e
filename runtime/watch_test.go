package runtime

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// copyFixture copies testdata/workers/name to a temporary directory, so the
// test can edit it.
func copyFixture(t *testing.T, name string) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(fixture(name))); err != nil {
		t.Fatal(err)
	}
	return dst
}

// writeInPlace rewrites a file the way most editors save: truncate and write.
func writeInPlace(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeByRename saves the way some editors do: a temporary file renamed
// over the original (the watcher sees a create, not a write).
func writeByRename(t *testing.T, path, content string) {
	t.Helper()
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".swp")
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func TestLiveReloadSwapsCodeWithoutFailedRequests(t *testing.T) {
	dir := copyFixture(t, "reload")
	a := startApp(t, dir, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopWatching, err := WatchAndReload(ctx, a.app)
	if err != nil {
		t.Fatal(err)
	}
	defer stopWatching()

	// Requests in a loop for the whole test; each goroutine must see the
	// versions in order, and every request must succeed.
	versions := []string{"v1", "v2", "v2!", "v3!"}
	done := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	var served int
	latest := "v1"
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := 0
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				code, body, err := quickGet(a.base + "/")
				v := indexOf(versions, body)
				mu.Lock()
				served++
				switch {
				case err != nil || code != 200 || v < 0:
					failures = append(failures, fmt.Sprintf("worker %d request %d: %d %q %v", w, i, code, body, err))
				case v < last:
					failures = append(failures, fmt.Sprintf("worker %d went back from %s to %s", w, versions[last], body))
				default:
					last = v
					if v > indexOf(versions, latest) {
						latest = body
					}
				}
				mu.Unlock()
			}
		}()
	}
	seen := func(v string) func() bool {
		return func() bool { mu.Lock(); defer mu.Unlock(); return latest == v }
	}

	// A request in flight across the reload finishes on the old version.
	inflight := a.goGet("/wait?ms=400")
	waitFor(t, "the request in flight", func() bool { return a.pool().Stats().InFlight >= 1 })
	oldPool := a.pool()

	// 1. An imported file, saved in place.
	version := filepath.Join(dir, "src", "version.js")
	writeInPlace(t, version, `export const VERSION = "v2";`+"\n")
	waitFor(t, "v2 to be served", seen("v2"))
	if r := <-inflight; r.code != 200 || r.body != "v1 waited" {
		t.Errorf("request in flight across the reload = %d %q, want the old version's answer", r.code, r.body)
	}
	waitFor(t, "the old version to close", oldPool.Closed)

	// 2. The entry, saved by renaming a temporary file over it.
	entry := filepath.Join(dir, "src", "index.js")
	src, err := os.ReadFile(entry)
	if err != nil {
		t.Fatal(err)
	}
	writeByRename(t, entry, strings.Replace(string(src), "return new Response(VERSION);", "return new Response(VERSION + \"!\");", 1))
	waitFor(t, "the edited entry to be served", seen("v2!"))

	// 3. A syntax error: the running version keeps serving and the error
	// names the file, line and column.
	writeInPlace(t, version, "export const VERSION = \"v3\"\nexport const = 1;\n")
	waitFor(t, "the build error to be reported", func() bool {
		return strings.Contains(a.logs.String(), "keeping the previous version")
	})
	if logs := a.logs.String(); !strings.Contains(logs, "src/version.js:2:14") {
		t.Errorf("build error does not name src/version.js:2:14:\n%s", logs)
	}
	if code, body := a.get(t, "/"); code != 200 || body != "v2!" {
		t.Errorf("after a syntax error GET / = %d %q, want the previous version", code, body)
	}

	// 4. Fixed: the next version loads.
	writeInPlace(t, version, `export const VERSION = "v3";`+"\n")
	waitFor(t, "the fixed version to be served", seen("v3!"))

	close(done)
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d of %d requests failed during reloads; first: %s", len(failures), served, failures[0])
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// A change to wrangler.toml is pointed out (bindings are read at start),
// and the worker keeps serving.
func TestConfigChangeIsPointedOut(t *testing.T) {
	dir := copyFixture(t, "reload")
	a := startApp(t, dir, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopWatching, err := WatchAndReload(ctx, a.app)
	if err != nil {
		t.Fatal(err)
	}
	defer stopWatching()
	path := filepath.Join(dir, "wrangler.toml")
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	writeInPlace(t, path, string(old)+"\n[vars]\nNEW = \"x\"\n")
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(a.logs.String(), "wrangler.toml changed: bindings, vars and limits are read at start") {
		if time.Now().After(deadline) {
			t.Fatalf("no word of the configuration change in the log:\n%s", a.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code, _ := a.get(t, "/"); code != 200 {
		t.Fatalf("after the change: %d", code)
	}
}
