package runtime

import (
	"context"
	"path/filepath"

	"edgerun/bindings"
	"edgerun/bindings/r2"
	"edgerun/runtime/config"
)

// openR2 builds one binding per [[r2_buckets]] entry, kept under the
// project's .edgerun/state (bodies in r2/, their index in r2.db), as
// wrangler dev keeps its local R2 under .wrangler/state. A bucket is its
// bucket_name's, or its binding name's without one.
func openR2(cfg *config.Config) ([]*r2.Bucket, func(context.Context) error, error) {
	if len(cfg.R2Buckets) == 0 {
		return nil, nil, nil
	}
	store, err := r2.Open(filepath.Join(cfg.Dir, ".edgerun", "state"), nil)
	if err != nil {
		return nil, nil, err
	}
	var list []*r2.Bucket
	for _, b := range cfg.R2Buckets {
		name := b.BucketName
		if name == "" {
			name = b.Binding
		}
		list = append(list, r2.NewBucket(store, b.Binding, name))
	}
	return list, func(context.Context) error { return store.Close() }, nil
}

var r2Kind = bindingKind{
	section: "r2_buckets",
	open: func(_ context.Context, a *App) ([]bindings.Binding, []func(context.Context) error, error) {
		list, closeStore, err := openR2(a.cfg)
		if err != nil || closeStore == nil {
			return nil, nil, err
		}
		out := make([]bindings.Binding, len(list))
		for i, b := range list {
			out[i] = b
		}
		return out, []func(context.Context) error{closeStore}, nil
	},
	summary: func(cfg *config.Config) (rows []summaryRow) {
		for _, b := range cfg.R2Buckets {
			rows = append(rows, summaryRow{b.Binding, "R2 Bucket", "local (.edgerun/state/r2)"})
		}
		return rows
	},
}
