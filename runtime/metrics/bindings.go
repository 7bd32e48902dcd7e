package metrics

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

func bindingDesc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(prometheus.BuildFQName(namespace, "hyperdrive", name), help, append([]string{"binding"}, labels...), nil)
}

// Scrape-time series of every watched binding.
var (
	poolAcquiredDesc    = bindingDesc("pool_acquired_connections", "Connections checked out of the pool.", "endpoint")
	poolIdleDesc        = bindingDesc("pool_idle_connections", "Idle connections in the pool.", "endpoint")
	poolTotalDesc       = bindingDesc("pool_total_connections", "Open connections (acquired, idle and being dialled).", "endpoint")
	poolMaxDesc         = bindingDesc("pool_max_connections", "Pool size limit (origin_connection_limit).", "endpoint")
	poolUtilisationDesc = bindingDesc("pool_utilization_ratio", "Acquired connections divided by the pool size limit.", "endpoint")
	poolAcquiresDesc    = bindingDesc("pool_acquires_total", "Successful connection acquires.", "endpoint")
	poolEmptyDesc       = bindingDesc("pool_empty_acquires_total", "Acquires that found no idle connection and had to wait or dial.", "endpoint")
	poolNewConnsDesc    = bindingDesc("pool_new_connections_total", "Connections dialled.", "endpoint")
	breakerStateDesc    = bindingDesc("breaker_state", "1 for the endpoint's current circuit breaker state (closed, half-open, open), 0 for the others.", "endpoint", "state")
	cacheHitsDesc       = bindingDesc("cache_hits_total", "Reads answered from the query cache (fresh or stale).")
	cacheMissesDesc     = bindingDesc("cache_misses_total", "Cacheable reads not in the cache.")
	cacheStaleDesc      = bindingDesc("cache_stale_total", "Hits served stale while a refresh ran (stale_while_revalidate).")
	cacheEvictionsDesc  = bindingDesc("cache_evictions_total", "Entries evicted to stay within max_bytes.")
	cacheTooLargeDesc   = bindingDesc("cache_too_large_total", "Results not cached because they exceed max_entry_bytes.")
	cacheEntriesDesc    = bindingDesc("cache_entries", "Entries in the query cache.")
	cacheBytesDesc      = bindingDesc("cache_bytes", "Estimated bytes held by the query cache.")

	// The local Hyperdrive (connectionString's listener); absent when the
	// binding runs none.
	proxyClientsDesc         = bindingDesc("proxy_clients", "Client connections open to the local Hyperdrive.")
	proxyClientsTotalDesc    = bindingDesc("proxy_clients_total", "Client connections the local Hyperdrive accepted (authenticated).")
	proxyStatementsDesc      = bindingDesc("proxy_statements_total", "Statements run for local Hyperdrive clients (simple queries and Executes).")
	proxyCacheHitsDesc       = bindingDesc("proxy_cache_hits_total", "Local Hyperdrive statements answered from the query cache.")
	proxyCacheMissesDesc     = bindingDesc("proxy_cache_misses_total", "Cacheable local Hyperdrive statements the cache did not hold.")
	proxyServerConnsDesc     = bindingDesc("proxy_server_connections", "Pooled server connections held for local Hyperdrive clients now.")
	proxyAcquireTimeoutsDesc = bindingDesc("proxy_acquire_timeouts_total", "Local Hyperdrive waits for a pooled connection that hit acquire_timeout_ms.")
	proxyIdleTxTimeoutsDesc  = bindingDesc("proxy_idle_transaction_timeouts_total", "Local Hyperdrive clients disconnected idle in a transaction (idle_transaction_timeout_ms).")
	proxyRefusedDesc         = bindingDesc("proxy_authentications_refused_total", "Local Hyperdrive clients refused (wrong password, user or database).")
	proxyConnectionsDesc     = bindingDesc("proxy_connections_total", "Connections to the local Hyperdrive by door: tcp, or in_process (this process's workers, over an in-memory pipe).", "door")
)

var breakerStates = [...]string{"closed", "half-open", "open"}

// bindingCollector reads every watched binding's pools, breakers and cache
// when scraped, so the values are live and nothing runs between scrapes.
type bindingCollector struct {
	mu   sync.Mutex
	list []Binding
}

func (c *bindingCollector) add(b Binding) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.list = append(c.list, b)
}

func (c *bindingCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{
		poolAcquiredDesc, poolIdleDesc, poolTotalDesc, poolMaxDesc, poolUtilisationDesc,
		poolAcquiresDesc, poolEmptyDesc, poolNewConnsDesc, breakerStateDesc,
		cacheHitsDesc, cacheMissesDesc, cacheStaleDesc, cacheEvictionsDesc, cacheTooLargeDesc,
		cacheEntriesDesc, cacheBytesDesc,
		proxyClientsDesc, proxyClientsTotalDesc, proxyStatementsDesc, proxyCacheHitsDesc, proxyCacheMissesDesc,
		proxyServerConnsDesc, proxyAcquireTimeoutsDesc, proxyIdleTxTimeoutsDesc, proxyRefusedDesc, proxyConnectionsDesc,
	} {
		ch <- d
	}
}

func (c *bindingCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	list := append([]Binding(nil), c.list...)
	c.mu.Unlock()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
	}
	for _, b := range list {
		name := b.Name()
		for _, ep := range b.Health() {
			p := ep.Pool
			gauge(poolAcquiredDesc, float64(p.Acquired), name, ep.Name)
			gauge(poolIdleDesc, float64(p.Idle), name, ep.Name)
			gauge(poolTotalDesc, float64(p.Total), name, ep.Name)
			gauge(poolMaxDesc, float64(p.Max), name, ep.Name)
			utilisation := 0.0
			if p.Max > 0 {
				utilisation = float64(p.Acquired) / float64(p.Max)
			}
			gauge(poolUtilisationDesc, utilisation, name, ep.Name)
			counter(poolAcquiresDesc, float64(p.AcquireCount), name, ep.Name)
			counter(poolEmptyDesc, float64(p.EmptyAcquireCount), name, ep.Name)
			counter(poolNewConnsDesc, float64(p.NewConns), name, ep.Name)
			for _, st := range breakerStates {
				v := 0.0
				if ep.Breaker == st {
					v = 1
				}
				gauge(breakerStateDesc, v, name, ep.Name, st)
			}
		}
		cs := b.CacheStats()
		counter(cacheHitsDesc, float64(cs.Hits), name)
		counter(cacheMissesDesc, float64(cs.Misses), name)
		counter(cacheStaleDesc, float64(cs.Stale), name)
		counter(cacheEvictionsDesc, float64(cs.Evictions), name)
		counter(cacheTooLargeDesc, float64(cs.TooLarge), name)
		gauge(cacheEntriesDesc, float64(cs.Entries), name)
		gauge(cacheBytesDesc, float64(cs.Bytes), name)
		if ps := b.ProxyStats(); ps.Addr != "" {
			gauge(proxyClientsDesc, float64(ps.Clients), name)
			counter(proxyClientsTotalDesc, float64(ps.ClientsTotal), name)
			counter(proxyStatementsDesc, float64(ps.Queries), name)
			counter(proxyCacheHitsDesc, float64(ps.CacheHits), name)
			counter(proxyCacheMissesDesc, float64(ps.CacheMisses), name)
			gauge(proxyServerConnsDesc, float64(ps.ServerConnections), name)
			counter(proxyAcquireTimeoutsDesc, float64(ps.AcquireTimeouts), name)
			counter(proxyIdleTxTimeoutsDesc, float64(ps.IdleTransactionTimeouts), name)
			counter(proxyRefusedDesc, float64(ps.AuthenticationsRefused), name)
			counter(proxyConnectionsDesc, float64(ps.TCPConnections), name, "tcp")
			counter(proxyConnectionsDesc, float64(ps.InProcessConnections), name, "in_process")
		}
	}
}
