package config

import (
	"os"
	"slices"
	"strings"
)

// [assets]: static assets (built by runtime/kind_assets.go).

var assetsKeys = set("directory", "binding", "html_handling", "not_found_handling", "run_worker_first")

func (r *resolver) assets(cfg *Config) {
	v, p, ok := r.inherited("assets")
	if !ok {
		return
	}
	m, ok := r.d.table(p, v)
	if !ok {
		return
	}
	r.d.unknownKeys(p, m, assetsKeys)
	a := &Assets{HTMLHandling: "auto-trailing-slash", NotFoundHandling: "none"}
	x, ok := m["directory"]
	if !ok {
		r.d.errorf(p, `"assets" should have a string "directory" field: the folder of static files to serve.`)
		return
	}
	dir, ok := r.d.str(p.child("directory"), x)
	if !ok {
		return
	}
	a.Directory = r.abs(cfg, dir)
	if fi, err := os.Stat(a.Directory); err != nil || !fi.IsDir() {
		r.d.errorf(p.child("directory"), "The assets directory %q does not exist or is not a directory (directory = %q).", a.Directory, dir)
		return
	}
	if _, ok := m["binding"]; ok {
		if name, ok := r.bindingName(m, p, "Assets"); ok {
			a.Binding = name
		}
	}
	enum := func(key string, dst *string, allowed ...string) {
		x, ok := m[key]
		if !ok {
			return
		}
		s, ok := r.d.str(p.child(key), x)
		if !ok {
			return
		}
		if !slices.Contains(allowed, s) {
			r.d.errorf(p.child(key), "%q must be one of %s, got %q.", p.child(key).String(), strings.Join(allowed, ", "), s)
			return
		}
		*dst = s
	}
	enum("html_handling", &a.HTMLHandling, "auto-trailing-slash", "force-trailing-slash", "drop-trailing-slash", "none")
	enum("not_found_handling", &a.NotFoundHandling, "none", "404-page", "single-page-application")
	if x, ok := m["run_worker_first"]; ok {
		switch x.(type) {
		case bool:
			a.RunWorkerFirst, _ = r.d.boolean(p.child("run_worker_first"), x)
		default:
			paths, ok := r.d.stringArray(p.child("run_worker_first"), x)
			if !ok {
				return
			}
			for _, path := range paths {
				if !strings.HasPrefix(strings.TrimPrefix(path, "!"), "/") {
					r.d.errorf(p.child("run_worker_first"), "%q: every rule must be a path starting with / (or !/ to exclude), got %q.", p.child("run_worker_first").String(), path)
					return
				}
			}
			a.WorkerFirstPaths = paths
		}
	}
	cfg.Assets = a
}
