package isolates

import (
	"context"
	"testing"
)

func TestScopeOnEndRunsOnceWhenTheRequestEnds(t *testing.T) {
	iso := newIsolate(t)
	s := NewScope(context.Background(), 1)
	var runs []string
	err := iso.Do(func() error {
		s.OnEnd(func() { runs = append(runs, "a") })
		s.OnEnd(func() { runs = append(runs, "b") })
		if len(runs) != 0 {
			t.Errorf("hooks ran before the request ended: %v", runs)
		}
		iso.EndScope(s)
		iso.EndScope(s) // a second end is a no-op
		s.OnEnd(func() { runs = append(runs, "late") })
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(runs); got != 3 || runs[0] != "a" || runs[1] != "b" || runs[2] != "late" {
		t.Fatalf("hooks ran %v, want [a b late]", runs)
	}
}
