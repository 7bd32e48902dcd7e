package assets

import (
	"os"
	"path/filepath"
	"testing"
)

// site copies testdata/site to a temporary directory (with what git would
// not keep: a node_modules folder) and opens it.
func site(t *testing.T, opts Options) *Assets {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("testdata/site")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "node_modules", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "node_modules", "x", "index.js"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A link out of the directory must not be followed.
	outside := filepath.Join(t.TempDir(), "outside.txt")
	if err := os.WriteFile(outside, []byte("outside"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "escape.txt")); err != nil {
		t.Fatal(err)
	}
	opts.Directory = dir
	a, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func header(r *Response, name string) string {
	for _, h := range r.Headers {
		if h[0] == name {
			return h[1]
		}
	}
	return ""
}

type want struct {
	status   int
	file     string // served file ("" for none)
	location string
}

func check(t *testing.T, a *Assets, method, path, query string, w want) {
	t.Helper()
	resp, err := a.Serve(Request{Method: method, Path: path, RawQuery: query})
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if resp.Status != w.status || resp.File != w.file || header(resp, "Location") != w.location {
		t.Errorf("%s %s?%s = %d file %q location %q; want %d file %q location %q",
			method, path, query, resp.Status, resp.File, header(resp, "Location"), w.status, w.file, w.location)
	}
}

// The table of Workers' html_handling documentation, auto-trailing-slash.
func TestAutoTrailingSlash(t *testing.T) {
	a := site(t, Options{})
	for path, w := range map[string]want{
		"/":                           {200, "index.html", ""},
		"/index.html":                 {307, "", "/"},
		"/index":                      {307, "", "/"},
		"/file":                       {200, "file.html", ""},
		"/file.html":                  {307, "", "/file"},
		"/file/":                      {307, "", "/file"},
		"/file/index":                 {307, "", "/file"},
		"/file/index.html":            {307, "", "/file"},
		"/folder":                     {307, "", "/folder/"},
		"/folder.html":                {307, "", "/folder/"},
		"/folder/":                    {200, "folder/index.html", ""},
		"/folder/index":               {307, "", "/folder/"},
		"/folder/index.html":          {307, "", "/folder/"},
		"/style.css":                  {200, "style.css", ""},
		"/blob":                       {200, "blob", ""},
		"//style.css":                 {307, "", "/style.css"},
		"/%5Bid%5D.txt":               {200, "[id].txt", ""},
		"/[id].txt":                   {307, "", "/%5Bid%5D.txt"}, // the canonical spelling
		"/missing":                    {404, "", ""},
		"/_headers":                   {404, "", ""}, // configuration, never served
		"/node_modules/x/index.js":    {404, "", ""},
		"/escape.txt":                 {404, "", ""}, // a link out of the directory
		"/../assets.go":               {404, "", ""},
		"/%2e%2e/assets.go":           {404, "", ""},
		"/folder/..%2f..%2fassets.go": {404, "", ""},
	} {
		check(t, a, "GET", path, "", w)
	}
	check(t, a, "GET", "/file.html", "a=1", want{307, "", "/file?a=1"})
	check(t, a, "HEAD", "/file", "", want{200, "", ""})
	check(t, a, "POST", "/file", "", want{405, "", ""})
}

func TestForceAndDropTrailingSlash(t *testing.T) {
	force := site(t, Options{HTMLHandling: "force-trailing-slash"})
	for path, w := range map[string]want{
		"/file":      {307, "", "/file/"},
		"/file/":     {200, "file.html", ""},
		"/file.html": {307, "", "/file/"},
		"/folder":    {307, "", "/folder/"},
		"/folder/":   {200, "folder/index.html", ""},
		"/style.css": {200, "style.css", ""},
	} {
		check(t, force, "GET", path, "", w)
	}
	drop := site(t, Options{HTMLHandling: "drop-trailing-slash"})
	for path, w := range map[string]want{
		"/":                  {200, "index.html", ""},
		"/file":              {200, "file.html", ""},
		"/file/":             {307, "", "/file"},
		"/folder":            {200, "folder/index.html", ""},
		"/folder/":           {307, "", "/folder"},
		"/folder/index.html": {307, "", "/folder"},
	} {
		check(t, drop, "GET", path, "", w)
	}
	none := site(t, Options{HTMLHandling: "none"})
	for path, w := range map[string]want{
		"/file":      {404, "", ""},
		"/file.html": {200, "file.html", ""},
		"/":          {404, "", ""},
	} {
		check(t, none, "GET", path, "", w)
	}
}

func TestNotFoundHandling(t *testing.T) {
	spa := site(t, Options{NotFoundHandling: "single-page-application"})
	check(t, spa, "GET", "/app/settings", "", want{200, "index.html", ""})
	page := site(t, Options{NotFoundHandling: "404-page"})
	check(t, page, "GET", "/nope", "", want{404, "404.html", ""})
	check(t, page, "GET", "/docs/deep/nope", "", want{404, "docs/404.html", ""}) // the nearest 404.html
}

func TestETagAndCaching(t *testing.T) {
	a := site(t, Options{})
	r, err := a.Serve(Request{Method: "GET", Path: "/style.css"})
	if err != nil {
		t.Fatal(err)
	}
	etag := header(r, "ETag")
	if len(etag) != 34 || header(r, "Content-Type") != "text/css; charset=utf-8" || header(r, "Cache-Control") != cacheControl || r.Size != 7 {
		t.Fatalf("headers = %v size %d", r.Headers, r.Size)
	}
	for _, inm := range []string{etag, "W/" + etag} {
		r, _ := a.Serve(Request{Method: "GET", Path: "/style.css", Header: func(n string) string {
			if n == "If-None-Match" {
				return inm
			}
			return ""
		}})
		if r.Status != 304 || r.File != "" {
			t.Fatalf("If-None-Match %s = %d %q", inm, r.Status, r.File)
		}
	}
	r, _ = a.Serve(Request{Method: "GET", Path: "/style.css", Header: func(n string) string {
		if n == "Authorization" {
			return "Bearer x"
		}
		return ""
	}})
	if header(r, "Cache-Control") != "" {
		t.Fatalf("an authorized request got Cache-Control %q", header(r, "Cache-Control"))
	}
	// An edit changes the ETag.
	if err := os.WriteFile(filepath.Join(a.opts.Directory, "style.css"), []byte("body{color:red}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, _ = a.Serve(Request{Method: "GET", Path: "/style.css"})
	if header(r, "ETag") == etag || r.Size != 16 {
		t.Fatalf("after an edit: etag %s size %d", header(r, "ETag"), r.Size)
	}
}

func TestWhoAnswers(t *testing.T) {
	nav := func(n string) string {
		if n == "Sec-Fetch-Mode" {
			return "navigate"
		}
		return ""
	}
	a := site(t, Options{HasWorker: true, NavigationPrefersAssets: true, NotFoundHandling: "single-page-application",
		WorkerFirstPaths: []string{"/api/*", "!/api/docs/*"}})
	for _, tc := range []struct {
		method, path string
		header       func(string) string
		assets       bool
	}{
		{"GET", "/style.css", nil, true},
		{"GET", "/file", nil, true},
		{"GET", "/file.html", nil, true}, // a redirect is the assets' answer
		{"GET", "/api/users", nil, false},
		{"GET", "/api/docs/missing", nil, true}, // excluded from the worker: the assets, matched or not
		{"POST", "/style.css", nil, true},       // a 405, as in Workers
		{"POST", "/submit", nil, false},
		{"GET", "/dashboard", nil, false}, // a fetch() from the page: the worker
		{"GET", "/dashboard", nav, true},  // a navigation: the single-page app
	} {
		var got bool
		switch a.Route(tc.path) {
		case RouteAssets:
			got = true
		case RouteDefault:
			got = a.Handles(Request{Method: tc.method, Path: tc.path, Header: tc.header})
		}
		if got != tc.assets {
			t.Errorf("%s %s: assets answer = %v, want %v", tc.method, tc.path, got, tc.assets)
		}
	}
	old := site(t, Options{HasWorker: true, NotFoundHandling: "single-page-application"}) // before 2025-04-01
	if old.Handles(Request{Method: "GET", Path: "/dashboard", Header: nav}) {
		t.Error("without NavigationPrefersAssets a navigation that matches nothing went to the assets")
	}
	alone := site(t, Options{})
	if alone.Route("/x") != RouteAssets {
		t.Error("without a worker the assets answer everything")
	}
}

// Secrets and state in a project served with directory = "." stay hidden,
// and .assetsignore leaves files out.
func TestNeverServedAndAssetsIgnore(t *testing.T) {
	a := site(t, Options{})
	dir := a.opts.Directory
	for name, text := range map[string]string{
		".dev.vars": "TOKEN=x", ".env": "A=1", ".env.production": "A=2", ".edgerun/state/kv.db": "db", ".wrangler/tmp/x": "x",
		".git/config": "[core]", "wrangler.toml": "name='x'", "private/key.pem": "KEY", "private/public.txt": "ok",
		".assetsignore": "private/*.pem\n",
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := Open(Options{Directory: dir, Hidden: []string{filepath.Join(dir, "wrangler.toml")}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, p := range []string{"/.dev.vars", "/.env", "/.env.production", "/.edgerun/state/kv.db", "/.wrangler/tmp/x",
		"/.git/config", "/.GIT/config", "/wrangler.toml", "/WRANGLER.TOML", "/private/key.pem", "/.assetsignore"} {
		check(t, b, "GET", p, "", want{404, "", ""})
	}
	check(t, b, "GET", "/private/public.txt", "", want{200, "private/public.txt", ""})
}

// Whatever the path, Serve answers without failing, and a file it serves
// is one inside the directory.
func FuzzServe(f *testing.F) {
	for _, s := range []string{"/", "/file", "/folder/index", "/%2e%2e/x", "//a//b/", "/[id].txt", "/a%zz", "/docs/x/404"} {
		f.Add(s)
	}
	a := site(&testing.T{}, Options{NotFoundHandling: "404-page"})
	f.Fuzz(func(t *testing.T, path string) {
		resp, err := a.Serve(Request{Method: "GET", Path: path})
		if err != nil {
			t.Fatalf("Serve(%q): %v", path, err)
		}
		if resp.File != "" && (!filepath.IsLocal(resp.File) || resp.File != filepath.Clean(resp.File)) {
			t.Fatalf("Serve(%q) serves %q", path, resp.File)
		}
	})
}

// _redirects and _headers, as Workers Static Assets applies them.
func TestRedirectsAndHeadersFiles(t *testing.T) {
	a := site(t, Options{})
	dir := a.opts.Directory
	files := map[string]string{
		"_redirects": "# moves\n/old /file 301\n/blog/* /posts/:splat\n/users/:id /u/:id.html 301\n/rewrite /style.css 200\n/gone /missing.html 200\n/ext https://example.com/x 308\n/bad /x 404\n",
		"_headers":   "/*\n  X-Frame-Options: DENY\n  Bad Name: dropped\n/style.css\n  Cache-Control: public, max-age=31536000\n  X-Extra: a\n/file\n  ! X-Frame-Options\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := Open(Options{Directory: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	check(t, b, "GET", "/old", "x=1", want{301, "", "/file?x=1"})
	check(t, b, "GET", "/blog/2024/hello", "", want{302, "", "/posts/2024/hello"})
	check(t, b, "GET", "/users/42", "", want{301, "", "/u/42.html"})
	check(t, b, "GET", "/ext", "", want{308, "", "https://example.com/x"})
	check(t, b, "GET", "/rewrite", "", want{200, "style.css", ""}) // served at /rewrite
	check(t, b, "GET", "/bad", "", want{404, "", ""})              // 404 is no redirect status
	check(t, b, "GET", "/_redirects", "", want{404, "", ""})
	check(t, b, "GET", "/_headers", "", want{404, "", ""})

	r, _ := b.Serve(Request{Method: "GET", Path: "/style.css"})
	if header(r, "Cache-Control") != "public, max-age=31536000" || header(r, "X-Frame-Options") != "DENY" || header(r, "X-Extra") != "a" {
		t.Fatalf("/style.css headers = %v", r.Headers)
	}
	r, _ = b.Serve(Request{Method: "GET", Path: "/file"})
	if header(r, "X-Frame-Options") != "" || header(r, "Content-Type") == "" {
		t.Fatalf("/file headers = %v", r.Headers)
	}
	if !b.Handles(Request{Method: "GET", Path: "/old"}) || !b.Handles(Request{Method: "GET", Path: "/gone"}) {
		t.Fatal("a redirect or rewrite rule's path is the assets' to answer")
	}
	check(t, b, "GET", "/gone", "", want{404, "", ""})
	if header(r, "Bad Name") != "" {
		t.Fatal("an invalid header name from _headers was sent")
	}
}

// Credential files are never served, and a symbolic link is followed only
// when the file it reaches (every link resolved, relative to the
// directory) would be served itself.
func TestLinksAndCredentialFiles(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		".dev.vars": "TOKEN=secret", ".envrc": "export A=1", ".npmrc": "//registry/:_authToken=x", ".netrc": "machine x",
		".pgpass": "*:*:*:*:pw", ".git-credentials": "https://u:p@x", ".yarnrc.yml": "npmAuthToken: x", ".ssh/id_ed25519": "KEY",
		"deploy/ID_RSA": "KEY", ".git/config": "[core]", "wrangler.toml": "name='x'", "private/key.pem": "KEY",
		".assetsignore": "private/\n", "public.txt": "public", "docs/page.html": "page", ".well-known/security.txt": "contact",
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		"notes.txt":      ".dev.vars",                      // the secrets under another name
		"docs/env.txt":   "../.envrc",                      // through a parent
		"chain1.txt":     "chain2.txt",                     // a chain of links ending at a secret
		"chain2.txt":     "docs/../.npmrc",                 //
		"repo":           ".git",                           // a directory link: /repo/config is .git/config
		"config.txt":     "wrangler.toml",                  // the configuration file
		"key.txt":        "private/key.pem",                // what .assetsignore leaves out
		"loop1.txt":      "loop2.txt",                      // a loop
		"loop2.txt":      "loop1.txt",                      //
		"up.txt":         "../outside.txt",                 // out of the directory
		"abs.txt":        filepath.Join(dir, "public.txt"), // absolute: os.Root refuses those
		"alias.txt":      "public.txt",                     // a link to a public file is served
		"pages":          "docs",                           // and a link to a public directory
		"docs/alias.txt": "../public.txt",
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(dir), "outside.txt"), []byte("outside"), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := Open(Options{Directory: dir, HTMLHandling: "none", Hidden: []string{filepath.Join(dir, "wrangler.toml")}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	for _, tc := range []struct {
		path string
		file string // "" for a 404
	}{
		{"/.envrc", ""}, {"/.ENVRC", ""}, {"/.npmrc", ""}, {"/.netrc", ""}, {"/.pgpass", ""}, {"/.git-credentials", ""},
		{"/.yarnrc.yml", ""}, {"/.ssh/id_ed25519", ""}, {"/deploy/ID_RSA", ""},
		{"/notes.txt", ""}, {"/docs/env.txt", ""}, {"/chain1.txt", ""}, {"/chain2.txt", ""},
		{"/repo/config", ""}, {"/config.txt", ""}, {"/key.txt", ""}, {"/loop1.txt", ""}, {"/up.txt", ""}, {"/abs.txt", ""},
		{"/alias.txt", "alias.txt"}, {"/pages/page.html", "pages/page.html"}, {"/docs/alias.txt", "docs/alias.txt"},
		{"/public.txt", "public.txt"}, {"/.well-known/security.txt", ".well-known/security.txt"},
	} {
		w := want{404, "", ""}
		if tc.file != "" {
			w = want{200, tc.file, ""}
		}
		check(t, a, "GET", tc.path, "", w)
	}
	// What was learnt about a link holds only while it reaches the same
	// file: pointed at the secrets, it is a 404 at once.
	if err := os.Remove(filepath.Join(dir, "alias.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(".dev.vars", filepath.Join(dir, "alias.txt")); err != nil {
		t.Fatal(err)
	}
	check(t, a, "GET", "/alias.txt", "", want{404, "", ""})
}

// The cost of answering a request for a file (a nested one: every part of
// its path is checked for links).
func BenchmarkServe(b *testing.B) {
	a := site(&testing.T{}, Options{})
	b.ReportAllocs()
	for b.Loop() {
		if r, err := a.Serve(Request{Method: "GET", Path: "/folder/"}); err != nil || r.Status != 200 {
			b.Fatal(r, err)
		}
	}
}
