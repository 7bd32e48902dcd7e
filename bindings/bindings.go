package bindings

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/dop251/goja"

	"edgerun/isolates"
)

// Binding is one entry of a worker's env.
type Binding interface {
	// Name is the env property the binding appears under.
	Name() string
	// Value builds the binding's JS value for one isolate. It runs on that
	// isolate's goroutine, once per isolate.
	Value(iso *isolates.Isolate) (goja.Value, error)
	// Close releases process-wide resources (pools, servers).
	Close(ctx context.Context) error
}

// Plain is a binding whose value is JSON-compatible data: a [vars] entry or
// a secret.
type Plain struct {
	name  string
	value any
	json  string
}

var _ Binding = (*Plain)(nil)

// NewPlain returns a binding for a JSON-compatible Go value (string, number,
// bool, nil, []any, map[string]any).
func NewPlain(name string, value any) (*Plain, error) {
	p := &Plain{name: name, value: value}
	if _, isString := value.(string); !isString {
		b, err := json.Marshal(value)
		if err != nil {
			return nil, fmt.Errorf("var %q: %w", name, err)
		}
		p.json = string(b)
	}
	return p, nil
}

func (p *Plain) Name() string { return p.name }

func (p *Plain) Value(iso *isolates.Isolate) (goja.Value, error) {
	vm := iso.Runtime()
	if s, ok := p.value.(string); ok {
		return vm.ToValue(s), nil
	}
	// Through JSON.parse so objects and arrays are ordinary JS values, not
	// wrapped Go maps.
	v, err := iso.JSONParse(p.json)
	if err != nil {
		return nil, fmt.Errorf("var %q: %w", p.name, err)
	}
	return v, nil
}

func (p *Plain) Close(context.Context) error { return nil }

// Env builds the env object for one isolate from bindings, in order (a later
// binding with the same name wins).
func Env(iso *isolates.Isolate, list []Binding) (*goja.Object, error) {
	env := iso.Runtime().NewObject()
	for _, b := range list {
		v, err := b.Value(iso)
		if err != nil {
			return nil, fmt.Errorf("binding %q: %w", b.Name(), err)
		}
		if err := env.Set(b.Name(), v); err != nil {
			return nil, fmt.Errorf("binding %q: %w", b.Name(), err)
		}
	}
	return env, nil
}
