package url

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// This file is the URL Standard's basic URL parser
// (https://url.spec.whatwg.org/#concept-basic-url-parser), state for state.
// Buffers are substrings of the input, percent-encoded once when a
// component ends, so parsing is linear in the input. whatwg-url, which the
// tests use as an oracle, is quadratic in userinfo length, opaque-host
// length and path segment count (seconds for a 100 KB input), and Go code
// cannot be interrupted by vm.Interrupt.

// errInvalidURL is the parser's failure; JS sees it as
// TypeError("Invalid URL string.").
var errInvalidURL = errors.New("invalid URL")

type parserState int

const (
	noOverride parserState = iota
	schemeStartState
	schemeState
	noSchemeState
	specialRelativeOrAuthorityState
	pathOrAuthorityState
	relativeState
	relativeSlashState
	specialAuthoritySlashesState
	specialAuthorityIgnoreSlashesState
	authorityState
	hostState
	hostnameState
	portState
	fileState
	fileSlashState
	fileHostState
	pathStartState
	pathState
	opaquePathState
	queryState
	fragmentState
)

const eof = -1

// urlBuilder is a URL record while the parser works on it: the path is a
// list of segments, so that ".." can drop one.
type urlBuilder struct {
	scheme, username, password string
	host                       string
	hasHost                    bool
	port                       string
	path                       []string
	opaque                     bool // path is the single opaque segment path[0]
	query, fragment            string
	hasQuery, hasFragment      bool
}

func (u *urlBuilder) special() bool { return isSpecial(u.scheme) }

func (u *urlBuilder) includesCredentials() bool { return u.username != "" || u.password != "" }

// cannotHaveCredentialsOrPort is the spec's "cannot have a
// username/password/port".
func (u *urlBuilder) cannotHaveCredentialsOrPort() bool {
	return !u.hasHost || u.host == "" || u.scheme == "file"
}

// shortenPath drops the last segment, except a lone Windows drive letter
// of a file URL.
func (u *urlBuilder) shortenPath() {
	if u.scheme == "file" && len(u.path) == 1 && isNormalizedWindowsDriveLetter(u.path[0]) {
		return
	}
	if len(u.path) > 0 {
		u.path = u.path[:len(u.path)-1]
	}
}

func builderFrom(r *record) *urlBuilder {
	u := &urlBuilder{
		scheme: r.scheme, username: r.username, password: r.password,
		host: r.host, hasHost: r.hasHost, port: r.port,
		query: r.query, hasQuery: r.hasQuery,
		fragment: r.fragment, hasFragment: r.hasFragment,
		opaque: r.opaquePath,
	}
	u.path = r.pathSegments()
	return u
}

func (u *urlBuilder) record() *record {
	r := &record{
		scheme: u.scheme, username: u.username, password: u.password,
		host: u.host, hasHost: u.hasHost, port: u.port,
		query: u.query, hasQuery: u.hasQuery,
		fragment: u.fragment, hasFragment: u.hasFragment,
		opaquePath: u.opaque,
	}
	switch {
	case u.opaque:
		r.path = u.path[0]
	case len(u.path) > 0:
		r.path = "/" + strings.Join(u.path, "/")
	}
	return r.finish()
}

// pathSegments splits a serialised path back into its segments (lossless:
// a segment never contains '/').
func (r *record) pathSegments() []string {
	switch {
	case r.opaquePath:
		return []string{r.path}
	case r.path == "":
		return nil
	}
	return strings.Split(r.path[1:], "/")
}

// basicParse runs the basic URL parser. With override == noOverride it
// parses input against base into a new URL; otherwise it changes url from
// the given state, as the setters do, and may change it even when it then
// fails (the standard's setters ignore the failure and keep the changes).
func basicParse(input string, base *record, url *urlBuilder, override parserState) (*urlBuilder, error) {
	if !utf8.ValidString(input) {
		// JS strings arrive as valid UTF-8; this only guards Go callers.
		input = strings.ToValidUTF8(input, "\uFFFD")
	}
	if url == nil {
		url = &urlBuilder{}
		input = trimC0ControlOrSpace(input)
	}
	if strings.ContainsAny(input, "\t\n\r") {
		input = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(input)
	}

	state := override
	if state == noOverride {
		state = schemeStartState
	}
	var (
		s                 = input // the cleaned input
		i                 = 0     // byte offset of c
		bufStart          = 0     // where the current buffer began
		atSignSeen        = false
		insideBrackets    = false
		passwordTokenSeen = false
		basePath          []string // base's path segments, split on first use
		username          strings.Builder
		password          strings.Builder
	)
	basePathCopy := func() []string {
		if basePath == nil {
			basePath = base.pathSegments()
		}
		return append([]string(nil), basePath...)
	}
	remainingStartsWith := func(size int, prefix string) bool {
		return strings.HasPrefix(s[min(i+size, len(s)):], prefix)
	}

	for {
		c, size := rune(eof), 0
		if i < len(s) {
			c, size = rune(s[i]), 1
			if c >= utf8.RuneSelf {
				c, size = utf8.DecodeRuneInString(s[i:])
			}
		}
		reprocess := false // the spec's "decrease pointer by 1"

		switch state {
		case schemeStartState:
			switch {
			case isASCIIAlphaRune(c):
				bufStart = i
				state = schemeState
			case override == noOverride:
				state, reprocess = noSchemeState, true
			default:
				return url, errInvalidURL
			}

		case schemeState:
			switch {
			case isASCIIAlphaRune(c) || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.':
			case c == ':':
				buffer := strings.ToLower(s[bufStart:i])
				if override != noOverride {
					if url.special() != isSpecial(buffer) {
						return url, nil
					}
					if (url.includesCredentials() || url.port != "") && buffer == "file" {
						return url, nil
					}
					if url.scheme == "file" && url.hasHost && url.host == "" {
						return url, nil
					}
				}
				url.scheme = buffer
				if override != noOverride {
					if url.port == defaultPort(url.scheme) {
						url.port = ""
					}
					return url, nil
				}
				switch {
				case url.scheme == "file":
					state = fileState
				case url.special() && base != nil && base.scheme == url.scheme:
					state = specialRelativeOrAuthorityState
				case url.special():
					state = specialAuthoritySlashesState
				case remainingStartsWith(size, "/"):
					state = pathOrAuthorityState
					i++ // skip the '/'
				default:
					url.path, url.opaque = []string{""}, true
					state = opaquePathState
					bufStart = i + size
				}
			case override == noOverride:
				// Not a scheme after all: start over without one.
				state, i, reprocess = noSchemeState, 0, true
			default:
				return url, errInvalidURL
			}

		case noSchemeState:
			switch {
			case base == nil || base.opaquePath && c != '#':
				return url, errInvalidURL
			case base.opaquePath && c == '#':
				url.scheme = base.scheme
				url.path, url.opaque = []string{base.path}, true
				url.query, url.hasQuery = base.query, base.hasQuery
				url.fragment, url.hasFragment = "", true
				state = fragmentState
				bufStart = i + size
			case base.scheme != "file":
				state, reprocess = relativeState, true
			default:
				state, reprocess = fileState, true
			}

		case specialRelativeOrAuthorityState:
			if c == '/' && remainingStartsWith(size, "/") {
				state = specialAuthorityIgnoreSlashesState
				i++
			} else {
				state, reprocess = relativeState, true
			}

		case pathOrAuthorityState:
			if c == '/' {
				state = authorityState
				bufStart = i + size
			} else {
				state, reprocess = pathState, true
				bufStart = i
			}

		case relativeState:
			url.scheme = base.scheme
			switch {
			case c == '/':
				state = relativeSlashState
			case c == '\\' && url.special():
				state = relativeSlashState
			default:
				url.username, url.password = base.username, base.password
				url.host, url.hasHost, url.port = base.host, base.hasHost, base.port
				url.path = basePathCopy()
				url.query, url.hasQuery = base.query, base.hasQuery
				switch c {
				case '?':
					url.query, url.hasQuery = "", true
					state = queryState
					bufStart = i + size
				case '#':
					url.fragment, url.hasFragment = "", true
					state = fragmentState
					bufStart = i + size
				case eof:
				default:
					url.query, url.hasQuery = "", false
					url.shortenPath()
					state, reprocess = pathState, true
					bufStart = i
				}
			}

		case relativeSlashState:
			switch {
			case (c == '/' || c == '\\') && url.special():
				state = specialAuthorityIgnoreSlashesState
			case c == '/':
				state = authorityState
				bufStart = i + size
			default:
				url.username, url.password = base.username, base.password
				url.host, url.hasHost, url.port = base.host, base.hasHost, base.port
				state, reprocess = pathState, true
				bufStart = i
			}

		case specialAuthoritySlashesState:
			if c == '/' && remainingStartsWith(size, "/") {
				state = specialAuthorityIgnoreSlashesState
				i++
			} else {
				state, reprocess = specialAuthorityIgnoreSlashesState, true
			}

		case specialAuthorityIgnoreSlashesState:
			if c != '/' && c != '\\' {
				state, reprocess = authorityState, true
				bufStart = i
			}

		case authorityState:
			switch {
			case c == '@':
				// The buffer's code points go to the username until the
				// first ':' and to the password after it; an earlier '@'
				// becomes part of them as %40.
				target := &username
				if passwordTokenSeen {
					target = &password
				}
				if atSignSeen {
					target.WriteString("%40")
				}
				atSignSeen = true
				buffer := s[bufStart:i]
				if !passwordTokenSeen {
					if colon := strings.IndexByte(buffer, ':'); colon >= 0 {
						percentEncode(&username, buffer[:colon], userinfoSet)
						buffer, passwordTokenSeen, target = buffer[colon+1:], true, &password
					}
				}
				percentEncode(target, buffer, userinfoSet)
				bufStart = i + size
			case c == eof || c == '/' || c == '?' || c == '#' || c == '\\' && url.special():
				if atSignSeen && bufStart == i {
					return url, errInvalidURL
				}
				url.username, url.password = username.String(), password.String()
				// Reparse the buffer as the host.
				i, reprocess = bufStart, true
				state = hostState
				continue
			}

		case hostState, hostnameState:
			switch {
			case override != noOverride && url.scheme == "file":
				state, reprocess = fileHostState, true
			case c == ':' && !insideBrackets:
				if bufStart == i {
					return url, errInvalidURL
				}
				if override == hostnameState {
					return url, errInvalidURL
				}
				host, err := parseHost(s[bufStart:i], !url.special())
				if err != nil {
					return url, err
				}
				url.host, url.hasHost = host, true
				state = portState
				bufStart = i + size
			case c == eof || c == '/' || c == '?' || c == '#' || c == '\\' && url.special():
				reprocess = true
				buffer := s[bufStart:i]
				if url.special() && buffer == "" {
					return url, errInvalidURL
				}
				if override != noOverride && buffer == "" && (url.includesCredentials() || url.port != "") {
					return url, nil
				}
				host, err := parseHost(buffer, !url.special())
				if err != nil {
					return url, err
				}
				url.host, url.hasHost = host, true
				state = pathStartState
				if override != noOverride {
					return url, nil
				}
			default:
				if c == '[' {
					insideBrackets = true
				} else if c == ']' {
					insideBrackets = false
				}
			}

		case portState:
			switch {
			case '0' <= c && c <= '9':
			case c == eof || c == '/' || c == '?' || c == '#' || c == '\\' && url.special() || override != noOverride:
				if bufStart != i {
					port, ok := normalizePort(s[bufStart:i], url.scheme)
					if !ok {
						return url, errInvalidURL
					}
					url.port = port
					if override != noOverride {
						return url, nil
					}
				}
				if override != noOverride {
					return url, errInvalidURL
				}
				state, reprocess = pathStartState, true
			default:
				return url, errInvalidURL
			}

		case fileState:
			url.scheme = "file"
			url.host, url.hasHost = "", true
			switch {
			case c == '/' || c == '\\':
				state = fileSlashState
			case base != nil && base.scheme == "file":
				url.host, url.hasHost = base.host, base.hasHost
				url.path = basePathCopy()
				url.query, url.hasQuery = base.query, base.hasQuery
				switch c {
				case '?':
					url.query, url.hasQuery = "", true
					state = queryState
					bufStart = i + size
				case '#':
					url.fragment, url.hasFragment = "", true
					state = fragmentState
					bufStart = i + size
				case eof:
				default:
					url.query, url.hasQuery = "", false
					if !startsWithWindowsDriveLetter(s[i:]) {
						url.shortenPath()
					} else {
						url.path = nil
					}
					state, reprocess = pathState, true
					bufStart = i
				}
			default:
				state, reprocess = pathState, true
				bufStart = i
			}

		case fileSlashState:
			if c == '/' || c == '\\' {
				state = fileHostState
				bufStart = i + size
			} else {
				if base != nil && base.scheme == "file" {
					url.host, url.hasHost = base.host, base.hasHost
					if bp := basePathCopy(); !startsWithWindowsDriveLetter(s[i:]) && len(bp) > 0 && isNormalizedWindowsDriveLetter(bp[0]) {
						url.path = append(url.path, bp[0])
					}
				}
				state, reprocess = pathState, true
				bufStart = i
			}

		case fileHostState:
			switch c {
			case eof, '/', '\\', '?', '#':
				reprocess = true
				buffer := s[bufStart:i]
				switch {
				case override == noOverride && isWindowsDriveLetter(buffer):
					// The drive letter quirk: the buffer becomes the
					// first path segment instead.
					state = pathState
				case buffer == "":
					url.host, url.hasHost = "", true
					if override != noOverride {
						return url, nil
					}
					state = pathStartState
				default:
					host, err := parseHost(buffer, !url.special())
					if err != nil {
						return url, err
					}
					if host == "localhost" {
						host = ""
					}
					url.host, url.hasHost = host, true
					if override != noOverride {
						return url, nil
					}
					state = pathStartState
				}
			}

		case pathStartState:
			switch {
			case url.special():
				state = pathState
				bufStart = i + size
				if c != '/' && c != '\\' {
					reprocess = true
					bufStart = i
				}
			case override == noOverride && c == '?':
				url.query, url.hasQuery = "", true
				state = queryState
				bufStart = i + size
			case override == noOverride && c == '#':
				url.fragment, url.hasFragment = "", true
				state = fragmentState
				bufStart = i + size
			case c != eof:
				state = pathState
				bufStart = i + size
				if c != '/' {
					reprocess = true
					bufStart = i
				}
			case override != noOverride && !url.hasHost:
				url.path = append(url.path, "")
			}

		case pathState:
			if c == eof || c == '/' || c == '\\' && url.special() || override == noOverride && (c == '?' || c == '#') {
				buffer := percentEncodeString(s[bufStart:i], pathSet)
				slash := c == '/' || c == '\\' && url.special()
				switch {
				case isDoubleDotSegment(buffer):
					url.shortenPath()
					if !slash {
						url.path = append(url.path, "")
					}
				case isSingleDotSegment(buffer):
					if !slash {
						url.path = append(url.path, "")
					}
				default:
					if url.scheme == "file" && len(url.path) == 0 && isWindowsDriveLetter(buffer) {
						buffer = buffer[:1] + ":"
					}
					url.path = append(url.path, buffer)
				}
				bufStart = i + size
				switch c {
				case '?':
					url.query, url.hasQuery = "", true
					state = queryState
				case '#':
					url.fragment, url.hasFragment = "", true
					state = fragmentState
				}
			}

		case opaquePathState:
			if c == '?' || c == '#' || c == eof {
				var b strings.Builder
				raw := s[bufStart:i]
				// A space right before the query or fragment is encoded so
				// that removing them later leaves no trailing space.
				trailingSpace := c != eof && strings.HasSuffix(raw, " ")
				if trailingSpace {
					raw = raw[:len(raw)-1]
				}
				percentEncode(&b, raw, c0ControlSet)
				if trailingSpace {
					b.WriteString("%20")
				}
				url.path = []string{b.String()}
				bufStart = i + size
				switch c {
				case '?':
					url.query, url.hasQuery = "", true
					state = queryState
				case '#':
					url.fragment, url.hasFragment = "", true
					state = fragmentState
				}
			}

		case queryState:
			if override == noOverride && c == '#' || c == eof {
				set := querySet
				if url.special() {
					set = specialQuerySet
				}
				url.query, url.hasQuery = url.query+percentEncodeString(s[bufStart:i], set), true
				bufStart = i + size
				if c == '#' {
					url.fragment, url.hasFragment = "", true
					state = fragmentState
				}
			}

		case fragmentState:
			if c == eof {
				url.fragment, url.hasFragment = url.fragment+percentEncodeString(s[bufStart:i], fragmentSet), true
			}
		}

		if reprocess {
			continue
		}
		if c == eof {
			return url, nil
		}
		i += size
		// Characters that a state only adds to its buffer (a substring of
		// the input) need no visit: jump to the next one that matters.
		if stops := skipStops[state]; stops != nil {
			for i < len(s) && !stops[s[i]] {
				i++
			}
		}
	}
}

// skipStops lists, per state, the bytes that can end the state or change
// its flags; every other byte only extends the buffer.
var skipStops = func() (stops [fragmentState + 1]*[256]bool) {
	set := func(chars string) *[256]bool {
		var t [256]bool
		for i := 0; i < len(chars); i++ {
			t[chars[i]] = true
		}
		return &t
	}
	notDigits := set("")
	for c := range notDigits {
		notDigits[c] = c < '0' || c > '9'
	}
	stops[authorityState] = set("@/\\?#")
	stops[hostState] = set(":[]/\\?#")
	stops[hostnameState] = stops[hostState]
	stops[portState] = notDigits
	stops[fileHostState] = set("/\\?#")
	stops[pathState] = stops[fileHostState]
	stops[opaquePathState] = set("?#")
	stops[queryState] = set("#")
	stops[fragmentState] = set("")
	return stops
}()

func trimC0ControlOrSpace(s string) string {
	start, end := 0, len(s)
	for start < end && s[start] <= ' ' {
		start++
	}
	for end > start && s[end-1] <= ' ' {
		end--
	}
	return s[start:end]
}

func isASCIIAlphaRune(c rune) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

func isWindowsDriveLetter(s string) bool {
	return len(s) == 2 && isASCIIAlpha(s[0]) && (s[1] == ':' || s[1] == '|')
}

func isNormalizedWindowsDriveLetter(s string) bool {
	return len(s) == 2 && isASCIIAlpha(s[0]) && s[1] == ':'
}

// startsWithWindowsDriveLetter: a drive letter followed by the end or one
// of / \ ? #.
func startsWithWindowsDriveLetter(s string) bool {
	if len(s) < 2 || !isWindowsDriveLetter(s[:2]) {
		return false
	}
	if len(s) == 2 {
		return true
	}
	switch s[2] {
	case '/', '\\', '?', '#':
		return true
	}
	return false
}

func isSingleDotSegment(s string) bool {
	return s == "." || len(s) == 3 && strings.EqualFold(s, "%2e")
}

func isDoubleDotSegment(s string) bool {
	switch len(s) {
	case 2:
		return s == ".."
	case 4:
		return strings.EqualFold(s, ".%2e") || strings.EqualFold(s, "%2e.")
	case 6:
		return strings.EqualFold(s, "%2e%2e")
	}
	return false
}
