package admin

import (
	"time"

	"edgerun/bindings/hyperdrive"
	"edgerun/runtime/metrics"
)

// Monitor hands what the HTTP server and the HYPERDRIVE bindings report to
// the metrics and the alert evaluator; set it as the server's Observe hook
// (ObserveRequest) and as hyperdrive.Config.Observer.
type Monitor struct {
	Metrics *metrics.Metrics
	Alerts  *Alerts
}

var _ hyperdrive.Observer = (*Monitor)(nil)

// ObserveRequest counts one finished HTTP request.
func (m *Monitor) ObserveRequest(method string, status int, d time.Duration) {
	m.Metrics.ObserveRequest(method, status, d)
	m.Alerts.RecordRequest(status, d)
}

// Query implements hyperdrive.Observer.
func (m *Monitor) Query(binding, kind, outcome, servedBy string, d time.Duration) {
	m.Metrics.Query(binding, kind, outcome, servedBy, d)
	m.Alerts.RecordQuery(binding, outcome == "error", servedBy)
}

// Acquire implements hyperdrive.Observer.
func (m *Monitor) Acquire(binding, endpoint string, d time.Duration, err error) {
	m.Metrics.Acquire(binding, endpoint, d, err)
}

// Retry implements hyperdrive.Observer.
func (m *Monitor) Retry(binding, endpoint string) { m.Metrics.Retry(binding, endpoint) }

// Breaker implements hyperdrive.Observer.
func (m *Monitor) Breaker(binding, endpoint, from, to string) {
	m.Metrics.Breaker(binding, endpoint, from, to)
}

// ConnectionFailure implements hyperdrive.Observer.
func (m *Monitor) ConnectionFailure(binding, endpoint string, ok bool) {
	m.Metrics.ConnectionFailure(binding, endpoint, ok)
	m.Alerts.RecordConnection(binding, endpoint, ok)
}
