// Package bindings defines what an env binding is: a process-wide resource
// (a database pool, say) described once, that builds its JavaScript value
// once per isolate. Sub-packages implement the binding kinds (hyperdrive/);
// this package also provides plain values ([vars], .dev.vars secrets).
//
// localpg/ is no binding: it is the managed local PostgreSQL that runtime
// starts for a [[hyperdrive]] entry without a connection string, and that
// tests of bindings and runtime start through localpg/pgtest. It sits here,
// beside the binding kinds rather than under hyperdrive/, because bindings
// never import runtime (tests included) and both need it.
package bindings
