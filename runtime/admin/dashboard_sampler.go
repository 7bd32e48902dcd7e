package admin

// The dashboard's sampler: edgerun's own metrics read once a second into a
// ring of samples (counters and cumulative histograms, per binding), which
// dashboard.go turns into rates, percentiles and hit rates over a window.

import (
	"math"
	"sync"
	"time"

	dto "github.com/prometheus/client_model/go"

	"edgerun/runtime/metrics"
)

// Dashboard sampling: one sample a second, five minutes of them; rates,
// percentiles and hit rates of the tiles cover the last DashboardWindow.
const (
	DashboardInterval = time.Second
	DashboardWindow   = 10 * time.Second
	dashboardSamples  = 301 // 300 intervals: five minutes at one a second
)

// hist is one histogram's cumulative bucket counts, as Prometheus keeps them.
type hist struct {
	bounds []float64 // upper bounds, ascending, +Inf left out
	counts []uint64  // cumulative count per bound
	count  uint64
	sum    float64
}

// minus is what h counted since the earlier snapshot o (same buckets).
func (h hist) minus(o hist) hist {
	d := hist{bounds: h.bounds, counts: make([]uint64, len(h.counts)), count: h.count - o.count, sum: h.sum - o.sum}
	for i := range h.counts {
		if i < len(o.counts) {
			d.counts[i] = h.counts[i] - o.counts[i]
		} else {
			d.counts[i] = h.counts[i]
		}
	}
	return d
}

// quantile estimates the q-quantile (0..1) of what h counted as
// Prometheus' histogram_quantile does: find the bucket the rank falls in and
// interpolate linearly between its bounds (the first bucket's lower bound is
// 0); a rank in the +Inf bucket answers the highest finite bound. NaN when h
// counted nothing.
func (h hist) quantile(q float64) float64 {
	if h.count == 0 || len(h.bounds) == 0 {
		return math.NaN()
	}
	rank := q * float64(h.count)
	lower, below := 0.0, uint64(0)
	for i, upper := range h.bounds {
		if c := h.counts[i]; float64(c) >= rank {
			if c == below {
				return upper
			}
			return lower + (upper-lower)*(rank-float64(below))/float64(c-below)
		}
		lower, below = upper, h.counts[i]
	}
	return h.bounds[len(h.bounds)-1]
}

func (h hist) mean() float64 {
	if h.count == 0 {
		return math.NaN()
	}
	return h.sum / float64(h.count)
}

func histFrom(m *dto.Metric) hist {
	hg := m.GetHistogram()
	h := hist{count: hg.GetSampleCount(), sum: hg.GetSampleSum()}
	for _, b := range hg.GetBucket() {
		if math.IsInf(b.GetUpperBound(), 1) {
			continue
		}
		h.bounds = append(h.bounds, b.GetUpperBound())
		h.counts = append(h.counts, b.GetCumulativeCount())
	}
	return h
}

// sample is what the metrics said at one moment.
type sample struct {
	at       time.Time
	classes  [5]float64 // edgerun_http_requests_total by class, 1xx..5xx
	latency  hist       // edgerun_http_request_duration_seconds
	isolates float64
	busy     float64
	replaced float64
	bindings map[string]*bindingSample
}

type bindingSample struct {
	queries, hits, misses float64
	acquire               map[string]hist // by endpoint
}

func (s *sample) requests() float64 {
	t := 0.0
	for _, c := range s.classes {
		t += c
	}
	return t
}

func (s *sample) binding(name string) *bindingSample {
	b := s.bindings[name]
	if b == nil {
		b = &bindingSample{acquire: map[string]hist{}}
		s.bindings[name] = b
	}
	return b
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// takeSample reads the families Gather returned into a sample.
func takeSample(at time.Time, families []*dto.MetricFamily) sample {
	s := sample{at: at, bindings: map[string]*bindingSample{}}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			v := m.GetCounter().GetValue() + m.GetGauge().GetValue()
			switch f.GetName() {
			case "edgerun_http_requests_total":
				if c := label(m, "class"); len(c) == 3 && c[0] >= '1' && c[0] <= '5' {
					s.classes[c[0]-'1'] = v
				}
			case "edgerun_http_request_duration_seconds":
				s.latency = histFrom(m)
			case "edgerun_isolates":
				s.isolates = v
			case "edgerun_isolates_busy":
				s.busy = v
			case "edgerun_isolates_replaced_total":
				s.replaced = v
			case "edgerun_hyperdrive_queries_total":
				s.binding(label(m, "binding")).queries += v
			case "edgerun_hyperdrive_cache_hits_total":
				s.binding(label(m, "binding")).hits = v
			case "edgerun_hyperdrive_cache_misses_total":
				s.binding(label(m, "binding")).misses = v
			case "edgerun_hyperdrive_acquire_duration_seconds":
				s.binding(label(m, "binding")).acquire[label(m, "endpoint")] = histFrom(m)
			}
		}
	}
	return s
}

// sampler keeps the last dashboardSamples samples. Percentiles over a
// window are computed server-side from two samples of the cumulative
// histogram: the later one's bucket counts minus the earlier one's are what
// was observed in between, and the quantile is interpolated within those
// buckets (quantile above). The window slides by one sample a second.
type sampler struct {
	metrics *metrics.Metrics
	now     func() time.Time

	mu    sync.Mutex
	ring  [dashboardSamples]sample
	taken int // samples taken; ring[(taken-1)%dashboardSamples] is the newest
}

func (s *sampler) take() {
	families, err := s.metrics.Gather()
	if err != nil {
		return // a collector failed; the next second tries again
	}
	smp := takeSample(s.now(), families)
	s.mu.Lock()
	s.ring[s.taken%dashboardSamples] = smp
	s.taken++
	s.mu.Unlock()
}

// samples returns the kept samples, oldest first.
func (s *sampler) samples() []sample {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := min(s.taken, dashboardSamples)
	out := make([]sample, n)
	for i := range n {
		out[i] = s.ring[(s.taken-n+i)%dashboardSamples]
	}
	return out
}
