package assets

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The assets directory's rule files, as Workers Static Assets reads them:
// _redirects ("/old /new 301", splats and :placeholders, 200 for a
// rewrite) applies before files are matched, _headers ("/path/*" then
// indented "Name: value" or "! Name" lines) to the responses. Both are
// read again when they change (checked at most once a second).

// ruleFile is a file of the directory parsed into T, reloaded on change.
type ruleFile[T any] struct {
	name  string
	parse func(text string) T

	mu      sync.Mutex
	value   T
	mod     time.Time
	size    int64
	checked time.Time
}

func (f *ruleFile[T]) get(a *Assets) T {
	f.mu.Lock()
	defer f.mu.Unlock()
	if now := time.Now(); now.Sub(f.checked) >= time.Second {
		f.checked = now
		fi, err := a.root.Stat(f.name)
		switch {
		case err != nil:
			var zero T
			f.value, f.mod, f.size = zero, time.Time{}, 0
		case !fi.ModTime().Equal(f.mod) || fi.Size() != f.size:
			f.mod, f.size = fi.ModTime(), fi.Size()
			var zero T
			f.value = zero
			if text, err := a.ReadFile(f.name); err == nil {
				f.value = f.parse(string(text))
			}
		}
	}
	return f.value
}

// pattern is a rule's path: literal, or with a splat (*) and :placeholders.
type pattern struct {
	literal string         // for a pattern without * or :name
	re      *regexp.Regexp // otherwise
}

var (
	placeholder        = regexp.MustCompile(`:([A-Za-z]\w*)`)
	leadingPlaceholder = regexp.MustCompile(`^:([A-Za-z]\w*)`)
)

func compilePattern(p string) pattern {
	if !strings.Contains(p, "*") && !placeholder.MatchString(p) {
		return pattern{literal: p}
	}
	var b strings.Builder
	b.WriteString("^")
	splat := false
	for i := 0; i < len(p); {
		switch {
		case p[i] == '*':
			if splat {
				b.WriteString(".*")
			} else {
				b.WriteString("(?P<splat>.*)")
				splat = true
			}
			i++
		case leadingPlaceholder.MatchString(p[i:]):
			m := leadingPlaceholder.FindStringSubmatch(p[i:])
			b.WriteString("(?P<" + m[1] + ">[^/]+)")
			i += len(m[0])
		default:
			b.WriteString(regexp.QuoteMeta(p[i : i+1]))
			i++
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil { // a placeholder named twice: the rule cannot match
		return pattern{literal: "\x00"}
	}
	return pattern{re: re}
}

// match reports whether path matches, with the values of :splat and the
// placeholders.
func (p pattern) match(path string) (map[string]string, bool) {
	if p.re == nil {
		return nil, path == p.literal
	}
	m := p.re.FindStringSubmatch(path)
	if m == nil {
		return nil, false
	}
	vals := map[string]string{}
	for i, name := range p.re.SubexpNames() {
		if name != "" {
			vals[name] = m[i]
		}
	}
	return vals, true
}

// replace fills :splat and :placeholders in s.
func replace(s string, vals map[string]string) string {
	if len(vals) == 0 {
		return s
	}
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		if v, ok := vals[m[1:]]; ok {
			return v
		}
		return m
	})
}

type redirectRule struct {
	from   pattern
	to     string
	status int
}

// parseRedirects reads _redirects: "from to [status]" per line, # comments.
// Static rules (no splat or placeholder) win over dynamic ones, as in
// Workers; otherwise the first matching line applies.
func parseRedirects(text string) []redirectRule {
	var static, dynamic []redirectRule
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 || len(f) > 3 || !strings.HasPrefix(f[0], "/") {
			continue // not a rule (or a host rule, which one location cannot apply)
		}
		status := 302
		if len(f) == 3 {
			n, err := strconv.Atoi(f[2])
			if err != nil {
				continue
			}
			switch n {
			case 200, 301, 302, 303, 307, 308:
				status = n
			default:
				continue
			}
		}
		r := redirectRule{from: compilePattern(f[0]), to: f[1], status: status}
		if r.from.re == nil {
			static = append(static, r)
		} else {
			dynamic = append(dynamic, r)
		}
	}
	return append(static, dynamic...)
}

type headerRule struct {
	path  pattern
	set   [][2]string
	unset []string
}

// parseHeaders reads _headers: a path line, then indented "Name: value"
// (or "! Name" to remove) lines.
func parseHeaders(text string) []headerRule {
	var rules []headerRule
	for _, raw := range strings.Split(text, "\n") {
		line := strings.TrimRight(raw, "\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t") {
			if !strings.HasPrefix(trimmed, "/") {
				rules = append(rules, headerRule{path: pattern{literal: "\x00"}}) // host rules: never match here
				continue
			}
			rules = append(rules, headerRule{path: compilePattern(trimmed)})
			continue
		}
		if len(rules) == 0 {
			continue
		}
		r := &rules[len(rules)-1]
		if name, ok := strings.CutPrefix(trimmed, "!"); ok {
			r.unset = append(r.unset, strings.TrimSpace(name))
			continue
		}
		name, value, ok := strings.Cut(trimmed, ":")
		if !ok || !isToken(strings.TrimSpace(name)) {
			continue // not a header name HTTP allows
		}
		r.set = append(r.set, [2]string{strings.TrimSpace(name), strings.TrimSpace(value)})
	}
	return rules
}

// redirect applies _redirects to a request path: a redirect response, or
// the path to serve instead (a 200 rewrite), or neither.
func (a *Assets) redirect(path, rawQuery string) (resp *Response, rewrite string) {
	for _, r := range a.redirects.get(a) {
		vals, ok := r.from.match(path)
		if !ok {
			continue
		}
		to := replace(r.to, vals)
		if r.status == 200 {
			if i := strings.IndexAny(to, "?#"); i >= 0 {
				to = to[:i]
			}
			return nil, to
		}
		if rawQuery != "" && !strings.Contains(to, "?") {
			// The request's query goes along unless the destination has its own.
			if i := strings.IndexByte(to, '#'); i >= 0 {
				to = to[:i] + "?" + rawQuery + to[i:]
			} else {
				to += "?" + rawQuery
			}
		}
		return &Response{Status: r.status, Headers: [][2]string{{"Location", to}}}, ""
	}
	return nil, ""
}

// withCustomHeaders applies _headers to a response for path: every
// matching rule in order, removing then setting (a header set by an
// earlier rule is appended to by a later one).
func (a *Assets) withCustomHeaders(path string, h [][2]string) [][2]string {
	rules := a.headers.get(a)
	if len(rules) == 0 {
		return h
	}
	set := map[string]bool{}
	for _, r := range rules {
		vals, ok := r.path.match(path)
		if !ok {
			continue
		}
		for _, name := range r.unset {
			h = dropHeader(h, name)
		}
		for _, kv := range r.set {
			key := strings.ToLower(kv[0])
			if !set[key] {
				h = dropHeader(h, kv[0])
				set[key] = true
			}
			h = append(h, [2]string{kv[0], replace(kv[1], vals)})
		}
	}
	return h
}

func dropHeader(h [][2]string, name string) [][2]string {
	out := h[:0:0]
	for _, kv := range h {
		if !strings.EqualFold(kv[0], name) {
			out = append(out, kv)
		}
	}
	return out
}

// isToken reports whether s is an HTTP token (a valid header name).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}
