package url

// The URL setters run the library's state-override parser on a library copy
// of the record (reparsed from href, which always round-trips) and copy the
// result back. They are off the hot path; a reparse costs a few µs.

// setter names a URL attribute with a setter other than href.
type setter int

const (
	setProtocol setter = iota
	setUsername
	setPassword
	setHost
	setHostname
	setPort
	setPathname
	setSearch
	setHash
)

// set returns the record after setting attribute s to value. Invalid values
// leave the URL unchanged (or partly changed, exactly as the standard's
// state machine leaves it), never fail.
func (r *record) set(s setter, value string) *record {
	u, err := libParser.Parse(r.href)
	if err != nil {
		return r
	}
	switch s {
	case setProtocol:
		u.SetProtocol(value)
	case setUsername:
		u.SetUsername(value)
	case setPassword:
		u.SetPassword(value)
	case setHost:
		u.SetHost(value)
	case setHostname:
		u.SetHostname(value)
	case setPort:
		u.SetPort(value)
	case setPathname:
		u.SetPathname(value)
	case setSearch:
		u.SetSearch(value)
	case setHash:
		u.SetHash(value)
	}
	return fromLib(u)
}
