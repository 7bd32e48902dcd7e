package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// hostileTimeout is how long a hostile request may take before it counts as
// hung: far past every limit of the fixture (cpu_ms 200, response_timeout_ms
// 5000), so only a request edgerun does not bound reaches it.
const hostileTimeout = 30 * time.Second

// clientLeavesAfter is when the client of a never-settling handler hangs up.
const clientLeavesAfter = 300 * time.Millisecond

// bigBody is the size of each concurrent upload of the body-ignored kind: just
// under max_body_bytes (100 MiB), so every one is read whole.
const bigBody = 90 << 20

// uploadTooLarge is the POST that must be refused with a readable 413.
const uploadTooLarge = 101 << 20

// hostileKind is one abuse of issue #11, sent as a request (or a client
// behaviour) in the soak's random rounds.
type hostileKind struct {
	name   string // the fixture's route is /h/<name> unless send says otherwise
	item   string // the item number(s)
	expect string // what a hardened edgerun answers, for the table
	// awaits: the route awaits, so it may be interleaved with a runaway request
	// on its isolate and fail with the reset 503 (item 8 allows that only then).
	awaits bool
	// holdsSlot: the request keeps an isolate slot after it answered (up to
	// waitUntil's 30 s), so the soak stops sending it in time for the idle check.
	holdsSlot bool
	send      func(ctx context.Context, h *harness) []outcome // nil: GET /h/<name>
	// ok says whether an outcome is what a hardened edgerun answers; "" if so,
	// else why not.
	ok func(o outcome) string
}

// statusIn accepts the listed statuses.
func statusIn(codes ...int) func(outcome) string {
	return func(o outcome) string {
		if slices.Contains(codes, o.status) {
			return ""
		}
		return "got " + o.label()
	}
}

// answers accepts one status and body.
func answers(status int, body string) func(outcome) string {
	return func(o outcome) string {
		if o.status == status && o.body == body {
			return ""
		}
		return fmt.Sprintf("got %s %q", o.label(), cut(o.body, 60))
	}
}

// dbFailure accepts a database error with the given SQLSTATE (the fixture
// answers "db error <code>: …"), or the memory limit's 503.
func dbFailure(code string) func(outcome) string {
	return func(o outcome) string {
		if o.status == http.StatusInternalServerError && strings.HasPrefix(o.body, "db error "+code) {
			return ""
		}
		if o.status == http.StatusServiceUnavailable && !strings.HasPrefix(o.body, "db error") {
			return ""
		}
		return fmt.Sprintf("got %s %q", o.label(), cut(o.body, 60))
	}
}

// cleanError accepts a 500 that carries nothing the script tried to inject.
func cleanError(o outcome) string {
	if o.header.Get("x-injected") != "" {
		return "header injected"
	}
	if o.status != http.StatusInternalServerError {
		return "got " + o.label()
	}
	return ""
}

var (
	refused       = statusIn(http.StatusInternalServerError, http.StatusServiceUnavailable)
	sessionChange = statusIn(http.StatusOK, http.StatusInternalServerError)
)

func hostileKinds() []hostileKind {
	return []hostileKind{
		{name: "alloc-arraybuffer", item: "1", expect: "500 RangeError or 503", ok: refused},
		{name: "alloc-uint8array", item: "1", expect: "500 RangeError or 503", ok: refused},
		{name: "alloc-repeat", item: "1", expect: "500 RangeError or 503", ok: refused},
		{name: "alloc-8gib", item: "2", expect: "500 RangeError or 503", ok: refused},
		{name: "builtin-fill", item: "3", expect: "503 within limits", ok: refused},
		{name: "builtin-join", item: "3", expect: "503 within limits", ok: refused},
		{name: "builtin-sort", item: "3", expect: "503 within limits", ok: refused},
		{name: "builtin-indexof-sparse", item: "3", expect: "503 within limits", ok: refused},
		{name: "body-ignored", item: "4", expect: "200, or 503/413 past the budget", send: sendBodies,
			ok: statusIn(http.StatusOK, http.StatusServiceUnavailable, http.StatusRequestEntityTooLarge)},
		{name: "big-result", item: "5", expect: "500 db error 54000 or 503", awaits: true, ok: dbFailure("54000")},
		{name: "hang-client-leaves", item: "6", expect: "client leaves at 300ms", awaits: true, send: sendHangAndLeave,
			ok: func(o outcome) string {
				if o.err == "timeout" {
					return ""
				}
				return "answered " + o.label()
			}},
		{name: "hang", item: "6", expect: "504 at response_timeout_ms", awaits: true, ok: statusIn(http.StatusGatewayTimeout)},
		{name: "wait-until-never", item: "6", expect: "200 answered", holdsSlot: true, ok: answers(200, "answered")},
		{name: "interval", item: "7", expect: "200 armed (timer ends with the request)", ok: answers(200, "armed")},
		{name: "spin", item: "8", expect: "503 CPU limit", ok: statusIn(http.StatusServiceUnavailable)},
		{name: "ctx-forge", item: "9", expect: "200 (no other request affected)", ok: answers(200, "forged")},
		{name: "spy", item: "9", expect: "200 (sees no other request)", ok: answers(200, "spying")},
		{name: "seen", item: "9", expect: "200 without other requests' headers", ok: statusIn(http.StatusOK)},
		{name: "ip", item: "10", expect: "cf-connecting-ip 127.0.0.1", send: sendSpoofedIP,
			ok: func(o outcome) string {
				if o.status == 200 && strings.HasPrefix(o.body, "127.0.0.1|") {
					return ""
				}
				return fmt.Sprintf("got %s %q", o.label(), cut(o.body, 60))
			}},
		{name: "asset-devvars-link", item: "11", expect: "404", send: getPath("/leak.txt"), ok: statusIn(http.StatusNotFound)},
		{name: "asset-envrc", item: "11", expect: "404", send: getPath("/.envrc"), ok: statusIn(http.StatusNotFound)},
		{name: "asset-npmrc", item: "21", expect: "404", send: getPath("/.npmrc"), ok: statusIn(http.StatusNotFound)},
		{name: "asset-netrc", item: "21", expect: "404", send: getPath("/.netrc"), ok: statusIn(http.StatusNotFound)},
		{name: "throw-getters", item: "12", expect: "500", ok: statusIn(http.StatusInternalServerError)},
		{name: "throw-proxy", item: "12", expect: "500", ok: statusIn(http.StatusInternalServerError)},
		{name: "throw-slow-getter", item: "12", expect: "503 or 500", ok: refused},
		{name: "tolocalestring", item: "13", expect: "200 TypeError", ok: answers(200, "TypeError")},
		// esbuild (as wrangler bundles) puts its __require shim where a bundled
		// module names require, so typeof require is "function" there too; the
		// global is absent (runtime's sandbox test) and calling it throws.
		{name: "typeof-require", item: "14", expect: "200 function (esbuild's shim, as under wrangler)", ok: answers(200, "function")},
		{name: "upload-101mib", item: "15", expect: "readable 413", send: sendTooLarge, ok: statusIn(http.StatusRequestEntityTooLarge)},
		{name: "pg-terminate-self", item: "16", expect: "500 db error", awaits: true, ok: dbFailure("")},
		{name: "set-config", item: "17", expect: "200 or 500 (state never leaks)", awaits: true, ok: sessionChange},
		{name: "set-config-uamp", item: "20", expect: "200 or 500 (state never leaks)", awaits: true, ok: sessionChange},
		{name: "temp-table", item: "17", expect: "200 or 500 (state never leaks)", awaits: true, ok: sessionChange},
		{name: "pg-temp-select-into", item: "20", expect: "200 or 500 (state never leaks)", awaits: true, ok: sessionChange},
		{name: "pg-temp-if-not-exists", item: "20", expect: "200 or 500 (state never leaks)", awaits: true, ok: sessionChange},
		{name: "pg-temp-quoted", item: "20", expect: "200 or 500 (state never leaks)", awaits: true, ok: sessionChange},
		{name: "pg-temp-sequence", item: "20", expect: "200 or 500 (state never leaks)", awaits: true, ok: sessionChange},
		{name: "advisory-lock", item: "17", expect: "200 or 500 (lock released)", awaits: true, ok: sessionChange},
		{name: "advisory-lock-uamp", item: "20", expect: "200 or 500 (lock released)", awaits: true, ok: sessionChange},
		{name: "internal-nul", item: "19", expect: "500 TypeError, nothing injected", ok: cleanError},
		{name: "internal-crlf", item: "19", expect: "500 TypeError, nothing injected", ok: cleanError},
		{name: "internal-status", item: "19", expect: "500 RangeError", ok: cleanError},
		{name: "status-101", item: "19", expect: "500 RangeError", ok: cleanError},
		{name: "header-name-space", item: "19", expect: "500 TypeError", ok: cleanError},
		{name: "statustext-crlf", item: "19", expect: "500 TypeError", ok: cleanError},
		{name: "console-huge", item: "21", expect: "200 or 503; line capped", ok: statusIn(200, 500, 503)},
		{name: "host", item: "21", expect: "200 the UTF-8 Host, or 400", send: sendUTF8Host,
			ok: func(o outcome) string {
				if o.status == http.StatusBadRequest {
					return "" // refusing a Host that is not ASCII is fine too; reading it as Latin-1 is not
				}
				return answers(200, utf8Host)(o)
			}},
		{name: "proxy-bind", item: "21", expect: "500 db error 22023", awaits: true, ok: dbFailure("22023")},
		{name: "cache-file-key", item: "21", expect: "200 TypeError", awaits: true, ok: answers(200, "TypeError")},
	}
}

// utf8Host is a Host header with a non-ASCII name, sent as UTF-8 bytes.
const utf8Host = "bücher.test"

func getPath(path string) func(context.Context, *harness) []outcome {
	return func(ctx context.Context, h *harness) []outcome {
		return []outcome{do(ctx, h.hostile, "", http.MethodGet, h.url(path), nil, "", 0, hostileTimeout)}
	}
}

func sendHangAndLeave(ctx context.Context, h *harness) []outcome {
	return []outcome{do(ctx, h.hostile, "", http.MethodGet, h.url("/h/hang"), nil, "", 0, clientLeavesAfter)}
}

func sendSpoofedIP(ctx context.Context, h *harness) []outcome {
	header := http.Header{"Cf-Connecting-Ip": {"10.0.0.1"}, "X-Real-Ip": {"10.0.0.2"}}
	return []outcome{do(ctx, h.hostile, "", http.MethodGet, h.url("/h/ip"), header, "", 0, hostileTimeout)}
}

// sendBodies uploads bodyConns bodies of bigBody bytes at once to a route that
// never reads them. One burst at a time, so that bodies in flight stay within
// the count the RSS bound allows for.
func sendBodies(ctx context.Context, h *harness) []outcome {
	if !h.bodies.TryLock() {
		return nil
	}
	defer h.bodies.Unlock()
	out := make([]outcome, h.opts.BodyConns)
	done := make(chan struct{})
	for i := range out {
		go func() {
			defer func() { done <- struct{}{} }()
			out[i] = do(ctx, h.hostile, "", http.MethodPost, h.url("/h/body-ignored"), nil, "", bigBody, hostileTimeout)
		}()
	}
	for range out {
		<-done
	}
	return out
}

func sendTooLarge(ctx context.Context, h *harness) []outcome {
	head := "POST /h/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n" +
		"Content-Length: " + strconv.Itoa(uploadTooLarge) + "\r\nConnection: close\r\n\r\n"
	return []outcome{raw(ctx, "", h.addr, head, uploadTooLarge, hostileTimeout)}
}

func sendUTF8Host(ctx context.Context, h *harness) []outcome {
	head := "GET /h/host HTTP/1.1\r\nHost: " + utf8Host + "\r\nConnection: close\r\n\r\n"
	return []outcome{raw(ctx, "", h.addr, head, 0, hostileTimeout)}
}

// hostileOrder deals the hostile kinds to the hostile clients: rounds of
// every kind, each round in a new random (seeded) order, shared by all
// clients so that a short soak still sends each kind.
type hostileOrder struct {
	mu    sync.Mutex
	rng   *rand.Rand
	kinds []hostileKind
	next  int
	round int
}

func newHostileOrder(seed int64, kinds []hostileKind) *hostileOrder {
	return &hostileOrder{rng: newRand(seed), kinds: kinds, next: len(kinds)}
}

// selectedKinds are the hostile kinds whose name matches o.Kinds (all without it).
func selectedKinds(o *Options) []hostileKind {
	var out []hostileKind
	for _, k := range hostileKinds() {
		if o.Kinds == nil || o.Kinds.MatchString(k.name) {
			out = append(out, k)
		}
	}
	return out
}

// take returns the next kind to send, skipping those that hold a slot once
// holdUntil has passed; false after maxRounds.
func (q *hostileOrder) take(holdUntil time.Time) (hostileKind, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.round <= maxRounds && len(q.kinds) > 0 {
		if q.next == len(q.kinds) {
			q.rng.Shuffle(len(q.kinds), func(i, j int) { q.kinds[i], q.kinds[j] = q.kinds[j], q.kinds[i] })
			q.next = 0
			q.round++
		}
		k := q.kinds[q.next]
		q.next++
		if k.holdsSlot && time.Now().After(holdUntil) {
			continue
		}
		return k, true
	}
	return hostileKind{}, false
}

// runHostile is one hostile client: it sends the kinds q deals until ctx ends.
func (h *harness) runHostile(ctx context.Context, q *hostileOrder, holdUntil time.Time) {
	for ctx.Err() == nil {
		k, ok := q.take(holdUntil)
		if !ok {
			return
		}
		send := k.send
		if send == nil {
			send = getPath("/h/" + k.name)
		}
		h.rec.begin(k.name)
		outs := h.send(ctx, func() []outcome { return send(h.endCtx, h) })
		h.rec.end(k.name)
		for _, o := range outs {
			o.kind = k.name
			h.rec.hostile(k, o, h.leaks(o))
		}
	}
}
