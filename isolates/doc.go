// Package isolates owns the goja runtimes that run worker code: one goroutine
// per isolate owning its vm and draining a job queue (the isolate's event
// loop), a pool that spreads requests over isolates, timers, and the CPU-time
// watchdog that interrupts runaway JavaScript.
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
//
// Nothing but the owning goroutine ever touches an isolate's goja.Runtime.
package isolates
