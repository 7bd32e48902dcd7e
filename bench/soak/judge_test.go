package main

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// The soak's verdicts are only as good as the functions that judge each
// outcome: these tables pin them without starting anything.

func TestLeaksFindsCanariesInBodiesAndHeaders(t *testing.T) {
	h := &harness{}
	for _, c := range []struct {
		name string
		o    outcome
		want string
	}{
		{"clean", outcome{body: "ok 1", header: http.Header{"Content-Type": {"text/plain"}}}, ""},
		{"secret in the body", outcome{body: "SOAK_SECRET=soak-canary-devvars-5f1c0e\n"}, "soak-canary-devvars-5f1c0e"},
		{"another request's Authorization in the body", outcome{body: "x\nBearer " + authCanary}, authCanary},
		{"credential file in a header", outcome{header: http.Header{"X-Leak": {"soak-canary-asset-npmrc-9b27d4"}}}, "soak-canary-asset-npmrc-9b27d4"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := strings.Join(h.leaks(c.o), ",")
			if got != c.want {
				t.Errorf("leaks = %q, want %q", got, c.want)
			}
		})
	}
}

func TestStderrLogCountsLongLinesWithoutKeepingThem(t *testing.T) {
	l := newStderrLog()
	long := strings.Repeat("x", 3<<20)
	l.consume(strings.NewReader("first\n" + long + "\nfatal error: runtime: out of memory\nstack\n"))
	bytes, lines, maxLine := l.stats()
	if lines != 4 || maxLine != 3<<20+1 || bytes != int64(len("first\n")+len(long)+1+len("fatal error: runtime: out of memory\nstack\n")) {
		t.Errorf("stats = %d bytes, %d lines, longest %d; want 4 lines, longest %d", bytes, lines, maxLine, 3<<20+1)
	}
	for _, kept := range l.last {
		if len(kept) > keepLineLen {
			t.Errorf("kept a line of %d bytes, want at most %d", len(kept), keepLineLen)
		}
	}
	if got := l.crash(); got != "fatal error: runtime: out of memory\nstack" {
		t.Errorf("crash = %q, want the fatal error and the line after it", got)
	}
}

func TestMetricValueReadsUnlabelledSamples(t *testing.T) {
	text := []byte("# HELP edgerun_isolate_pending_callbacks x\nedgerun_isolate_pending_callbacks_other 9\nedgerun_isolate_pending_callbacks 3\n")
	if v, ok := metricValue(text, "edgerun_isolate_pending_callbacks"); !ok || v != 3 {
		t.Errorf("metricValue = %v, %v; want 3, true", v, ok)
	}
	if _, ok := metricValue(text, "edgerun_missing"); ok {
		t.Error("metricValue found a metric that is not there")
	}
}

func TestJudgeFailureAllowsOnlyTheOutageAndInterleaving(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	rec := newRecorder()
	rec.outage = outage{killed: at(60), restarted: at(62), recovered: at(63)}
	rec.deaths = []death{{at: at(30), back: at(31)}}
	r := &Report{h: &harness{rec: rec}, started: t0, ended: at(120)}
	for _, c := range []struct {
		name        string
		o           outcome
		wantAllowed bool
		wantLabel   string
	}{
		{"db error during the outage, fast", outcome{kind: "write", status: 503, body: "db error 58000: Database unavailable", start: at(61), end: at(61.1)}, true, "PostgreSQL outage: 58000"},
		{"db error in the grace after recovery", outcome{kind: "db", status: 503, body: "db error 57P01: terminating", start: at(66), end: at(66.1)}, true, "PostgreSQL outage: 57P01"},
		{"db error long after recovery", outcome{kind: "db", status: 503, body: "db error 58000: x", start: at(90), end: at(90.1)}, false, `503 "db error 58000: x"`},
		{"slow failure during the outage", outcome{kind: "db", status: 504, body: "Worker did not respond", start: at(60.5), end: at(66)}, false, ""},
		{"GET / during the outage", outcome{kind: "get", status: 503, body: "db error 58000: x", start: at(61), end: at(61.1)}, false, `503 "db error 58000: x"`},
		{"reset on a DB route", outcome{kind: "db", status: 503, body: resetMessage + " …", start: at(10), end: at(10.1)}, true, "isolate reset (interleaved with a runaway)"},
		{"reset on GET /", outcome{kind: "get", status: 503, body: resetMessage + " …", start: at(10), end: at(10.1)}, false, ""},
		{"wrong body", outcome{kind: "db", status: 200, body: "evil 1-2", start: at(10), end: at(10.1)}, false, `wrong body "evil 1-2"`},
		{"while edgerun was dead", outcome{kind: "get", err: "edgerun died", start: at(29.9), end: at(30)}, false, "edgerun was dead: edgerun died"},
	} {
		t.Run(c.name, func(t *testing.T) {
			label, allowed := r.judgeFailure(c.o)
			if allowed != c.wantAllowed || (c.wantLabel != "" && label != c.wantLabel) {
				t.Errorf("judgeFailure = %q, %v; want %q, %v", label, allowed, c.wantLabel, c.wantAllowed)
			}
		})
	}
}

func TestHostileVerdicts(t *testing.T) {
	kinds := map[string]hostileKind{}
	for _, k := range hostileKinds() {
		kinds[k.name] = k
	}
	for _, c := range []struct {
		kind  string
		o     outcome
		wrong bool
	}{
		{"alloc-8gib", outcome{status: 200, body: "8589934592"}, true},
		{"alloc-8gib", outcome{status: 503, body: "Worker exceeded memory limit"}, false},
		{"internal-crlf", outcome{status: 500, header: http.Header{"X-Injected": {"yes"}}}, true},
		{"internal-crlf", outcome{status: 500, header: http.Header{}}, false},
		{"status-101", outcome{status: 101}, true},
		{"throw-getters", outcome{status: 200}, true},
		{"upload-101mib", outcome{err: "reset"}, true},
		{"upload-101mib", outcome{status: 413}, false},
		{"big-result", outcome{status: 500, body: "db error 54000: Result too large"}, false},
		{"big-result", outcome{status: 200, body: "rows 5000"}, true},
		{"ip", outcome{status: 200, body: "10.0.0.1, 127.0.0.1|10.0.0.2"}, true},
		{"ip", outcome{status: 200, body: "127.0.0.1|10.0.0.2"}, false},
		{"host", outcome{status: 200, body: "bÃ¼cher.test"}, true},
		{"typeof-require", outcome{status: 200, body: "undefined"}, true},
		{"typeof-require", outcome{status: 200, body: "function"}, false},
		{"hang-client-leaves", outcome{err: "timeout"}, false},
	} {
		k, ok := kinds[c.kind]
		if !ok {
			t.Fatalf("no hostile kind %q", c.kind)
		}
		if got := k.ok(c.o); (got != "") != c.wrong {
			t.Errorf("%s: verdict on %s %q = %q, want wrong=%v", c.kind, c.o.label(), c.o.body, got, c.wrong)
		}
	}
}
