package runtime

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// NewLogger returns the process logger: "pretty" is wrangler-like lines for
// a terminal ("[edgerun:info] GET / 200 OK (3ms)"; console.log output
// printed as is), "json" is one JSON object per line (log/slog). When w
// is a *LogWriter, warnings and errors are written at once.
func NewLogger(w io.Writer, format string, level slog.Level) (*slog.Logger, error) {
	var h slog.Handler
	switch format {
	case "", "pretty":
		h = &prettyHandler{w: w, level: level, mu: &sync.Mutex{}}
	case "json":
		h = slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})
	default:
		return nil, fmt.Errorf("unknown log format %q (want pretty or json)", format)
	}
	if lw, ok := w.(*LogWriter); ok {
		h = urgentFlush{h, lw}
	}
	return slog.New(h), nil
}

// ParseLevel reads debug, info, warn or error.
func ParseLevel(s string) (slog.Level, error) {
	var l slog.Level
	err := l.UnmarshalText([]byte(s))
	return l, err
}

// Attributes the pretty format leaves out: they repeat the message.
var prettyHidden = map[string]bool{
	"method": true, "path": true, "status": true, "duration_ms": true, "source": true, "request_id": true,
}

type prettyHandler struct {
	w     io.Writer
	level slog.Level
	mu    *sync.Mutex
	attrs []slog.Attr
}

func (h *prettyHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *prettyHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	console := false
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "source" && a.Value.String() == "console" {
			console = true
		}
		return true
	})
	if !console {
		b.WriteString("[edgerun:")
		b.WriteString(levelName(r.Level))
		b.WriteString("] ")
	}
	b.WriteString(r.Message)
	write := func(a slog.Attr) bool {
		if prettyHidden[a.Key] {
			return true
		}
		v := a.Value.Resolve()
		if v.Kind() == slog.KindTime {
			fmt.Fprintf(&b, " %s=%s", a.Key, v.Time().Format(time.RFC3339))
		} else {
			fmt.Fprintf(&b, " %s=%v", a.Key, v.Any())
		}
		return true
	}
	for _, a := range h.attrs {
		write(a)
	}
	if !console {
		r.Attrs(write)
	}
	b.WriteByte('\n')
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, b.String())
	return err
}

func levelName(l slog.Level) string {
	switch {
	case l >= slog.LevelError:
		return "error"
	case l >= slog.LevelWarn:
		return "warn"
	case l >= slog.LevelInfo:
		return "info"
	default:
		return "debug"
	}
}

func (h *prettyHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append(append([]slog.Attr(nil), h.attrs...), attrs...)
	return &c
}

func (h *prettyHandler) WithGroup(string) slog.Handler { return h }
