package isolates

import (
	"context"
	"sync"
)

// Code that runs outside goja on the isolate's goroutine (WebAssembly, on
// wazero) is not stopped by vm.Interrupt, which goja checks only between
// JavaScript instructions. It watches a context instead, one per isolate,
// cancelled with the reason whenever the isolate's JavaScript is
// interrupted. An interrupt always retires the isolate, so the context is
// never reset.
type interruptState struct {
	mu     sync.Mutex
	ctx    context.Context
	cancel context.CancelCauseFunc
	reason error // an interrupt that came before the context was made
}

// InterruptContext is cancelled (with the limit's error as its cause) when
// the isolate's running code is interrupted for going past a limit. Code
// that runs long outside goja on the isolate's goroutine must stop when it
// is done. Made on first use.
func (iso *Isolate) InterruptContext() context.Context {
	s := &iso.interrupts
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx == nil {
		s.ctx, s.cancel = context.WithCancelCause(context.Background())
		if s.reason != nil {
			s.cancel(s.reason)
		}
	}
	return s.ctx
}

// interrupt stops the running JavaScript and whatever watches
// InterruptContext. Any goroutine.
func (iso *Isolate) interrupt(reason error) {
	iso.vm.Interrupt(reason)
	s := &iso.interrupts
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.reason == nil {
		s.reason = reason
	}
	if s.cancel != nil {
		s.cancel(reason)
	}
}

// reset forgets an interrupt that landed after the script's top-level code
// had finished (see limitStartup): nothing outside goja was running then,
// so later calls get a live context.
func (s *interruptState) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.reason != nil {
		s.ctx, s.cancel, s.reason = nil, nil, nil
	}
}
