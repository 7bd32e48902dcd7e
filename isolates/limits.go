package isolates

import (
	"errors"
	"fmt"
	"time"
)

// ErrResourceLimit matches (with errors.Is) every error that stopped a
// worker for going past a resource limit: [*CPULimitError] and
// [*MemoryLimitError]. Workers answers those with error 1102, "Worker
// exceeded resource limits", as an HTTP 503.
var ErrResourceLimit = errors.New("Worker exceeded resource limits")

// CPULimitError is the reason a request fails and its isolate is replaced
// when JavaScript runs past the CPU limit. The limit bounds one synchronous
// slice of JavaScript (from entering the vm until it returns to the event
// loop) measured in wall-clock time, which is CPU time for a slice that
// never blocks.
type CPULimitError struct {
	Limit time.Duration
	// Startup: the script's top-level code ran past the limit while a new
	// isolate was being set up.
	Startup bool
}

func (e *CPULimitError) Error() string {
	if e.Startup {
		return fmt.Sprintf("Worker exceeded CPU time limit (%s) while evaluating the script at startup", e.Limit)
	}
	return fmt.Sprintf("Worker exceeded CPU time limit (%s)", e.Limit)
}

// Is makes errors.Is(err, ErrResourceLimit) true.
func (e *CPULimitError) Is(target error) bool { return target == ErrResourceLimit }

// MemoryLimitError is the reason an isolate is interrupted or recycled for
// memory. See memory.go for how the heap is measured and attributed.
type MemoryLimitError struct {
	Limit uint64 // bytes per isolate
	// Grew is how much the live heap grew while the interrupted slice ran
	// (hard limit); 0 when the isolate was recycled because the process
	// heap went over budget (soft limit).
	Grew uint64
	// Heap and Budget describe the soft case: the live heap and the
	// process budget it went over.
	Heap, Budget uint64
}

func (e *MemoryLimitError) Error() string {
	if e.Grew > 0 {
		return fmt.Sprintf("Worker exceeded memory limit (%s): the heap grew by %s while one handler ran",
			mib(e.Limit), mib(e.Grew))
	}
	return fmt.Sprintf("Worker exceeded memory limit (%s per isolate): the live heap (%s) is over the budget (%s); isolate recycled",
		mib(e.Limit), mib(e.Heap), mib(e.Budget))
}

// Is makes errors.Is(err, ErrResourceLimit) true.
func (e *MemoryLimitError) Is(target error) bool { return target == ErrResourceLimit }

func mib(n uint64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
