package url

import "strings"

// parse runs the basic URL parser on input against an optional base.
// Plain absolute http(s) URLs, the shape of every request.url, take a fast
// path that builds the record directly.
func parse(input string, base *record) (*record, error) {
	if r := parseFast(input); r != nil {
		return r, nil
	}
	u, err := basicParse(input, base, nil, noOverride)
	if err != nil {
		return nil, errInvalidURL
	}
	return u.record(), nil
}

// parseFast parses an absolute "http://" or "https://" URL of printable
// ASCII whose serialisation needs no work beyond lowercasing the host and
// dropping a default port: no credentials, an ASCII host of letters, digits,
// '-', '_' and '.' that does not end in a number, no dot segments and no
// character that any component would percent-encode. It returns nil for
// anything else, and the state machine decides. FuzzFastPath checks that
// both agree.
func parseFast(s string) *record {
	var scheme string
	switch {
	case strings.HasPrefix(s, "https://"):
		scheme = "https"
	case strings.HasPrefix(s, "http://"):
		scheme = "http"
	default:
		return nil
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return nil
		}
	}
	rest := s[len(scheme)+3:]
	authEnd := strings.IndexAny(rest, "/?#")
	if authEnd < 0 {
		authEnd = len(rest)
	}
	// changed records whether the serialisation differs from s.
	rawHost, port, changed := rest[:authEnd], "", false
	if i := strings.IndexByte(rawHost, ':'); i >= 0 {
		rawPort := rawHost[i+1:]
		rawHost = rawHost[:i]
		var ok bool
		if port, ok = normalizePort(rawPort, scheme); !ok {
			return nil
		}
		changed = port == "" || port != rawPort
	}
	host, ok := fastHost(rawHost)
	if !ok {
		return nil
	}
	changed = changed || host != rawHost
	r := &record{scheme: scheme, host: host, port: port, hasHost: true}
	rest = rest[authEnd:]

	pathEnd := strings.IndexAny(rest, "?#")
	if pathEnd < 0 {
		pathEnd = len(rest)
	}
	r.path = rest[:pathEnd]
	if r.path == "" {
		r.path, changed = "/", true
	} else if !fastPath(r.path) {
		return nil
	}
	rest = rest[pathEnd:]

	if strings.HasPrefix(rest, "?") {
		end := strings.IndexByte(rest, '#')
		if end < 0 {
			end = len(rest)
		}
		r.query, r.hasQuery = rest[1:end], true
		if strings.ContainsAny(r.query, "\"'<>") {
			return nil
		}
		rest = rest[end:]
	}
	if strings.HasPrefix(rest, "#") {
		r.fragment, r.hasFragment = rest[1:], true
		if strings.ContainsAny(r.fragment, "\"<>`") {
			return nil
		}
	}
	if changed {
		return r.finish()
	}
	// Most inputs already are their serialisation: reuse the string.
	r.href = s
	return r
}

// normalizePort turns a port of ASCII digits into its decimal form, "" for
// an empty port or the scheme's default; ok is false when it is not a
// valid port.
func normalizePort(p, scheme string) (string, bool) {
	if p == "" {
		return "", true
	}
	n := 0
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c < '0' || c > '9' {
			return "", false
		}
		n = n*10 + int(c-'0')
		if n > 65535 {
			return "", false
		}
	}
	var digits [5]byte
	i := len(digits)
	for {
		i--
		digits[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	out := string(digits[i:])
	if out == defaultPort(scheme) {
		return "", true
	}
	return out, true
}

// fastHost accepts hosts that the domain parser would only lowercase.
func fastHost(h string) (string, bool) {
	if h == "" {
		return "", false
	}
	upper := false
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_', c == '.':
		case 'A' <= c && c <= 'Z':
			upper = true
		default:
			return "", false
		}
	}
	// The last label (ignoring one trailing dot) must start with a letter,
	// so the host never "ends in a number" and is never IPv4 — unless it is
	// an IPv4 address already in its serialised form (127.0.0.1).
	last := strings.TrimSuffix(h, ".")
	if i := strings.LastIndexByte(last, '.'); i >= 0 {
		last = last[i+1:]
	}
	if last == "" || !isASCIIAlpha(last[0]) {
		return h, canonicalIPv4(h)
	}
	if upper {
		h = strings.ToLower(h)
	}
	return h, true
}

// canonicalIPv4 reports whether h is four dot-separated decimal numbers
// 0–255 without leading zeros: what the IPv4 parser would serialise it as.
func canonicalIPv4(h string) bool {
	for part := range 4 {
		n, digits := 0, 0
		for len(h) > 0 && '0' <= h[0] && h[0] <= '9' {
			if digits == 1 && n == 0 {
				return false // leading zero: octal in the parser
			}
			n = n*10 + int(h[0]-'0')
			digits++
			h = h[1:]
			if n > 255 {
				return false
			}
		}
		if digits == 0 {
			return false
		}
		if part < 3 {
			if len(h) == 0 || h[0] != '.' {
				return false
			}
			h = h[1:]
		}
	}
	return h == ""
}

func isASCIIAlpha(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// fastPath accepts a path starting with '/' that the path state would copy
// unchanged: nothing to percent-encode and no "." or ".." segment (in any
// of their percent-encoded spellings).
func fastPath(p string) bool {
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '"', '<', '>', '`', '{', '}', '^':
			return false
		}
	}
	for seg := p[1:]; ; {
		s := seg
		next := strings.IndexByte(seg, '/')
		if next >= 0 {
			s = seg[:next]
		}
		if len(s) > 0 && len(s) <= 6 && (s[0] == '.' || s[0] == '%') && isDotSegment(s) {
			return false
		}
		if next < 0 {
			return true
		}
		seg = seg[next+1:]
	}
}

func isDotSegment(s string) bool {
	switch strings.ToLower(s) {
	case ".", "%2e", "..", ".%2e", "%2e.", "%2e%2e":
		return true
	}
	return false
}
