package hyperdrive

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/dop251/goja"
	"github.com/jackc/pgx/v5/pgconn"

	"edgerun/isolates"
)

// Error is what a failed statement becomes: a JS Error carrying
// PostgreSQL's fields. Connection-level failures use Hyperdrive's code 58000.
type Error struct {
	Binding    string
	Message    string
	Code       string // SQLSTATE
	Detail     string
	Hint       string
	Constraint string
	Table      string
	Column     string
	Schema     string
	Severity   string
	Position   int32
	// Index is the failing statement's position in a batch, or -1.
	Index int
	Err   error
}

var _ isolates.JSError = (*Error)(nil)

func (e *Error) Error() string { return e.Message }
func (e *Error) Unwrap() error { return e.Err }

// ToJS builds the thrown Error object.
func (e *Error) ToJS(iso *isolates.Isolate) goja.Value {
	obj := iso.NewError(e.Message)
	set := func(k, v string) {
		if v != "" {
			_ = obj.Set(k, v)
		}
	}
	set("code", e.Code)
	set("detail", e.Detail)
	set("hint", e.Hint)
	set("constraint", e.Constraint)
	set("table", e.Table)
	set("column", e.Column)
	set("schema", e.Schema)
	set("severity", e.Severity)
	if e.Position > 0 {
		_ = obj.Set("position", e.Position)
	}
	if e.Index >= 0 {
		_ = obj.Set("index", e.Index)
	}
	return obj
}

// Codes edgerun uses for failures that are not PostgreSQL's own.
const (
	CodeConnection = "58000" // Hyperdrive's code for "could not reach the database"
	CodeTimeout    = "57014" // query_canceled, as PostgreSQL reports a statement timeout
	CodeArity      = "08P01" // protocol_violation: wrong number of bind parameters
)

// wrapError turns err into an *Error, scrubbing secrets from every message.
func (b *Binding) wrapError(err error, index int) *Error {
	if err == nil {
		return nil
	}
	var already *Error
	if errors.As(err, &already) {
		return already
	}
	e := &Error{Binding: b.cfg.Name, Index: index, Err: err}
	var pg *pgconn.PgError
	switch {
	case errors.As(err, &pg):
		e.Message = pg.Message
		e.Code, e.Detail, e.Hint = pg.Code, pg.Detail, pg.Hint
		e.Constraint, e.Table, e.Column, e.Schema = pg.ConstraintName, pg.TableName, pg.ColumnName, pg.SchemaName
		e.Severity, e.Position = pg.Severity, pg.Position
	case errors.Is(err, ErrUnavailable):
		e.Code = CodeConnection
		e.Message = fmt.Sprintf("Database unavailable (hyperdrive %q): %v", b.cfg.Name, strings.TrimPrefix(err.Error(), ErrUnavailable.Error()+": "))
	case errors.Is(err, errAcquire):
		e.Code = CodeConnection
		// The cause, not errors.Unwrap: errAcquire is one of two wrapped
		// errors, and Unwrap of a multi-wrap is nil.
		e.Message = fmt.Sprintf("Failed to acquire a connection from the pool (hyperdrive %q): %s", b.cfg.Name,
			strings.TrimPrefix(err.Error(), errAcquire.Error()+": "))
	case errors.Is(err, context.DeadlineExceeded):
		e.Code = CodeTimeout
		e.Message = fmt.Sprintf("Query timeout: the statement ran longer than %s and was cancelled (hyperdrive %q)", b.cfg.QueryTimeout, b.cfg.Name)
	case errors.Is(err, context.Canceled):
		e.Code = CodeTimeout
		e.Message = fmt.Sprintf("Query cancelled: the request ended before the statement finished (hyperdrive %q)", b.cfg.Name)
	case isConnectionError(err):
		e.Code = CodeConnection
		e.Message = fmt.Sprintf("Failed to connect to the database (hyperdrive %q): %v", b.cfg.Name, err)
	default:
		e.Message = fmt.Sprintf("hyperdrive %q: %v", b.cfg.Name, err)
	}
	e.Message = b.redact(e.Message)
	e.Detail = b.redact(e.Detail)
	return e
}

// errAcquire marks a failure to get a pooled connection.
var errAcquire = errors.New("acquire")

// serverRejected reports an error the server sent for a statement because
// the session is going away (administrator command, crash, shutdown): the
// statement failed and, outside an explicit transaction, was not applied, so
// running it again cannot apply it twice.
func serverRejected(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "57P01" || pg.Code == "57P02" || pg.Code == "57P03")
}

// isConnectionError reports failures of the connection rather than of the
// statement: network errors, SQLSTATE class 08, admin shutdown (57P01–57P03).
func isConnectionError(err error) bool {
	if err == nil {
		return false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return strings.HasPrefix(pg.Code, "08") || pg.Code == "57P01" || pg.Code == "57P02" || pg.Code == "57P03"
	}
	if errors.Is(err, errAcquire) {
		return true
	}
	if errors.Is(err, ErrUnavailable) {
		return true
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	return errors.As(err, &ce) || errors.As(err, &ne) || pgconn.SafeToRetry(err) ||
		strings.Contains(err.Error(), "conn closed") || strings.Contains(err.Error(), "unexpected EOF")
}

// redact removes every endpoint's password from s.
func (b *Binding) redact(s string) string {
	for _, p := range b.secrets {
		if p != "" {
			s = strings.ReplaceAll(s, p, "********")
		}
	}
	return s
}
