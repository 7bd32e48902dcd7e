package hyperdrive

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgtype"
)

// result is one statement's outcome, decoded off the loop.
type result struct {
	columns      []string
	rows         [][]any
	rowsAffected int64
	command      string
	duration     time.Duration
	servedBy     string
	cached       bool
	writes       bool
	// notified: the write was announced to other instances on its own
	// connection (caching.notify_channel).
	notified bool
	// wireDesc, wireRows: a local Hyperdrive client's answer as the server
	// sent it (proxy_cache.go): its RowDescription or NoData, and its
	// DataRows with their CommandComplete; wireStmtDesc its statement's
	// ParameterDescription and RowDescription (or NoData).
	wireStmtDesc, wireDesc, wireRows []byte
}

// querier is what collect needs: a connection or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// rowOverhead is what one row costs beyond its values' bytes on the wire
// (the DataRow header); each value adds its 4-byte length.
const rowOverhead = 7

// collect runs sql and decodes its rows, refusing a result whose rows
// exceed limit bytes (their wire size, counted as they arrive): the
// statement is then cancelled on the server (a CancelRequest, through ctx)
// and what it already sent is read and dropped, so that the connection stays
// usable, instead of buffering a result of any size.
func collect(ctx context.Context, q querier, sql string, args []any, limit int64) (*result, error) {
	qctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rows, err := q.Query(qctx, sql, args...)
	if err != nil {
		return nil, tooLargeOr(err, limit)
	}
	defer rows.Close()
	fields := rows.FieldDescriptions()
	r := &result{columns: make([]string, len(fields))}
	for i, f := range fields {
		r.columns[i] = f.Name
	}
	m := rows.Conn().TypeMap()
	var size int64
	for rows.Next() {
		raw := rows.RawValues()
		if size += rowSize(raw); size > limit {
			cancel()
			rows.Close()
			return nil, resultTooLarge(limit)
		}
		row, err := decodeRow(m, fields, raw)
		if err != nil {
			return nil, err
		}
		r.rows = append(r.rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, tooLargeOr(err, limit)
	}
	tag := rows.CommandTag()
	r.command = tag.String()
	if !tag.Select() {
		r.rowsAffected = tag.RowsAffected()
	}
	return r, nil
}

// rowSize is what a row counts against the limit: its wire size.
func rowSize(raw [][]byte) int64 {
	size := rowOverhead + 4*int64(len(raw))
	for _, v := range raw {
		size += int64(len(v))
	}
	return size
}

// decodeRow converts one row's raw values (which the driver reuses after
// the next row: decodeColumn copies what it keeps).
func decodeRow(m *pgtype.Map, fields []pgconn.FieldDescription, raw [][]byte) ([]any, error) {
	row := make([]any, len(fields))
	for i := range fields {
		v, err := decodeColumn(m, fields[i], raw[i])
		if err != nil {
			return nil, &codedError{CodeDataException, fmt.Errorf("decoding column %q: %w", fields[i].Name, err)}
		}
		row[i] = v
	}
	return row, nil
}

// isTooLarge: a result refused for its size.
func isTooLarge(err error) bool {
	var c *codedError
	return errors.As(err, &c) && c.code == CodeResultTooLarge
}

func resultTooLarge(limit int64) error {
	return &codedError{CodeResultTooLarge, fmt.Errorf(
		"Result too large: the statement's rows exceed %s, the limit of one result ([limits] memory_mb); select fewer rows or smaller columns, or page with LIMIT",
		byteCount(limit))}
}

// tooLargeOr reports a single message (one row) over the frontend's limit as
// a result too large; other errors stay as they are.
func tooLargeOr(err error, limit int64) error {
	var big *pgproto3.ExceededMaxBodyLenErr
	if errors.As(err, &big) {
		return resultTooLarge(limit)
	}
	return err
}

func byteCount(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// discardResults reads every result of exec()'s statements and keeps none
// of their rows: exec reports only a count, so a statement returning
// gigabytes costs no memory.
func discardResults(mrr *pgconn.MultiResultReader) error {
	for mrr.NextResult() {
		if _, err := mrr.ResultReader().Close(); err != nil {
			_ = mrr.Close()
			return err
		}
	}
	return mrr.Close()
}
