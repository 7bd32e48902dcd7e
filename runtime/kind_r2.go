package runtime

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"edgerun/bindings"
	"edgerun/bindings/r2"
	"edgerun/runtime/config"
)

// openR2 builds one binding per [[r2_buckets]] entry. Local buckets share
// one store under the project's .edgerun/state (bodies in r2/, their index
// in r2.db), as wrangler dev keeps its local R2 under .wrangler/state; a
// local bucket is its bucket_name's, or its binding name's without one.
// Buckets on S3 share a client per endpoint, region and credentials.
func openR2(cfg *config.Config) ([]*r2.Bucket, func(context.Context) error, error) {
	if len(cfg.R2Buckets) == 0 {
		return nil, nil, nil
	}
	var local *r2.LocalStore
	remote := map[r2.S3Config]*r2.S3Store{}
	closeAll := func(context.Context) error {
		if local != nil {
			return local.Close()
		}
		return nil
	}
	var list []*r2.Bucket
	for _, b := range cfg.R2Buckets {
		if b.Store == config.R2StoreS3 {
			sc := r2.S3Config{Endpoint: b.Endpoint, Region: b.Region, AccessKeyID: b.Credentials.AccessKeyID,
				SecretAccessKey: b.Credentials.SecretAccessKey, SessionToken: b.Credentials.SessionToken}
			store := remote[sc]
			if store == nil {
				var err error
				if store, err = r2.OpenS3(sc); err != nil {
					closeAll(context.Background())
					return nil, nil, err
				}
				remote[sc] = store
			}
			list = append(list, r2.NewBucket(store, b.Binding, b.S3Bucket))
			continue
		}
		if local == nil {
			var err error
			if local, err = r2.Open(filepath.Join(cfg.Dir, ".edgerun", "state"), nil); err != nil {
				return nil, nil, err
			}
		}
		name := b.BucketName
		if name == "" {
			name = b.Binding
		}
		list = append(list, r2.NewBucket(local, b.Binding, name))
	}
	return list, closeAll, nil
}

// checkR2Buckets warns about buckets on S3 that are missing or refused
// (a wrong name, endpoint or credentials) before a request finds out. It
// does not stop the start: the service may only be down for a moment.
func checkR2Buckets(ctx context.Context, list []*r2.Bucket, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for _, b := range list {
		s3, ok := b.Store().(*r2.S3Store)
		if !ok {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s3.Check(ctx, b.BucketID()); err != nil {
				log.Warn("r2 bucket not usable yet", "binding", b.Name(), "error", err)
			}
		}()
	}
	wg.Wait()
}

var r2Kind = bindingKind{
	section: "r2_buckets",
	open: func(ctx context.Context, a *App) ([]bindings.Binding, []func(context.Context) error, error) {
		list, closeStore, err := openR2(a.cfg)
		if err == nil {
			checkR2Buckets(ctx, list, a.log)
		}
		return openedBindings(list, closeStore, err)
	},
	summary: func(cfg *config.Config) (rows []summaryRow) {
		for _, b := range cfg.R2Buckets {
			where := "local (.edgerun/state/r2)"
			if b.Store == config.R2StoreS3 {
				where = "S3 " + b.Endpoint + " bucket " + b.S3Bucket
			}
			rows = append(rows, summaryRow{b.Binding, "R2 Bucket", where})
		}
		return rows
	},
}
