package isolates

import (
	"context"
	"testing"
)

// A scope's first two values sit in the scope itself, the rest in a map:
// every key keeps its latest value either way.
func TestScopeValues(t *testing.T) {
	type k1 struct{}
	type k2 struct{}
	type k3 struct{}
	s := NewScope(context.Background(), 1)
	if v := s.Value(k1{}); v != nil {
		t.Fatalf("unset key: %v", v)
	}
	s.SetValue(k1{}, "a")
	s.SetValue(k2{}, "b")
	s.SetValue(k3{}, "c")
	s.SetValue(k1{}, "a2")
	s.SetValue(k3{}, "c2")
	for _, tc := range []struct {
		key  any
		want any
	}{{k1{}, "a2"}, {k2{}, "b"}, {k3{}, "c2"}, {"other", nil}} {
		if got := s.Value(tc.key); got != tc.want {
			t.Errorf("Value(%T) = %v, want %v", tc.key, got, tc.want)
		}
	}
	var nilScope *Scope
	nilScope.SetValue(k1{}, 1)
	if v := nilScope.Value(k1{}); v != nil {
		t.Errorf("nil scope: %v", v)
	}
}
