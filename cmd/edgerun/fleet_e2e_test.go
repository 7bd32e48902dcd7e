package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"edgerun/bindings/localpg/pgtest"
)

// fleetInstance is one `edgerun serve` of the fleet; a restart keeps its
// name, directory and ports, as a pod keeps its address behind a service.
type fleetInstance struct {
	name        string
	dir         string
	port, admin int
	srv         *server
}

// haproxyBinary finds Debian's haproxy (in /usr/sbin, often not on a
// user's PATH). Under CI=true its absence fails the test.
func haproxyBinary(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("haproxy"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/sbin/haproxy", "/usr/bin/haproxy"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("the fleet test needs HAProxy and CI=true: apt-get install haproxy")
	}
	t.Skip("no haproxy (apt-get install haproxy)")
	return ""
}

// haproxyConfig balances over the instances, each checked on its admin
// listener's /readyz every 100 ms (down after one failure, so a killed or
// draining instance leaves the rotation at once). A connection that fails
// (a dead instance's refused port) is retried on another server; a request
// that reached an instance is never re-sent, since it may have written.
// http-server-close: one server connection per request, so no request is
// sent on a kept-alive connection an instance is closing. A request with
// x-fleet-instance: <name> goes to that instance (the R2 checks pin their
// requests so).
func haproxyConfig(listen int, insts []*fleetInstance) string {
	var b strings.Builder
	fmt.Fprintf(&b, `global
    maxconn 2000
    log stderr format raw local0 info
defaults
    mode http
    log global
    log-format "request %%HU server %%s status %%ST"
    timeout connect 1s
    timeout client 15s
    timeout server 15s
    retries 3
    option redispatch
    option http-server-close
frontend fleet
    bind 127.0.0.1:%d
    default_backend instances
backend instances
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 100ms fall 1 rise 1
`, listen)
	for _, in := range insts {
		fmt.Fprintf(&b, "    use-server %s if { req.hdr(x-fleet-instance) -m str %s }\n", in.name, in.name)
	}
	for _, in := range insts {
		fmt.Fprintf(&b, "    server %s 127.0.0.1:%d check port %d\n", in.name, in.port, in.admin)
	}
	return b.String()
}

type fleetResult struct {
	id         string
	start, end time.Time
	ok         bool
	failure    string
}

// fleetTick is one row of the cron's table.
type fleetTick struct {
	instance string
	at       time.Time
}

// The fleet test (#17): one PostgreSQL, three `edgerun serve` processes on
// loopback behind Debian's HAProxy, the worker of testdata/workers/fleet.
// KV written through one instance is read through the others; a write
// through one instance is never followed by a stale cached read through
// another (caching.notify_channel); the cron fires once per tick across the
// fleet and survives SIGKILL of its owner; under load one instance is
// SIGKILLed and another restarted with SIGTERM (drained): no acknowledged
// write is lost, and the only failed requests are ones in flight at the
// SIGKILL. R2 is one bucket of a real S3 server (checkFleetR2), and no
// process logs its credentials.
func TestFleet(t *testing.T) {
	haproxy := haproxyBinary(t)
	s3 := newFleetR2(t)
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	db, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	// writes has no unique index, so a write applied twice would show.
	if _, err := db.Exec(ctx, `CREATE TABLE writes (id text NOT NULL, instance text NOT NULL);
		CREATE TABLE items (id int PRIMARY KEY, v text NOT NULL);
		INSERT INTO items VALUES (1, 'v0');
		CREATE TABLE ticks (instance text NOT NULL, scheduled_at timestamptz NOT NULL)`); err != nil {
		t.Fatal(err)
	}

	env := append([]string{"CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE=" + dsn}, s3.env...)
	var insts []*fleetInstance
	for _, name := range []string{"a", "b", "c"} {
		dir := t.TempDir()
		if err := os.CopyFS(dir, os.DirFS(fixture("fleet"))); err != nil {
			t.Fatal(err)
		}
		s3.configure(t, dir)
		insts = append(insts, &fleetInstance{name: name, dir: dir, port: freePort(t), admin: freePort(t)})
	}
	client := &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	defer client.CloseIdleConnections()
	var started []*fleetInstance // each start's copy, for the logs
	start := func(in *fleetInstance) {
		t.Helper()
		// debug: the credentials check reads everything a process can log.
		in.srv = startServerOn(t, in.port, "serve", in.dir, env,
			"--var", "INSTANCE:"+in.name, "--admin", fmt.Sprintf("127.0.0.1:%d", in.admin), "--log-level", "debug",
			"--shutdown-delay", "500ms") // > HAProxy's 100 ms check: it stops sending before the listener closes
		run := *in
		started = append(started, &run)
		waitFor(t, 30*time.Second, in.srv, in.name+" ready", func() bool {
			code, _ := fetch(fmt.Sprintf("http://127.0.0.1:%d/readyz", in.admin))
			return code == http.StatusOK
		})
	}
	for _, in := range insts {
		start(in)
	}

	lbPort := freePort(t)
	lb := fmt.Sprintf("http://127.0.0.1:%d", lbPort)
	cfgPath := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(cfgPath, []byte(haproxyConfig(lbPort, insts)), 0o644); err != nil {
		t.Fatal(err)
	}
	hapLog := &lockedBuffer{}
	hap := exec.Command(haproxy, "-f", cfgPath, "-db")
	hap.Stdout, hap.Stderr = hapLog, hapLog
	if err := hap.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = hap.Process.Kill(); _ = hap.Wait() })
	seen := map[string]bool{}
	waitFor(t, 15*time.Second, insts[0].srv, "HAProxy to route to all three instances", func() bool {
		code, body := fetch(lb + "/")
		if code == http.StatusOK {
			seen[body] = true
		}
		return len(seen) == 3
	})

	do := func(method, url, body string) (int, string, error) {
		req, err := http.NewRequest(method, url, strings.NewReader(body))
		if err != nil {
			return 0, "", err
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), err
	}
	must := func(method, url, body string, wantCode int) string {
		t.Helper()
		code, got, err := do(method, url, body)
		if err != nil || code != wantCode {
			t.Fatalf("%s %s = %d %q %v, want %d", method, url, code, got, err, wantCode)
		}
		return got
	}

	// KV: a put through the balancer, and through each instance, is read
	// through every instance addressed directly and through the balancer.
	must("PUT", lb+"/kv/greeting", "hello, fleet", 200)
	for _, in := range insts {
		if got := must("GET", in.srv.base+"/kv/greeting", "", 200); got != "hello, fleet" {
			t.Errorf("KV read through %s = %q", in.name, got)
		}
	}
	for _, w := range insts {
		must("PUT", w.srv.base+"/kv/from-"+w.name, "put through "+w.name, 200)
		for _, r := range insts {
			if got := must("GET", r.srv.base+"/kv/from-"+w.name, "", 200); got != "put through "+w.name {
				t.Errorf("KV put through %s, read through %s = %q", w.name, r.name, got)
			}
		}
		if got := must("GET", lb+"/kv/from-"+w.name, "", 200); got != "put through "+w.name {
			t.Errorf("KV put through %s, read through the balancer = %q", w.name, got)
		}
	}
	if code, body, _ := do("GET", insts[1].srv.base+"/kv/never-put", ""); code != 404 {
		t.Errorf("a missing key = %d %q", code, body)
	}

	// R2: objects, conditional puts, races, a multipart upload across the
	// instances and listings, through HAProxy pinned to each instance.
	r2 := checkFleetR2(t, lb, s3.srv.Endpoint, client, insts[0], insts[1], insts[2])

	// Cache coherence: the reader's cache holds the value, a write goes
	// through another instance, and the reader's next read (right after the
	// write is acknowledged) must show it.
	type item struct {
		V        string `json:"v"`
		Cached   bool   `json:"cached"`
		Instance string `json:"instance"`
	}
	readItem := func(in *fleetInstance) item {
		t.Helper()
		var it item
		if err := json.Unmarshal([]byte(must("GET", in.srv.base+"/item?id=1", "", 200)), &it); err != nil {
			t.Fatal(err)
		}
		return it
	}
	const rounds = 30
	stale := 0
	want := "v0"
	for r := 1; r <= rounds; r++ {
		writer, reader := insts[r%3], insts[(r+1)%3]
		var it item
		for range 5 {
			if it = readItem(reader); it.Cached {
				break
			}
		}
		if !it.Cached || it.V != want {
			t.Fatalf("round %d: %s's cache did not hold the item (%+v, want %q cached): the test would not test", r, reader.name, it, want)
		}
		want = fmt.Sprintf("v%d", r)
		must("PUT", writer.srv.base+"/item?id=1", want, 200)
		if it = readItem(reader); it.V != want {
			stale++
			t.Errorf("round %d: written %q through %s, then read %q through %s (cached=%v): stale", r, want, writer.name, it.V, reader.name, it.Cached)
		}
	}

	// The cron: one leader so far, every tick once.
	readTicks := func() []fleetTick {
		t.Helper()
		rows, err := db.Query(ctx, "SELECT instance, scheduled_at FROM ticks ORDER BY scheduled_at, instance")
		if err != nil {
			t.Fatal(err)
		}
		ticks, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fleetTick, error) {
			var k fleetTick
			return k, r.Scan(&k.instance, &k.at)
		})
		if err != nil {
			t.Fatal(err)
		}
		return ticks
	}
	var ticks []fleetTick
	waitFor(t, 20*time.Second, insts[0].srv, "3 cron ticks", func() bool { ticks = readTicks(); return len(ticks) >= 3 })
	leaderName := ticks[len(ticks)-1].instance
	var leader *fleetInstance
	for _, in := range insts {
		if in.name == leaderName {
			leader = in
		}
	}
	if leader == nil {
		t.Fatalf("ticks name no instance: %v", ticks)
	}

	// Load through the balancer: acknowledged writes, then a SIGKILL of
	// the cron's owner and a SIGTERM restart of another instance.
	const workers = 12
	stop := make(chan struct{})
	results := make(chan fleetResult, 100000)
	var wg sync.WaitGroup
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				id := fmt.Sprintf("w%d-%d", g, n)
				res := fleetResult{id: id, start: time.Now()}
				code, body, err := do("POST", lb+"/write?id="+id, "")
				res.end = time.Now()
				var ack struct{ ID string }
				switch {
				case err != nil:
					res.failure = err.Error()
				case code != 200:
					res.failure = fmt.Sprintf("%d %s", code, strings.TrimSpace(body))
				case json.Unmarshal([]byte(body), &ack) != nil || ack.ID != id:
					res.failure = "bad acknowledgement " + body
				default:
					res.ok = true
				}
				results <- res
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	killAt := time.Now()
	if err := leader.srv.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-leader.srv.exited
	diedAt := time.Now() // the kill takes a moment: the dying process's sockets still accept until it is gone
	time.Sleep(1500 * time.Millisecond)

	var restarted *fleetInstance
	for _, in := range insts {
		if in != leader {
			restarted = in
			break
		}
	}
	if err := restarted.srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-restarted.srv.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not exit after SIGTERM; logs:\n%s", restarted.name, restarted.srv.Logs())
	}
	if st := restarted.srv.cmd.ProcessState; st.ExitCode() != 0 {
		t.Errorf("%s exited with %v after SIGTERM, want 0 (drained); logs:\n%s", restarted.name, st, restarted.srv.Logs())
	}
	start(restarted)
	time.Sleep(1500 * time.Millisecond)
	close(stop)
	wg.Wait()
	close(results)

	// The cron survived its owner: ticks after the kill come from another
	// instance, and no tick was fired twice in the whole run.
	waitFor(t, 20*time.Second, insts[0].srv, "2 cron ticks after the leader's SIGKILL", func() bool {
		ticks = readTicks()
		n := 0
		for _, k := range ticks {
			if k.at.After(killAt) && k.instance != leaderName {
				n++
			}
		}
		return n >= 2
	})
	byTick := map[time.Time]string{}
	for _, k := range ticks {
		if other, dup := byTick[k.at]; dup {
			t.Errorf("cron tick %s fired twice (%s and %s)", k.at.Format(time.TimeOnly), other, k.instance)
		}
		byTick[k.at] = k.instance
		if k.instance == leaderName && k.at.After(killAt.Add(time.Second)) {
			t.Errorf("the killed leader %s fired tick %s", leaderName, k.at.Format(time.TimeOnly))
		}
	}
	owners := map[string]int{}
	for _, k := range ticks {
		owners[k.instance]++
	}

	// Writes: every acknowledged one is in the table, none twice; every
	// failed request was in flight on the killed instance while it was
	// being killed. HAProxy's log names the server of each request it
	// answered (a 502 when the server died mid-request); a request whose
	// server connection closed with no answer, on a client connection that
	// had carried requests before, HAProxy closes silently and does not log
	// (the client sees EOF), so an unlogged failure inside the kill's
	// window is the killed instance's too: no other instance closes a
	// connection without answering (the restarted one drains, with
	// --shutdown-delay, and any failure outside the window fails the test).
	servedBy := map[string]string{} // request id → server, from HAProxy's log
	for _, line := range strings.Split(hapLog.String(), "\n") {
		var uri, srv string
		var status int
		if n, _ := fmt.Sscanf(line, "request %s server %s status %d", &uri, &srv, &status); n == 3 {
			if _, id, ok := strings.Cut(uri, "/write?id="); ok {
				servedBy[id] = srv
			}
		}
	}
	inFlight := func(r fleetResult) bool { return r.start.Before(diedAt) && r.end.After(killAt) }
	var sent, ok, inFlightAtKill int
	acked := map[string]bool{}
	var failed []fleetResult
	onKilled := func(r fleetResult) bool {
		return inFlight(r) && (servedBy[r.id] == leaderName || servedBy[r.id] == "" && !r.ok)
	}
	for r := range results {
		sent++
		if onKilled(r) {
			inFlightAtKill++
		}
		if r.ok {
			ok++
			acked[r.id] = true
			continue
		}
		failed = append(failed, r)
	}
	for _, r := range failed {
		if !onKilled(r) {
			t.Errorf("request %s failed (%s) and was not in flight on the killed %s (it went to %q, %s to %s; killed %s to %s)", r.id, r.failure, leaderName,
				servedBy[r.id], r.start.Format("15:04:05.000"), r.end.Format("15:04:05.000"), killAt.Format("15:04:05.000"), diedAt.Format("15:04:05.000"))
		}
	}
	if len(failed) > inFlightAtKill || inFlightAtKill > workers {
		t.Errorf("%d failed requests, %d in flight on the killed instance, %d workers", len(failed), inFlightAtKill, workers)
	}
	rows, err := db.Query(ctx, "SELECT id FROM writes")
	if err != nil {
		t.Fatal(err)
	}
	present, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	inTable := map[string]int{}
	for _, id := range present {
		inTable[id]++
	}
	lost := 0
	for id := range acked {
		if inTable[id] == 0 {
			lost++
			t.Errorf("acknowledged write %s is not in the table", id)
		}
	}
	for id, n := range inTable {
		if n > 1 {
			t.Errorf("write %s applied %d times", id, n)
		}
	}
	if sent < 100 || ok == 0 {
		t.Errorf("only %d requests sent, %d ok: the load did not load", sent, ok)
	}

	r2.credentialsInTheLogs = s3.credentialsInLogs(t, started, hapLog.String())

	var owned []string
	for name, n := range owners {
		owned = append(owned, fmt.Sprintf("%s %d", name, n))
	}
	sort.Strings(owned)
	t.Logf("fleet: 3 instances behind HAProxy; %s SIGKILLed at %s, %s restarted with SIGTERM", leaderName, killAt.Format("15:04:05.000"), restarted.name)
	t.Logf("KV: put through each instance, read through all 3 and the balancer; cache: %d writes, %d stale reads", rounds, stale)
	t.Logf("cron: %d ticks, none twice; fired by %s", len(ticks), strings.Join(owned, ", "))
	t.Logf("\n%-6s %-6s %-7s %-20s %-20s %-12s\n%-6d %-6d %-7d %-20d %-20d %-12d",
		"sent", "ok", "failed", "on killed, in flight", "acknowledged writes", "rows present",
		sent, ok, len(failed), inFlightAtKill, len(acked), len(present))
	t.Logf("\nR2 on S3 (versitygw), through HAProxy pinned to each instance:\n%s", r2.table())
	if lost > 0 || t.Failed() {
		t.Logf("haproxy's warnings:\n%s", grepLines(hapLog.String(), "WARNING"))
		for _, in := range insts {
			t.Logf("%s logs:\n%s", in.name, in.srv.Logs())
		}
	}
}

func grepLines(s, substr string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, substr) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// lockedBuffer collects a child's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
