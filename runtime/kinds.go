package runtime

import (
	"context"

	"edgerun/bindings"
	"edgerun/runtime/config"
)

// A binding kind is described once, in its own file (kind_<name>.go): what
// its config section is called, how its bindings are built for the app,
// and the line each gets in the start-up summary. Its configuration
// (keys, defaults, validation, redaction) lives in runtime/config's file of
// the same name, and its JS object in bindings/<kind>. Adding a kind is
// those files plus one line in bindingKinds; CONTRIBUTING.md walks through
// it, and TestEveryDocumentedKeyReachesItsBinding checks that each key
// README documents for a kind arrives in the binding it builds.

// bindingKind describes one kind of env binding.
type bindingKind struct {
	// section is the wrangler.toml key ("hyperdrive", "kv_namespaces").
	section string
	// open builds the kind's bindings: each is put on env; closers run at
	// shutdown, in reverse order.
	open func(ctx context.Context, a *App) (list []bindings.Binding, closers []func(context.Context) error, err error)
	// summary is one row per binding for BindingsSummary.
	summary func(cfg *config.Config) []summaryRow
}

// openedBindings is an open's answer for a kind whose bindings share one closer
// (their stores'): list as bindings and closeAll as the closers; a nil
// closeAll (no entries) or an error gives nothing.
func openedBindings[B bindings.Binding](list []B, closeAll func(context.Context) error, err error) ([]bindings.Binding, []func(context.Context) error, error) {
	if err != nil || closeAll == nil {
		return nil, nil, err
	}
	out := make([]bindings.Binding, len(list))
	for i, b := range list {
		out[i] = b
	}
	return out, []func(context.Context) error{closeAll}, nil
}

// summaryRow is one line of the bindings summary: env.<name>, its kind,
// and where it lives (never a secret or a password).
type summaryRow struct{ name, kind, where string }

// bindingKinds is every kind, in the order env is built and listed.
var bindingKinds = []bindingKind{
	hyperdriveKind,
	kvKind,
	r2Kind,
	assetsKind,
}
