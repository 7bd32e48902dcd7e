package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// dropStartupPages unmaps the pages of edgerun's own executable that this
// process has touched so far, once start-up is over, and returns how many
// bytes of mappings it advised away.
//
// Why: start-up runs code and reads tables that serving never touches again
// (some 235 package inits, esbuild, goja's parser and compiler), and the
// kernel maps a file's pages around each fault (fault-around, 64 KiB), so a
// hello project's start leaves ~31 MB of the ~60 MB binary mapped (RssFile)
// against ~16 MB of its own memory (RssAnon). MADV_DONTNEED on a private,
// read-only file mapping only drops this process's page-table entries: the
// pages stay in the page cache (shared, reclaimable, as they were), and what
// serving uses is mapped again by minor faults on first touch.
//
// Only mappings of the executable that are not writable and hold no private
// (copy-on-write) pages are advised: dropping a written private page would
// lose the write, so .data and .bss, and any page a loader relocated, are
// left alone.
func dropStartupPages() int {
	exe, err := os.Executable()
	if err != nil {
		return 0
	}
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return 0
	}
	defer f.Close()
	type mapping struct{ start, end uintptr }
	var ours []mapping
	var cur *mapping // the current mapping, while it is a candidate
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if start, end, ok := mappingRange(fields[0]); ok && len(fields) >= 5 {
			cur = nil
			if len(fields) == 6 && fields[5] == exe && !strings.Contains(fields[1], "w") {
				ours = append(ours, mapping{start, end})
				cur = &ours[len(ours)-1]
			}
			continue
		}
		if cur != nil && fields[0] == "Anonymous:" && fields[1] != "0" {
			ours = ours[:len(ours)-1] // copy-on-write pages: leave it
			cur = nil
		}
	}
	if sc.Err() != nil {
		return 0
	}
	n := 0
	for _, m := range ours {
		if _, _, e := unix.Syscall(unix.SYS_MADVISE, m.start, m.end-m.start, unix.MADV_DONTNEED); e == 0 {
			n += int(m.end - m.start)
		}
	}
	return n
}

// mappingRange parses smaps' "start-end" address field.
func mappingRange(s string) (uintptr, uintptr, bool) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, false
	}
	start, err1 := strconv.ParseUint(a, 16, 64)
	end, err2 := strconv.ParseUint(b, 16, 64)
	if err1 != nil || err2 != nil || end <= start {
		return 0, 0, false
	}
	return uintptr(start), uintptr(end), true
}
