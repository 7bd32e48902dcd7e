package runtime

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// countingWriter records each write it is given.
type countingWriter struct {
	mu     sync.Mutex
	writes []string
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writes = append(c.writes, string(p))
	return len(p), nil
}

func (c *countingWriter) snapshot() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.writes...)
}

func TestLogWriterCoalescesInfoAndWritesWarningsAtOnce(t *testing.T) {
	for _, format := range []string{"pretty", "json"} {
		t.Run(format, func(t *testing.T) {
			out := &countingWriter{}
			lw := NewLogWriter(out)
			lw.delay = time.Hour // nothing is written by the timer unless a test asks
			log, err := NewLogger(lw, format, slog.LevelInfo)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 100 {
				log.Info("GET /item 200 OK", "n", i)
			}
			log.Warn("the pool is nearly full")
			// The first line came after a quiet spell and went out at once;
			// the 99 after it were held until the warning, which went out
			// at once with them, in order, in one write.
			writes := out.snapshot()
			if len(writes) != 2 || strings.Count(writes[0], "\n") != 1 || !strings.Contains(writes[0], "GET /item") {
				t.Fatalf("writes before the warning's: %q", writes)
			}
			lines := strings.Split(strings.TrimSuffix(writes[1], "\n"), "\n")
			if len(lines) != 100 || !strings.Contains(lines[99], "nearly full") || !strings.Contains(lines[0], "GET /item") {
				t.Fatalf("the warning's write has %d lines: first %q, last %q", len(lines), lines[0], lines[len(lines)-1])
			}
			// A line right after is held, then written by the timer.
			log.Info("later")
			if n := len(out.snapshot()); n != 2 {
				t.Fatalf("a line right after a write was not held (%d writes)", n)
			}
			lw.mu.Lock()
			lw.delay = time.Millisecond
			lw.timer.Reset(lw.delay)
			lw.mu.Unlock()
			deadline := time.Now().Add(10 * time.Second)
			for len(out.snapshot()) < 3 {
				if time.Now().After(deadline) {
					t.Fatal("a held line was never written")
				}
				time.Sleep(5 * time.Millisecond)
			}
			if w := out.snapshot(); !strings.Contains(w[2], "later") {
				t.Fatalf("third write %q", w[2])
			}
			// Sync with nothing held writes nothing.
			if err := lw.Sync(); err != nil || len(out.snapshot()) != 3 {
				t.Fatalf("Sync: %v, %d writes", err, len(out.snapshot()))
			}
		})
	}
}

func TestLogWriterSyncAndBigBursts(t *testing.T) {
	var out bytes.Buffer
	lw := NewLogWriter(&out)
	line := strings.Repeat("x", 1023) + "\n"
	for range 200 { // 200 KiB: written in 64 KiB pieces as it comes
		if _, err := lw.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	if out.Len() < 3*logBufferLimit {
		t.Fatalf("only %d bytes written before Sync", out.Len())
	}
	if err := lw.Sync(); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 200*len(line) {
		t.Fatalf("%d bytes after Sync, want %d", out.Len(), 200*len(line))
	}
}

// BenchmarkAccessLogLine prices the access log's line per request, written
// straight to a file (a write system call per line) and through a
// LogWriter, from parallel requests as the server writes them.
func BenchmarkAccessLogLine(b *testing.B) {
	for _, buffered := range []bool{false, true} {
		name := "direct"
		if buffered {
			name = "coalesced"
		}
		b.Run(name, func(b *testing.B) {
			f, err := os.Create(filepath.Join(b.TempDir(), "log"))
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			var w interface{ Write([]byte) (int, error) } = f
			var lw *LogWriter
			if buffered {
				lw = NewLogWriter(f)
				w = lw
			}
			log, _ := NewLogger(w, "pretty", slog.LevelInfo)
			s := &Server{log: log}
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				var ctx fasthttp.RequestCtx
				ctx.Request.SetRequestURI("/item?id=5")
				for pb.Next() {
					s.logRequest(&ctx, "GET", 200, time.Now(), 300*time.Microsecond, 7)
				}
			})
			if lw != nil {
				_ = lw.Sync()
			}
		})
	}
}
