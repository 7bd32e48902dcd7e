// Command soak runs edgerun under two minutes (by default) of mixed hostile
// traffic — one request kind per abuse of issue #11 ("no request, handler or
// client can crash edgerun, starve it, exhaust its memory, or reach another
// request"), in seeded random rounds — beside well-behaved traffic, kills
// PostgreSQL in the middle of the writes, and checks what must always hold:
//
//   - the process never dies;
//   - every well-behaved request gets its exact answer (GET / "ok <id>", GET /db
//     "real <id>" read through env.HYPERDRIVE, POST /write "written <token>"
//     after its INSERT committed), except database routes during the outage,
//     which must fail fast with a clear database error and come back, and
//     database routes interleaved with a runaway request on their isolate;
//   - RSS (sampled every 100 ms) stays under the documented bound (rssBound);
//   - no response carries a secret (.dev.vars behind a symbolic link,
//     credential files among the assets, another request's Authorization);
//   - every acknowledged write is in the table exactly once;
//   - afterwards no session state is left on pooled connections, every isolate
//     slot is free, nothing is pending, and the process is idle;
//   - each hostile request gets the answer a hardened edgerun gives.
//
// It starts its own PostgreSQL (edgerun's managed server, localpg, on a
// temporary directory) and `edgerun serve` on testdata/workers/soak, both on
// loopback, prints a table per request kind (sent / as expected / outcomes /
// wrong), max RSS against the bound and the checks, and exits 1 if a check
// failed, 2 if the soak could not run.
//
// Usage: go run ./bench/soak [-duration 2m] [-seed N] [-binary path] [-conns 8]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"syscall"
	"time"
)

func main() {
	o := Options{Out: os.Stdout}
	flag.DurationVar(&o.Duration, "duration", 2*time.Minute, "length of the mixed traffic")
	flag.Int64Var(&o.Seed, "seed", time.Now().UnixNano()%1_000_000, "seed of the hostile order and the well-behaved mix (printed; pass it again to replay the order)")
	flag.StringVar(&o.Binary, "binary", "", "edgerun binary to soak (default: go build ./cmd/edgerun into a temporary directory)")
	flag.StringVar(&o.Fixture, "fixture", "", "worker project (default: testdata/workers/soak of the module)")
	flag.IntVar(&o.Conns, "conns", 8, "well-behaved clients")
	flag.IntVar(&o.HostileConns, "hostile-conns", 3, "hostile clients")
	flag.IntVar(&o.BodyConns, "body-conns", 8, "concurrent 90 MiB uploads of one body-ignored burst (counted in the RSS bound)")
	flag.DurationVar(&o.Pace, "pace", 10*time.Millisecond, "pause between two requests of one well-behaved client")
	rssBoundMiB := flag.Int64("rss-bound-mib", 0, "RSS bound in MiB (default: computed from the fixture's configuration, see rssBound)")
	killRSSMiB := flag.Int64("kill-rss-mib", 0, "kill edgerun past this RSS to protect the machine (default: 2 × bound, at most half the available memory)")
	flag.BoolVar(&o.KillPG, "kill-postgres", true, "SIGKILL PostgreSQL in the middle of the run and restart it")
	flag.IntVar(&o.MaxRestarts, "max-restarts", 100, "start edgerun again after a death at most this many times")
	kinds := flag.String("kinds", "", "send only the hostile kinds whose name matches this regular expression (default: all)")
	flag.Parse()
	o.RSSBound, o.KillRSS = *rssBoundMiB<<20, *killRSSMiB<<20

	if *kinds != "" {
		re, err := regexp.Compile(*kinds)
		if err != nil {
			fmt.Fprintln(os.Stderr, "soak: -kinds:", err)
			os.Exit(2)
		}
		o.Kinds = re
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := defaults(&o); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(2)
	}
	r, err := Run(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(2)
	}
	if r.Failed() {
		fmt.Fprintln(os.Stderr, "soak: FAILED")
		os.Exit(1)
	}
	fmt.Println("soak: passed")
}

// defaults fills in the module root and the fixture, found from the working
// directory upwards.
func defaults(o *Options) error {
	if o.Root == "" {
		dir, err := os.Getwd()
		if err != nil {
			return err
		}
		for {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				return errors.New("no go.mod above the working directory: run from the edgerun module")
			}
			dir = parent
		}
		o.Root = dir
	}
	if o.Fixture == "" {
		o.Fixture = filepath.Join(o.Root, "testdata", "workers", "soak")
	}
	if o.Conns < 1 || o.HostileConns < 0 || o.BodyConns < 1 || o.Duration <= 0 {
		return errors.New("-duration, -conns and -body-conns must be positive, -hostile-conns not negative")
	}
	return nil
}
