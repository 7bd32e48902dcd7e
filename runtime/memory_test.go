package runtime

import (
	"testing"

	"edgerun/runtime/config"
)

func TestMemoryBound(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		name string
		cfg  config.Config
		want uint64
	}{
		{"two isolates, no database", config.Config{
			Edgerun: config.Edgerun{Isolates: 2},
			Limits:  config.Limits{MemoryMB: 128, MaxBodyBytes: 100 * mib},
		}, 128*mib + 64*mib + 400*mib + 2*(128+16)*mib},
		{"small bodies: the body budget's floor", config.Config{
			Edgerun: config.Edgerun{Isolates: 1},
			Limits:  config.Limits{MemoryMB: 64, MaxBodyBytes: mib},
		}, 128*mib + 64*mib + 256*mib + (64+16)*mib},
		{"a binding with a fallback and a replica", config.Config{
			Edgerun: config.Edgerun{Isolates: 1},
			Limits:  config.Limits{MemoryMB: 64, MaxBodyBytes: mib},
			Hyperdrive: []config.Hyperdrive{{OriginConnectionLimit: 5, FallbackConnectionString: "f",
				ReplicaConnectionStrings: []string{"r"}, Caching: config.Caching{MaxBytes: 32 * mib}}},
		}, 128*mib + 64*mib + 256*mib + (64+16)*mib + 3*5*64*mib + 32*mib},
		{"caching disabled costs nothing", config.Config{
			Edgerun:    config.Edgerun{Isolates: 1},
			Limits:     config.Limits{MemoryMB: 64, MaxBodyBytes: mib},
			Hyperdrive: []config.Hyperdrive{{OriginConnectionLimit: 2, Caching: config.Caching{Disabled: true, MaxBytes: 32 * mib}}},
		}, 128*mib + 64*mib + 256*mib + (64+16)*mib + 2*64*mib},
	}
	for _, tt := range tests {
		if got := MemoryBound(&tt.cfg); got != tt.want {
			t.Errorf("%s: MemoryBound = %d MiB, want %d MiB", tt.name, got/mib, tt.want/mib)
		}
	}
}
