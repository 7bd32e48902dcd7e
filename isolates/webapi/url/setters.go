package url

import "strings"

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

// set returns the record after setting attribute s to value, following the
// URL Standard's setters: invalid values leave the URL unchanged, or
// changed as far as the state machine got (a host setter value
// "example.com:99999" sets the host but not the port); they never fail.
func (r *record) set(s setter, value string) *record {
	value = strings.ToValidUTF8(value, "\uFFFD") // a no-op for JS strings
	u := builderFrom(r)
	switch s {
	case setProtocol:
		_, _ = basicParse(value+":", nil, u, schemeStartState)
	case setUsername, setPassword:
		if u.cannotHaveCredentialsOrPort() {
			return r
		}
		if s == setUsername {
			u.username = percentEncodeString(value, userinfoSet)
		} else {
			u.password = percentEncodeString(value, userinfoSet)
		}
	case setHost, setHostname:
		if u.opaque {
			return r
		}
		state := hostState
		if s == setHostname {
			state = hostnameState
		}
		_, _ = basicParse(value, nil, u, state)
	case setPort:
		if u.cannotHaveCredentialsOrPort() {
			return r
		}
		if value == "" {
			u.port = ""
		} else {
			_, _ = basicParse(value, nil, u, portState)
		}
	case setPathname:
		if u.opaque {
			return r
		}
		u.path = nil
		_, _ = basicParse(value, nil, u, pathStartState)
	case setSearch:
		if value == "" {
			u.query, u.hasQuery = "", false
			break
		}
		u.query, u.hasQuery = "", true
		_, _ = basicParse(strings.TrimPrefix(value, "?"), nil, u, queryState)
	case setHash:
		if value == "" {
			u.fragment, u.hasFragment = "", false
			break
		}
		u.fragment, u.hasFragment = "", true
		_, _ = basicParse(strings.TrimPrefix(value, "#"), nil, u, fragmentState)
	}
	return u.record()
}
