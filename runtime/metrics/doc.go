// Package metrics owns edgerun's Prometheus metrics: a private registry
// (never the global one, so two apps in one process do not collide) holding
// the HTTP request counters and histogram, the isolate pool gauges, and per
// HYPERDRIVE binding the query, acquire, retry, breaker and connection
// counters (fed through hyperdrive.Observer) plus the pool, cache and
// breaker gauges (read from the binding at scrape time).
//
// Every metric is named edgerun_*; the README lists them. The admin
// listener (runtime/admin) serves Handler on /metrics.
package metrics
