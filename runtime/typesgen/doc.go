// Package typesgen writes a project's worker-configuration.d.ts from its
// resolved configuration, as `wrangler types` does: a Cloudflare.Env
// interface with every binding and var, typed, and a global Env (or the
// name --env-interface gives) extending it, so editors and tsc check
// env.X against wrangler.toml.
//
// Wrangler's shape is kept on purpose: projects written against wrangler's
// generated file type-check unchanged against ours. Where edgerun's
// bindings do more than Workers' (env.HYPERDRIVE's statement API), the file
// also declares those members; they merge with @cloudflare/workers-types'
// Hyperdrive when a project loads both. Other binding types (KVNamespace,
// R2Bucket, Fetcher) are named as wrangler names them and come from
// @cloudflare/workers-types.
package typesgen
