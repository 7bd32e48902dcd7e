package main

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// written lives in the executable's writable data: dropping pages must not
// revert what the process wrote there.
var written = []int{1, 2, 3}

func TestDropStartupPagesUnmapsTheExecutablesReadOnlyPages(t *testing.T) {
	written[1] = 42
	before := statusKB(t, "RssFile")
	n := dropStartupPages()
	after := statusKB(t, "RssFile")
	if n == 0 {
		t.Fatal("no mapping of the executable was advised")
	}
	// The test binary's text and rodata were mapped (this test runs from
	// them); afterwards only what has run since is mapped again.
	if after >= before {
		t.Fatalf("RssFile %d kB before, %d kB after dropping %d bytes of mappings", before, after, n)
	}
	t.Logf("RssFile %d kB before, %d kB after dropping %d MB of mappings", before, after, n>>20)
	if written[1] != 42 || written[2] != 3 {
		t.Fatalf("a written variable changed: %v", written)
	}
	// Code and tables run again from the page cache.
	if got := strings.Repeat(strconv.Itoa(written[1]), 2); got != "4242" {
		t.Fatalf("after the drop: %q", got)
	}
}

func statusKB(t *testing.T, key string) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no %s in /proc/self/status", key)
	return 0
}
