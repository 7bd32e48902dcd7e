package runtime

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// logFlushDelay is how long a log line may wait to be written with the
// lines after it. The access log writes a line per request, and a write
// system call per line, made under the logger's lock, serialises the
// requests of a busy server on it. A line that comes after a quiet spell
// is written at once (the terminal of an idle dev server stays live);
// lines that follow it within logFlushDelay are held and written together,
// which no one reading a terminal or a collector notices.
const logFlushDelay = 20 * time.Millisecond

// logBufferLimit is the buffered size that is written at once.
const logBufferLimit = 64 << 10

// LogWriter coalesces log lines into fewer writes. Warnings and errors
// written through NewLogger's logger are written at once, with the lines
// before them; Sync writes what is held (call it before the process
// exits).
type LogWriter struct {
	mu    sync.Mutex
	w     io.Writer
	buf   []byte
	timer *time.Timer
	armed bool
	last  time.Time     // of the last write to w
	delay time.Duration // logFlushDelay; tests change it
}

// NewLogWriter buffers writes to w.
func NewLogWriter(w io.Writer) *LogWriter {
	lw := &LogWriter{w: w, delay: logFlushDelay}
	lw.timer = time.AfterFunc(time.Hour, func() { _ = lw.Sync() })
	lw.timer.Stop()
	return lw
}

// Write writes p (one or more whole lines) at once after a quiet spell,
// else holds it to be written within logFlushDelay.
func (lw *LogWriter) Write(p []byte) (int, error) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	lw.buf = append(lw.buf, p...)
	if len(lw.buf) >= logBufferLimit || !lw.armed && time.Since(lw.last) >= lw.delay {
		return len(p), lw.flushLocked()
	}
	if !lw.armed {
		lw.armed = true
		lw.timer.Reset(lw.delay)
	}
	return len(p), nil
}

// Sync writes what is held.
func (lw *LogWriter) Sync() error {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	return lw.flushLocked()
}

func (lw *LogWriter) flushLocked() error {
	if lw.armed {
		lw.timer.Stop()
		lw.armed = false
	}
	if len(lw.buf) == 0 {
		return nil
	}
	_, err := lw.w.Write(lw.buf)
	lw.last = time.Now()
	if cap(lw.buf) > 4*logBufferLimit {
		lw.buf = nil // a burst's buffer is not kept
	} else {
		lw.buf = lw.buf[:0]
	}
	return err
}

// urgentFlush writes a LogWriter's held lines at once after a warning or
// an error: those must not wait, nor be lost if the process dies next.
type urgentFlush struct {
	slog.Handler
	lw *LogWriter
}

func (h urgentFlush) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		if serr := h.lw.Sync(); err == nil {
			err = serr
		}
	}
	return err
}

func (h urgentFlush) WithAttrs(attrs []slog.Attr) slog.Handler {
	return urgentFlush{h.Handler.WithAttrs(attrs), h.lw}
}

func (h urgentFlush) WithGroup(name string) slog.Handler {
	return urgentFlush{h.Handler.WithGroup(name), h.lw}
}
