package assets

import (
	"net/url"
	"path"
	"strings"
)

// The matching of paths to files follows Workers Static Assets'
// html_handling modes; in every mode a file that exists at the exact path
// is served there, and not_found_handling decides what a path that matches
// nothing gets. Redirects are only made to a path that would serve the
// same file ("safe" redirects), so they never loop.

type resolver struct {
	a        *Assets
	notFound string
	err      error
}

// resolve finds what the decoded path p serves; nil when nothing (and
// not_found_handling has no page either).
func (a *Assets) resolve(p, notFound string) (*intent, error) {
	r := &resolver{a: a, notFound: notFound}
	it := r.intent(p, false)
	return it, r.err
}

func (r *resolver) exists(p string) string {
	if r.err != nil {
		return ""
	}
	etag, err := r.a.exists(p)
	if err != nil {
		r.err = err
	}
	return etag
}

func (r *resolver) serve(file, etag string) *intent {
	return &intent{file: file, etag: etag, status: 200}
}

// serveIf serves file if it exists.
func (r *resolver) serveIf(file string) *intent {
	if etag := r.exists(file); etag != "" {
		return r.serve(file, etag)
	}
	return nil
}

// redirect is a redirect to dest when dest serves file and is not itself a
// file; nil otherwise (or when redirects are being skipped, while checking
// what dest serves).
func (r *resolver) redirect(file, dest string, skip bool) *intent {
	if skip || dest == "" || r.exists(dest) != "" {
		return nil
	}
	it := r.intent(dest, true)
	if it != nil && it.redirect == "" && it.etag != "" && it.etag == r.exists(file) {
		return &intent{redirect: dest}
	}
	return nil
}

// first returns the first non-nil intent.
func first(candidates ...func() *intent) *intent {
	for _, c := range candidates {
		if it := c(); it != nil {
			return it
		}
	}
	return nil
}

func (r *resolver) intent(p string, skip bool) *intent {
	var it *intent
	switch r.a.opts.HTMLHandling {
	case "none":
		it = r.serveIf(p)
	case "force-trailing-slash":
		it = r.forceTrailingSlash(p, skip)
	case "drop-trailing-slash":
		it = r.dropTrailingSlash(p, skip)
	default:
		it = r.autoTrailingSlash(p, skip)
	}
	if it != nil {
		return it
	}
	return r.notFoundPage(p)
}

// autoTrailingSlash: /file.html is served at /file, /dir/index.html at
// /dir/; the other spellings redirect there.
func (r *resolver) autoTrailingSlash(p string, skip bool) *intent {
	exact := r.exists(p)
	var it *intent
	switch {
	case strings.HasSuffix(p, "/index"):
		if exact != "" {
			return r.serve(p, exact)
		}
		it = first(
			func() *intent { return r.redirect(p+".html", strings.TrimSuffix(p, "index"), skip) },
			func() *intent {
				return r.redirect(strings.TrimSuffix(p, "/index")+".html", strings.TrimSuffix(p, "/index"), skip)
			})
	case strings.HasSuffix(p, "/index.html"):
		it = first(
			func() *intent { return r.redirect(p, strings.TrimSuffix(p, "index.html"), skip) },
			func() *intent {
				return r.redirect(strings.TrimSuffix(p, "/index.html")+".html", strings.TrimSuffix(p, "/index.html"), skip)
			})
	case strings.HasSuffix(p, "/"):
		it = first(
			func() *intent { return r.serveIf(p + "index.html") },
			func() *intent {
				return r.redirect(strings.TrimSuffix(p, "/")+".html", strings.TrimSuffix(p, "/"), skip)
			})
	case strings.HasSuffix(p, ".html"):
		base := strings.TrimSuffix(p, ".html")
		it = first(
			func() *intent { return r.redirect(p, base, skip) },
			func() *intent { return r.redirect(base+"/index.html", base+"/", skip) })
	}
	if it != nil {
		return it
	}
	if exact != "" {
		return r.serve(p, exact)
	}
	return first(
		func() *intent { return r.serveIf(p + ".html") },
		func() *intent { return r.redirect(p+"/index.html", p+"/", skip) })
}

// forceTrailingSlash: every HTML page is served at a path ending in /.
func (r *resolver) forceTrailingSlash(p string, skip bool) *intent {
	exact := r.exists(p)
	var it *intent
	switch {
	case strings.HasSuffix(p, "/index"):
		if exact != "" {
			return r.serve(p, exact)
		}
		dir := strings.TrimSuffix(p, "index")
		it = first(
			func() *intent { return r.redirect(p+".html", dir, skip) },
			func() *intent { return r.redirect(strings.TrimSuffix(p, "/index")+".html", dir, skip) })
	case strings.HasSuffix(p, "/index.html"):
		dir := strings.TrimSuffix(p, "index.html")
		it = first(
			func() *intent { return r.redirect(p, dir, skip) },
			func() *intent { return r.redirect(strings.TrimSuffix(p, "/index.html")+".html", dir, skip) })
	case strings.HasSuffix(p, "/"):
		it = first(
			func() *intent { return r.serveIf(p + "index.html") },
			func() *intent { return r.serveIf(strings.TrimSuffix(p, "/") + ".html") })
	case strings.HasSuffix(p, ".html"):
		base := strings.TrimSuffix(p, ".html")
		it = first(
			func() *intent { return r.redirect(p, base+"/", skip) },
			func() *intent {
				if exact != "" {
					return r.serve(p, exact)
				}
				return nil
			},
			func() *intent { return r.redirect(base+"/index.html", base+"/", skip) })
	}
	if it != nil {
		return it
	}
	if exact != "" {
		return r.serve(p, exact)
	}
	return first(
		func() *intent { return r.redirect(p+".html", p+"/", skip) },
		func() *intent { return r.redirect(p+"/index.html", p+"/", skip) })
}

// dropTrailingSlash: every HTML page is served at a path without a
// trailing / (the root excepted).
func (r *resolver) dropTrailingSlash(p string, skip bool) *intent {
	exact := r.exists(p)
	var it *intent
	switch {
	case strings.HasSuffix(p, "/index"):
		if exact != "" {
			return r.serve(p, exact)
		}
		if p == "/index" {
			it = r.redirect("/index.html", "/", skip)
			break
		}
		dir := strings.TrimSuffix(p, "/index")
		it = first(
			func() *intent { return r.redirect(dir+".html", dir, skip) },
			func() *intent { return r.redirect(p+".html", dir, skip) })
	case strings.HasSuffix(p, "/index.html"):
		if p == "/index.html" {
			it = r.redirect("/index.html", "/", skip)
			break
		}
		dir := strings.TrimSuffix(p, "/index.html")
		it = first(
			func() *intent { return r.redirect(p, dir, skip) },
			func() *intent {
				if exact != "" {
					return r.serve(p, exact)
				}
				return nil
			},
			func() *intent { return r.redirect(dir+".html", dir, skip) })
	case strings.HasSuffix(p, "/"):
		if p == "/" {
			it = r.serveIf("/index.html")
			break
		}
		dir := strings.TrimSuffix(p, "/")
		it = first(
			func() *intent { return r.redirect(dir+".html", dir, skip) },
			func() *intent { return r.redirect(dir+"/index.html", dir, skip) })
	case strings.HasSuffix(p, ".html"):
		base := strings.TrimSuffix(p, ".html")
		it = first(
			func() *intent { return r.redirect(p, base, skip) },
			func() *intent { return r.redirect(base+"/index.html", base, skip) })
	}
	if it != nil {
		return it
	}
	if exact != "" {
		return r.serve(p, exact)
	}
	return first(
		func() *intent { return r.serveIf(p + ".html") },
		func() *intent { return r.serveIf(p + "/index.html") })
}

// notFoundPage is not_found_handling's answer for a path that matches no
// file: the root index.html (200) for a single-page application, the
// nearest 404.html (404) for 404-page, nothing for none.
func (r *resolver) notFoundPage(p string) *intent {
	switch r.notFound {
	case "single-page-application":
		return r.serveIf("/index.html")
	case "404-page":
		for dir := p; dir != ""; {
			dir = dir[:strings.LastIndex(dir, "/")]
			if etag := r.exists(dir + "/404.html"); etag != "" {
				return &intent{file: dir + "/404.html", etag: etag, status: 404}
			}
		}
	}
	return nil
}

// decodePath decodes each segment of a request path, as
// decodeURIComponent does (a segment that does not decode stays as it
// is).
func decodePath(raw string) string {
	parts := strings.Split(raw, "/")
	for i, part := range parts {
		if d, err := url.PathUnescape(part); err == nil {
			parts[i] = d
		}
	}
	// Dot segments go, as URL parsing removes them ("/a/./b", "/%2e%2e/"),
	// and repeated slashes collapse; a trailing slash stays.
	p := strings.Join(parts, "/")
	clean := path.Clean("/" + p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	return clean
}

// encodePath encodes each segment as encodeURIComponent does: the
// canonical spelling of a path.
func encodePath(p string) string {
	parts := strings.Split(p, "/")
	for i, part := range parts {
		parts[i] = encodeURIComponent(part)
	}
	return strings.Join(parts, "/")
}

func encodeURIComponent(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.!~*'()", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

// globMatch matches a run_worker_first rule, in which * stands for any
// run of characters, / included.
func globMatch(pattern, s string) bool {
	star := strings.IndexByte(pattern, '*')
	if star < 0 {
		return pattern == s
	}
	if !strings.HasPrefix(s, pattern[:star]) {
		return false
	}
	rest := pattern[star+1:]
	for i := star; i <= len(s); i++ {
		if globMatch(rest, s[i:]) {
			return true
		}
	}
	return false
}
