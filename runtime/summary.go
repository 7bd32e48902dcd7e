package runtime

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"edgerun/runtime/config"
)

// BindingsSummary lists what the worker finds on env, one line each, as
// wrangler dev prints it at start: name, kind, and where it lives. Secrets'
// values and passwords are never shown.
func BindingsSummary(cfg *config.Config) []string {
	var rows []summaryRow
	for _, kind := range bindingKinds {
		rows = append(rows, kind.summary(cfg)...)
	}
	names := make([]string, 0, len(cfg.Vars))
	for k := range cfg.Vars {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if _, secret := cfg.Secrets[k]; secret {
			continue
		}
		b, _ := json.Marshal(cfg.Vars[k])
		v := string(b)
		if len(v) > 40 {
			v = v[:37] + "..."
		}
		rows = append(rows, summaryRow{k, "Var", v})
	}
	secrets := make([]string, 0, len(cfg.Secrets))
	for k := range cfg.Secrets {
		secrets = append(secrets, k)
	}
	sort.Strings(secrets)
	for _, k := range secrets {
		rows = append(rows, summaryRow{k, "Secret", "(hidden)"})
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r.name))
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprintf("env.%-*s  %-12s  %s", width, r.name, r.kind, r.where)
	}
	return out
}

// endpointOf is a connection string without its credentials: host:port/db.
// Everything up to the last @ goes first, since a password may hold the
// characters a URL parser splits at (/, ?, #).
func endpointOf(connString string) string {
	scheme, rest, ok := strings.Cut(connString, "://")
	if !ok {
		return "(connection string)" // key=value form: nothing safe to pick out cheaply
	}
	if i := strings.LastIndex(rest, "@"); i >= 0 {
		rest = rest[i+1:]
	}
	u, err := url.Parse(scheme + "://" + rest)
	if err != nil || u.Host == "" {
		return "(connection string)"
	}
	return u.Host + "/" + strings.TrimPrefix(u.Path, "/")
}
