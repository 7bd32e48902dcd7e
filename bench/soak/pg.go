package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"edgerun/bindings/localpg"
)

const (
	pgStartTimeout = 60 * time.Second
	pgStopTimeout  = 30 * time.Second
	// pgRestartTimeout bounds the restart after the SIGKILL: the orphaned backends
	// must notice their postmaster died and exit before a new one may take the
	// shared memory.
	pgRestartTimeout = 45 * time.Second
)

// database is the throwaway PostgreSQL of one soak run: edgerun's managed
// server (localpg) on a temporary data directory, which it keeps across the
// mid-run SIGKILL so that the port, the passwords and the written rows survive.
type database struct {
	dir    string
	server *localpg.Server
	dsn    string
}

// startDatabase starts a fresh server. The fixture's migrations are applied by
// edgerun itself (migrations_dir), as a user's deployment would.
func startDatabase(ctx context.Context) (*database, error) {
	dir, err := os.MkdirTemp("", "edgerun-soak-pg-")
	if err != nil {
		return nil, err
	}
	// MkdirTemp makes it 0700; as root the server runs as another user, who must enter it.
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, errors.Join(err, os.RemoveAll(dir))
	}
	db := &database{dir: dir}
	if err := db.start(ctx, pgStartTimeout); err != nil {
		return nil, errors.Join(err, os.RemoveAll(dir))
	}
	db.dsn = db.server.ConnString()
	return db, nil
}

func (db *database) start(ctx context.Context, timeout time.Duration) error {
	startCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	server, err := localpg.Start(startCtx, localpg.Options{DataDir: db.dir, Database: "soak", StartTimeout: timeout})
	if err != nil {
		return fmt.Errorf("starting PostgreSQL: %w", err)
	}
	db.server = server
	return nil
}

// kill ends the postmaster with SIGKILL, as a crash or the OOM killer would:
// no shutdown checkpoint, open transactions lost, clients cut mid-statement.
func (db *database) kill() error {
	data, err := os.ReadFile(filepath.Join(db.dir, "pgdata", "postmaster.pid"))
	if err != nil {
		return fmt.Errorf("reading the postmaster's pid: %w", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(data), "\n", 2)[0]))
	if err != nil || pid <= 0 {
		return fmt.Errorf("postmaster.pid does not start with a pid: %q", strings.SplitN(string(data), "\n", 2)[0])
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		return fmt.Errorf("killing the postmaster (pid %d): %w", pid, err)
	}
	return nil
}

// restart starts the server again on the same data directory (crash recovery),
// retrying while the killed server's backends still hold its shared memory.
func (db *database) restart(ctx context.Context) error {
	deadline := time.Now().Add(pgRestartTimeout)
	for {
		err := db.start(ctx, 20*time.Second)
		if err == nil {
			if db.server.ConnString() != db.dsn {
				return errors.New("PostgreSQL came back with another connection string (port or password changed)")
			}
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return err
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func (db *database) stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), pgStopTimeout)
	defer cancel()
	var err error
	if db.server != nil {
		err = db.server.Stop(ctx)
	}
	return errors.Join(err, os.RemoveAll(db.dir))
}

// writeAudit compares the rows of soak_writes with what clients were told.
type writeAudit struct {
	Acked, Failed, Rows int
	Lost                []string // acknowledged, not in the table
	Duplicated          []string // in the table more than once
	Unknown             []string // in the table, never sent
	FailedButApplied    int      // answered with an error, yet in the table (allowed: the outcome was unknown)
}

func (db *database) auditWrites(ctx context.Context, acked, failed map[string]bool) (writeAudit, error) {
	a := writeAudit{Acked: len(acked), Failed: len(failed)}
	conn, err := pgx.Connect(ctx, db.dsn)
	if err != nil {
		return a, fmt.Errorf("connecting to audit the writes: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	rows, err := conn.Query(ctx, "SELECT token, count(*) FROM soak_writes GROUP BY token")
	if err != nil {
		return a, fmt.Errorf("reading soak_writes: %w", err)
	}
	present := map[string]int{}
	for rows.Next() {
		var token string
		var n int
		if err := rows.Scan(&token, &n); err != nil {
			return a, fmt.Errorf("reading soak_writes: %w", err)
		}
		present[token] = n
		a.Rows += n
	}
	if err := rows.Err(); err != nil {
		return a, fmt.Errorf("reading soak_writes: %w", err)
	}
	for token := range acked {
		if present[token] == 0 {
			a.Lost = append(a.Lost, token)
		}
	}
	for token, n := range present {
		switch {
		case n > 1:
			a.Duplicated = append(a.Duplicated, token)
		case !acked[token] && !failed[token]:
			a.Unknown = append(a.Unknown, token)
		}
		if failed[token] {
			a.FailedButApplied++
		}
	}
	return a, nil
}

// leftovers is session state still held by edgerun's pooled connections once
// the soak is over: with every request finished, none may remain.
type leftovers struct {
	AdvisoryLocks int // session-level advisory locks held by any backend
	TempRelations int // tables and sequences in some session's pg_temp schema
}

func (db *database) sessionLeftovers(ctx context.Context) (leftovers, error) {
	var l leftovers
	conn, err := pgx.Connect(ctx, db.dsn)
	if err != nil {
		return l, fmt.Errorf("connecting to look for session leftovers: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").Scan(&l.AdvisoryLocks); err != nil {
		return l, fmt.Errorf("reading pg_locks: %w", err)
	}
	const temp = `SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relpersistence = 't' AND c.relkind IN ('r', 'S') AND n.nspname LIKE 'pg_temp_%'`
	if err := conn.QueryRow(ctx, temp).Scan(&l.TempRelations); err != nil {
		return l, fmt.Errorf("reading pg_class: %w", err)
	}
	return l, nil
}
