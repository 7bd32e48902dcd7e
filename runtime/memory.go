package runtime

import (
	goruntime "runtime"

	"edgerun/runtime/config"
)

// The process's memory, bounded by configuration. Every large allocation a
// request can cause is charged to a budget that has a configured size:
//
//	isolates × (memory_mb + isolateBase)   each isolate's JavaScript heap and ArrayBuffers
//	+ BodyBudget(max_body_bytes)           request bodies held at once
//	+ Σ hyperdrive bindings: endpoints × origin_connection_limit × memory_mb
//	                                       query results being read (one per pooled connection)
//	  + caching.max_bytes                  the binding's query cache
//	+ cacheAPIBytes                        the Cache API's store
//	+ processBase                          Go runtime, compiled bundle, esbuild, connections
//
// MemoryBound adds these up. The server sets Go's soft memory limit
// (GOMEMLIMIT) to 90% of it unless the environment sets one, so the
// collector works harder as the process nears the bound instead of letting
// garbage grow to GOGC's multiple of the live heap, and what the runtime
// holds beyond the heap fits in the rest. README "Limits and sandbox"
// documents the formula; the soak test (bench/soak) holds RSS to it.
const (
	isolateBase   = 16 << 20
	processBase   = 128 << 20
	cacheAPIBytes = 64 << 20
)

// MemoryBound is the most memory cfg lets the process use, in bytes.
func MemoryBound(cfg *config.Config) uint64 {
	isolates := cfg.Edgerun.Isolates
	if isolates <= 0 {
		isolates = goruntime.GOMAXPROCS(0)
	}
	perIsolate := uint64(max(cfg.Limits.MemoryMB, 0)) << 20
	total := uint64(processBase) + cacheAPIBytes + uint64(BodyBudget(int(cfg.Limits.MaxBodyBytes)))
	total += uint64(isolates) * (perIsolate + isolateBase)
	for _, h := range cfg.Hyperdrive {
		endpoints := 1 + len(h.ReplicaConnectionStrings)
		if h.FallbackConnectionString != "" {
			endpoints++
		}
		conns := h.OriginConnectionLimit
		if conns <= 0 {
			conns = 20
		}
		total += uint64(endpoints*conns) * perIsolate
		if !h.Caching.Disabled {
			total += uint64(max(h.Caching.MaxBytes, 0))
		}
	}
	return total
}
