package admin

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"edgerun/isolates"
	"edgerun/runtime/metrics"
)

// DefaultProbeTimeout bounds /health's probe queries.
const DefaultProbeTimeout = 5 * time.Second

// Options describe what the admin endpoints report.
type Options struct {
	// Metrics is served on /metrics; nil serves 404 there.
	Metrics *metrics.Metrics
	// Alerts are listed on /health and set its critical response time.
	Alerts *Alerts
	// Databases are probed by /health, in this order.
	Databases []Database
	// Isolates reports the serving version's pool, for /health.
	Isolates func() isolates.PoolStats
	// Ready says whether to take traffic: nil error for /readyz 200, else
	// 503 with the error's text (loading, draining).
	Ready func() error
	// ProbeTimeout bounds each probe query. Default DefaultProbeTimeout.
	ProbeTimeout time.Duration
	// Profiling serves Go's profiler under /debug/pprof/. Off by default:
	// a profile or the command line (which may carry --var secrets) is
	// for the operator, and a worker's fetch() can reach loopback.
	Profiling bool
	Log       *slog.Logger
}

// Server is the admin listener.
type Server struct {
	opts Options
	mux  *http.ServeMux
	http *http.Server
	dash *sampler // nil without Metrics

	stopSample context.CancelFunc
	sampleCtx  context.Context
}

// New returns the admin endpoints; Serve puts them on a listener.
func New(opts Options) *Server {
	if opts.ProbeTimeout <= 0 {
		opts.ProbeTimeout = DefaultProbeTimeout
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	s := &Server{opts: opts, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.HandleFunc("GET /health", s.health)
	if opts.Metrics != nil {
		s.mux.Handle("GET /metrics", opts.Metrics.Handler())
	}
	if opts.Profiling {
		// Go's profiler, for finding where a worker's time goes under load
		// (`go tool pprof http://127.0.0.1:9787/debug/pprof/profile`).
		s.mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		s.mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
		s.mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		s.mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
		s.mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	}
	if opts.Metrics != nil {
		s.dash = &sampler{metrics: opts.Metrics, now: time.Now}
		s.mux.HandleFunc("GET /dashboard", s.dashboardPage)
		s.mux.Handle("GET /dashboard/", dashboardAssets())
		s.mux.HandleFunc("GET /dashboard.json", s.dashboardJSON)
	}
	s.sampleCtx, s.stopSample = context.WithCancel(context.Background())
	s.mux.HandleFunc("GET /{$}", s.index)
	s.http = &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(opts.Log.Handler(), slog.LevelDebug),
	}
	return s
}

// Handler serves the admin endpoints (for tests and embedding).
func (s *Server) Handler() http.Handler { return s.mux }

// Serve answers on ln until Shutdown; it returns nil after Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	if s.dash != nil {
		// The dashboard's history starts when the listener does: one
		// sample now, then one a second until Shutdown.
		s.dash.take()
		go every(s.sampleCtx, DashboardInterval, s.dash.take)
	}
	s.http.Handler = s.guard(ln.Addr())
	if err := s.http.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Shutdown closes the listener and waits for open admin requests until ctx
// ends, then closes whatever is still open.
func (s *Server) Shutdown(ctx context.Context) error {
	s.stopSample()
	err := s.http.Shutdown(ctx)
	if err != nil {
		_ = s.http.Close()
	}
	return err
}

// Check probes every database and reports health, as /health does.
func (s *Server) Check(ctx context.Context) Report {
	return check(ctx, s.opts.Databases, s.opts.Alerts, s.opts.Isolates, s.opts.ProbeTimeout)
}

// healthz is liveness: the process answers.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	plain(w, http.StatusOK, "ok\n")
}

// readyz is readiness: the worker is loaded, isolates are up, and the
// process is not draining.
func (s *Server) readyz(w http.ResponseWriter, _ *http.Request) {
	if s.opts.Ready != nil {
		if err := s.opts.Ready(); err != nil {
			plain(w, http.StatusServiceUnavailable, "not ready: "+err.Error()+"\n")
			return
		}
	}
	plain(w, http.StatusOK, "ready\n")
}

// health is the detailed report; 503 when unhealthy so that a plain HTTP
// check sees it too.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	rep := s.Check(r.Context())
	code := http.StatusOK
	if rep.Status == StatusUnhealthy {
		code = http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		s.opts.Log.Debug("writing /health", "error", err.Error())
	}
}

// index is the dashboard for a browser and a list of the endpoints for
// anything else (curl).
func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	if s.dash != nil && wantsHTML(r) {
		s.dashboardPage(w, r)
		return
	}
	body := "edgerun admin\n\n/dashboard  live dashboard (open in a browser)\n/healthz  liveness\n/readyz   readiness (503 while starting or draining)\n/health   JSON: bindings healthy/degraded/unhealthy, pools, breakers, cache, alerts\n/metrics  Prometheus metrics\n"
	if s.opts.Profiling {
		body += "/debug/pprof/  Go profiles (CPU, heap, goroutines)\n"
	}
	plain(w, http.StatusOK, body)
}

func plain(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}
