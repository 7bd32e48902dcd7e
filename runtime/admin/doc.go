// Package admin owns edgerun's operator-facing side: the admin HTTP
// listener (loopback by default) with /healthz (liveness), /readyz
// (readiness; 503 while draining), /health (per-binding healthy / degraded
// / unhealthy with a probe's response time, pool, breaker and cache state,
// and the active alerts) and /metrics (runtime/metrics); the alert
// evaluator, which checks the configured thresholds over a sliding window
// and logs each crossing and recovery once; and Monitor, which feeds what
// the HTTP server and the HYPERDRIVE bindings report to both.
//
// It uses net/http: the admin listener is not the hot path.
package admin
