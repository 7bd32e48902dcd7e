package url

import "strings"

// record is a parsed URL (the spec's "URL record") with every component
// already serialised, so that the JS getters are plain field reads. It is
// treated as immutable: a setter builds a new record.
type record struct {
	scheme   string // without the trailing ':'
	username string
	password string
	host     string // serialised host (brackets kept for IPv6); meaningful when hasHost
	port     string // "" when the port is null (or the scheme's default)
	path     string // serialised path, as the pathname getter returns it
	query    string // without '?'; meaningful when hasQuery
	fragment string // without '#'; meaningful when hasFragment

	hasHost     bool
	opaquePath  bool
	hasQuery    bool
	hasFragment bool

	href string // the full serialisation, kept in sync by finish
}

// finish computes href from the components. Every constructor of a record
// calls it once; the fast parser sets href itself when the input already is
// the serialisation.
func (r *record) finish() *record {
	var b strings.Builder
	b.Grow(len(r.scheme) + len(r.username) + len(r.password) + len(r.host) + len(r.port) +
		len(r.path) + len(r.query) + len(r.fragment) + 10)
	b.WriteString(r.scheme)
	b.WriteByte(':')
	if r.hasHost {
		b.WriteString("//")
		if r.username != "" || r.password != "" {
			b.WriteString(r.username)
			if r.password != "" {
				b.WriteByte(':')
				b.WriteString(r.password)
			}
			b.WriteByte('@')
		}
		b.WriteString(r.host)
		if r.port != "" {
			b.WriteByte(':')
			b.WriteString(r.port)
		}
	} else if !r.opaquePath && strings.HasPrefix(r.path, "//") {
		// Without the "/." a reparse would read the path's first segment
		// as a host.
		b.WriteString("/.")
	}
	b.WriteString(r.path)
	if r.hasQuery {
		b.WriteByte('?')
		b.WriteString(r.query)
	}
	if r.hasFragment {
		b.WriteByte('#')
		b.WriteString(r.fragment)
	}
	r.href = b.String()
	return r
}

func (r *record) protocol() string { return r.scheme + ":" }

func (r *record) hostAndPort() string {
	if !r.hasHost {
		return ""
	}
	if r.port == "" {
		return r.host
	}
	return r.host + ":" + r.port
}

func (r *record) hostname() string {
	if !r.hasHost {
		return ""
	}
	return r.host
}

func (r *record) search() string {
	if !r.hasQuery || r.query == "" {
		return ""
	}
	return "?" + r.query
}

func (r *record) hash() string {
	if !r.hasFragment || r.fragment == "" {
		return ""
	}
	return "#" + r.fragment
}

// origin serialises the URL's origin; opaque origins serialise as "null".
func (r *record) origin() string {
	switch r.scheme {
	case "http", "https", "ws", "wss", "ftp":
		return r.scheme + "://" + r.hostAndPort()
	case "blob":
		inner, err := parse(r.path, nil)
		if err == nil && (inner.scheme == "http" || inner.scheme == "https") {
			return inner.origin()
		}
	}
	return "null"
}

// withQuery returns a copy of r whose query is the already-encoded q;
// hasQuery says whether the query is non-null.
func (r *record) withQuery(q string, hasQuery bool) *record {
	c := *r
	c.query, c.hasQuery = q, hasQuery
	if !hasQuery {
		c.query = ""
	}
	return c.finish()
}

// isSpecial reports the special schemes.
func isSpecial(scheme string) bool {
	switch scheme {
	case "http", "https", "ws", "wss", "ftp", "file":
		return true
	}
	return false
}

// defaultPort is a special scheme's default port ("" for file and for
// non-special schemes).
func defaultPort(scheme string) string {
	switch scheme {
	case "http", "ws":
		return "80"
	case "https", "wss":
		return "443"
	case "ftp":
		return "21"
	}
	return ""
}
