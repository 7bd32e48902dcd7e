package runtime

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// [assets]: files are answered before the worker, with Workers' path
// rules; run_worker_first paths and unmatched requests reach the worker;
// env.ASSETS.fetch hands requests to the assets.
func TestAssetsBeforeTheWorker(t *testing.T) {
	a := startApp(t, fixture("assets-app"), nil)
	nav := map[string]string{"Sec-Fetch-Mode": "navigate"}
	for _, tc := range []struct {
		method, path string
		header       map[string]string
		status       int
		body         string
		contentType  string
	}{
		{"GET", "/style.css", nil, 200, "body { margin: 0 }\n", "text/css; charset=utf-8"},
		{"GET", "/about", nil, 200, "about us\n", "text/html; charset=utf-8"},
		{"GET", "/about.html", nil, 307, "", ""},
		{"GET", "/", nil, 200, "<!doctype html><title>app</title>\n", "text/html; charset=utf-8"},
		{"GET", "/api/hello", nil, 200, `{"hello":"world"}`, "application/json"},
		{"GET", "/api/style", nil, 200, "200 text/css; charset=utf-8 body { margin: 0 }\n", "text/plain;charset=UTF-8"},
		{"GET", "/api/missing", nil, 200, "200 <!doctype html>", "text/plain;charset=UTF-8"}, // the single-page app's page
		{"GET", "/dashboard", nil, 200, "worker: GET /dashboard", "text/plain;charset=UTF-8"},
		{"GET", "/dashboard", nav, 200, "<!doctype html><title>app</title>\n", "text/html; charset=utf-8"},
		{"POST", "/style.css", nil, 405, "", ""}, // as in Workers: an asset, not this method
		{"POST", "/api/hello", nil, 200, `{"hello":"world"}`, "application/json"},
	} {
		resp, body := a.do(t, tc.method, tc.path, nil, tc.header)
		if resp.StatusCode != tc.status || body != tc.body || resp.Header.Get("Content-Type") != tc.contentType {
			t.Errorf("%s %s = %d %q (%s); want %d %q (%s)", tc.method, tc.path, resp.StatusCode, body,
				resp.Header.Get("Content-Type"), tc.status, tc.body, tc.contentType)
		}
	}
	if resp, _ := a.do(t, "GET", "/about.html?x=1", nil, nil); resp.Header.Get("Location") != "/about?x=1" {
		t.Errorf("redirect to %q", resp.Header.Get("Location"))
	}

	resp, _ := a.do(t, "GET", "/style.css", nil, nil)
	etag := resp.Header.Get("ETag")
	if etag == "" || resp.Header.Get("Cache-Control") != "public, max-age=0, must-revalidate" {
		t.Fatalf("headers = %v", resp.Header)
	}
	if resp, body := a.do(t, "GET", "/style.css", nil, map[string]string{"If-None-Match": etag}); resp.StatusCode != 304 || body != "" {
		t.Fatalf("If-None-Match = %d %q", resp.StatusCode, body)
	}
	if resp, body := a.do(t, "HEAD", "/style.css", nil, nil); resp.StatusCode != 200 || body != "" ||
		resp.Header.Get("Content-Length") != strconv.Itoa(len("body { margin: 0 }\n")) {
		t.Fatalf("HEAD = %d %q length %q", resp.StatusCode, body, resp.Header.Get("Content-Length"))
	}
}

// A project with [assets] and no main is a static site: the files answer
// every request, not_found_handling included.
func TestAssetsOnlyProject(t *testing.T) {
	a := startApp(t, copyFixture(t, "static-site"), nil)
	for _, tc := range []struct {
		method, path string
		status       int
		body         string
	}{
		{"GET", "/", 200, "<h1>home</h1>\n"},
		{"GET", "/docs/", 200, "docs\n"},
		{"GET", "/docs", 307, ""},
		{"GET", "/nope", 404, "missing\n"},
		{"POST", "/", 405, ""},
	} {
		resp, body := a.do(t, tc.method, tc.path, nil, nil)
		if resp.StatusCode != tc.status || body != tc.body {
			t.Errorf("%s %s = %d %q; want %d %q", tc.method, tc.path, resp.StatusCode, body, tc.status, tc.body)
		}
	}
}

// A project served with directory = "." keeps its secrets: credential
// files get a 404, and so does a symbolic link whose target is one (or
// leaves the directory); a link to a public file is served.
func TestAssetsKeepSecretsBehindLinks(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"wrangler.toml": "name = \"site\"\ncompatibility_date = \"2026-11-01\"\n[assets]\ndirectory = \".\"\n",
		".dev.vars":     "API_TOKEN=hunter2\n", ".envrc": "export API_TOKEN=hunter2\n", ".npmrc": "//registry.npmjs.org/:_authToken=hunter2\n",
		".netrc": "machine x password hunter2\n", "index.html": "<h1>home</h1>\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{"notes.txt": ".dev.vars", "rc.txt": ".envrc", "home.html": "index.html"} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	a := startApp(t, dir, nil)
	for _, tc := range []struct {
		path   string
		status int
		body   string
	}{
		{"/notes.txt", 404, ""}, {"/rc.txt", 404, ""}, {"/.dev.vars", 404, ""}, {"/.envrc", 404, ""},
		{"/.npmrc", 404, ""}, {"/.netrc", 404, ""}, {"/wrangler.toml", 404, ""},
		{"/home", 200, "<h1>home</h1>\n"}, {"/", 200, "<h1>home</h1>\n"},
	} {
		resp, body := a.do(t, "GET", tc.path, nil, nil)
		if resp.StatusCode != tc.status || body != tc.body || strings.Contains(body, "hunter2") {
			t.Errorf("GET %s = %d %q; want %d %q", tc.path, resp.StatusCode, body, tc.status, tc.body)
		}
	}
}
