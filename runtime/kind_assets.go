package runtime

import (
	"context"
	"path/filepath"

	"edgerun/bindings"
	"edgerun/runtime/assets"
	"edgerun/runtime/config"
)

// assetsKind is [assets]: the static files the server answers from before
// the worker (a.assets), and env.<binding>.fetch when a binding is named.
var assetsKind = bindingKind{
	section: "assets",
	open: func(_ context.Context, a *App) ([]bindings.Binding, []func(context.Context) error, error) {
		ac := a.cfg.Assets
		if ac == nil {
			return nil, nil, nil
		}
		as, err := assets.Open(assets.Options{
			Directory: ac.Directory, HTMLHandling: ac.HTMLHandling, NotFoundHandling: ac.NotFoundHandling,
			RunWorkerFirst: ac.RunWorkerFirst, WorkerFirstPaths: ac.WorkerFirstPaths, HasWorker: a.cfg.Main != "",
			NavigationPrefersAssets: navigationPrefersAssets(a.cfg), Hidden: []string{a.cfg.Path},
		})
		if err != nil {
			return nil, nil, err
		}
		a.assets = as
		closers := []func(context.Context) error{func(context.Context) error { return as.Close() }}
		if ac.Binding == "" {
			return nil, closers, nil
		}
		return []bindings.Binding{assets.NewBinding(ac.Binding, as)}, closers, nil
	},
	summary: func(cfg *config.Config) []summaryRow {
		a := cfg.Assets
		if a == nil || a.Binding == "" {
			return nil
		}
		dir, err := filepath.Rel(cfg.Dir, a.Directory)
		if err != nil {
			dir = a.Directory
		}
		return []summaryRow{{a.Binding, "Assets", dir + "/"}}
	},
}
