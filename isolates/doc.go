// Package isolates owns the goja runtimes that run worker code: each isolate
// has a job queue (its event loop) and exactly one owner goroutine at a time
// draining it — its own loop goroutine, or, when the isolate is idle, the
// goroutine that brings the work ([Isolate.Exec]: an HTTP request or a
// completed query runs its JavaScript without a hand-off between goroutines);
// a pool that spreads requests over isolates; timers; and the watchdog that
// interrupts runaway JavaScript (CPU and memory limits).
//
// The bridge API for code outside this package (bindings, Web APIs) is small:
//
//   - [Isolate.RegisterCallback] reserves a completion slot on the loop; the
//     function it returns must be called exactly once, from any goroutine, with
//     the work to run on the loop. A pending slot keeps the isolate from being
//     retired while work it started is still outstanding.
//   - [Isolate.Async] runs blocking Go work off the loop and settles a promise
//     on it: the usual shape of a binding method (a database query, say).
//   - [Isolate.Scope] is the request the running JavaScript belongs to, tracked
//     across await points, so a binding can attach per-request state (such as
//     "this request has written, keep its reads on the primary").
//   - [Export] and [ViewBytes] are goja's Export and ExportTo(&[]byte) made
//     safe for an empty ArrayBuffer view at its buffer's end (goja points past
//     the buffer for it, which a -race build aborts on): host code exporting
//     a value a script handed it goes through them.
//   - [ServeInProcess] lets a server of this process (the local Hyperdrive's
//     listener) take the scripts' connections to its address over an
//     in-memory pipe (isolates/pipe) instead of TCP; cloudflare:sockets asks
//     [DialInProcessSecure] before it dials. A door registered with
//     [ServeInProcessSecure] is one whose TLS the scripts' sockets skip (the
//     pipe is private and its server known), checking its certificate chain
//     against the expected name as a handshake would.
//
// Nothing but the current owner ever touches an isolate's goja.Runtime.
package isolates
