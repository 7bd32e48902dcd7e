package url

import "strings"

// What URLPattern (isolates/webapi/js/urlpattern.js) needs of the URL
// parser: a URL's components as the pattern matches them, and the URL
// Pattern Standard's canonicalization of one component, both as workerd's
// URLPattern (ada-url's) computes them.

// PatternInput is a parsed URL's components as URLPattern matches them:
// the protocol without ':', the search without '?', the hash without '#'.
type PatternInput struct {
	Protocol, Username, Password, Hostname, Port, Pathname, Search, Hash string
	OpaquePath                                                           bool
}

// ParsePatternInput parses input against base (when hasBase) as
// URLPattern's test and exec do; ok is false when either fails to parse.
// Without a base, input is resolved against an empty, non-special URL, as
// workerd does (its parser is given an empty base record rather than
// none): "/books/1" matches with an empty protocol and hostname, and
// "foo" has the pathname "/foo".
func ParsePatternInput(input, base string, hasBase bool) (PatternInput, bool) {
	b := &record{}
	if hasBase {
		var err error
		if b, err = parse(base, nil); err != nil {
			return PatternInput{}, false
		}
	}
	r, err := parse(input, b)
	if err != nil {
		return PatternInput{}, false
	}
	return patternInput(r), true
}

// ParsePatternBase parses a URLPatternInit's baseURL (with no base of its
// own); ok is false when it is not a URL.
func ParsePatternBase(input string) (PatternInput, bool) {
	r, err := parse(input, nil)
	if err != nil {
		return PatternInput{}, false
	}
	return patternInput(r), true
}

func patternInput(r *record) PatternInput {
	return PatternInput{
		Protocol: r.scheme, Username: r.username, Password: r.password, Hostname: r.hostname(),
		Port: r.port, Pathname: r.path, Search: r.query, Hash: r.fragment, OpaquePath: r.opaquePath,
	}
}

// CanonicalizePatternPart canonicalizes value as the URL Pattern
// Standard's "canonicalize a <component>" does, for component one of
// username, password, hostname, port, pathname, opaque-pathname, search
// and hash (protocol and IPv6 hostnames are checked by the caller); ok is
// false where the standard throws a TypeError. protocol is the port's
// scheme (its default port canonicalizes to "").
func CanonicalizePatternPart(component, value, protocol string) (string, bool) {
	if value == "" {
		return "", true
	}
	switch component {
	case "username", "password":
		return percentEncodeString(value, userinfoSet), true
	case "hostname":
		u := &urlBuilder{scheme: "https", host: "dummy.test", hasHost: true}
		if _, err := basicParse(value, nil, u, hostnameState); err != nil {
			return "", false
		}
		return u.host, true
	case "port":
		if protocol == "" {
			protocol = "fake"
		}
		u := &urlBuilder{scheme: protocol, host: "dummy.test", hasHost: true}
		if _, err := basicParse(value, nil, u, portState); err != nil {
			return "", false
		}
		return u.port, true
	case "pathname":
		leadingSlash := strings.HasPrefix(value, "/")
		if !leadingSlash {
			value = "/-" + value
		}
		u := &urlBuilder{scheme: "fake", host: "fake-url", hasHost: true}
		if _, err := basicParse(value, nil, u, pathStartState); err != nil {
			return "", false
		}
		p := u.record().path
		if !leadingSlash {
			if len(p) < 2 {
				return "", false
			}
			p = p[2:]
		}
		return p, true
	case "opaque-pathname":
		r, err := parse("fake:"+value, nil)
		if err != nil {
			return "", false
		}
		return r.path, true
	case "search":
		return percentEncodeString(stripTabAndNewline(value), querySet), true
	case "hash":
		return percentEncodeString(stripTabAndNewline(value), fragmentSet), true
	}
	return "", false
}

func stripTabAndNewline(s string) string {
	if strings.ContainsAny(s, "\t\n\r") {
		s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	}
	return s
}
