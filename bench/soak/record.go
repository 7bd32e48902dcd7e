package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
)

// kindStats counts one kind of request.
type kindStats struct {
	item, expect string
	sent, ok     int
	outcomes     map[string]int // label → count, every outcome
	wrong        map[string]int // why an outcome was not what a hardened edgerun answers
	maxLatency   time.Duration
}

func (s *kindStats) add(o outcome, wrong string) {
	s.sent++
	s.outcomes[o.label()]++
	switch {
	case o.err == "cut" || o.err == "edgerun died":
		// not judged: the soak's end, or a death the checks report on its own
	case wrong == "":
		s.ok++
	default:
		s.wrong[wrong]++
	}
	s.maxLatency = max(s.maxLatency, o.latency())
}

// summary lists labels by count, most frequent first.
func summary(m map[string]int) string {
	keys := slices.SortedFunc(maps.Keys(m), func(a, b string) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s×%d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// death is one end of the edgerun process that the soak did not ask for.
type death struct {
	at, back time.Time // when it died, when a new process served again (zero: never)
	why      string    // exit status, or the harness's reason for killing it
	capKill  bool      // the soak killed it at the RSS safety cap (not a death of its own)
	crash    string    // its fatal error or last log lines
	inFlight []string  // hostile kinds in flight when it died
}

// outage is the PostgreSQL kill in the middle of the soak.
type outage struct {
	killed, restarted, recovered time.Time // recovered: first DB success that started after the restart
	lastSuccess                  time.Time // of any DB route, to tell "never came back" from "starved"
	err                          string
}

// recorder collects every outcome. Well-behaved failures are kept whole, to be
// judged once the outage and deaths are known.
type recorder struct {
	mu        sync.Mutex
	stats     map[string]*kindStats
	order     []string
	inFlight  map[string]int
	failures  []outcome // well-behaved requests that did not get their exact answer
	acked     map[string]bool
	attempted map[string]bool // writes answered otherwise: may or may not be in the table
	leaks     map[string]int  // canary → times seen in a response
	examples  map[string]string
	outage    outage
	deaths    []death
	maxRSS    int64
	maxRSSAt  time.Time
	rssKinds  []string // hostile kinds in flight at the max
}

func newRecorder() *recorder {
	return &recorder{
		stats: map[string]*kindStats{}, inFlight: map[string]int{},
		acked: map[string]bool{}, attempted: map[string]bool{}, leaks: map[string]int{}, examples: map[string]string{},
	}
}

func (r *recorder) kind(name, item, expect string) *kindStats {
	s := r.stats[name]
	if s == nil {
		s = &kindStats{item: item, expect: expect, outcomes: map[string]int{}, wrong: map[string]int{}}
		r.stats[name] = s
		r.order = append(r.order, name)
	}
	return s
}

func (r *recorder) begin(kind string) {
	r.mu.Lock()
	r.inFlight[kind]++
	r.mu.Unlock()
}

func (r *recorder) end(kind string) {
	r.mu.Lock()
	r.inFlight[kind]--
	r.mu.Unlock()
}

// hostileNow lists the hostile kinds in flight.
func (r *recorder) hostileNow() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var inFlight []string
	for k, n := range r.inFlight {
		if n > 0 {
			inFlight = append(inFlight, k)
		}
	}
	slices.Sort(inFlight)
	return inFlight
}

func (r *recorder) hostile(k hostileKind, o outcome, leaked []string) {
	wrong := ""
	if o.err == "cut" || o.err == "edgerun died" {
		wrong = "" // the soak ended while it ran, or edgerun died under it (a death of its own): counted, not judged
	} else if o.status == 503 && strings.Contains(o.body, resetMessage) && k.awaits {
		wrong = "" // interleaved with a runaway request on its isolate: item 8 allows this
	} else if strings.HasPrefix(o.body, "db error ") && r.duringOutage(o) {
		wrong = "" // the database was down: any statement may fail then
	} else if o.err == "timeout" && k.name != "hang-client-leaves" {
		wrong = "hung (no answer in " + hostileTimeout.String() + ")"
	} else {
		wrong = k.ok(o)
	}
	if len(leaked) > 0 {
		wrong = "LEAKED " + strings.Join(leaked, ", ")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.kind(k.name, k.item, k.expect).add(o, wrong)
	r.noteLeaks(leaked)
	if wrong != "" && r.examples[k.name] == "" {
		r.examples[k.name] = fmt.Sprintf("%s: %s %q", wrong, o.label(), cut(o.body, 120))
	}
}

// duringOutage says whether o overlapped the PostgreSQL outage as known so
// far: from the kill until outageGrace after the first success past the
// restart (still open while there was none).
func (r *recorder) duringOutage(o outcome) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.outage
	if out.killed.IsZero() || o.end.Before(out.killed) {
		return false
	}
	return out.recovered.IsZero() || !o.start.After(out.recovered.Add(outageGrace))
}

func (r *recorder) noteLeaks(leaked []string) {
	for _, c := range leaked {
		r.leaks[c]++
	}
}

// wellBehaved records a well-behaved outcome; want is its exact answer.
func (r *recorder) wellBehaved(o outcome, want, token string, leaked []string) {
	good := o.status == 200 && o.body == want && len(leaked) == 0
	r.mu.Lock()
	defer r.mu.Unlock()
	r.noteLeaks(leaked)
	s := r.kind(o.kind, "", want)
	s.sent++
	s.outcomes[o.label()]++
	s.maxLatency = max(s.maxLatency, o.latency())
	if token != "" {
		if good {
			r.acked[token] = true
		} else {
			r.attempted[token] = true
		}
	}
	if good {
		s.ok++
		if o.kind != "get" {
			r.outage.lastSuccess = o.end
		}
		if o.kind != "get" && !r.outage.restarted.IsZero() && r.outage.recovered.IsZero() && o.start.After(r.outage.restarted) {
			r.outage.recovered = o.end
		}
		return
	}
	r.failures = append(r.failures, o)
}

func (r *recorder) setOutage(f func(*outage)) {
	r.mu.Lock()
	f(&r.outage)
	r.mu.Unlock()
}

func (r *recorder) addDeath(d death) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.deaths = append(r.deaths, d)
	return len(r.deaths) - 1
}

func (r *recorder) revived(i int, at time.Time) {
	r.mu.Lock()
	r.deaths[i].back = at
	r.mu.Unlock()
}

func (r *recorder) rss(v int64) {
	if v <= r.maxRSS { // only the sampler writes it
		return
	}
	inFlight := r.hostileNow()
	r.mu.Lock()
	r.maxRSS, r.maxRSSAt, r.rssKinds = v, time.Now(), inFlight
	r.mu.Unlock()
}
