package config

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
)

// resolveSSLRootCerts makes every connection string's sslrootcert (and the
// client's sslcert and sslkey) absolute,
// relative to the project directory: the file sits in the project, and a
// path relative to wherever edgerun happens to be started would break as
// soon as it runs from another directory (pgx, like libpq, reads it
// relative to the working directory). "system" (the system's roots) is
// left alone. A file that does not exist is an error on the entry's line,
// so a typo is seen at start, not as a handshake failure on the first
// query.
func (r *resolver) resolveSSLRootCerts(cfg *Config) {
	for i := range cfg.Hyperdrive {
		h := &cfg.Hyperdrive[i]
		where := "localConnectionString"
		if h.ConnectionStringSource != "" {
			where = h.ConnectionStringSource
		}
		h.LocalConnectionString = r.resolveSSLRootCert(cfg, h, where, h.LocalConnectionString)
		h.FallbackConnectionString = r.resolveSSLRootCert(cfg, h, "fallback_connection_string", h.FallbackConnectionString)
		for j, s := range h.ReplicaConnectionStrings {
			h.ReplicaConnectionStrings[j] = r.resolveSSLRootCert(cfg, h, fmt.Sprintf("replica_connection_strings[%d]", j), s)
		}
	}
}

// tlsFileParams name files; pgx reads each relative to the working directory.
var tlsFileParams = []string{"sslrootcert", "sslcert", "sslkey"}

func (r *resolver) resolveSSLRootCert(cfg *Config, h *Hyperdrive, where, conn string) string {
	for _, key := range tlsFileParams {
		name, ok, err := connParam(conn, key)
		if err != nil || !ok || name == "" || (key == "sslrootcert" && name == "system") {
			continue // a string pgx cannot parse was reported by checkConnString
		}
		path := r.abs(cfg, name)
		if key == "sslrootcert" {
			// pgx would refuse it only when the binding opens, as "unable
			// to add CA to cert pool"; here the message names the entry.
			if data, err := os.ReadFile(path); err == nil && !x509.NewCertPool().AppendCertsFromPEM(data) {
				r.d.errorAt(r.d.doc.file, h.Line, "hyperdrive %q: %s: sslrootcert %q (%s) holds no PEM certificate; give the CA certificate (-----BEGIN CERTIFICATE-----).",
					h.Binding, where, name, path)
				continue
			}
		}
		if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
			reason := "is not a file"
			if errors.Is(err, os.ErrNotExist) {
				reason = "does not exist"
			} else if err != nil {
				reason = err.Error()
			}
			hint := "give the file's path, relative to the project directory"
			if key == "sslrootcert" {
				hint = "give the CA certificate's path, relative to the project directory, or sslrootcert=system for the system's roots"
			}
			r.d.errorAt(r.d.doc.file, h.Line, "hyperdrive %q: %s: %s %q (%s) %s; %s.", h.Binding, where, key, name, path, reason, hint)
			continue
		}
		if path != name {
			if out, err := setConnParam(conn, key, path); err == nil {
				conn = out
			}
		}
	}
	return conn
}

// connParam returns the value of key in a PostgreSQL connection string,
// a postgres:// URL or libpq's keyword/value form.
func connParam(conn, key string) (value string, ok bool, err error) {
	if isConnURL(conn) {
		u, err := url.Parse(conn)
		if err != nil {
			return "", false, err
		}
		q := u.Query()
		if _, ok := q[key]; !ok {
			return "", false, nil
		}
		return q.Get(key), true, nil // pgx reads the first value too
	}
	pairs, err := parseKeywordValue(conn)
	if err != nil {
		return "", false, err
	}
	for i := len(pairs) - 1; i >= 0; i-- { // the last one wins, as in libpq
		if pairs[i].key == key {
			return pairs[i].value, true, nil
		}
	}
	return "", false, nil
}

// setConnParam returns conn with key set to value, the rest unchanged.
func setConnParam(conn, key, value string) (string, error) {
	if isConnURL(conn) {
		u, err := url.Parse(conn)
		if err != nil {
			return "", err
		}
		q := u.Query()
		q.Set(key, value)
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	pairs, err := parseKeywordValue(conn)
	if err != nil {
		return "", err
	}
	quoted := quoteKeywordValue(value)
	for i := len(pairs) - 1; i >= 0; i-- {
		if p := pairs[i]; p.key == key {
			return conn[:p.start] + quoted + conn[p.end:], nil
		}
	}
	// The last value is quoted before appending: unquoted, a trailing
	// "key=" or "key=x\" (a lone backslash) would take in what follows.
	if n := len(pairs); n > 0 {
		last := pairs[n-1]
		conn = conn[:last.start] + quoteKeywordValue(last.value) + conn[last.end:]
	}
	return strings.TrimRight(conn, " \t\n\r\f\v") + " " + key + "=" + quoted, nil
}

// withoutTLSFiles blanks the parameters naming files (pgx reads them while
// parsing, relative to the working directory), so that a syntax check
// neither depends on where edgerun runs nor reports a missing file as bad
// syntax: resolveSSLRootCerts checks sslrootcert's file on its own.
func withoutTLSFiles(conn string) string {
	for _, k := range tlsFileParams {
		if _, ok, err := connParam(conn, k); err == nil && ok {
			if out, err := setConnParam(conn, k, ""); err == nil {
				conn = out
			}
		}
	}
	return conn
}

func isConnURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// keywordValue is one key=value of libpq's keyword/value form; start and
// end are the byte span of the value as written (quotes included).
type keywordValue struct {
	key, value string
	start, end int
}

// parseKeywordValue reads libpq's keyword/value form: key = value pairs
// separated by spaces, a value either single-quoted (\' and \\ escaped) or
// a run of non-space characters (backslash escapes the next one).
func parseKeywordValue(s string) ([]keywordValue, error) {
	var out []keywordValue
	i := 0
	skip := func() {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
	}
	for {
		skip()
		if i == len(s) {
			return out, nil
		}
		k := i
		for i < len(s) && s[i] != '=' && !isSpace(s[i]) {
			i++
		}
		key := s[k:i]
		if key == "" {
			return nil, errors.New("a value without a key")
		}
		skip()
		if i == len(s) || s[i] != '=' {
			return nil, fmt.Errorf("missing \"=\" after %q", key)
		}
		i++
		skip()
		start := i
		var v strings.Builder
		if i < len(s) && s[i] == '\'' {
			i++
			for {
				if i == len(s) {
					return nil, errors.New("unterminated quoted value")
				}
				c := s[i]
				if c == '\'' {
					i++
					break
				}
				if c == '\\' && i+1 < len(s) {
					i++
					c = s[i]
				}
				v.WriteByte(c)
				i++
			}
		} else {
			for i < len(s) && !isSpace(s[i]) {
				c := s[i]
				if c == '\\' && i+1 < len(s) {
					i++
					c = s[i]
				}
				v.WriteByte(c)
				i++
			}
		}
		out = append(out, keywordValue{key: key, value: v.String(), start: start, end: i})
	}
}

func quoteKeywordValue(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}
