package hyperdrive

import (
	"context"
	"crypto/tls"
	"crypto/x509"
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
	CodeConnection       = "58000" // Hyperdrive's code for "could not reach the database"
	CodeTimeout          = "57014" // query_canceled, as PostgreSQL reports a statement timeout
	CodeArity            = "08P01" // protocol_violation: wrong number of bind parameters
	CodeInvalidParameter = "22023" // invalid_parameter_value: a bound value that cannot be encoded
	CodeUndefinedColumn  = "42703" // undefined_column: first(column) names no column of the result
	CodeDataException    = "22000" // data_exception: a result value that cannot be decoded
	CodeResultTooLarge   = "54000" // program_limit_exceeded: a result larger than Config.MaxResultBytes
)

// codedError is a failure found in Go, not by PostgreSQL, with the SQLSTATE
// a handler sees as err.code.
type codedError struct {
	code string
	err  error
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }

// encodeError marks err as a bound value that cannot be sent (22023).
func encodeError(err error) error { return &codedError{CodeInvalidParameter, err} }

// pgxEncodeError reports pgx failing to encode an argument for its
// parameter's type (before anything is sent). pgx's error is untyped; its
// text is "failed to encode args[i]: …".
func pgxEncodeError(err error) bool {
	return strings.Contains(err.Error(), "failed to encode args[")
}

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
	var coded *codedError
	switch {
	case errors.As(err, &pg):
		e.Message = pg.Message
		e.Code, e.Detail, e.Hint = pg.Code, pg.Detail, pg.Hint
		e.Constraint, e.Table, e.Column, e.Schema = pg.ConstraintName, pg.TableName, pg.ColumnName, pg.SchemaName
		e.Severity, e.Position = pg.Severity, pg.Position
	case errors.As(err, &coded):
		e.Code = coded.code
		e.Message = err.Error()
	case pgxEncodeError(err):
		e.Code = CodeInvalidParameter
		e.Message = fmt.Sprintf("hyperdrive %q: %v", b.cfg.Name, err)
	case errors.Is(err, ErrUnavailable):
		e.Code = CodeConnection
		e.Message = fmt.Sprintf("Database unavailable (hyperdrive %q): %v", b.cfg.Name, strings.TrimPrefix(err.Error(), ErrUnavailable.Error()+": "))
	case UntrustedCertificate(err) != nil:
		// Before errAcquire: the pool's "failed to write startup message"
		// would hide that the server was reached and its certificate refused.
		e.Code = CodeConnection
		e.Message = fmt.Sprintf("Failed to connect to the database (hyperdrive %q): the server's TLS certificate is not trusted (check sslmode and sslrootcert): %v",
			b.cfg.Name, UntrustedCertificate(err))
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

// UntrustedCertificate returns why a TLS handshake refused the server's
// certificate (sslmode verify-ca or verify-full, or require with an
// sslrootcert), or nil when err is not that.
func UntrustedCertificate(err error) error {
	var verify *tls.CertificateVerificationError
	var authority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &verify):
		return verify.Err
	case errors.As(err, &authority):
		return authority
	case errors.As(err, &hostname):
		return hostname
	case errors.As(err, &invalid):
		return invalid
	}
	return nil
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

// staleStatement reports PostgreSQL refusing a statement pgx prepared (or
// described) before its result columns changed, e.g. SELECT * before ALTER
// TABLE: 0A000 "cached plan must not change result type" (statement_cache
// "prepare") or 08P01 "bind message has N result formats but query has M
// columns" ("describe"). Both are raised before the statement runs, so
// nothing was applied; pgx drops the statement from its cache on the error
// (pgx.Rows.Close invalidates it, and the next query deallocates it), so
// running it again on the same connection prepares it afresh.
func staleStatement(err error) bool {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return false
	}
	switch pg.Code {
	case "0A000":
		return strings.Contains(pg.Message, "cached plan must not change result type")
	case "08P01":
		return strings.Contains(pg.Message, "result formats but query has")
	}
	return false
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

// endpointDown reports a failure that says the endpoint cannot be reached:
// nothing reached the server (acquiring a pooled connection, dialing, the
// startup handshake, or a send that failed before any byte left; see
// pgconn.SafeToRetry). Only these open an endpoint's breaker. A failure
// after the server took the statement (an error it answered with, the
// session it ended, a connection lost mid-result) belongs to that statement:
// if the endpoint is really down, the next connection attempt says so.
func endpointDown(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, errAcquire) || errors.Is(err, ErrUnavailable) {
		return true
	}
	var ce *pgconn.ConnectError
	return errors.As(err, &ce) || pgconn.SafeToRetry(err)
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
