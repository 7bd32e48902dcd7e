package runtime

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"edgerun/bindings/localpg/pgtest"
	"edgerun/runtime/config"
)

type tick struct {
	instance string
	at       time.Time
}

// readTicks returns the rows of ticks in order of their scheduled time.
func readTicks(t *testing.T, conn *pgx.Conn) []tick {
	t.Helper()
	rows, err := conn.Query(t.Context(), "SELECT instance, scheduled_at FROM ticks ORDER BY scheduled_at, instance")
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (tick, error) {
		var k tick
		return k, r.Scan(&k.instance, &k.at)
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// waitTicks waits until pred holds for the rows (or fails after a minute:
// a bound on a broken election, not a measurement).
func waitTicks(t *testing.T, conn *pgx.Conn, what string, pred func([]tick) bool) []tick {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		ticks := readTicks(t, conn)
		if pred(ticks) {
			return ticks
		}
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s; ticks: %v", what, ticks)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func countBy(ticks []tick, instance string) int {
	n := 0
	for _, k := range ticks {
		if k.instance == instance {
			n++
		}
	}
	return n
}

// Three app instances of one worker, its [triggers] crons elected through
// an advisory lock on the binding's database: every tick is fired by one
// instance, the leader; when the leader stops (its session closes), one
// other instance takes over and the stopped one fires nothing more.
func TestCronsFireOncePerFleet(t *testing.T) {
	db := pgtest.NewDatabase(t)
	conn, err := pgx.Connect(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), "CREATE TABLE ticks (instance text NOT NULL, scheduled_at timestamptz NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	stops := map[string]func(){}
	for _, name := range []string{"a", "b", "c"} {
		app := startAppWith(t, config.Options{
			Dir:  copyFixture(t, "cron-fleet"),
			Vars: map[string]string{"INSTANCE": name},
			Getenv: func(k string) (string, bool) {
				if k == "CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_DB" {
					return db, true
				}
				return "", false
			},
		}, false, nil)
		stop, err := app.app.StartCron(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		stopped := false
		stops[name] = func() {
			if !stopped {
				stopped = true
				stop()
			}
		}
		t.Cleanup(stops[name])
	}
	ticks := waitTicks(t, conn, "4 ticks", func(k []tick) bool { return len(k) >= 4 })
	leader := ticks[0].instance
	if n := countBy(ticks, leader); n != len(ticks) {
		t.Fatalf("ticks fired by more than one instance while %s led: %v", leader, ticks)
	}
	stops[leader]()
	stoppedAt := len(readTicks(t, conn))
	ticks = waitTicks(t, conn, "3 ticks from a new leader", func(k []tick) bool { return len(k) >= stoppedAt+3 })
	next := ticks[len(ticks)-1].instance
	if next == leader {
		t.Fatalf("the stopped leader %s still fires: %v", leader, ticks)
	}
	seen := map[time.Time]string{}
	for i, k := range ticks {
		if other, ok := seen[k.at]; ok {
			t.Errorf("tick %s fired twice (by %s and %s)", k.at.Format(time.TimeOnly), other, k.instance)
		}
		seen[k.at] = k.instance
		want := leader
		if i >= stoppedAt {
			want = next
		}
		if k.instance != want {
			t.Errorf("tick %d (%s) fired by %s, want %s", i, k.at.Format(time.TimeOnly), k.instance, want)
		}
	}
	t.Logf("%s led for %d ticks, then %s for %d", leader, stoppedAt, next, len(ticks)-stoppedAt)
}

// The election's session asks the server to probe it (TCP keepalives after
// 5 s idle, every 2 s, 3 times): a leader whose machine is lost sends no
// FIN, and with the kernel's defaults (two hours) the server would keep
// its session and lock, and no process would fire the crons, that long.
func TestCronLeaderSessionIsProbedByTheServer(t *testing.T) {
	db := pgtest.NewDatabase(t)
	l := startCronLeader(t.Context(), db, "probed", slog.New(slog.DiscardHandler))
	t.Cleanup(l.close)
	if !l.leading() {
		t.Fatal("the only process did not take the lock")
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for name, want := range map[string]string{"tcp_keepalives_idle": "5", "tcp_keepalives_interval": "2", "tcp_keepalives_count": "3"} {
		var got string
		if err := l.conn.QueryRow(t.Context(), "SELECT current_setting($1)", name).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("the election's session has %s = %s, want %s", name, got, want)
		}
	}
}
