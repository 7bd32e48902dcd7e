package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"edgerun/runtime/config"
)

// Options configure one soak run.
type Options struct {
	Duration     time.Duration  // the mixed traffic's length
	Seed         int64          // orders the hostile rounds and the well-behaved mix
	Binary       string         // edgerun to run; "" builds ./cmd/edgerun of Root
	Root         string         // the module's root directory
	Fixture      string         // the worker project (testdata/workers/soak)
	Conns        int            // well-behaved clients
	HostileConns int            // hostile clients
	BodyConns    int            // concurrent uploads of one body-ignored burst
	Pace         time.Duration  // pause between two requests of one well-behaved client
	RSSBound     int64          // bytes edgerun's RSS must stay under; 0: computed (see rssBound)
	KillRSS      int64          // the harness kills edgerun past this RSS, to protect the machine; 0: computed
	KillPG       bool           // SIGKILL PostgreSQL in the middle of the run
	MaxRestarts  int            // edgerun processes started again after a death, at most
	Kinds        *regexp.Regexp // hostile kinds to send, by name; nil: all
	Out          io.Writer      // the report
}

const (
	// resetMessage starts the 503 body of a request whose isolate was replaced
	// under it (after another request's limit).
	resetMessage = "the isolate serving this request was reset"
	// wellBehavedTimeout: a well-behaved request is answered well within
	// response_timeout_ms (5 s) or it has failed.
	wellBehavedTimeout = 10 * time.Second
	// dbFailFast: during the outage a database route must fail at least this
	// fast (acquire_timeout_ms is 2 s).
	dbFailFast = 5 * time.Second
	// outageGrace: after the first success past the restart, connections the
	// pool held across the crash may still fail once each.
	outageGrace = 5 * time.Second
	// comeBackWithin: the binding must serve again this soon after the restart.
	comeBackWithin = 20 * time.Second
	// pgDownFor is how long PostgreSQL stays dead.
	pgDownFor = time.Second
	// endGrace lets requests in flight when the soak ends finish (then they are cut).
	endGrace = 10 * time.Second
	// waitUntilCap is how long waitUntil work may hold a slot after the answer (Workers': 30 s).
	waitUntilCap = 30 * time.Second
	// idleCPUWindow and idleCPUShare: after the soak, edgerun's CPU over the
	// window must stay under this share of one core, or under what the same
	// process used before any traffic plus idleCPUSlack, whichever is more (an
	// idle edgerun is not at 0: its tickers cost ~3% of a core on the
	// development machine). A leaked timer is caught by the pending-callbacks
	// gauge, not by this.
	idleCPUWindow = 3 * time.Second
	idleCPUShare  = 0.05
	idleCPUSlack  = 0.02
	// settleBeforeCPU: once every slot is free, the runtime's background work
	// (returning freed memory) gets this long before CPU is measured.
	settleBeforeCPU = time.Second
	// maxLogLine: a console line longer than this was written whole, not capped (item 21).
	maxLogLine = 1 << 20
	// maxRounds and maxRequests bound every client loop by count as well as by time.
	maxRounds   = 10000
	maxRequests = 1000000
)

// canaries are strings no response may ever contain: the fixture's secrets
// (.dev.vars, behind public/leak.txt; the credential files in public/) and the
// Authorization header of the well-behaved requests.
var canaries = []string{
	"soak-canary-devvars-5f1c0e",
	"soak-canary-asset-envrc-9b27d4", "soak-canary-asset-npmrc-9b27d4", "soak-canary-asset-netrc-9b27d4",
	authCanary,
}

const authCanary = "soak-canary-authorization-71d0aa"

// harness is one soak run's state, shared by its clients.
type harness struct {
	opts            *Options
	cfg             *config.Config
	bound           int64
	killRSS         int64
	port, adminPort int
	addr            string
	db              *database
	rec             *recorder
	wb, hostile     *http.Client
	bodies          sync.Mutex      // one body-ignored burst at a time
	endCtx          context.Context // requests' context: the soak's end plus endGrace
	baselineCPU     float64         // share of a core edgerun used idle, before any traffic
	proc            atomic.Pointer[process]
	up              atomic.Bool // a live, ready edgerun serves h.port
	killedFor       sync.Map    // *process → why the harness killed it
	done            chan struct{}
}

func (h *harness) url(path string) string { return "http://" + h.addr + path }

// leaks lists the canaries an outcome's body or headers carry.
func (h *harness) leaks(o outcome) []string {
	var found []string
	var header strings.Builder
	for k, vs := range o.header {
		header.WriteString(k + ": " + strings.Join(vs, ", ") + "\n")
	}
	for _, c := range canaries {
		if strings.Contains(o.body, c) || strings.Contains(header.String(), c) {
			found = append(found, c)
		}
	}
	return found
}

func newRand(seed int64) *rand.Rand { return rand.New(rand.NewPCG(uint64(seed), 0x50a4)) }

// Run runs the soak and writes its report. The error is for a harness that
// could not run (no PostgreSQL, no binary); a soak whose checks failed returns
// a report with failures.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.Binary == "" {
		dir, err := os.MkdirTemp("", "edgerun-soak-bin-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		fmt.Fprintln(o.Out, "soak: building ./cmd/edgerun")
		if o.Binary, err = buildEdgerun(ctx, o.Root, dir); err != nil {
			return nil, err
		}
	}
	db, err := startDatabase(ctx)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err := db.stop(); err != nil {
			fmt.Fprintln(o.Out, "soak: stopping PostgreSQL:", err)
		}
	}()
	cfg, _, err := config.Load(config.Options{Path: filepath.Join(o.Fixture, "wrangler.toml"), Getenv: func(k string) (string, bool) {
		return db.dsn, k == "CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE"
	}})
	if err != nil {
		return nil, fmt.Errorf("the fixture's configuration: %w", err)
	}
	h := &harness{opts: &o, cfg: cfg, db: db, rec: newRecorder(), done: make(chan struct{}),
		wb: newClient(o.Conns), hostile: newClient(o.HostileConns + o.BodyConns)}
	h.bound = o.RSSBound
	if h.bound == 0 {
		h.bound = rssBound(cfg)
	}
	h.killRSS = o.KillRSS
	if h.killRSS == 0 {
		h.killRSS = safetyCap(h.bound)
	}
	if h.port, err = freePort(); err == nil {
		h.adminPort, err = freePort()
	}
	if err != nil {
		return nil, fmt.Errorf("choosing ports: %w", err)
	}
	h.addr = "127.0.0.1:" + strconv.Itoa(h.port)
	p, err := launch(ctx, &o, db.dsn, h.port, h.adminPort)
	if err != nil {
		return nil, err
	}
	h.proc.Store(p)
	h.up.Store(true)
	defer func() { h.proc.Load().stop() }()
	if err := h.warm(ctx); err != nil {
		return nil, err
	}
	if h.baselineCPU, err = cpuShare(p.pid, idleCPUWindow); err != nil {
		return nil, fmt.Errorf("measuring edgerun's idle CPU: %w", err)
	}
	return h.soak(ctx)
}

// warm checks the well-behaved routes answer before anything hostile is sent:
// a harness or fixture problem must not look like a hardening failure.
func (h *harness) warm(ctx context.Context) error {
	for _, c := range []struct{ path, want string }{{"/?id=warm", "ok warm"}, {"/db?id=warm", "real warm"}} {
		o := do(ctx, h.wb, "warm", http.MethodGet, h.url(c.path), nil, "", 0, wellBehavedTimeout)
		if o.status != 200 || o.body != c.want {
			return fmt.Errorf("warm-up GET %s answered %s %q, want 200 %q; edgerun's log:\n%s", c.path, o.label(), o.body, c.want, h.proc.Load().log.tail(20))
		}
	}
	return nil
}

func (h *harness) soak(ctx context.Context) (*Report, error) {
	o := h.opts
	started := time.Now()
	end := started.Add(o.Duration)
	soakCtx, stopSoak := context.WithDeadline(ctx, end)
	defer stopSoak()
	endCtx, stopRequests := context.WithDeadline(ctx, end.Add(endGrace))
	defer stopRequests()
	h.endCtx = endCtx
	// Kinds that hold a slot for waitUntil's 30 s stop early enough for the idle check.
	holdUntil := started.Add(max(o.Duration-waitUntilCap-5*time.Second, o.Duration/5))
	fmt.Fprintf(o.Out, "soak: %v of traffic, seed %d, %d well-behaved and %d hostile clients, RSS bound %s (safety kill at %s)\n",
		o.Duration, o.Seed, o.Conns, o.HostileConns, mib(h.bound), mib(h.killRSS))

	var background sync.WaitGroup
	background.Add(2)
	go func() { defer background.Done(); h.sampleRSS() }()
	go func() { defer background.Done(); h.supervise(ctx, soakCtx) }()

	var clients sync.WaitGroup
	for i := range o.Conns {
		clients.Add(1)
		go func() { defer clients.Done(); h.runWellBehaved(soakCtx, i, o.Seed+int64(i)) }()
	}
	order := newHostileOrder(o.Seed+1000, selectedKinds(o))
	for range o.HostileConns {
		clients.Add(1)
		go func() { defer clients.Done(); h.runHostile(soakCtx, order, holdUntil) }()
	}
	if o.KillPG {
		clients.Add(1)
		go func() { defer clients.Done(); h.killPostgres(soakCtx, started.Add(o.Duration/2)) }()
	}
	clients.Wait()
	trafficEnded := time.Now()

	idle := h.checkIdle(ctx, later(trafficEnded, holdUntil.Add(waitUntilCap)))
	close(h.done)
	background.Wait()
	r := &Report{h: h, started: started, ended: trafficEnded, idle: idle}
	var err error
	checkCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if r.leftovers, err = h.db.sessionLeftovers(checkCtx); err != nil {
		r.harnessErrors = append(r.harnessErrors, err.Error())
	}
	if r.writes, err = h.db.auditWrites(checkCtx, h.rec.acked, h.rec.attempted); err != nil {
		r.harnessErrors = append(r.harnessErrors, err.Error())
	}
	r.logBytes, r.logLines, r.maxLogLine = h.proc.Load().log.stats()
	r.print(h.opts.Out)
	return r, nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func (h *harness) runWellBehaved(ctx context.Context, conn int, seed int64) {
	rng := newRand(seed)
	header := http.Header{"Authorization": {"Bearer " + authCanary}}
	for n := 0; n < maxRequests && ctx.Err() == nil; n++ {
		id := fmt.Sprintf("%d-%d", conn, n)
		kind, method, path, body := "get", http.MethodGet, "/?id="+id, ""
		want, token := "ok "+id, ""
		switch rng.IntN(4) {
		case 0, 1:
		case 2:
			kind, path, want = "db", "/db?id="+id, "real "+id
		default:
			token = fmt.Sprintf("%d-%s", h.opts.Seed, id)
			kind, method, path, body, want = "write", http.MethodPost, "/write", token, "written "+token
		}
		outs := h.send(ctx, func() []outcome {
			return []outcome{do(h.endCtx, h.wb, kind, method, h.url(path), header, body, 0, wellBehavedTimeout)}
		})
		if len(outs) == 0 {
			return
		}
		h.rec.wellBehaved(outs[0], want, token, h.leaks(outs[0]))
		select {
		case <-ctx.Done():
		case <-time.After(h.opts.Pace):
		}
	}
}

// killPostgres SIGKILLs the postmaster at `at`, while the well-behaved clients
// write, and starts it again pgDownFor later.
func (h *harness) killPostgres(ctx context.Context, at time.Time) {
	select {
	case <-ctx.Done():
		return
	case <-time.After(time.Until(at)):
	}
	if err := h.db.kill(); err != nil {
		h.rec.setOutage(func(o *outage) { o.err = err.Error() })
		return
	}
	h.rec.setOutage(func(o *outage) { o.killed = time.Now() })
	time.Sleep(pgDownFor)
	err := h.db.restart(context.WithoutCancel(ctx))
	h.rec.setOutage(func(o *outage) {
		if err != nil {
			o.err = "restart: " + err.Error()
			return
		}
		o.restarted = time.Now()
	})
}

// sampleRSS reads edgerun's RSS every 100 ms until the run is over, and kills
// a process past the safety cap before it takes the machine down.
func (h *harness) sampleRSS() {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-h.done:
			return
		case <-tick.C:
		}
		p := h.proc.Load()
		if !p.alive() {
			continue
		}
		v, err := rssBytes(p.pid)
		if err != nil {
			continue // exited between the check and the read
		}
		h.rec.rss(v)
		if v > h.killRSS {
			if _, already := h.killedFor.LoadOrStore(p, fmt.Sprintf("killed by the soak at RSS %s (safety cap %s)", mib(v), mib(h.killRSS))); !already {
				_ = p.cmd.Process.Signal(syscall.SIGKILL)
			}
		}
	}
}

// supervise notices an edgerun that died during the soak, records why and
// with which hostile requests in flight, and starts another one (at most
// MaxRestarts times) so that the rest of the soak still exercises every kind.
func (h *harness) supervise(ctx, soakCtx context.Context) {
	for {
		p := h.proc.Load()
		select {
		case <-h.done:
			return
		case <-p.exited:
		}
		h.up.Store(false)
		inFlight := h.rec.hostileNow()
		why := fmt.Sprintf("exited: %v", p.exitErr)
		reason, capKill := h.killedFor.Load(p)
		if capKill {
			why = reason.(string)
		}
		i := h.rec.addDeath(death{at: time.Now(), why: why, capKill: capKill, crash: p.log.crash(), inFlight: inFlight})
		close(p.recorded)
		for {
			if i+1 > h.opts.MaxRestarts || soakCtx.Err() != nil {
				<-h.done // keep the dead process: the checks report it
				return
			}
			next, err := launch(ctx, h.opts, h.db.dsn, h.port, h.adminPort)
			if err == nil {
				h.proc.Store(next)
				h.rec.revived(i, time.Now())
				h.up.Store(true)
				break
			}
			// It died while starting (a hostile request reached it first, or
			// it cannot start at all): one more death.
			i = h.rec.addDeath(death{at: time.Now(), why: "died while starting again", crash: err.Error(), inFlight: h.rec.hostileNow()})
		}
	}
}

// send runs one request against a live edgerun, waiting for one while it is
// being started again, and labels a connection failure that the death of the
// process caused.
func (h *harness) send(ctx context.Context, request func() []outcome) []outcome {
	for !h.up.Load() {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(20 * time.Millisecond):
		}
	}
	p := h.proc.Load()
	outs := request()
	for i, o := range outs {
		if o.status != 0 || o.err == "timeout" || o.err == "cut" {
			continue
		}
		select {
		case <-p.exited:
			outs[i].err = "edgerun died"
			select { // the supervisor lists this request among those in flight
			case <-p.recorded:
			case <-time.After(5 * time.Second):
			}
		case <-time.After(300 * time.Millisecond):
		}
	}
	return outs
}

// idleReport is the state of edgerun after the traffic.
type idleReport struct {
	drained   bool
	drainTook time.Duration
	last      poolState
	err       string
	cpuShare  float64 // of one core over idleCPUWindow
	measured  bool
}

// checkIdle waits (until notAfter, plus response_timeout_ms and slack) for
// every slot to be free and nothing pending, then measures CPU over 2 s.
func (h *harness) checkIdle(ctx context.Context, notAfter time.Time) idleReport {
	var r idleReport
	began := time.Now()
	p := h.proc.Load()
	if !p.alive() {
		r.err = "edgerun is not running"
		return r
	}
	deadline := notAfter.Add(h.cfg.Limits.ResponseTimeout() + 10*time.Second)
	for {
		st, err := readPool(ctx, h.adminPort)
		if err != nil {
			r.err = err.Error()
		} else {
			r.last, r.err = st, ""
			if st.InFlight == 0 && st.Queued == 0 && st.Pending == 0 {
				r.drained = true
				break
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	r.drainTook = time.Since(began)
	time.Sleep(settleBeforeCPU)
	share, err := cpuShare(p.pid, idleCPUWindow)
	if err != nil {
		r.err = strings.TrimSpace(r.err + " cpu: " + err.Error())
		return r
	}
	r.measured, r.cpuShare = true, share
	return r
}

// cpuShare is the share of one core the process used over window.
func cpuShare(pid int, window time.Duration) (float64, error) {
	before, err1 := cpuTicks(pid)
	time.Sleep(window)
	after, err2 := cpuTicks(pid)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return float64(after-before) / clockTicksPerSecond / window.Seconds(), nil
}
