package kv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Table is the PostgreSQL table of every PostgresStore namespace, in the
// connection's default schema (search_path), created if missing:
//
//	CREATE TABLE edgerun_kv (
//	    namespace  text   NOT NULL,
//	    key        bytea  NOT NULL,  -- bytea: KV lists in byte order, whatever the database's collation
//	    value      bytea  NOT NULL,
//	    metadata   json,             -- json keeps the text as put (jsonb would reorder an object's keys)
//	    expiration bigint,           -- Unix seconds; NULL: never
//	    PRIMARY KEY (namespace, key)
//	);
//	CREATE INDEX edgerun_kv_expiration ON edgerun_kv (expiration) WHERE expiration IS NOT NULL;
const Table = "edgerun_kv"

const pgSchema = `
CREATE TABLE IF NOT EXISTS edgerun_kv (
    namespace  text   NOT NULL,
    key        bytea  NOT NULL,
    value      bytea  NOT NULL,
    metadata   json,
    expiration bigint,
    PRIMARY KEY (namespace, key)
);
CREATE INDEX IF NOT EXISTS edgerun_kv_expiration ON edgerun_kv (expiration) WHERE expiration IS NOT NULL;`

// pgSchemaLock is the transaction advisory lock taken around pgSchema:
// processes of a fleet start together, and concurrent CREATE TABLE IF NOT
// EXISTS of one table can fail on pg_type's unique index.
const pgSchemaLock = 0x6564676b76 // "edgkv"

// pgOpTimeout bounds one store operation: a database that stops answering
// fails the KV call rather than holding the request forever.
const pgOpTimeout = 30 * time.Second

// PostgresStore keeps namespaces in the edgerun_kv table of a PostgreSQL
// database, which every process pointed at it shares: a put through one
// instance of a fleet is read through the others at once. Each call is one
// statement (a transaction of its own), so readers never see half a put.
type PostgresStore struct {
	pool *pgxpool.Pool
	now  func() time.Time
}

// PostgresOptions configure OpenPostgres.
type PostgresOptions struct {
	// MaxConns is the pool's size; default 4 (KV calls are short, and the
	// database's connection budget is shared with Hyperdrive's pools).
	MaxConns int32
	// Now is the store's clock (tests move it); default time.Now.
	Now func() time.Time
}

// OpenPostgres connects to the database of connString and creates the
// table if it is missing. Errors never include the password.
func OpenPostgres(ctx context.Context, connString string, opts PostgresOptions) (*PostgresStore, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxConns <= 0 {
		opts.MaxConns = 4
	}
	pc, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, errors.New("kv postgres: invalid connection string (check its syntax; the password is not shown)")
	}
	pc.MaxConns = opts.MaxConns
	pc.ConnConfig.RuntimeParams["application_name"] = "edgerun kv"
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("kv postgres: %w", err)
	}
	s := &PostgresStore{pool: pool, now: opts.Now}
	if err := s.createTable(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

func (s *PostgresStore) createTable(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, pgOpTimeout)
	defer cancel()
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(pgSchemaLock)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, pgSchema)
		return err
	})
	if err != nil {
		return fmt.Errorf("kv postgres: creating table %s: %w", Table, err)
	}
	return nil
}

func (s *PostgresStore) Close() error {
	s.pool.Close()
	return nil
}

func (s *PostgresStore) op() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), pgOpTimeout)
}

// Expiry is judged against the store's clock, passed in, not the
// database's now(): one clock for every store and for tests.
func (s *PostgresStore) Get(ns string, keys []string) ([]*Entry, error) {
	ctx, cancel := s.op()
	defer cancel()
	raw := make([][]byte, len(keys))
	for i, k := range keys {
		raw[i] = []byte(k)
	}
	rows, err := s.pool.Query(ctx, `SELECT key, value, metadata::text, expiration FROM edgerun_kv
		WHERE namespace = $1 AND key = ANY($2) AND (expiration IS NULL OR expiration > $3)`, ns, raw, s.now().Unix())
	if err != nil {
		return nil, fmt.Errorf("kv postgres: get: %w", err)
	}
	found := map[string]*Entry{}
	for rows.Next() {
		var key []byte
		var meta *string
		var exp *int64
		e := &Entry{}
		if err := rows.Scan(&key, &e.Value, &meta, &exp); err != nil {
			rows.Close()
			return nil, fmt.Errorf("kv postgres: get: %w", err)
		}
		if e.Value == nil {
			e.Value = []byte{}
		}
		e.Metadata, e.Expiration = deref(meta), deref(exp)
		found[string(key)] = e
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("kv postgres: get: %w", err)
	}
	out := make([]*Entry, len(keys))
	for i, k := range keys {
		out[i] = found[k]
	}
	return out, nil
}

func (s *PostgresStore) Put(ns, key string, e Entry) error {
	ctx, cancel := s.op()
	defer cancel()
	var meta *string
	if e.Metadata != "" {
		meta = &e.Metadata
	}
	var exp *int64
	if e.Expiration != 0 {
		exp = &e.Expiration
	}
	value := e.Value
	if value == nil {
		value = []byte{} // NOT NULL: an empty value is a value
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO edgerun_kv (namespace, key, value, metadata, expiration)
		VALUES ($1, $2, $3, $4::text::json, $5)
		ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, metadata = excluded.metadata, expiration = excluded.expiration`,
		ns, []byte(key), value, meta, exp)
	if err != nil {
		return fmt.Errorf("kv postgres: put: %w", err)
	}
	return nil
}

func (s *PostgresStore) Delete(ns, key string) error {
	ctx, cancel := s.op()
	defer cancel()
	if _, err := s.pool.Exec(ctx, `DELETE FROM edgerun_kv WHERE namespace = $1 AND key = $2`, ns, []byte(key)); err != nil {
		return fmt.Errorf("kv postgres: delete: %w", err)
	}
	return nil
}

// List reads one row past the page to know whether another page follows,
// as the bbolt store looks one live key ahead.
func (s *PostgresStore) List(ns, prefix string, limit int, cursor string) ([]ListKey, string, error) {
	after := []byte{} // every key is non-empty, so key > '' holds for all
	if cursor != "" {
		var err error
		if after, err = decodeCursor(cursor); err != nil {
			return nil, "", err
		}
	}
	ctx, cancel := s.op()
	defer cancel()
	args := []any{ns, []byte(prefix), after, s.now().Unix(), limit + 1}
	sql := `SELECT key, expiration, metadata::text FROM edgerun_kv
		WHERE namespace = $1 AND key >= $2 AND key > $3 AND (expiration IS NULL OR expiration > $4)`
	if upper := prefixEnd([]byte(prefix)); upper != nil {
		sql += ` AND key < $6`
		args = append(args, upper)
	}
	rows, err := s.pool.Query(ctx, sql+` ORDER BY key LIMIT $5`, args...)
	if err != nil {
		return nil, "", fmt.Errorf("kv postgres: list: %w", err)
	}
	keys := []ListKey{}
	next := ""
	for rows.Next() {
		var key []byte
		var exp *int64
		var meta *string
		if err := rows.Scan(&key, &exp, &meta); err != nil {
			rows.Close()
			return nil, "", fmt.Errorf("kv postgres: list: %w", err)
		}
		if len(keys) == limit {
			next = encodeCursor(keys[len(keys)-1].Name)
			break
		}
		keys = append(keys, ListKey{Name: string(key), Expiration: deref(exp), Metadata: deref(meta)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("kv postgres: list: %w", err)
	}
	return keys, next, nil
}

// prefixEnd is the least byte string greater than every string starting
// with prefix (nil when there is none: an empty prefix or all 0xff bytes).
func prefixEnd(prefix []byte) []byte {
	end := bytes.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

func (s *PostgresStore) Purge() (int, error) {
	ctx, cancel := s.op()
	defer cancel()
	tag, err := s.pool.Exec(ctx, `DELETE FROM edgerun_kv WHERE expiration <= $1`, s.now().Unix())
	if err != nil {
		return 0, fmt.Errorf("kv postgres: purge: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
