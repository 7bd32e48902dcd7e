// Package bindings defines what an env binding is: a process-wide resource
// (a database pool, say) described once, that builds its JavaScript value
// once per isolate. Sub-packages implement the binding kinds (hyperdrive/);
// this package also provides plain values ([vars], .dev.vars secrets).
package bindings
