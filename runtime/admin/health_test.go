package admin

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"edgerun/bindings/hyperdrive"
	"edgerun/isolates"
	"edgerun/runtime/config"
	"edgerun/runtime/metrics"
)

func endpoints(states ...string) []hyperdrive.EndpointHealth {
	roles := []string{"primary", "fallback", "replica"}
	var out []hyperdrive.EndpointHealth
	for i, st := range states {
		out = append(out, hyperdrive.EndpointHealth{Name: roles[i], Role: roles[i], Breaker: st})
	}
	return out
}

func TestClassifyFollowsTheSeed(t *testing.T) {
	down := errors.New("connection refused")
	cases := []struct {
		name     string
		took     time.Duration
		err      error
		eps      []hyperdrive.EndpointHealth
		fallback int64
		want     string
		reason   string // a word every reason list must contain
	}{
		{name: "fast probe, breakers closed", took: 2 * time.Millisecond, eps: endpoints("closed"), want: StatusHealthy},
		{name: "probe at the threshold", took: time.Second, eps: endpoints("closed"), want: StatusHealthy},
		{name: "probe slower than critical", took: 1500 * time.Millisecond, eps: endpoints("closed"), want: StatusDegraded, reason: "critical response time"},
		{name: "probe fails", err: down, eps: endpoints("closed"), want: StatusUnhealthy, reason: "probe query failed"},
		{name: "probe fails, primary open, no fallback", err: down, eps: endpoints("open"), want: StatusUnhealthy},
		{name: "probe fails, fallback serving", err: down, eps: endpoints("open", "closed"), want: StatusDegraded, reason: "fallback endpoint serves"},
		{name: "probe fails, fallback open too", err: down, eps: endpoints("open", "open"), want: StatusUnhealthy},
		{name: "half-open breaker", took: time.Millisecond, eps: endpoints("half-open"), want: StatusDegraded, reason: "primary circuit breaker is half-open"},
		{name: "replica open", took: time.Millisecond, eps: endpoints("closed", "closed", "open"), want: StatusDegraded, reason: "replica circuit breaker is open"},
		{name: "fallback served recently", took: time.Millisecond, eps: endpoints("closed", "closed"), fallback: 4, want: StatusDegraded, reason: "4 statements served by the fallback"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, reasons := classify(c.took, c.err, c.eps, c.fallback, time.Second)
			if got != c.want {
				t.Fatalf("status = %s (%q), want %s", got, reasons, c.want)
			}
			if c.want == StatusHealthy && len(reasons) != 0 {
				t.Fatalf("healthy with reasons %q", reasons)
			}
			if c.reason != "" && !strings.Contains(strings.Join(reasons, "; "), c.reason) {
				t.Fatalf("reasons %q lack %q", reasons, c.reason)
			}
		})
	}
}

// fakeDatabase answers the probe as told.
type fakeDatabase struct {
	name  string
	took  time.Duration
	err   error
	eps   []hyperdrive.EndpointHealth
	cache hyperdrive.CacheStats
	proxy hyperdrive.ProxyStats
}

func (f *fakeDatabase) ProxyStats() hyperdrive.ProxyStats            { return f.proxy }
func (f *fakeDatabase) SlowQueries() ([]hyperdrive.SlowQuery, int)   { return nil, 0 }
func (f *fakeDatabase) Name() string                                 { return f.name }
func (f *fakeDatabase) Probe(context.Context) (time.Duration, error) { return f.took, f.err }
func (f *fakeDatabase) Health() []hyperdrive.EndpointHealth          { return f.eps }
func (f *fakeDatabase) CacheStats() hyperdrive.CacheStats            { return f.cache }

// serve runs the admin endpoints on a free loopback port.
func serve(t *testing.T, opts Options) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := New(opts)
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	t.Cleanup(func() {
		if err := s.Shutdown(context.Background()); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("Serve returned %v after Shutdown, want nil", err)
		}
	})
	return "http://" + ln.Addr().String()
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestHealthEndpointReportsWorstBinding(t *testing.T) {
	a, _, _ := newTestAlerts(config.Alerts{})
	a.RecordConnection("B", "primary", false)
	a.RecordConnection("B", "primary", false)
	a.RecordConnection("B", "primary", false)
	good := &fakeDatabase{name: "A", took: 3 * time.Millisecond, eps: endpoints("closed"),
		cache: hyperdrive.CacheStats{Hits: 3, Misses: 1, Entries: 1, Bytes: 120}}
	bad := &fakeDatabase{name: "B", took: 40 * time.Millisecond, err: errors.New("Failed to connect to the database"), eps: endpoints("open")}
	base := serve(t, Options{
		Alerts: a, Databases: []Database{good, bad},
		Isolates: func() isolates.PoolStats { return isolates.PoolStats{Isolates: 2, InFlight: 1} },
	})

	code, body := get(t, base+"/health")
	if code != http.StatusServiceUnavailable {
		t.Fatalf("/health = %d, want 503 while a binding is unhealthy:\n%s", code, body)
	}
	var rep Report
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatalf("/health is not JSON: %v\n%s", err, body)
	}
	if rep.Status != StatusUnhealthy || len(rep.Bindings) != 2 {
		t.Fatalf("report = %+v", rep)
	}
	ga, gb := rep.Bindings[0], rep.Bindings[1]
	if ga.Name != "A" || ga.Status != StatusHealthy || ga.ResponseTimeMs != 3 || ga.Cache.HitRate != 0.75 ||
		len(ga.Endpoints) != 1 || ga.Endpoints[0].Breaker != "closed" {
		t.Errorf("binding A = %+v", ga)
	}
	if gb.Name != "B" || gb.Status != StatusUnhealthy || gb.ResponseTimeMs != 40 || gb.Error != "Failed to connect to the database" {
		t.Errorf("binding B = %+v", gb)
	}
	if len(rep.Alerts) != 1 || rep.Alerts[0].Name != AlertConnectionFailures || rep.Alerts[0].Level != LevelCritical || rep.Alerts[0].Binding != "B" {
		t.Errorf("alerts = %+v", rep.Alerts)
	}
	if rep.Isolates == nil || rep.Isolates.Isolates != 2 || rep.Isolates.InFlight != 1 {
		t.Errorf("isolates = %+v", rep.Isolates)
	}

	// Healthy and degraded answer 200.
	bad.err, bad.eps = nil, endpoints("half-open")
	code, body = get(t, base+"/health")
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatal(err)
	}
	if code != http.StatusOK || rep.Status != StatusDegraded {
		t.Fatalf("/health = %d %s, want 200 degraded", code, rep.Status)
	}

	// A cache that cannot hear other processes' writes is bypassed: degraded.
	bad.eps = endpoints("closed")
	good.cache.Invalidation = "not listening"
	_, body = get(t, base+"/health")
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatal(err)
	}
	if ga := rep.Bindings[0]; ga.Status != StatusDegraded || ga.Cache.Invalidation != "not listening" || len(ga.Reasons) != 1 ||
		!strings.Contains(ga.Reasons[0], "notify_channel") || rep.Bindings[1].Status != StatusHealthy {
		t.Fatalf("bindings with A not listening = %+v", rep.Bindings)
	}
}

func TestHealthWithoutBindingsIsHealthy(t *testing.T) {
	base := serve(t, Options{})
	code, body := get(t, base+"/health")
	var rep Report
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatal(err)
	}
	if code != http.StatusOK || rep.Status != StatusHealthy || len(rep.Bindings) != 0 || rep.Alerts == nil {
		t.Fatalf("/health = %d %s", code, body)
	}
}

func TestLivenessReadinessAndMetrics(t *testing.T) {
	var ready atomic.Bool
	m := metrics.New()
	m.ObserveRequest("GET", 204, time.Millisecond)
	base := serve(t, Options{Metrics: m, Ready: func() error {
		if !ready.Load() {
			return errors.New("draining for shutdown")
		}
		return nil
	}})

	if code, body := get(t, base+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz = %d %q", code, body)
	}
	if code, body := get(t, base+"/readyz"); code != 503 || !strings.Contains(body, "draining for shutdown") {
		t.Errorf("/readyz while not ready = %d %q", code, body)
	}
	ready.Store(true)
	if code, body := get(t, base+"/readyz"); code != 200 || body != "ready\n" {
		t.Errorf("/readyz = %d %q", code, body)
	}
	if code, body := get(t, base+"/metrics"); code != 200 || !strings.Contains(body, `edgerun_http_requests_total{class="2xx"} 1`) {
		t.Errorf("/metrics = %d, lacks the 2xx counter:\n%s", code, body)
	}
	if code, _ := get(t, base+"/nope"); code != 404 {
		t.Errorf("/nope = %d", code)
	}
}

// The profiler is served only when asked for: a CPU profile or the process
// command line is not for whatever can reach loopback (workers' fetch()).
func TestProfilingIsOptIn(t *testing.T) {
	for _, on := range []bool{false, true} {
		srv := httptest.NewServer(New(Options{Profiling: on}).Handler())
		resp, err := http.Get(srv.URL + "/debug/pprof/cmdline")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		srv.Close()
		if want := map[bool]int{false: 404, true: 200}[on]; resp.StatusCode != want {
			t.Errorf("Profiling=%v: /debug/pprof/cmdline = %d, want %d", on, resp.StatusCode, want)
		}
	}
}

// On loopback the admin listener answers only requests addressed to
// loopback: a page on another site that rebinds its own name to 127.0.0.1
// makes the browser send that name as Host, and is refused before any
// endpoint (the dashboard's slow SQL, /health's bindings) answers it.
func TestLoopbackListenerRefusesOtherHosts(t *testing.T) {
	base := serve(t, Options{Metrics: metrics.New()})
	port := base[strings.LastIndex(base, ":")+1:]
	for _, tc := range []struct {
		host string
		want int
	}{
		{"127.0.0.1:" + port, 200},
		{"localhost:" + port, 200},
		{"LOCALHOST", 200},
		{"dash.localhost:" + port, 200}, // *.localhost is loopback by definition (RFC 6761)
		{"127.8.9.10", 200},
		{"[::1]:" + port, 200},
		{"evil.example:" + port, 403},
		{"evil.example", 403},
		{"localhost.evil.example", 403},
		{"127.0.0.1.nip.io:" + port, 403},
		{"10.0.0.5:" + port, 403},
	} {
		for _, path := range []string{"/dashboard.json", "/health", "/metrics", "/dashboard", "/"} {
			req, _ := http.NewRequest("GET", base+path, nil)
			req.Host = tc.host
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("Host %q %s = %d, want %d", tc.host, path, resp.StatusCode, tc.want)
			}
			if tc.want == 403 && !strings.Contains(string(body), "answers only to localhost") {
				t.Errorf("Host %q %s: refusal %q does not say why", tc.host, path, body)
			}
		}
		// Liveness and readiness answer a load balancer's check whatever
		// it names.
		for _, path := range []string{"/healthz", "/readyz"} {
			req, _ := http.NewRequest("GET", base+path, nil)
			req.Host = tc.host
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("Host %q %s = %d, want 200", tc.host, path, resp.StatusCode)
			}
		}
	}
	// HTTP/1.0 without Host, as HAProxy's httpchk sends it: no browser's.
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /health HTTP/1.0\r\n\r\n")
	status, _ := bufio.NewReader(conn).ReadString('\n')
	if !strings.HasPrefix(status, "HTTP/1.0 200") {
		t.Errorf("HTTP/1.0 /health without Host = %q, want 200", status)
	}
}

// Bound elsewhere (the operator's choice: a Prometheus scrape, a kubelet
// probe on the pod's IP) any Host is answered.
func TestNonLoopbackListenerAnswersAnyHost(t *testing.T) {
	if !isLoopbackAddr(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}) || isLoopbackAddr(&net.TCPAddr{IP: net.IPv4zero}) ||
		isLoopbackAddr(&net.TCPAddr{IP: net.IPv4(10, 0, 0, 5)}) || !isLoopbackAddr(&net.TCPAddr{IP: net.IPv6loopback}) {
		t.Fatal("isLoopbackAddr misjudges an address")
	}
	s := New(Options{})
	h := s.guard(&net.TCPAddr{IP: net.IPv4zero, Port: 9787})
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/healthz", nil)
	req.Host = "edgerun.internal:9787"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("Host edgerun.internal on 0.0.0.0 = %d, want 200", resp.StatusCode)
	}
}
