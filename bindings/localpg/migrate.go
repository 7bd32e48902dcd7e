package localpg

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// MigrationsTable records the migrations applied to a database.
const MigrationsTable = "_edgerun_migrations"

// migrationLockKey is the advisory lock that keeps two processes from migrating the same
// database at once: the bytes of "edgerun" and a 1, as an int8.
const migrationLockKey int64 = 0x6564676572756e01

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS ` + MigrationsTable + ` (
	name       text PRIMARY KEY,
	applied_at timestamptz NOT NULL DEFAULT now(),
	checksum   text NOT NULL
)`

// migration is one *.sql file of a migrations directory.
type migration struct {
	name     string
	sql      string
	checksum string // hex SHA-256 of the file
}

// Migrate applies the *.sql files of dir that the database has not seen, in lexical order
// of their names, and returns the names it applied.
//
// Each file runs as one simple-protocol Exec inside its own transaction together with its
// row in _edgerun_migrations, so a file may hold several statements and a failing file
// leaves nothing of itself behind. Statements that cannot run in a transaction (CREATE
// INDEX CONCURRENTLY, VACUUM) and files with their own BEGIN/COMMIT are not supported.
//
// Before applying anything, the files already applied are compared with their recorded
// checksums: an edited file is an error naming it, since the database would no longer match
// the files. Recorded migrations whose files are gone are ignored. A session advisory lock
// serialises concurrent Migrate calls on the same database.
func Migrate(ctx context.Context, connString string, dir string) (applied []string, err error) {
	return MigrateWithProgress(ctx, connString, dir, nil)
}

// MigrateWithProgress is Migrate, telling progress (when not nil) about each file before it
// is applied: the k-th of the n pending, by name.
func MigrateWithProgress(ctx context.Context, connString string, dir string, progress func(k, n int, name string)) (applied []string, err error) {
	files, err := readMigrations(dir)
	if err != nil {
		return nil, err
	}
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		return nil, fmt.Errorf("localpg: migrate: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))

	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
		return nil, fmt.Errorf("localpg: migrate: waiting for the migration lock: %w", err)
	}
	// Closing the session would release the lock too; unlocking keeps a pooled or
	// long-lived connection (should this ever use one) clean.
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockKey)
	}()

	if _, err := conn.Exec(ctx, createMigrationsTable); err != nil {
		return nil, fmt.Errorf("localpg: migrate: creating %s: %w", MigrationsTable, err)
	}
	recorded, err := recordedChecksums(ctx, conn)
	if err != nil {
		return nil, err
	}
	var pending []migration
	for _, m := range files {
		sum, done := recorded[m.name]
		switch {
		case !done:
			pending = append(pending, m)
		case sum != m.checksum:
			return nil, fmt.Errorf("localpg: migration %s was changed after it was applied (checksum now %.12s…, recorded %.12s…): restore it and put the change in a new migration file",
				filepath.Join(dir, m.name), m.checksum, sum)
		}
	}
	applied = []string{}
	for i, m := range pending {
		if progress != nil {
			progress(i+1, len(pending), m.name)
		}
		if err := applyMigration(ctx, conn, m); err != nil {
			return applied, fmt.Errorf("localpg: migration %s failed%s, nothing of it was applied: %w",
				filepath.Join(dir, m.name), errorLine(m.sql, err), err)
		}
		applied = append(applied, m.name)
	}
	return applied, nil
}

func readMigrations(dir string) ([]migration, error) {
	entries, err := os.ReadDir(dir) // sorted by name
	if err != nil {
		return nil, fmt.Errorf("localpg: migrations: %w", err)
	}
	var files []migration
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".sql") || !e.Type().IsRegular() && e.Type()&fs.ModeSymlink == 0 {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("localpg: migrations: %w", err)
		}
		sum := sha256.Sum256(data)
		files = append(files, migration{name: e.Name(), sql: string(data), checksum: hex.EncodeToString(sum[:])})
	}
	slices.SortFunc(files, func(a, b migration) int { return strings.Compare(a.name, b.name) })
	return files, nil
}

func recordedChecksums(ctx context.Context, conn *pgx.Conn) (map[string]string, error) {
	rows, err := conn.Query(ctx, "SELECT name, checksum FROM "+MigrationsTable)
	if err != nil {
		return nil, fmt.Errorf("localpg: migrate: reading %s: %w", MigrationsTable, err)
	}
	recorded := map[string]string{}
	var name, sum string
	_, err = pgx.ForEachRow(rows, []any{&name, &sum}, func() error {
		recorded[name] = sum
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("localpg: migrate: reading %s: %w", MigrationsTable, err)
	}
	return recorded, nil
}

func applyMigration(ctx context.Context, conn *pgx.Conn, m migration) error {
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		// No arguments: pgx uses the simple protocol, which runs every statement of the file.
		if _, err := tx.Exec(ctx, m.sql); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "INSERT INTO "+MigrationsTable+" (name, checksum) VALUES ($1, $2)", m.name, m.checksum)
		return err
	})
}

// errorLine turns the character position PostgreSQL reports for a syntax or name error into
// " at line N" of the file; empty when the error has no position.
func errorLine(sql string, err error) string {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Position <= 0 {
		return ""
	}
	line, chars := 1, int32(1)
	for _, r := range sql {
		if chars >= pgErr.Position {
			break
		}
		if r == '\n' {
			line++
		}
		chars++
	}
	return fmt.Sprintf(" at line %d", line)
}
