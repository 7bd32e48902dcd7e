// Package config loads a Workers project's configuration the way wrangler
// does: from wrangler.json, wrangler.jsonc or wrangler.toml (that precedence
// within one directory, nearest directory first), with wrangler's field names,
// its [env.<name>] inheritance rules, its .dev.vars / .env secrets files and
// its CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_<BINDING> override (and
// edgerun's own EDGERUN_* overrides for the strings that hold passwords: a
// binding's fallback and replicas, KV's and R2's stores, the cron lock).
//
// It owns:
//   - finding and parsing the file (TOML, or JSON with comments and trailing
//     commas), reporting every syntax and semantic error as file:line;
//   - resolving the selected environment: inheritable keys (name, main,
//     compatibility_date, triggers, limits, …) fall back to the top level,
//     bindings (vars, hyperdrive, kv_namespaces, …) do not. As in wrangler,
//     inheritance is per top-level key: an [env.x.limits] table replaces
//     [limits] whole, it is not merged with it;
//   - applying defaults, so that a [Config] is complete: every field holds the
//     value edgerun will use, and paths are absolute;
//   - edgerun's own knobs: extra keys inside each [[hyperdrive]] entry and
//     [limits], and the top-level [edgerun] table. wrangler warns about the
//     latter ("Unexpected fields found") but otherwise ignores it, so one file
//     serves both tools;
//   - keeping secrets out of logs ([RedactConnectionString], [Config.Redacted]).
//
// Unknown keys are warnings, never errors, as in wrangler. Wrangler keys that
// edgerun accepts but does not implement (r2_buckets, durable_objects, …) are
// warnings too, so a worker does not silently see an undefined binding.
//
// The package reads files and nothing else: the process environment comes in
// through [Options.Getenv], so tests and callers decide what it holds.
package config
