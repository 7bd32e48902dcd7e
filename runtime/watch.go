package runtime

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// WatchAndReload rebuilds the worker when one of its source files changes
// (fsnotify, debounced). A build error leaves the running version serving and
// is logged with its file:line:col. The returned function stops watching.
func WatchAndReload(ctx context.Context, a *App) (stop func(), err error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	watched := map[string]bool{}
	watchInputs := func() {
		for _, in := range a.server.Version().Inputs {
			if strings.Contains(in, string(filepath.Separator)+"node_modules"+string(filepath.Separator)) {
				continue
			}
			dir := filepath.Dir(in)
			if !watched[dir] {
				if err := w.Add(dir); err == nil {
					watched[dir] = true
				}
			}
		}
	}
	watchInputs()
	// The configuration is read at start: a change to it is pointed out,
	// not applied (bindings hold pools, stores and a database server).
	configFiles := map[string]bool{}
	for _, f := range append([]string{a.cfg.Path}, a.cfg.SecretsFiles...) {
		if f == "" {
			continue
		}
		if abs, err := filepath.Abs(f); err == nil {
			configFiles[abs] = true
			if dir := filepath.Dir(abs); !watched[dir] {
				if err := w.Add(dir); err == nil {
					watched[dir] = true
				}
			}
		}
	}
	var configChanged string
	done := make(chan struct{})
	go func() {
		defer close(done)
		var timer <-chan time.Time
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if ev.Op&(fsnotify.Write|fsnotify.Create|fsnotify.Rename|fsnotify.Remove) == 0 {
					continue
				}
				if abs, err := filepath.Abs(ev.Name); err == nil && configFiles[abs] {
					configChanged = filepath.Base(abs)
					timer = time.After(50 * time.Millisecond)
					continue
				}
				if !a.isInput(ev.Name) {
					continue
				}
				timer = time.After(50 * time.Millisecond)
			case err, ok := <-w.Errors:
				if !ok {
					return
				}
				a.log.Warn("file watcher: " + err.Error())
			case <-timer:
				timer = nil
				if configChanged != "" {
					a.log.Warn(configChanged + " changed: bindings, vars and limits are read at start, so restart edgerun dev to apply it (code changes reload by themselves)")
					configChanged = ""
					continue
				}
				start := time.Now()
				if err := a.Reload(ctx); err != nil {
					a.log.Error(err.Error())
					a.log.Warn("keeping the previous version of the worker")
					continue
				}
				a.log.Info("reloaded the worker in " + roundDuration(time.Since(start)))
				watchInputs()
			}
		}
	}()
	return func() { w.Close(); <-done }, nil
}

// isInput reports whether path is one of the current worker's sources (or a
// new file next to them, which an edited import may now name).
func (a *App) isInput(path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	if base := filepath.Base(abs); strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") {
		return false
	}
	for _, in := range a.server.Version().Inputs {
		if in == abs {
			return true
		}
	}
	if _, err := os.Stat(abs); err != nil {
		return false
	}
	switch filepath.Ext(abs) {
	case ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx", ".json":
		return true
	}
	return false
}
