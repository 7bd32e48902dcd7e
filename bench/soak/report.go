package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"edgerun/runtime"
	"edgerun/runtime/config"
)

// rssBound is the RSS edgerun must stay under whatever its clients and
// scripts do: the product's documented bound for the configuration
// (runtime.MemoryBound, README "Limits and sandbox"), which counts the body
// budget rather than what the soak happens to send.
func rssBound(cfg *config.Config) int64 { return int64(runtime.MemoryBound(cfg)) }

// safetyCap is where the soak kills edgerun to protect a shared machine:
// twice the bound, at most half the memory available when it starts.
func safetyCap(bound int64) int64 {
	limit := 2 * bound
	if avail := memAvailable(); avail > 0 {
		limit = min(limit, avail/2)
	}
	return max(limit, bound+256<<20)
}

func memAvailable() int64 {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemAvailable:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func mib(b int64) string { return fmt.Sprintf("%d MiB", b>>20) }

// Report is one run's results and the verdict on them.
type Report struct {
	h                              *harness
	started, ended                 time.Time
	idle                           idleReport
	leftovers                      leftovers
	writes                         writeAudit
	logBytes, logLines, maxLogLine int64
	harnessErrors                  []string
	checks                         []check
}

type check struct {
	name   string
	passed bool
	detail string
}

// Failed reports whether any check failed.
func (r *Report) Failed() bool {
	for _, c := range r.checks {
		if !c.passed {
			return true
		}
	}
	return len(r.harnessErrors) > 0
}

// Failures lists the failed checks, one line each.
func (r *Report) Failures() []string {
	var out []string
	for _, c := range r.checks {
		if !c.passed {
			out = append(out, c.name+": "+c.detail)
		}
	}
	return append(out, r.harnessErrors...)
}

// judgeFailure says whether a well-behaved request's failure is allowed, and
// names it: the PostgreSQL outage (DB routes answering a clear database error
// fast), or interleaving with a runaway request (item 8).
func (r *Report) judgeFailure(o outcome) (label string, allowed bool) {
	rec := r.h.rec
	for _, d := range rec.deaths {
		back := d.back
		if back.IsZero() {
			back = r.ended.Add(endGrace)
		}
		if !o.end.Before(d.at.Add(-200*time.Millisecond)) && !o.start.After(back) {
			return "edgerun was dead: " + o.label(), false
		}
	}
	dbRoute := o.kind == "db" || o.kind == "write"
	if dbRoute && o.status == 503 && strings.Contains(o.body, resetMessage) {
		return "isolate reset (interleaved with a runaway)", true
	}
	out := rec.outage
	if dbRoute && !out.killed.IsZero() {
		until := out.recovered
		if until.IsZero() {
			until = r.ended
		}
		if !o.end.Before(out.killed) && !o.start.After(until.Add(outageGrace)) {
			if o.status == 503 && strings.HasPrefix(o.body, "db error ") && o.latency() <= dbFailFast {
				code, _, _ := strings.Cut(strings.TrimPrefix(o.body, "db error "), ":")
				return "PostgreSQL outage: " + code, true
			}
			return fmt.Sprintf("during the outage, not a fast clear error: %s after %v %q", o.label(), o.latency().Round(time.Millisecond), cut(o.body, 60)), false
		}
	}
	if o.status == 200 {
		return fmt.Sprintf("wrong body %q", cut(o.body, 40)), false
	}
	if o.status != 0 {
		return fmt.Sprintf("%d %q", o.status, cut(o.body, 60)), false
	}
	return o.err, false
}

func (r *Report) print(w io.Writer) {
	rec := r.h.rec
	allowed := map[string]map[string]int{}
	failed := map[string]map[string]int{}
	for _, o := range rec.failures {
		label, ok := r.judgeFailure(o)
		m := failed
		if ok {
			m = allowed
		}
		if m[o.kind] == nil {
			m[o.kind] = map[string]int{}
		}
		m[o.kind][label]++
	}
	fmt.Fprintf(w, "\nsoak: %v of traffic (seed %d), %d deaths, PostgreSQL killed at %s\n\n",
		r.ended.Sub(r.started).Round(time.Second), r.h.opts.Seed, len(rec.deaths), offset(r.started, rec.outage.killed))

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "well-behaved\tsent\tok\tallowed failures\tfailed\tmax latency")
	wbFailed := 0
	for _, k := range []string{"get", "db", "write"} {
		s := rec.stats[k]
		if s == nil {
			continue
		}
		for _, n := range failed[k] {
			wbFailed += n
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%v\n", k, s.sent, s.ok, summary(allowed[k]), summary(failed[k]), s.maxLatency.Round(time.Millisecond))
	}
	tw.Flush()

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "hostile kind\titem\texpected\tsent\tas expected\toutcomes\twrong\tmax latency")
	wrongKinds := []string{}
	for _, k := range selectedKinds(r.h.opts) {
		s := rec.stats[k.name]
		if s == nil {
			fmt.Fprintf(tw, "%s\t%s\t%s\t0\t-\t-\t-\t-\n", k.name, k.item, k.expect)
			continue
		}
		if len(s.wrong) > 0 {
			wrongKinds = append(wrongKinds, fmt.Sprintf("%s (item %s): %s", k.name, k.item, rec.examples[k.name]))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\t%s\t%v\n", k.name, k.item, k.expect, s.sent, s.ok,
			summary(s.outcomes), summary(s.wrong), s.maxLatency.Round(time.Millisecond))
	}
	tw.Flush()

	fmt.Fprintf(w, "\nmax RSS %s at %s (hostile in flight: %s); bound %s\n", mib(rec.maxRSS), offset(r.started, rec.maxRSSAt),
		strings.Join(rec.rssKinds, " "), mib(r.h.bound))
	fmt.Fprintf(w, "edgerun's log: %d lines, %s, longest line %d bytes\n", r.logLines, mib(r.logBytes), r.maxLogLine)
	// The kind that kills edgerun is in flight at each of its deaths; the
	// others only happened to be there.
	atDeaths := map[string]int{}
	for i, d := range rec.deaths {
		for _, k := range d.inFlight {
			atDeaths[k]++
		}
		crash := d.crash
		if i > 0 { // the first one in full, then its first line
			crash, _, _ = strings.Cut(strings.TrimSpace(crash), "\n")
		}
		fmt.Fprintf(w, "death %d at %s: %s; hostile in flight: %s\n  %s\n", i+1,
			offset(r.started, d.at), d.why, strings.Join(d.inFlight, " "), strings.ReplaceAll(crash, "\n", "\n  "))
	}
	if len(atDeaths) > 0 {
		fmt.Fprintf(w, "hostile kinds in flight at the %d deaths: %s\n", len(rec.deaths), summary(atDeaths))
	}

	r.checks = r.checks[:0]
	add := func(name string, passed bool, detail string) {
		r.checks = append(r.checks, check{name, passed, detail})
	}
	own, capKills := 0, 0
	for _, d := range rec.deaths {
		if d.capKill {
			capKills++
		} else {
			own++
		}
	}
	add("edgerun never died", own == 0, fmt.Sprintf("%d deaths of its own; %d kills by the soak at the RSS safety cap (see the RSS check)", own, capKills))
	add("well-behaved requests all succeed", wbFailed == 0, fmt.Sprintf("%d failed outside the outage", wbFailed))
	add("RSS under the bound", rec.maxRSS <= r.h.bound, fmt.Sprintf("max %s, bound %s", mib(rec.maxRSS), mib(r.h.bound)))
	add("no secret in any response", len(rec.leaks) == 0, summary(rec.leaks))
	wa := r.writes
	add("writes: 0 lost, 0 duplicated", len(wa.Lost) == 0 && len(wa.Duplicated) == 0 && len(wa.Unknown) == 0,
		fmt.Sprintf("%d acknowledged, %d rows, %d lost, %d duplicated, %d unknown; %d failed writes (%d of them applied)",
			wa.Acked, wa.Rows, len(wa.Lost), len(wa.Duplicated), len(wa.Unknown), wa.Failed, wa.FailedButApplied))
	if r.h.opts.KillPG {
		out := rec.outage
		back := !out.recovered.IsZero() && out.recovered.Sub(out.restarted) <= comeBackWithin
		note := ""
		for _, d := range rec.deaths { // a dead edgerun cannot show the binding came back
			if !back && !out.restarted.IsZero() && d.at.Before(out.restarted.Add(comeBackWithin)) && (d.back.IsZero() || d.back.After(out.restarted)) {
				note = fmt.Sprintf("; edgerun itself was dead from %s to %s", offset(r.started, d.at), offset(r.started, d.back))
				break
			}
		}
		add("the binding came back after PostgreSQL's restart", out.err == "" && back,
			fmt.Sprintf("killed at %s, restarted at %s, first DB success %s after the restart (last DB success at %s) %s",
				offset(r.started, out.killed), offset(r.started, out.restarted), since(out.restarted, out.recovered),
				offset(r.started, out.lastSuccess), out.err+note))
	}
	lo := r.leftovers
	add("no session state left on pooled connections", lo.AdvisoryLocks == 0 && lo.TempRelations == 0,
		fmt.Sprintf("%d advisory locks held, %d temporary relations", lo.AdvisoryLocks, lo.TempRelations))
	id := r.idle
	waited := "free after"
	if !id.drained {
		waited = "still busy after waiting"
	}
	add("every slot free after the soak", id.drained, fmt.Sprintf("%s (%s %v) %s", id.last, waited, id.drainTook.Round(time.Millisecond), id.err))
	idleLimit := max(idleCPUShare, r.h.baselineCPU+idleCPUSlack)
	add("idle after the soak", id.measured && id.cpuShare < idleLimit, fmt.Sprintf("CPU %.1f%% of a core over %v (before any traffic: %.1f%%; limit %.1f%%)",
		100*id.cpuShare, idleCPUWindow, 100*r.h.baselineCPU, 100*idleLimit))
	add("console lines capped", r.maxLogLine <= maxLogLine, fmt.Sprintf("longest log line %d bytes (cap checked: %d)", r.maxLogLine, maxLogLine))
	add("hostile requests answered as a hardened edgerun does", len(wrongKinds) == 0, strings.Join(wrongKinds, "; "))

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range r.checks {
		verdict := "ok"
		if !c.passed {
			verdict = "FAIL"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", verdict, c.name, c.detail)
	}
	for _, e := range r.harnessErrors {
		fmt.Fprintf(tw, "FAIL\tharness\t%s\n", e)
	}
	tw.Flush()
	if len(wa.Lost) > 0 || len(wa.Duplicated) > 0 {
		fmt.Fprintf(w, "lost: %v\nduplicated: %v\n", first(wa.Lost, 10), first(wa.Duplicated, 10))
	}
}

func first(s []string, n int) []string {
	slices.Sort(s)
	return s[:min(n, len(s))]
}

func offset(start, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return "+" + t.Sub(start).Round(100*time.Millisecond).String()
}

func since(from, t time.Time) string {
	if t.IsZero() || from.IsZero() {
		return "never"
	}
	return t.Sub(from).Round(100 * time.Millisecond).String()
}
