// Package assets serves a project's static files ([assets] in
// wrangler.toml) the way Workers Static Assets does: the same matching of
// request paths to files (html_handling's trailing-slash rules, 307
// redirects to canonical paths), not_found_handling (404.html pages, a
// single-page application's index.html), ETags with 304 answers, and the
// choice between the assets and the worker (run_worker_first, navigation
// requests). Files are read from disk on each request, so edits show at
// once in dev.
package assets

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"os"
	"path"
	"strings"
	"sync"
	"time"
)

// Options is [assets].
type Options struct {
	Directory        string
	HTMLHandling     string // auto-trailing-slash (default), force-trailing-slash, drop-trailing-slash, none
	NotFoundHandling string // none (default), 404-page, single-page-application
	RunWorkerFirst   bool
	WorkerFirstPaths []string // "/api/*" includes, "!/api/docs/*" excludes
	// HasWorker: a worker serves what the assets do not (otherwise the
	// assets answer every request).
	HasWorker bool
}

// Assets is one project's static files.
type Assets struct {
	opts Options
	root *os.Root

	mu    sync.Mutex
	etags map[string]etagEntry
}

type etagEntry struct {
	size  int64
	mtime time.Time
	etag  string
}

// Open serves the files under opts.Directory; nothing outside it (symbolic
// links included) is reachable.
func Open(opts Options) (*Assets, error) {
	if opts.HTMLHandling == "" {
		opts.HTMLHandling = "auto-trailing-slash"
	}
	if opts.NotFoundHandling == "" {
		opts.NotFoundHandling = "none"
	}
	root, err := os.OpenRoot(opts.Directory)
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	return &Assets{opts: opts, root: root, etags: map[string]etagEntry{}}, nil
}

// Close releases the directory.
func (a *Assets) Close() error { return a.root.Close() }

// Request is what the assets look at.
type Request struct {
	Method string
	// Path is the URL's path as the client sent it (percent-encoded).
	Path, RawQuery string
	Header         func(name string) string
}

// Response is the assets' answer. Body, when set, is the file to send
// (nothing for HEAD and 304).
type Response struct {
	Status  int
	Headers [][2]string
	File    string // relative to the directory; "" for no body
	Size    int64
}

// cacheControl is what Workers sends with every asset: browsers may keep
// it but must revalidate (the ETag makes that a 304).
const cacheControl = "public, max-age=0, must-revalidate"

// intent is what a path resolves to: a file (with the status to send it
// with) or a redirect.
type intent struct {
	file     string // the matched path, "/dir/file.html"
	etag     string
	status   int
	redirect string
}

// WorkerFirst reports whether a request goes to the worker before the
// assets are consulted (run_worker_first).
func (a *Assets) WorkerFirst(rawPath string) bool {
	if !a.opts.HasWorker {
		return false
	}
	if a.opts.RunWorkerFirst {
		return true
	}
	if len(a.opts.WorkerFirstPaths) == 0 {
		return false
	}
	p := decodePath(rawPath)
	matched := false
	for _, rule := range a.opts.WorkerFirstPaths {
		if ex, ok := strings.CutPrefix(rule, "!"); ok {
			if globMatch(ex, p) {
				return false // exclusions win
			}
		} else if globMatch(rule, p) {
			matched = true
		}
	}
	return matched
}

// Handles reports whether the assets answer req rather than the worker:
// always without a worker; with one, when a file matches (or a redirect to
// one applies). Unmatched requests go to the worker, except navigation
// requests with a single-page application or a 404 page, which the assets
// answer (Workers' assets_navigation_prefers_asset_serving).
func (a *Assets) Handles(req Request) bool {
	if !a.opts.HasWorker {
		return true
	}
	if req.Method != "GET" && req.Method != "HEAD" {
		return false
	}
	notFound := "none"
	if req.Header != nil && req.Header("Sec-Fetch-Mode") == "navigate" {
		notFound = a.opts.NotFoundHandling
	}
	it, _ := a.resolve(decodePath(req.Path), notFound)
	return it != nil
}

// Serve answers req from the files: a file, a 307 to the canonical path,
// a 304, a 404 (with not_found_handling's page) or a 405 for methods other
// than GET and HEAD.
func (a *Assets) Serve(req Request) (*Response, error) {
	decoded := decodePath(req.Path)
	it, err := a.resolve(decoded, a.opts.NotFoundHandling)
	if err != nil {
		return nil, err
	}
	if it == nil {
		return &Response{Status: 404}, nil
	}
	if req.Method != "GET" && req.Method != "HEAD" {
		return &Response{Status: 405, Headers: [][2]string{{"Allow", "GET, HEAD"}}}, nil
	}
	dest := decoded
	if it.redirect != "" {
		dest = it.redirect
	}
	// The canonical path is the decoded one encoded again: "/[x]" is
	// served at "/%5Bx%5D".
	if encoded := encodePath(dest); it.redirect != "" || encoded != req.Path {
		location := encoded
		if req.RawQuery != "" {
			location += "?" + req.RawQuery
		}
		return &Response{Status: 307, Headers: [][2]string{{"Location", location}}}, nil
	}
	h := [][2]string{{"ETag", `"` + it.etag + `"`}, {"Content-Type", contentType(it.file)}}
	if req.Header == nil || req.Header("Authorization") == "" && req.Header("Range") == "" {
		h = append(h, [2]string{"Cache-Control", cacheControl})
	}
	if req.Header != nil {
		if inm := req.Header("If-None-Match"); inm == `"`+it.etag+`"` || inm == `W/"`+it.etag+`"` {
			return &Response{Status: 304, Headers: h}, nil
		}
	}
	fi, err := a.root.Stat(strings.TrimPrefix(it.file, "/"))
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	resp := &Response{Status: it.status, Headers: h, Size: fi.Size()}
	if req.Method == "GET" {
		resp.File = strings.TrimPrefix(it.file, "/")
	}
	return resp, nil
}

// Open opens a Response's file.
func (a *Assets) Open(file string) (*os.File, error) { return a.root.Open(file) }

// ReadFile reads a Response's file.
func (a *Assets) ReadFile(file string) ([]byte, error) {
	f, err := a.root.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

func contentType(file string) string {
	if t := mime.TypeByExtension(path.Ext(file)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// ignored files are never served: the configuration files Workers reads
// from the directory, and what version control and package managers keep
// there.
func ignored(rel string) bool {
	switch rel {
	case ".assetsignore", "_headers", "_redirects", "_worker.js", "_routes.json":
		return true
	}
	for _, part := range strings.Split(rel, "/") {
		if part == ".git" || part == "node_modules" || part == ".DS_Store" {
			return true
		}
	}
	return false
}

// exists returns the ETag of the file at the decoded path p ("/a/b.html"),
// or "" when there is no such regular file.
func (a *Assets) exists(p string) (string, error) {
	rel := strings.TrimPrefix(p, "/")
	if rel == "" || strings.HasSuffix(rel, "/") || ignored(rel) {
		return "", nil
	}
	fi, err := a.root.Stat(rel)
	if err != nil || !fi.Mode().IsRegular() {
		// Missing, a path through a file, or one os.Root refuses because
		// it leaves the directory: not an asset.
		return "", nil
	}
	a.mu.Lock()
	e, ok := a.etags[rel]
	a.mu.Unlock()
	if ok && e.size == fi.Size() && e.mtime.Equal(fi.ModTime()) {
		return e.etag, nil
	}
	f, err := a.root.Open(rel)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	etag := hex.EncodeToString(h.Sum(nil))[:32]
	a.mu.Lock()
	a.etags[rel] = etagEntry{size: fi.Size(), mtime: fi.ModTime(), etag: etag}
	a.mu.Unlock()
	return etag, nil
}
