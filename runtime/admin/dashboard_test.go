package admin

import (
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"edgerun/runtime/metrics"
)

func TestHistogramQuantile(t *testing.T) {
	// Buckets ≤1, ≤2, ≤4 (seconds) holding 10, 30 and 60 observations, and
	// 0 beyond: cumulative 10, 40, 100.
	h := hist{bounds: []float64{1, 2, 4}, counts: []uint64{10, 40, 100}, count: 100, sum: 250}
	for _, c := range []struct{ q, want float64 }{
		{0.05, 0.5},         // rank 5 of the first bucket's 10, from 0 to 1
		{0.10, 1},           // exactly the first bucket's top
		{0.25, 1.5},         // rank 25: 15 of the second bucket's 30
		{0.50, 2 + 2.0/6*1}, // rank 50: 10 of the third's 60, over 2..4
		{0.99, 2 + 2*59.0/60},
	} {
		if got := h.quantile(c.q); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("quantile(%v) = %v, want %v", c.q, got, c.want)
		}
	}
	// What was observed between two snapshots: the later minus the earlier.
	earlier := hist{bounds: h.bounds, counts: []uint64{10, 40, 40}, count: 40, sum: 40}
	d := h.minus(earlier)
	if d.count != 60 || d.quantile(0.5) != 3 || d.mean() != 3.5 {
		t.Errorf("window: count %d, p50 %v, mean %v; want 60, 3, 3.5", d.count, d.quantile(0.5), d.mean())
	}
	// Beyond the last bound: the highest bound. Nothing observed: NaN.
	over := hist{bounds: []float64{1}, counts: []uint64{0}, count: 5}
	if got := over.quantile(0.5); got != 1 {
		t.Errorf("all over the last bound: %v, want 1", got)
	}
	if got := d.minus(d).quantile(0.5); !math.IsNaN(got) {
		t.Errorf("empty window: %v, want NaN", got)
	}
}

func TestDashboardEndpoints(t *testing.T) {
	m := metrics.New()
	s := New(Options{Metrics: m, Log: slog.New(slog.DiscardHandler)})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	get := func(path, accept string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	resp, body := get("/", "text/html,application/xhtml+xml")
	if resp.StatusCode != 200 || !strings.Contains(body, `src="/dashboard/dashboard.js"`) ||
		!strings.HasPrefix(resp.Header.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Fatalf("browser's / = %d %s, CSP %q", resp.StatusCode, body[:min(len(body), 80)], resp.Header.Get("Content-Security-Policy"))
	}
	if _, body := get("/", ""); !strings.Contains(body, "/dashboard  live dashboard") || !strings.Contains(body, "/metrics") {
		t.Fatalf("curl's / = %q", body)
	}
	for _, path := range []string{"/dashboard", "/dashboard/dashboard.js", "/dashboard/dashboard.css"} {
		if resp, _ := get(path, ""); resp.StatusCode != 200 {
			t.Errorf("%s = %d", path, resp.StatusCode)
		}
	}
	s.dash.take()
	m.ObserveRequest("GET", 200, 3*time.Millisecond)
	m.ObserveRequest("GET", 200, 3*time.Millisecond)
	m.ObserveRequest("GET", 404, 3*time.Millisecond)
	s.dash.take()
	_, body = get("/dashboard.json", "")
	var doc struct {
		T    []int64 `json:"t"`
		HTTP struct {
			Total   int64            `json:"total"`
			ByClass map[string]int64 `json:"by_class"`
			P50     float64          `json:"p50_ms"`
			Series  struct {
				RPS map[string][]*float64 `json:"rps"`
			} `json:"series"`
		} `json:"http"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	// 3 ms falls in the 2.5..5 ms bucket; the median of three is rank 1.5 of 3 there.
	if doc.HTTP.Total != 3 || doc.HTTP.ByClass["2xx"] != 2 || doc.HTTP.ByClass["4xx"] != 1 || len(doc.T) != 1 ||
		len(doc.HTTP.Series.RPS["2xx"]) != 1 || math.Abs(doc.HTTP.P50-3.75) > 1e-9 {
		t.Fatalf("/dashboard.json = %s", body)
	}
}
