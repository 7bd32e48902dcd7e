// Command coldstart measures how fast `edgerun serve` starts and how much
// memory it holds: for each of -runs runs it starts the binary on a project,
// times exec to the first 200 (wall clock, and the process's CPU then), waits
// -idle, reads VmRSS, RssAnon and RssFile from /proc, optionally runs a load
// command against the server (-load, with {url} replaced) while sampling
// RSS, reads RSS again after it, and stops the server. It prints one line per
// run and the median and mean of each column.
//
// The CPU time at the first 200 is the sum of the threads' run time in
// /proc/PID/task/*/schedstat (nanoseconds; /proc/PID/stat counts 10 ms
// ticks, too coarse for a start of ~100 ms); the total CPU at exit is the
// kernel's rusage of the whole process.
//
// Usage: coldstart -binary ./edgerun -config examples/hello/wrangler.toml [-runs 7] [-idle 3s]
//
//	[-load 'wrk -t2 -c500 -d30s {url}/api/users/1'] [-path /] [-- extra serve flags]
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// run is one start's measurements; the memory figures are KiB.
type run struct {
	wall, cpu          time.Duration // exec → first 200
	rss, anon, file    int64         // after -idle
	loadRSS, loadMax   int64         // -settle after -load, and its highest sample
	loadAnon, loadFile int64
	loadEnd, endAnon   int64         // the last sample while -load ran
	cpuTotal           time.Duration // the whole process, from rusage at exit
}

func main() {
	binary := flag.String("binary", "", "the edgerun binary")
	config := flag.String("config", "examples/hello/wrangler.toml", "the project's wrangler.toml")
	runs := flag.Int("runs", 7, "how many starts")
	idle := flag.Duration("idle", 3*time.Second, "how long the server idles after its first 200 before RSS is read")
	path := flag.String("path", "/", "the path of the first request")
	load := flag.String("load", "", "a shell command run after the idle reading, {url} replaced by the server's base URL (RSS is sampled while it runs and read after it)")
	settle := flag.Duration("settle", 2*time.Second, "how long after -load before RSS is read again")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("coldstart: ")
	if *binary == "" {
		log.Fatal("-binary is required")
	}
	var all []run
	for i := range *runs {
		r, err := once(*binary, *config, *path, *idle, *load, *settle, flag.Args())
		if err != nil {
			log.Fatalf("run %d: %v", i+1, err)
		}
		all = append(all, r)
		line := fmt.Sprintf("run %d: first 200 after %6.1f ms wall, %6.1f ms CPU; idle RSS %5.1f MB (anon %5.1f, file %5.1f)",
			i+1, ms(r.wall), ms(r.cpu), mb(r.rss), mb(r.anon), mb(r.file))
		if *load != "" {
			line += fmt.Sprintf("; at the load's end %5.1f MB (anon %5.1f), max during %5.1f; %v after it %5.1f MB (anon %5.1f, file %5.1f)",
				mb(r.loadEnd), mb(r.endAnon), mb(r.loadMax), settle, mb(r.loadRSS), mb(r.loadAnon), mb(r.loadFile))
		}
		fmt.Println(line)
	}
	col := func(name string, f func(run) float64, unit string) {
		v := make([]float64, len(all))
		sum := 0.0
		for i, r := range all {
			v[i] = f(r)
			sum += v[i]
		}
		sort.Float64s(v)
		fmt.Printf("%-26s median %7.1f %s  mean %7.1f  min %7.1f  max %7.1f\n", name, v[len(v)/2], unit, sum/float64(len(v)), v[0], v[len(v)-1])
	}
	fmt.Printf("%d runs of %s %s\n", len(all), filepath.Base(*binary), *config)
	col("wall to first 200", func(r run) float64 { return ms(r.wall) }, "ms")
	col("CPU to first 200", func(r run) float64 { return ms(r.cpu) }, "ms")
	col("idle VmRSS", func(r run) float64 { return mb(r.rss) }, "MB")
	col("idle RssAnon", func(r run) float64 { return mb(r.anon) }, "MB")
	col("idle RssFile", func(r run) float64 { return mb(r.file) }, "MB")
	if *load != "" {
		col("VmRSS at the load's end", func(r run) float64 { return mb(r.loadEnd) }, "MB")
		col("RssAnon at the load's end", func(r run) float64 { return mb(r.endAnon) }, "MB")
		col("max VmRSS during load", func(r run) float64 { return mb(r.loadMax) }, "MB")
		col("VmRSS after load+settle", func(r run) float64 { return mb(r.loadRSS) }, "MB")
		col("RssAnon after load+settle", func(r run) float64 { return mb(r.loadAnon) }, "MB")
	}
	col("CPU at exit (whole run)", func(r run) float64 { return ms(r.cpuTotal) }, "ms")
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }
func mb(kib int64) float64       { return float64(kib) / 1024 }

func once(binary, config, path string, idle time.Duration, load string, settle time.Duration, extra []string) (run, error) {
	var r run
	port, err := freePort()
	if err != nil {
		return r, err
	}
	admin, err := freePort()
	if err != nil {
		return r, err
	}
	args := append([]string{"serve", "-c", config, "--port", strconv.Itoa(port),
		"--admin", "127.0.0.1:" + strconv.Itoa(admin), "--log-level", "warn"}, extra...)
	cmd := exec.Command(binary, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return r, err
	}
	pid := cmd.Process.Pid
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}
	for {
		if time.Since(start) > 60*time.Second {
			stop()
			return r, fmt.Errorf("no 200 within 60 s; server said:\n%s", stderr.String())
		}
		// Dialing first keeps the poll cheap while nothing listens yet.
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second)
		if err != nil {
			time.Sleep(time.Millisecond)
			continue
		}
		c.Close()
		resp, err := client.Get(base + path)
		if err != nil {
			time.Sleep(time.Millisecond)
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			stop()
			return r, fmt.Errorf("first answer %d; server said:\n%s", resp.StatusCode, stderr.String())
		}
		r.wall = time.Since(start)
		break
	}
	r.cpu, err = threadsCPU(pid)
	if err != nil {
		stop()
		return r, err
	}
	time.Sleep(idle)
	m, err := status(pid)
	if err != nil {
		stop()
		return r, err
	}
	r.rss, r.anon, r.file = m["VmRSS"], m["RssAnon"], m["RssFile"]
	if load != "" {
		ctx, cancel := context.WithCancel(context.Background())
		maxc := make(chan [3]int64)
		go func() { // sample RSS every 100 ms while the load runs
			var hi, last, lastAnon int64
			t := time.NewTicker(100 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					maxc <- [3]int64{hi, last, lastAnon}
					return
				case <-t.C:
					if m, err := status(pid); err == nil {
						hi, last, lastAnon = max(hi, m["VmRSS"]), m["VmRSS"], m["RssAnon"]
					}
				}
			}
		}()
		sh := exec.Command("sh", "-c", strings.ReplaceAll(load, "{url}", base))
		sh.Stdout, sh.Stderr = os.Stderr, os.Stderr
		err := sh.Run()
		cancel()
		s := <-maxc
		r.loadMax, r.loadEnd, r.endAnon = s[0], s[1], s[2]
		if err != nil {
			stop()
			return r, fmt.Errorf("load %q: %v", load, err)
		}
		time.Sleep(settle)
		m, err := status(pid)
		if err != nil {
			stop()
			return r, err
		}
		r.loadRSS, r.loadAnon, r.loadFile = m["VmRSS"], m["RssAnon"], m["RssFile"]
	}
	stop()
	if u, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.cpuTotal = time.Duration(u.Utime.Nano() + u.Stime.Nano())
	}
	return r, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// threadsCPU sums the run time of the process's threads, in nanoseconds
// (the first field of each thread's schedstat).
func threadsCPU(pid int) (time.Duration, error) {
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	if err != nil || len(tasks) == 0 {
		return 0, fmt.Errorf("reading the threads of %d: %v", pid, err)
	}
	var sum int64
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue // a thread that just exited
		}
		f := strings.Fields(string(b))
		if len(f) == 0 {
			continue
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s: %q: %v", t, b, err)
		}
		sum += n
	}
	return time.Duration(sum), nil
}

// status reads the kB fields of /proc/PID/status.
func status(pid int) (map[string]int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || !strings.HasSuffix(v, " kB") {
			continue
		}
		if n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(v, " kB")), 10, 64); err == nil {
			m[k] = n
		}
	}
	return m, sc.Err()
}
