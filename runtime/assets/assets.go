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
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	gitignore "github.com/sabhiram/go-gitignore"
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
	// NavigationPrefersAssets: navigation requests (Sec-Fetch-Mode:
	// navigate) that match no file get not_found_handling's page rather
	// than the worker (Workers' assets_navigation_prefers_asset_serving,
	// the default from compatibility date 2025-04-01).
	NavigationPrefersAssets bool
	// Hidden are files never served even if inside Directory: the
	// project's configuration file.
	Hidden []string
}

// Assets is one project's static files.
type Assets struct {
	opts   Options
	root   *os.Root
	hidden []string // lower-case paths under the directory never served (the configuration file)

	mu            sync.Mutex
	etags         map[string]etagEntry
	ignore        *gitignore.GitIgnore // .assetsignore; nil without
	ignoreGen     int                  // counts changes of .assetsignore, for etagEntry.ignoreGen
	ignoreMod     time.Time
	ignoreSize    int64
	ignoreChecked time.Time

	redirects *ruleFile[[]redirectRule] // _redirects
	headers   *ruleFile[[]headerRule]   // _headers
}

// etagEntry is what exists learnt about a served file, valid while the
// file it reaches keeps its size and times and .assetsignore is unchanged:
// its ETag, and that no link on its path leads to a never-served file (a
// link pointed elsewhere reaches another file, which changes the stat).
type etagEntry struct {
	size         int64
	mtime, ctime time.Time
	ignoreGen    int
	etag         string
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
	a := &Assets{opts: opts, root: root, etags: map[string]etagEntry{},
		redirects: &ruleFile[[]redirectRule]{name: "_redirects", parse: parseRedirects},
		headers:   &ruleFile[[]headerRule]{name: "_headers", parse: parseHeaders}}
	for _, h := range opts.Hidden {
		if rel, err := filepath.Rel(opts.Directory, h); err == nil && filepath.IsLocal(rel) {
			a.hidden = append(a.hidden, strings.ToLower(filepath.ToSlash(rel)))
		}
	}
	return a, nil
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

// Route is who answers a request first.
type Route int

const (
	RouteDefault Route = iota // the assets if a file matches (Handles), else the worker
	RouteWorker               // run_worker_first matched: the worker
	RouteAssets               // an excluded run_worker_first path ("!/…"): the assets, matched or not
)

// Route applies run_worker_first to a request path.
func (a *Assets) Route(rawPath string) Route {
	if !a.opts.HasWorker {
		return RouteAssets
	}
	if a.opts.RunWorkerFirst {
		return RouteWorker
	}
	if len(a.opts.WorkerFirstPaths) == 0 {
		return RouteDefault
	}
	p := decodePath(rawPath)
	route := RouteDefault
	for _, rule := range a.opts.WorkerFirstPaths {
		if ex, ok := strings.CutPrefix(rule, "!"); ok {
			if globMatch(ex, p) {
				return RouteAssets // exclusions win
			}
		} else if globMatch(rule, p) {
			route = RouteWorker
		}
	}
	return route
}

// Handles reports whether the assets answer req rather than the worker
// (RouteDefault): when a file matches, or a redirect to one applies, for
// any method (other methods than GET and HEAD get a 405, as in Workers).
// Unmatched requests go to the worker, except navigations when
// NavigationPrefersAssets, which get not_found_handling's page.
func (a *Assets) Handles(req Request) bool {
	notFound := "none"
	if a.opts.NavigationPrefersAssets && req.Header != nil && req.Header("Sec-Fetch-Mode") == "navigate" {
		notFound = a.opts.NotFoundHandling
	}
	path := decodePath(req.Path)
	redirect, rewrite := a.redirect(path, req.RawQuery)
	if redirect != nil || rewrite != "" {
		return true // a rewrite to nothing is the assets' 404, as in Workers
	}
	it, _ := a.resolve(path, notFound)
	return it != nil
}

// Serve answers req from the files: a file, a 307 to the canonical path,
// a 304, a 404 (with not_found_handling's page) or a 405 for methods other
// than GET and HEAD.
func (a *Assets) Serve(req Request) (*Response, error) {
	resp, err := a.serve(req)
	if err == nil {
		resp.Headers = a.withCustomHeaders(decodePath(req.Path), resp.Headers)
	}
	return resp, err
}

func (a *Assets) serve(req Request) (*Response, error) {
	decoded := decodePath(req.Path)
	requested := req.Path // what a canonical-path redirect compares with
	redirect, rewrite := a.redirect(decoded, req.RawQuery)
	if redirect != nil {
		return redirect, nil
	}
	if rewrite != "" { // a 200 rule serves another path at this one
		decoded, requested = decodePath(rewrite), rewrite
	}
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
	if encoded := encodePath(dest); it.redirect != "" || encoded != requested {
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

// ReadFile reads a file of the directory (a Response's, a rule file).
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

// neverServedNames are file and directory names no request gets, at any
// depth: state edgerun and wrangler keep in a project, what version
// control and package managers keep, and the usual credential files
// (tokens for npm, yarn, PyPI, git and netrc, PostgreSQL's .pgpass,
// direnv's .envrc, ssh, cloud and docker logins, private ssh keys by their
// default names). A project served with directory = "." holds them; they
// are never meant for the web. Other secrets (*.pem, *.key) have no name
// that tells them from public files: list those in .assetsignore.
var neverServedNames = map[string]bool{
	".git": true, ".hg": true, ".svn": true, "node_modules": true, ".ds_store": true,
	".edgerun": true, ".wrangler": true, ".env": true, ".envrc": true,
	".npmrc": true, ".yarnrc": true, ".yarnrc.yml": true, ".pypirc": true,
	".netrc": true, "_netrc": true, ".pgpass": true, ".git-credentials": true, ".htpasswd": true,
	".ssh": true, ".aws": true, ".gnupg": true, ".docker": true,
	"id_rsa": true, "id_dsa": true, "id_ecdsa": true, "id_ed25519": true, "id_ecdsa_sk": true, "id_ed25519_sk": true,
}

// neverServed reports paths no request gets, whatever .assetsignore says:
// the files Workers reads its own rules from, the configuration file,
// neverServedNames, and .dev.vars and .env.* files. Names compare without
// case: on a case-insensitive file system /.GIT/config is .git/config.
func (a *Assets) neverServed(rel string) bool {
	lower := strings.ToLower(rel)
	switch lower {
	case ".assetsignore", "_headers", "_redirects", "_worker.js", "_routes.json":
		return true
	}
	if slices.Contains(a.hidden, lower) {
		return true
	}
	for _, part := range strings.Split(lower, "/") {
		if neverServedNames[part] || strings.HasPrefix(part, ".dev.vars") || strings.HasPrefix(part, ".env.") {
			return true
		}
	}
	return false
}

// ignored reports paths .assetsignore (gitignore syntax, in the directory)
// leaves out, as wrangler leaves them out of an upload. The file is read
// again when it changes, checked at most once a second.
func (a *Assets) ignored(rel string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if now := time.Now(); now.Sub(a.ignoreChecked) >= time.Second {
		a.ignoreChecked = now
		fi, err := a.root.Stat(".assetsignore")
		switch {
		case err != nil:
			if a.ignore != nil || !a.ignoreMod.IsZero() {
				a.ignoreGen++
			}
			a.ignore, a.ignoreMod = nil, time.Time{}
		case !fi.ModTime().Equal(a.ignoreMod) || fi.Size() != a.ignoreSize:
			a.ignoreMod, a.ignoreSize = fi.ModTime(), fi.Size()
			a.ignoreGen++
			a.ignore = nil
			if text, err := a.ReadFile(".assetsignore"); err == nil {
				a.ignore = gitignore.CompileIgnoreLines(strings.Split(string(text), "\n")...)
			}
		}
	}
	return a.ignore != nil && a.ignore.MatchesPath(rel)
}

// exists returns the ETag of the file at the decoded path p ("/a/b.html"),
// or "" when there is no such regular file.
func (a *Assets) exists(p string) (string, error) {
	rel := strings.TrimPrefix(p, "/")
	if rel == "" || strings.HasSuffix(rel, "/") || a.neverServed(rel) || a.ignored(rel) {
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
	gen := a.ignoreGen
	a.mu.Unlock()
	if ok && e.size == fi.Size() && e.mtime.Equal(fi.ModTime()) && e.ctime.Equal(changeTime(fi)) && e.ignoreGen == gen {
		return e.etag, nil
	}
	// A link is served only when what it reaches would be: the rules
	// apply to the real file as well as to the name asked for.
	if real, ok := a.realPath(rel); !ok || real != rel && (a.neverServed(real) || a.ignored(real)) {
		return "", nil
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
	a.etags[rel] = etagEntry{size: fi.Size(), mtime: fi.ModTime(), ctime: changeTime(fi), ignoreGen: gen, etag: etag}
	a.mu.Unlock()
	return etag, nil
}
