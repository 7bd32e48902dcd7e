package admin

// The live dashboard: the JSON document the page polls (/dashboard.json),
// made from the sampler's ring (dashboard_sampler.go), and the page itself
// (dashboard/, embedded).

import (
	"embed"
	"encoding/json"
	"io/fs"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

//go:embed dashboard
var dashboardFiles embed.FS

// num is a JSON number rounded to 4 significant decimals; NaN (nothing
// measured) is null.
type num float64

func (n num) MarshalJSON() ([]byte, error) {
	v := float64(n)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, math.Round(v*1e4)/1e4, 'f', -1, 64), nil
}

// DashboardDoc is /dashboard.json. Series are per sample interval (one
// point a second, oldest first, T in Unix milliseconds); the other values
// are over the last WindowS seconds or, for totals, as of the newest sample.
type DashboardDoc struct {
	T         []int64          `json:"t"`
	IntervalS float64          `json:"interval_s"`
	WindowS   float64          `json:"window_s"`
	HTTP      httpDoc          `json:"http"`
	Isolates  isolatesDoc      `json:"isolates"`
	Bindings  []dashBindingDoc `json:"bindings"`
	Alerts    []Alert          `json:"alerts"`
	Limits    thresholdsDoc    `json:"thresholds"`
	Links     []string         `json:"links"`
}

type httpDoc struct {
	// Total and ByClass are edgerun_http_requests_total as of the newest
	// sample: the same numbers /metrics shows.
	Total   int64            `json:"total"`
	ByClass map[string]int64 `json:"by_class"`
	RPS     num              `json:"rps"`
	// ErrorRate is the 5xx share in the window.
	ErrorRate num `json:"error_rate"`
	P50       num `json:"p50_ms"`
	P95       num `json:"p95_ms"`
	P99       num `json:"p99_ms"`
	Series    struct {
		RPS map[string][]num `json:"rps"` // by class
		P50 []num            `json:"p50_ms"`
		P95 []num            `json:"p95_ms"`
		P99 []num            `json:"p99_ms"`
	} `json:"series"`
}

type isolatesDoc struct {
	Isolates int   `json:"isolates"`
	Busy     int   `json:"busy"`
	InFlight int   `json:"in_flight"`
	Queued   int   `json:"queued"`
	Replaced int64 `json:"replaced"`
	Series   struct {
		Busy     []num `json:"busy"`
		Isolates []num `json:"isolates"`
	} `json:"series"`
}

type dashBindingDoc struct {
	Name string `json:"name"`
	// QueriesTotal, CacheHits and CacheMisses are the counters as of the
	// newest sample; QPS and HitRate are over the window.
	QueriesTotal int64              `json:"queries_total"`
	CacheHits    int64              `json:"cache_hits"`
	CacheMisses  int64              `json:"cache_misses"`
	QPS          num                `json:"qps"`
	HitRate      num                `json:"hit_rate"`
	Endpoints    []dashEndpointDoc  `json:"endpoints"`
	Proxy        *ProxyReport       `json:"proxy,omitempty"`
	SlowQueries  []dashSlowQueryDoc `json:"slow_queries"`
	SlowTotal    int                `json:"slow_total"`
	Series       map[string][]num   `json:"series"` // qps, hit_rate
}

type dashEndpointDoc struct {
	Name      string `json:"name"`
	Role      string `json:"role"`
	Breaker   string `json:"breaker"`
	InUse     int32  `json:"in_use"`
	Idle      int32  `json:"idle"`
	Total     int32  `json:"total"`
	Max       int32  `json:"max"`
	AcquireMs num    `json:"acquire_avg_ms"`
	AcqP95Ms  num    `json:"acquire_p95_ms"`
}

type dashSlowQueryDoc struct {
	At         time.Time `json:"at"`
	DurationMs num       `json:"duration_ms"`
	SQL        string    `json:"sql"`
	Params     int       `json:"params"`
	Endpoint   string    `json:"endpoint"`
	Via        string    `json:"via"` // binding (prepare()) or proxy (a driver's connection)
}

type thresholdsDoc struct {
	ResponseTimeWarningMs  num `json:"response_time_warning_ms"`
	ResponseTimeCriticalMs num `json:"response_time_critical_ms"`
	ErrorRateWarning       num `json:"error_rate_warning"`
	ErrorRateCritical      num `json:"error_rate_critical"`
	ConnectionFailures     int `json:"connection_failures"`
	WindowS                num `json:"window_s"`
}

func rate(d float64, dt time.Duration) num {
	if dt <= 0 {
		return num(math.NaN())
	}
	return num(d / dt.Seconds())
}

func ratio(a, b float64) num {
	if b <= 0 {
		return num(math.NaN())
	}
	return num(a / b)
}

func seconds2ms(v float64) num { return num(v * 1000) }

// document builds /dashboard.json from the samples and what the bindings,
// the isolate pool and the alerts report now.
func (s *Server) document() DashboardDoc {
	smp := s.dash.samples()
	window := int(DashboardWindow / DashboardInterval)
	doc := DashboardDoc{IntervalS: DashboardInterval.Seconds(), WindowS: DashboardWindow.Seconds(), Alerts: []Alert{}, Bindings: []dashBindingDoc{}}
	doc.HTTP.ByClass = map[string]int64{}
	doc.HTTP.Series.RPS = map[string][]num{}
	for _, c := range statusClassNames {
		doc.HTTP.Series.RPS[c] = []num{}
	}
	doc.HTTP.Series.P50, doc.HTTP.Series.P95, doc.HTTP.Series.P99 = []num{}, []num{}, []num{}
	doc.Isolates.Series.Busy, doc.Isolates.Series.Isolates = []num{}, []num{}
	doc.T = []int64{}
	nan := num(math.NaN())
	doc.HTTP.RPS, doc.HTTP.ErrorRate, doc.HTTP.P50, doc.HTTP.P95, doc.HTTP.P99 = nan, nan, nan, nan, nan

	for i := 1; i < len(smp); i++ {
		cur, prev, back := &smp[i], &smp[i-1], &smp[max(0, i-window)]
		dt := cur.at.Sub(prev.at)
		doc.T = append(doc.T, cur.at.UnixMilli())
		for c, name := range statusClassNames {
			doc.HTTP.Series.RPS[name] = append(doc.HTTP.Series.RPS[name], rate(cur.classes[c]-prev.classes[c], dt))
		}
		lat := cur.latency.minus(back.latency)
		doc.HTTP.Series.P50 = append(doc.HTTP.Series.P50, seconds2ms(lat.quantile(0.50)))
		doc.HTTP.Series.P95 = append(doc.HTTP.Series.P95, seconds2ms(lat.quantile(0.95)))
		doc.HTTP.Series.P99 = append(doc.HTTP.Series.P99, seconds2ms(lat.quantile(0.99)))
		doc.Isolates.Series.Busy = append(doc.Isolates.Series.Busy, num(cur.busy))
		doc.Isolates.Series.Isolates = append(doc.Isolates.Series.Isolates, num(cur.isolates))
	}
	var last, back *sample
	if len(smp) > 0 {
		last = &smp[len(smp)-1]
		back = &smp[max(0, len(smp)-1-window)]
		for c, name := range statusClassNames {
			doc.HTTP.ByClass[name] = int64(last.classes[c])
		}
		doc.HTTP.Total = int64(last.requests())
		if len(smp) > 1 {
			dt := last.at.Sub(back.at)
			doc.HTTP.RPS = rate(last.requests()-back.requests(), dt)
			doc.HTTP.ErrorRate = ratio(last.classes[4]-back.classes[4], last.requests()-back.requests())
			lat := last.latency.minus(back.latency)
			doc.HTTP.P50, doc.HTTP.P95, doc.HTTP.P99 = seconds2ms(lat.quantile(0.5)), seconds2ms(lat.quantile(0.95)), seconds2ms(lat.quantile(0.99))
		}
	}
	if s.opts.Isolates != nil {
		st := s.opts.Isolates()
		doc.Isolates.Isolates, doc.Isolates.Busy, doc.Isolates.InFlight, doc.Isolates.Queued, doc.Isolates.Replaced =
			st.Isolates, st.Busy, st.InFlight, st.Queued, st.Replaced
	}
	for _, db := range s.opts.Databases {
		doc.Bindings = append(doc.Bindings, bindingDocument(db, smp, window))
	}
	if a := s.opts.Alerts; a != nil {
		doc.Alerts = a.Active()
		th := a.Thresholds()
		doc.Limits = thresholdsDoc{
			ResponseTimeWarningMs: num(ms(th.ResponseTimeWarning)), ResponseTimeCriticalMs: num(ms(th.ResponseTimeCritical)),
			ErrorRateWarning: num(th.ErrorRateWarning), ErrorRateCritical: num(th.ErrorRateCritical),
			ConnectionFailures: th.ConnectionFailures, WindowS: num(th.Window.Seconds()),
		}
	}
	doc.Links = s.links()
	return doc
}

func bindingDocument(db Database, smp []sample, window int) dashBindingDoc {
	name := db.Name()
	bd := dashBindingDoc{Name: name, Series: map[string][]num{"qps": {}, "hit_rate": {}}, SlowQueries: []dashSlowQueryDoc{}}
	nan := num(math.NaN())
	bd.QPS, bd.HitRate = nan, nan
	get := func(s *sample) *bindingSample {
		if b := s.bindings[name]; b != nil {
			return b
		}
		return &bindingSample{}
	}
	for i := 1; i < len(smp); i++ {
		cur, prev, back := get(&smp[i]), get(&smp[i-1]), get(&smp[max(0, i-window)])
		bd.Series["qps"] = append(bd.Series["qps"], rate(cur.queries-prev.queries, smp[i].at.Sub(smp[i-1].at)))
		hits := cur.hits - back.hits
		bd.Series["hit_rate"] = append(bd.Series["hit_rate"], ratio(hits, hits+cur.misses-back.misses))
	}
	var last, back *bindingSample
	if len(smp) > 0 {
		n := len(smp) - 1
		b := max(0, n-window)
		last, back = get(&smp[n]), get(&smp[b])
		bd.QueriesTotal, bd.CacheHits, bd.CacheMisses = int64(last.queries), int64(last.hits), int64(last.misses)
		if n > 0 {
			bd.QPS = rate(last.queries-back.queries, smp[n].at.Sub(smp[b].at))
			hits := last.hits - back.hits
			bd.HitRate = ratio(hits, hits+last.misses-back.misses)
		}
	}
	for _, ep := range db.Health() {
		ed := dashEndpointDoc{Name: ep.Name, Role: ep.Role, Breaker: ep.Breaker,
			InUse: ep.Pool.Acquired, Idle: ep.Pool.Idle, Total: ep.Pool.Total, Max: ep.Pool.Max,
			AcquireMs: nan, AcqP95Ms: nan}
		if last != nil {
			acq := last.acquire[ep.Name].minus(back.acquire[ep.Name])
			ed.AcquireMs, ed.AcqP95Ms = seconds2ms(acq.mean()), seconds2ms(acq.quantile(0.95))
		}
		bd.Endpoints = append(bd.Endpoints, ed)
	}
	if ps := db.ProxyStats(); ps.Addr != "" {
		bd.Proxy = proxyReport(ps)
	}
	slow, total := db.SlowQueries()
	bd.SlowTotal = total
	for _, q := range slow {
		bd.SlowQueries = append(bd.SlowQueries, dashSlowQueryDoc{At: q.At.UTC(), DurationMs: num(ms(q.Duration)), SQL: q.SQL, Params: q.Params, Endpoint: q.Endpoint, Via: q.Via})
	}
	return bd
}

var statusClassNames = [...]string{"1xx", "2xx", "3xx", "4xx", "5xx"}

// links are the admin listener's other endpoints, for the page's header.
func (s *Server) links() []string {
	l := []string{"/health", "/metrics", "/healthz", "/readyz"}
	if s.opts.Metrics == nil {
		l = []string{"/health", "/healthz", "/readyz"}
	}
	if s.opts.Profiling {
		l = append(l, "/debug/pprof/")
	}
	return l
}

func (s *Server) dashboardJSON(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if err := json.NewEncoder(w).Encode(s.document()); err != nil {
		s.opts.Log.Debug("writing /dashboard.json", "error", err.Error())
	}
}

// dashboardPage serves the page. Its Content-Security-Policy allows only
// the listener's own scripts, styles and data: nothing is loaded from
// elsewhere, and nothing inline runs.
func (s *Server) dashboardPage(w http.ResponseWriter, _ *http.Request) {
	page, err := dashboardFiles.ReadFile("dashboard/index.html")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	securityHeaders(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(page)
}

func securityHeaders(w http.ResponseWriter) {
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
}

func dashboardAssets() http.Handler {
	sub, err := fs.Sub(dashboardFiles, "dashboard")
	if err != nil {
		panic(err) // the embedded directory is part of the binary
	}
	files := http.FileServerFS(sub)
	return http.StripPrefix("/dashboard/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		securityHeaders(w)
		files.ServeHTTP(w, r)
	}))
}

// wantsHTML says whether a request for / comes from a browser (which asks
// for text/html first), as opposed to curl, which gets the text index.
func wantsHTML(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}
