package config

import (
	"fmt"
	"log/slog"
	"maps"
	"regexp"
	"strings"
)

// redacted replaces a password; pgx uses the same marker.
const redacted = "xxxxx"

var (
	// keyword=value connection strings: password=secret, password='a b\'c'.
	dsnPassword = regexp.MustCompile(`(?i)(\b(?:ssl)?password\s*=\s*)('(?:\\.|[^'\\])*'?|[^\s]*)`)
	// URL query parameters: ?password=secret&…
	queryPassword = regexp.MustCompile(`(?i)([?&](?:ssl)?password=)[^&#]*`)
)

// RedactConnectionString returns s with every password replaced by "xxxxx":
// the user-info password of a URL (postgres://user:secret@host/db), password
// and sslpassword query parameters, and password=… in keyword/value strings.
// It never fails: a string it cannot make sense of is scanned for those
// patterns anyway, so a malformed URL does not leak its password either.
func RedactConnectionString(s string) string {
	if s == "" {
		return s
	}
	if scheme := strings.Index(s, "://"); scheme >= 0 {
		rest := s[scheme+3:]
		// The user info ends at the last '@' before the query: a password
		// may hold an unescaped '@' or '/', a query value cannot move it.
		authEnd := len(rest)
		if q := strings.IndexAny(rest, "?#"); q >= 0 {
			authEnd = q
		}
		if at := strings.LastIndexByte(rest[:authEnd], '@'); at >= 0 {
			if colon := strings.IndexByte(rest[:at], ':'); colon >= 0 {
				rest = rest[:colon+1] + redacted + rest[at:]
			}
		}
		s = s[:scheme+3] + rest
		return queryPassword.ReplaceAllString(s, "${1}"+redacted)
	}
	return dsnPassword.ReplaceAllString(s, "${1}"+redacted)
}

// String describes the binding for logs, with passwords redacted.
func (h Hyperdrive) String() string {
	conn := RedactConnectionString(h.LocalConnectionString)
	if conn == "" {
		conn = "(managed local PostgreSQL)"
	}
	return fmt.Sprintf("hyperdrive %s (id %s): %s", h.Binding, h.ID, conn)
}

// LogValue makes slog print the binding with passwords redacted.
func (h Hyperdrive) LogValue() slog.Value {
	r := h.Redacted()
	return slog.GroupValue(
		slog.String("binding", r.Binding),
		slog.String("id", r.ID),
		slog.String("localConnectionString", r.LocalConnectionString),
		slog.String("source", r.ConnectionStringSource),
		slog.String("fallback", r.FallbackConnectionString),
		slog.Any("replicas", r.ReplicaConnectionStrings),
	)
}

// Redacted returns a copy of h whose connection strings have their passwords
// replaced by "xxxxx".
func (h Hyperdrive) Redacted() Hyperdrive {
	h.LocalConnectionString = RedactConnectionString(h.LocalConnectionString)
	h.FallbackConnectionString = RedactConnectionString(h.FallbackConnectionString)
	replicas := make([]string, len(h.ReplicaConnectionStrings))
	for i, r := range h.ReplicaConnectionStrings {
		replicas[i] = RedactConnectionString(r)
	}
	h.ReplicaConnectionStrings = replicas
	return h
}

// Redacted returns a copy of c that is safe to print or log: connection
// strings have their passwords replaced and every secret's value is
// "xxxxx". Vars are kept: wrangler treats them as public (secrets belong in
// .dev.vars).
func (c *Config) Redacted() *Config {
	out := *c
	out.Hyperdrive = make([]Hyperdrive, len(c.Hyperdrive))
	for i, h := range c.Hyperdrive {
		out.Hyperdrive[i] = h.Redacted()
	}
	out.Secrets = make(map[string]string, len(c.Secrets))
	for k := range c.Secrets {
		out.Secrets[k] = redacted
	}
	out.Vars = maps.Clone(c.Vars)
	return &out
}

// String summarises the configuration for logs; it never includes secret
// values or passwords.
func (c *Config) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s", c.Name, c.Path)
	if c.Env != "" {
		fmt.Fprintf(&b, ", env %s", c.Env)
	}
	fmt.Fprintf(&b, "): main %s, compatibility_date %s", c.Main, c.CompatibilityDate)
	for _, h := range c.Hyperdrive {
		b.WriteString("; ")
		b.WriteString(h.String())
	}
	for _, kv := range c.KVNamespaces {
		b.WriteString("; ")
		b.WriteString(kv.String())
	}
	if len(c.Vars) > 0 || len(c.Secrets) > 0 {
		fmt.Fprintf(&b, "; %d vars, %d secrets", len(c.Vars), len(c.Secrets))
	}
	return b.String()
}
