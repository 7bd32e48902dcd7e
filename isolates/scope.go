package isolates

import (
	"context"
	"sync"

	"github.com/dop251/goja"
)

// Scope is one request's identity inside an isolate. The isolate makes it
// current while any JavaScript that descends from the request runs, including
// promise continuations and timers the request created.
type Scope struct {
	// Ctx is cancelled when the request is abandoned (client gone before
	// the answer, deadline) or over (its waitUntil work and body done): work
	// after the answer (ctx.waitUntil) still runs with it.
	Ctx context.Context
	// ID is unique within the process.
	ID uint64

	mu sync.Mutex
	// A request keeps one or two values (the server's end-of-request
	// func, a binding's state): they sit here, and only more go to a map,
	// which would cost two allocations per request.
	first  [2]scopeValue
	values map[any]any

	// Loop-only: the timers the request set that have not fired or been
	// cleared, and whether it has ended (see [Isolate.EndScope]).
	timers map[int64]struct{}
	ended  bool
	onEnd  []func()
}

// NewScope returns a scope for one request.
func NewScope(ctx context.Context, id uint64) *Scope {
	return &Scope{Ctx: ctx, ID: id}
}

// Value returns per-request state stored under key by [Scope.SetValue].
func (s *Scope) Value(key any) any {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.first {
		if s.first[i].set && s.first[i].key == key {
			return s.first[i].value
		}
	}
	return s.values[key]
}

type scopeValue struct {
	key, value any
	set        bool
}

// SetValue stores per-request state; bindings use a private key type.
func (s *Scope) SetValue(key, value any) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.first {
		if f := &s.first[i]; !f.set || f.key == key {
			*f = scopeValue{key, value, true}
			return
		}
	}
	if s.values == nil {
		s.values = make(map[any]any, 2)
	}
	s.values[key] = value
}

// OnEnd registers fn to run on the loop when the request ends
// ([Isolate.EndScope]), or runs it now if it has: what a request owns
// beyond its timers (its sockets) ends with it. Loop goroutine only.
func (s *Scope) OnEnd(fn func()) {
	if s.ended {
		fn()
		return
	}
	s.onEnd = append(s.onEnd, fn)
}

// Context returns the scope's context, or context.Background for code that
// runs outside any request (module top level, scheduled work without one).
func (s *Scope) Context() context.Context {
	if s == nil || s.Ctx == nil {
		return context.Background()
	}
	return s.Ctx
}

// asyncContext is what a continuation resumes with: the request and the
// async context frame current when it was created.
type asyncContext struct {
	scope *Scope
	frame goja.Value
}

// scopeTracker implements goja.AsyncContextTracker so that continuations run
// with the scope (and async context frame) that was current when they were
// created. Without a frame, the scope itself is the token: no allocation.
type scopeTracker struct{ iso *Isolate }

func (t scopeTracker) Grab() any {
	iso := t.iso
	if iso.frame == nil {
		return iso.scope
	}
	if g := iso.grabbed; g != nil && g.scope == iso.scope && g.frame == iso.frame {
		return g
	}
	g := &asyncContext{scope: iso.scope, frame: iso.frame}
	iso.grabbed = g
	return g
}

func (t scopeTracker) Resumed(obj any) {
	iso := t.iso
	iso.scopeStack = append(iso.scopeStack, asyncContext{iso.scope, iso.frame})
	switch c := obj.(type) {
	case *Scope:
		iso.scope, iso.frame = c, nil
	case *asyncContext:
		iso.scope, iso.frame = c.scope, c.frame
	default:
		iso.scope, iso.frame = nil, nil
	}
}

func (t scopeTracker) Exited() {
	iso := t.iso
	n := len(iso.scopeStack)
	if n == 0 {
		iso.scope, iso.frame = nil, nil
		return
	}
	c := iso.scopeStack[n-1]
	iso.scope, iso.frame = c.scope, c.frame
	iso.scopeStack[n-1] = asyncContext{}
	iso.scopeStack = iso.scopeStack[:n-1]
}
