package modules

import (
	"fmt"
	"slices"
	"strings"
)

// Mode is a Node.js compatibility mode, as wrangler names workerd's.
type Mode string

const (
	// ModeNone: no flag; a node: import is a build error with a hint.
	ModeNone Mode = ""
	// ModeALS: nodejs_als; only node:async_hooks.
	ModeALS Mode = "als"
	// ModeV1: nodejs_compat before 2024-09-23; the modules edgerun
	// implements, by their node: names only, and no globals.
	ModeV1 Mode = "v1"
	// ModeV2: nodejs_compat_v2, or nodejs_compat from 2024-09-23; bare
	// names too, every Node built-in (the ones Workers only stubs throw
	// when called), and the Buffer and process globals.
	ModeV2 Mode = "v2"
)

// Compat is what a project's compatibility date and flags say about
// built-in modules.
type Compat struct {
	Mode Mode
	// PopulateProcessEnv fills process.env with the worker's text vars and
	// secrets (nodejs_compat_populate_process_env, on with nodejs_compat
	// from 2025-04-01).
	PopulateProcessEnv bool
}

// v2Date and populateEnvDate are the dates from which nodejs_compat implies
// nodejs_compat_v2 and nodejs_compat_populate_process_env
// (workerd's compatibility-date.capnp).
const (
	v2Date          = "2024-09-23"
	populateEnvDate = "2025-04-01"
)

// CompatFor applies workerd's rules to a compatibility date (YYYY-MM-DD,
// "" for none: edgerun's current behaviour) and flags.
func CompatFor(date string, flags []string) Compat {
	has := func(f string) bool { return slices.Contains(flags, f) }
	after := func(d string) bool { return date == "" || date >= d }
	var c Compat
	compat := has("nodejs_compat")
	switch {
	case has("nodejs_compat_v2") || (compat && after(v2Date) && !has("no_nodejs_compat_v2")):
		c.Mode = ModeV2
	case compat:
		c.Mode = ModeV1
	case has("nodejs_als"):
		c.Mode = ModeALS
	}
	if c.Mode == ModeV2 || c.Mode == ModeV1 {
		c.PopulateProcessEnv = has("nodejs_compat_populate_process_env") ||
			(compat && after(populateEnvDate) && !has("nodejs_compat_do_not_populate_process_env"))
	}
	return c
}

// nodeNames are Node's built-in module names (Node 20's
// require("module").builtinModules, without the internal _ ones).
var nodeNames = []string{"assert", "assert/strict", "async_hooks", "buffer", "child_process", "cluster", "console",
	"constants", "crypto", "dgram", "diagnostics_channel", "dns", "dns/promises", "domain", "events", "fs",
	"fs/promises", "http", "http2", "https", "inspector", "inspector/promises", "module", "net", "os", "path",
	"path/posix", "path/win32", "perf_hooks", "process", "punycode", "querystring", "readline",
	"readline/promises", "repl", "stream", "stream/consumers", "stream/promises", "stream/web",
	"string_decoder", "sys", "timers", "timers/promises", "tls", "trace_events", "tty", "url", "util",
	"util/types", "v8", "vm", "wasi", "worker_threads", "zlib"}

// IsNodeName reports whether name (without node:) is a Node built-in.
func IsNodeName(name string) bool { return slices.Contains(nodeNames, name) }

// ResolveError is a specifier that names a built-in the project's
// compatibility settings do not provide.
type ResolveError struct {
	Specifier string
	Hint      string
}

// Error is the hint (the bundler reports it after "Could not resolve"),
// or workerd's run-time "No such module" without one.
func (e *ResolveError) Error() string {
	if e.Hint == "" {
		return fmt.Sprintf("No such module %q.", e.Specifier)
	}
	return e.Hint
}

// Resolve says whether spec names a built-in module under c: its
// canonical id ("node:buffer", "cloudflare:sockets") when it does; ok is
// false for specifiers the bundler should resolve itself (files, packages,
// and bare names such as "events" outside v2, which may be npm packages).
// A name that is a built-in c does not provide is a *ResolveError
// explaining what to add.
func Resolve(spec string, c Compat) (id string, ok bool, err error) {
	if strings.HasPrefix(spec, "cloudflare:") {
		if _, known := registry[spec]; !known {
			return "", false, &ResolveError{Specifier: spec, Hint: fmt.Sprintf("No such module %q: edgerun provides %s.", spec, strings.Join(cloudflareIDs(), ", "))}
		}
		return spec, true, nil
	}
	name, prefixed := strings.CutPrefix(spec, "node:")
	if !IsNodeName(name) && !(prefixed && nodeOnlyPrefixed(name)) {
		if prefixed {
			return "", false, &ResolveError{Specifier: spec, Hint: fmt.Sprintf("No such module %q: it is not a Node.js built-in module.", spec)}
		}
		return "", false, nil
	}
	id = "node:" + name
	if name == "sys" {
		id = "node:util" // Node's deprecated alias
	}
	switch c.Mode {
	case ModeV2:
		if _, known := registry[id]; known {
			return id, true, nil
		}
		return "", false, &ResolveError{Specifier: spec, Hint: fmt.Sprintf("No such module %q: edgerun does not provide this Node.js module.", spec)}
	case ModeV1:
		if !prefixed {
			return "", false, nil
		}
		if b, known := registry[id]; known && !b.stub {
			return id, true, nil
		}
		return "", false, &ResolveError{Specifier: spec, Hint: fmt.Sprintf(`No such module %q: under nodejs_compat before 2024-09-23 only the modules workerd implements resolve; add the "nodejs_compat_v2" compatibility flag, or set compatibility_date to 2024-09-23 or later.`, spec)}
	case ModeALS:
		if id == "node:async_hooks" && prefixed {
			return id, true, nil
		}
	}
	if !prefixed {
		return "", false, nil
	}
	return "", false, &ResolveError{Specifier: spec, Hint: nodeCompatHint(spec)}
}

// nodeCompatHint is the advice for a Node.js built-in imported without
// nodejs_compat, as wrangler gives it.
func nodeCompatHint(spec string) string {
	return fmt.Sprintf(`The package %q wasn't found on the file system but is built into node. Add the "nodejs_compat" compatibility flag to your project: compatibility_flags = ["nodejs_compat"] in wrangler.toml.`, spec)
}

// nodeOnlyPrefixed are built-ins Node has only as node:<name>.
func nodeOnlyPrefixed(name string) bool { return name == "test" || name == "sqlite" || name == "sea" }

func cloudflareIDs() []string {
	var out []string
	for id := range registry {
		if strings.HasPrefix(id, "cloudflare:") {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// BareNameHint is the advice for a bare Node built-in name (say "events")
// that no npm package provides either, under c: "" when c takes bare names
// over itself (v2) or name is no built-in.
func BareNameHint(name string, c Compat) string {
	if !IsNodeName(name) || c.Mode == ModeV2 {
		return ""
	}
	if c.Mode == ModeV1 {
		return `Node.js built-ins resolve by their bare names only under nodejs_compat_v2: import "node:` + name + `", add the "nodejs_compat_v2" compatibility flag, or set compatibility_date to 2024-09-23 or later.`
	}
	return nodeCompatHint(name)
}
