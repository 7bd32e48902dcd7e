package runtime

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"

	"edgerun/bindings"
	"edgerun/isolates"
	"edgerun/isolates/modules"
	"edgerun/isolates/webapi"
	"edgerun/runtime/bundle"
	"edgerun/runtime/progress"
)

// VersionOptions describe one version of a worker: its code and what each of
// its isolates gets.
type VersionOptions struct {
	Dir      string // project directory
	Main     string // entry module
	Bindings []bindings.Binding
	// Isolates is the pool size (0 = GOMAXPROCS, reached under concurrency
	// from one isolate: see warmIsolates); MaxInFlight the
	// requests one isolate serves at once before requests queue.
	Isolates    int
	MaxInFlight int
	// CPULimit interrupts a slice of JavaScript that runs longer ([limits]
	// cpu_ms); MemoryMB is each isolate's heap budget ([limits] memory_mb),
	// enforced as isolates/memory.go describes. 0 = no limit.
	CPULimit time.Duration
	MemoryMB int
	// Timeout bounds the wait for the worker to answer ([limits]
	// response_timeout_ms): past it the request gets [ErrResponseTimeout]
	// and is ended in its isolate. 0 = no limit.
	Timeout time.Duration
	// MaxStack is the deepest JS call stack (0 = isolates' default, 4096).
	MaxStack int
	// MaxSockets is each request's limit on open cloudflare:sockets
	// connections ([limits] max_sockets_per_request; 0 = Workers' 6);
	// TLSRoots are CAs TLS sockets trust besides the system's (the managed
	// local PostgreSQL's).
	MaxSockets int
	TLSRoots   *x509.CertPool
	// Build carries wrangler's bundling keys (define, alias, jsx_*,
	// tsconfig, minify); Entry and Dir come from Main and Dir.
	Build bundle.Options
	// Compat is what the compatibility date and flags say about built-in
	// modules (nodejs_compat); Build.Builtins should agree with it.
	Compat modules.Compat
	// WebCompat is what they change in the Web APIs (WebSocket defaults).
	WebCompat webapi.Compat
	Console   webapi.Console
	Log       *slog.Logger
	// Progress reports the files esbuild reads while bundling; nil
	// reports nothing.
	Progress *progress.Line
}

// Version is one built version of the script and the isolates running it.
type Version struct {
	Program *goja.Program
	Inputs  []string // source files, for the watcher
	Size    int      // bundle bytes
	Mode    string   // "module", "class" or "service-worker"
	Pool    *isolates.Pool
	// Timeout is VersionOptions.Timeout.
	Timeout time.Duration

	// successor is the version that replaced this one (Server.SetVersion).
	// A request that picked this version just before its pool closed is
	// served by the successor instead of failing.
	successor atomic.Pointer[Version]
}

type isolateState struct {
	worker *webapi.Worker
	env    goja.Value
}

type stateKey struct{}

// BuildScript bundles and compiles the entry.
func BuildScript(opts VersionOptions) (*bundle.Result, *goja.Program, error) {
	b := opts.Build
	b.Entry, b.Dir = opts.Main, opts.Dir
	if opts.Progress != nil {
		task := "bundling " + relPath(opts.Dir, opts.Main)
		var files atomic.Int64
		b.OnFile = func(path string) {
			opts.Progress.Count(task, int(files.Add(1)), "files read ("+relPath(opts.Dir, path)+")")
		}
		defer opts.Progress.Done("")
	}
	res, err := bundle.Build(b)
	if err != nil {
		return nil, nil, err
	}
	prg, err := bundle.Compile("worker.js", res.Code)
	if err != nil {
		return nil, nil, err
	}
	return res, prg, nil
}

// StartVersion builds the script and starts its isolate pool.
func StartVersion(opts VersionOptions) (*Version, error) {
	// The Web API prelude compiles (once per process) while esbuild
	// bundles the script; built-in modules compile as they are loaded.
	webapi.Prepare()
	res, prg, err := BuildScript(opts)
	if err != nil {
		return nil, err
	}
	for _, w := range res.Warnings {
		opts.Log.Warn("bundle warning: " + w)
	}
	wk := &Version{Program: prg, Inputs: res.Inputs, Size: len(res.Code), Timeout: opts.Timeout}
	// The rarely used Web APIs the script names are set up with the rest.
	uses := webapi.ScanScript(res.Code)
	modes := make(chan string, 1)
	pool, err := isolates.NewPool(isolates.PoolOptions{
		Size:        opts.Isolates,
		Warm:        warmIsolates(opts.Isolates),
		MaxInFlight: opts.MaxInFlight,
		CPULimit:    opts.CPULimit,
		MemoryLimit: uint64(max(opts.MemoryMB, 0)) << 20,
		Log:         opts.Log,
		Isolate: isolates.Options{
			MaxCallStackSize: opts.MaxStack,
			Log:              opts.Log,
			Setup: func(iso *isolates.Isolate) error {
				mode, err := setupIsolate(iso, prg, uses, opts)
				if err == nil {
					select {
					case modes <- mode:
					default:
					}
				}
				return err
			},
		},
	})
	if err != nil {
		return nil, err
	}
	wk.Pool = pool
	wk.Mode = <-modes
	return wk, nil
}

// warmIsolates is how many isolates a pool of the configured size starts
// with: without a configured count (0) one, the pool growing to GOMAXPROCS
// under concurrency; a configured count is kept warm from the start (0 =
// all of them).
func warmIsolates(configured int) int {
	if configured <= 0 {
		return 1
	}
	return 0
}

func setupIsolate(iso *isolates.Isolate, prg *goja.Program, uses webapi.ScriptUses, opts VersionOptions) (string, error) {
	w, err := webapi.Install(iso, webapi.Options{Console: opts.Console, CF: devCF, Compat: opts.WebCompat, Uses: uses})
	if err != nil {
		return "", err
	}
	vm := iso.Runtime()
	// The env exists before the script runs: cloudflare:workers exports it
	// to the module's top level.
	env, err := bindings.Env(iso, opts.Bindings)
	if err != nil {
		return "", err
	}
	reg, err := modules.Install(iso, modules.Options{Compat: opts.Compat, Env: env, WaitUntil: w.WaitUntil, Inspect: w.Inspect,
		MaxSocketsPerRequest: opts.MaxSockets, TLSRoots: opts.TLSRoots})
	if err != nil {
		return "", err
	}
	exports, err := bundle.Run(vm, prg, reg.RequireFunc())
	if err != nil {
		iso.Check(err)
		return "", fmt.Errorf("running the worker script: %w", bundle.DescribeRunError("worker.js", err))
	}
	mode, err := w.SetHandler(exports)
	if err != nil {
		return "", err
	}
	if mode == "service-worker" {
		// Service-worker scripts see their bindings as globals.
		for _, k := range env.Keys() {
			if err := vm.Set(k, env.Get(k)); err != nil {
				return "", err
			}
		}
	}
	iso.SetValue(stateKey{}, &isolateState{worker: w, env: env})
	return mode, nil
}

// devCF is request.cf in local development: the shape of Workers' object
// with placeholder values, as wrangler dev provides.
var devCF = map[string]any{
	"colo": "LOCAL", "country": "XX", "city": "Local", "continent": "XX", "timezone": "UTC",
	"asn": 0, "asOrganization": "edgerun", "httpProtocol": "HTTP/1.1", "tlsVersion": "", "clientTcpRtt": 0,
	"requestPriority": "", "edgeRequestKeepAliveStatus": 1,
}

// Fetch runs one request through the worker.
//
// gone, if not nil, is asked periodically while the request waits (after
// watchAfter): it reports a client that has gone away, having cancelled the
// request's context, and Fetch then returns context.Canceled.
func (wk *Version) Fetch(ctx context.Context, req *webapi.Request, scope *isolates.Scope, gone func() bool) (*webapi.Response, error) {
	resp, err := wk.fetch(ctx, req, scope, gone)
	if err != nil && errors.Is(err, isolates.ErrPoolClosed) {
		// Live reload closed this version between the server picking it
		// and the request reaching an isolate: nothing ran, so the new
		// version serves it.
		if next := wk.successor.Load(); next != nil {
			return next.Fetch(ctx, req, scope, gone)
		}
	}
	return resp, err
}

func (wk *Version) fetch(ctx context.Context, req *webapi.Request, scope *isolates.Scope, gone func() bool) (*webapi.Response, error) {
	for attempt := 0; ; attempt++ {
		iso, err := wk.Pool.Acquire(ctx)
		if err != nil {
			return nil, err
		}
		c := &call{pool: wk.Pool, iso: iso, gone: gone, done: make(chan fetchResult, 1)}
		c.x = webapi.Exchange{Request: *req, Scope: scope, Sink: c}
		queued := iso.Exec(c.run, c.wantMore)
		if c.unwatch != nil {
			c.unwatch()
		}
		done := c.done
		if !queued {
			// The isolate retired between Acquire and Enqueue; nothing ran.
			wk.Pool.Release(iso)
			if wk.Pool.Closed() {
				return nil, isolates.ErrPoolClosed
			}
			if attempt < maxAttempts {
				continue
			}
			return nil, isolates.ErrRetired
		}
		c.endWith(ctx)
		r, retired, err := wait(ctx, done, iso.Done(), gone, wk.Timeout)
		if err != nil {
			c.abandon()
			return nil, err
		}
		if !retired {
			return r.resp, r.err
		}
		// Retired with the job still queued: its OnRetire hooks answer calls
		// that started; one that never started is answered here.
		select {
		case r := <-done:
			return r.resp, r.err
		default:
			c.stopEnding() // never ran: nothing to end in the retired isolate
			wk.Pool.Release(iso)
			if wk.Pool.Closed() {
				return nil, isolates.ErrPoolClosed
			}
			if attempt < maxAttempts {
				continue
			}
			return nil, isolates.ErrRetired
		}
	}
}

// maxAttempts bounds how often a request that never started is moved to
// another isolate because the one it was given retired first. Under a
// stream of runaway requests (each replacing an isolate) a well-behaved one
// can meet several in a row; only a pool that keeps failing to keep an
// isolate alive runs out.
const maxAttempts = 64

// ErrResponseTimeout is the error of a request whose worker did not start
// answering within [limits] response_timeout_ms.
type ErrResponseTimeout struct{ Limit time.Duration }

func (e *ErrResponseTimeout) Error() string {
	return fmt.Sprintf("Worker did not respond within %s ([limits] response_timeout_ms); the request was ended", e.Limit)
}

// wait waits for the worker's answer, the isolate's retirement (retired),
// the request's end, or — checked on the shared epoch ticker, so no timer
// is armed per request — the client going away or the timeout passing.
func wait(ctx context.Context, done <-chan fetchResult, retired <-chan struct{}, gone func() bool, timeout time.Duration) (fetchResult, bool, error) {
	var waited time.Duration
	for {
		select {
		case r := <-done:
			return r, false, nil
		case <-retired:
			return fetchResult{}, true, nil
		case <-ctx.Done():
			// The request may have answered and finished (its end cancels
			// ctx) in the same instant: an answer wins.
			select {
			case r := <-done:
				return r, false, nil
			default:
			}
			return fetchResult{}, false, ctx.Err()
		case <-*epoch.Load():
			waited += watchEvery
			if gone != nil && waited >= watchAfter && gone() {
				return fetchResult{}, false, context.Canceled
			}
			if timeout > 0 && waited >= timeout {
				return fetchResult{}, false, &ErrResponseTimeout{Limit: timeout}
			}
		}
	}
}

// call is one request's dispatch: the Exchange, where its answer goes, and
// the isolate slot it holds until Finish. One allocation per request carries
// what used to be several closures.
type call struct {
	x       webapi.Exchange
	pool    *isolates.Pool
	iso     *isolates.Isolate
	done    chan fetchResult
	gone    func() bool
	unwatch func()
	// abandoned: nobody waits for the answer any more (the client left,
	// the request's context ended); a streamed one is cancelled on arrival.
	abandoned atomic.Bool

	// endMu orders Finish against endWith: a request whose context ends
	// before it finished is ended in its isolate.
	endMu    sync.Mutex
	finished bool
	stopEnd  func() bool
}

// stopEnding disarms endWith: the request finished (or never ran).
func (c *call) stopEnding() {
	c.endMu.Lock()
	c.finished = true
	stop := c.stopEnd
	c.endMu.Unlock()
	if stop != nil {
		stop()
	}
}

// endWith ends the request in its isolate (its timers, streams and slot;
// see webapi.Worker.Abort) when ctx ends before the request finished by
// itself: the client left, the response timed out, or its waitUntil work
// outlived the 30 s it is given. A finished request arms nothing.
func (c *call) endWith(ctx context.Context) {
	c.endMu.Lock()
	defer c.endMu.Unlock()
	if c.finished {
		return
	}
	c.stopEnd = context.AfterFunc(ctx, func() {
		reason := context.Cause(ctx)
		c.iso.Enqueue(func() {
			if st, ok := c.iso.Value(stateKey{}).(*isolateState); ok {
				st.worker.Abort(&c.x, reason)
			}
		})
	})
}

func (c *call) run() {
	st, _ := c.iso.Value(stateKey{}).(*isolateState)
	st.worker.Fetch(&c.x, st.env)
}

// wantMore: Exec asks before this goroutine waits on the database itself.
func (c *call) wantMore() bool {
	if len(c.done) > 0 {
		return false // answered: leave the query work to other goroutines
	}
	// Have the epoch goroutine watch the client meanwhile.
	if c.gone != nil && c.unwatch == nil {
		c.unwatch = watchClient(c.gone)
	}
	return true
}

func (c *call) Respond(resp *webapi.Response, err error) {
	c.done <- fetchResult{resp, err}
	if c.abandoned.Load() {
		c.drainAbandoned()
	}
}

// abandon: the answer will not be read; a streamed body is cancelled so
// that the worker's stream (and the request) can end.
func (c *call) abandon() {
	c.abandoned.Store(true)
	c.drainAbandoned()
}

func (c *call) drainAbandoned() {
	select {
	case r := <-c.done:
		if r.resp != nil && r.resp.Stream != nil {
			r.resp.Stream.Cancel()
		}
	default:
	}
}

// Finish: the request is over, its waitUntil work and streamed body
// included. Its context ends only now, so that work after the response
// (ctx.waitUntil(fetch(…)), a stream's producer) is not cut off.
func (c *call) Finish() {
	c.stopEnding()
	c.pool.Release(c.iso)
	if end, ok := c.x.Scope.Value(requestEndKey{}).(context.CancelFunc); ok {
		end()
	}
}

// requestEndKey holds, in a request's scope, the cancel func of its
// context, called when the request is finished.
type requestEndKey struct{}

type fetchResult struct {
	resp *webapi.Response
	err  error
}

// Close drains and stops the worker's isolates.
func (wk *Version) Close(ctx context.Context) error { return wk.Pool.Close(ctx) }

// relPath is p relative to dir when it lies under it, else p: progress
// lines name files as the project does.
func relPath(dir, p string) string {
	if r, err := filepath.Rel(dir, p); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return p
}
