// Package runtime runs a Workers project: it loads the configuration
// (runtime/config), bundles the entry (runtime/bundle), builds the env
// bindings, keeps a pool of isolates serving the current version of the
// script, and serves HTTP to it with fasthttp. It also owns the admin
// endpoints, logging, live reload and graceful shutdown.
package runtime
