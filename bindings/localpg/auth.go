package localpg

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

const (
	// superuser is the role initdb creates. It only sets the cluster up (roles, databases)
	// and is never handed out: a superuser can run programs and read files on the host.
	superuser = "edgerun"
	// appRole is the role ConnString names: it owns the binding's database and nothing else.
	appRole = "edgerun_app"

	passwordFileName = "passwords"

	// scramIterations is PostgreSQL's default scram_iterations.
	scramIterations = 4096
)

// pgHBA requires a password (SCRAM) from every role over the unix socket and loopback. The
// server also listens on 127.0.0.1 only, so nothing else could reach it anyway; the
// password keeps the other users of this machine out.
//
// Its first line names the package's old path on purpose: a data directory's file is compared
// with this text byte for byte, and a different text would be rewritten as not ours.
const pgHBA = `# Written by edgerun (bindings/hyperdrive/localpg): SCRAM passwords, loopback only.
local   all   all                  scram-sha-256
host    all   all   127.0.0.1/32   scram-sha-256
host    all   all   ::1/128        scram-sha-256
`

// serverFileRoles are the predefined roles that reach outside the database (run programs,
// read or write the server's files). The app role must never have them.
var serverFileRoles = []string{"pg_execute_server_program", "pg_read_server_files", "pg_write_server_files"}

// credentials are the passwords of the cluster's two roles, kept in the password file so
// that a data directory, reused across runs, keeps working.
type credentials struct {
	Superuser string `json:"superuser"`
	App       string `json:"app"`
}

func newCredentials() credentials {
	return credentials{Superuser: rand.Text(), App: rand.Text()}
}

func (s *Server) passwordPath() string { return filepath.Join(s.dataDir, passwordFileName) }

// loadCredentials reads the password file, or writes a new one when the cluster does not
// exist yet or still uses the trust authentication of older edgerun versions (secure then
// sets these passwords). A cluster that requires passwords but has lost its file cannot be
// used: nobody knows its passwords.
func (s *Server) loadCredentials() (credentials, error) {
	creds, err := readCredentials(s.passwordPath())
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return creds, err
	}
	if s.initialized() {
		trust, err := s.hbaTrusts()
		if err != nil {
			return credentials{}, err
		}
		if !trust {
			return credentials{}, fmt.Errorf("localpg: %s is missing, and the cluster in %s requires the passwords it held: restore the file, or remove %s to start over with an empty database",
				s.passwordPath(), s.pgdata(), s.dataDir)
		}
	}
	creds = newCredentials()
	if err := writeCredentials(s.passwordPath(), creds); err != nil {
		return credentials{}, err
	}
	return creds, nil
}

func readCredentials(path string) (credentials, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return credentials{}, fmt.Errorf("localpg: password file: %w", err)
	}
	var creds credentials
	if err := json.Unmarshal(data, &creds); err != nil || creds.Superuser == "" || creds.App == "" {
		// The parse error would quote the file, passwords included.
		return credentials{}, fmt.Errorf("localpg: password file %s is malformed: restore it, or remove the data directory to start over", path)
	}
	// Someone loosened it; the passwords are only safe while others cannot read them.
	if info, err := os.Stat(path); err == nil && info.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(path, 0o600); err != nil {
			return credentials{}, fmt.Errorf("localpg: password file: %w", err)
		}
	}
	return creds, nil
}

// writeCredentials replaces path atomically with a file only its owner can read.
func writeCredentials(path string, creds credentials) error {
	data, err := json.MarshalIndent(creds, "", "  ")
	if err != nil {
		return fmt.Errorf("localpg: password file: %w", err)
	}
	return writePrivateFile(path, append(data, '\n'))
}

// writePrivateFile writes data to path with mode 0600, through a temporary file renamed
// into place so that a crash never leaves a half-written file.
func writePrivateFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*") // mode 0600
	if err != nil {
		return fmt.Errorf("localpg: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	err = errors.Join(err, f.Sync(), f.Close())
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("localpg: writing %s: %w", path, err)
	}
	return nil
}

// writeInitdbPasswordFile writes the superuser password where initdb --pwfile, running as
// the server's account, can read it. The caller removes it.
func (s *Server) writeInitdbPasswordFile() (string, error) {
	path := filepath.Join(s.dataDir, ".initdb-password")
	if err := writePrivateFile(path, []byte(s.creds.Superuser+"\n")); err != nil {
		return "", err
	}
	if s.account != nil {
		if err := os.Chown(path, int(s.account.uid), int(s.account.gid)); err != nil {
			_ = os.Remove(path)
			return "", fmt.Errorf("localpg: handing the initdb password file to user %s: %w", s.account.name, err)
		}
	}
	return path, nil
}

// scramVerifier computes what PostgreSQL stores for a SCRAM-SHA-256 password (RFC 5802,
// 7677). ALTER ROLE … PASSWORD accepts it as-is, so the password itself never reaches the
// server, its statement log or pg_stat_activity. The passwords we generate are ASCII, which
// SASLprep leaves unchanged.
func scramVerifier(password string) (string, error) {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt) // never fails
	salted, err := pbkdf2.Key(sha256.New, password, salt, scramIterations, sha256.Size)
	if err != nil {
		return "", err
	}
	clientKey := hmacSHA256(salted, "Client Key")
	storedKey := sha256.Sum256(clientKey)
	serverKey := hmacSHA256(salted, "Server Key")
	b64 := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("SCRAM-SHA-256$%d:%s$%s:%s", scramIterations, b64(salt), b64(storedKey[:]), b64(serverKey)), nil
}

func hmacSHA256(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

// quoteLiteral quotes s as an SQL string literal (standard_conforming_strings is on by
// default since PostgreSQL 9.1). Utility statements such as ALTER ROLE take no parameters.
func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// hbaTrusts reports whether pg_hba.conf lets some role in without a password, as the files
// older edgerun versions wrote do.
func (s *Server) hbaTrusts() (bool, error) {
	data, err := os.ReadFile(filepath.Join(s.pgdata(), "pg_hba.conf"))
	if err != nil {
		return false, fmt.Errorf("localpg: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		for _, field := range strings.Fields(line) {
			if field == "trust" {
				return true, nil
			}
		}
	}
	return false, sc.Err()
}

func (s *Server) hbaCurrent() bool {
	data, err := os.ReadFile(filepath.Join(s.pgdata(), "pg_hba.conf"))
	return err == nil && string(data) == pgHBA
}

// writeHBA replaces pg_hba.conf in place, which keeps its owner (the server's account).
func (s *Server) writeHBA() error {
	if err := os.WriteFile(filepath.Join(s.pgdata(), "pg_hba.conf"), []byte(pgHBA), 0o600); err != nil {
		return fmt.Errorf("localpg: %w", err)
	}
	return nil
}

// connectAdmin connects as the superuser to the maintenance database, for
// setting the cluster up (roles, databases, ownership).
func (s *Server) connectAdmin(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, s.adminConnString(maintenanceDatabase))
	if err != nil {
		return nil, fmt.Errorf("localpg: connecting as the superuser: %w", err)
	}
	return conn, nil
}

// secure brings the running cluster to what ConnString relies on: both roles with the
// passwords of the password file, the app role without any power outside its database,
// and pg_hba.conf requiring passwords. On a cluster made by an older edgerun (trust
// authentication, the superuser handed out) this is the in-place upgrade; on ours it only
// re-asserts the same state.
func (s *Server) secure(ctx context.Context) error {
	conn, err := s.connectAdmin(ctx)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if err := setPassword(ctx, conn, superuser, "", s.creds.Superuser); err != nil {
		return err
	}
	if err := ensureAppRole(ctx, conn, s.creds.App); err != nil {
		return err
	}
	if s.hbaCurrent() {
		return nil
	}
	if err := s.writeHBA(); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "SELECT pg_reload_conf()"); err != nil {
		return fmt.Errorf("localpg: reloading pg_hba.conf: %w", err)
	}
	if err := s.waitPasswordRequired(ctx); err != nil {
		return err
	}
	s.log.Warn("local PostgreSQL upgraded to password authentication; the binding now connects as a role without superuser rights",
		"role", appRole, "password_file", s.passwordPath())
	return nil
}

// appRoleAttributes deny the app role every power over the cluster beyond logging in.
const appRoleAttributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"

// ensureAppRole creates the app role, or resets an existing one to appRoleAttributes and
// takes away any server-file role it was granted.
func ensureAppRole(ctx context.Context, conn *pgx.Conn, password string) error {
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", appRole).Scan(&exists); err != nil {
		return fmt.Errorf("localpg: looking up role %s: %w", appRole, err)
	}
	if !exists {
		_, err := conn.Exec(ctx, "CREATE ROLE "+pgx.Identifier{appRole}.Sanitize())
		var pgErr *pgconn.PgError
		if err != nil && !(errors.As(err, &pgErr) && pgErr.Code == "42710") { // duplicate_object
			return fmt.Errorf("localpg: creating role %s: %w", appRole, err)
		}
	}
	if err := setPassword(ctx, conn, appRole, appRoleAttributes, password); err != nil {
		return err
	}
	return revokeServerFileRoles(ctx, conn)
}

// setPassword runs ALTER ROLE with the role's SCRAM verifier and the given attributes.
func setPassword(ctx context.Context, conn *pgx.Conn, role, attributes, password string) error {
	verifier, err := scramVerifier(password)
	if err != nil {
		return fmt.Errorf("localpg: password of role %s: %w", role, err)
	}
	sql := "ALTER ROLE " + pgx.Identifier{role}.Sanitize() + " WITH " + attributes + " PASSWORD " + quoteLiteral(verifier)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("localpg: setting the password of role %s: %w", role, err) // err does not quote the statement
	}
	return nil
}

// revokeServerFileRoles takes the app role out of serverFileRoles and of any superuser
// role, directly granted: the only way it could be in them is by someone's hand.
func revokeServerFileRoles(ctx context.Context, conn *pgx.Conn) error {
	rows, err := conn.Query(ctx, `SELECT r.rolname FROM pg_auth_members m
		JOIN pg_roles r ON r.oid = m.roleid
		JOIN pg_roles a ON a.oid = m.member
		WHERE a.rolname = $1 AND (r.rolsuper OR r.rolname = ANY($2))`, appRole, serverFileRoles)
	if err != nil {
		return fmt.Errorf("localpg: reading the roles of %s: %w", appRole, err)
	}
	granted, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("localpg: reading the roles of %s: %w", appRole, err)
	}
	for _, role := range granted {
		if _, err := conn.Exec(ctx, "REVOKE "+pgx.Identifier{role}.Sanitize()+" FROM "+pgx.Identifier{appRole}.Sanitize()); err != nil {
			return fmt.Errorf("localpg: revoking %s from %s: %w", role, appRole, err)
		}
	}
	return nil
}

// waitPasswordRequired waits until the server, reloading pg_hba.conf in the background,
// turns away a connection without a password. A server that keeps accepting one is an
// error: silently staying open to every local user is what the reload is meant to end.
func (s *Server) waitPasswordRequired(ctx context.Context) error {
	cfg, err := pgx.ParseConfig(s.adminConnString(maintenanceDatabase))
	if err != nil {
		return fmt.Errorf("localpg: %w", err)
	}
	cfg.Password = ""
	deadline := time.Now().Add(10 * time.Second)
	for {
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			if isAuthError(err) {
				return nil
			}
			return fmt.Errorf("localpg: checking that passwords are required: %w", err)
		}
		_ = conn.Close(ctx)
		if time.Now().After(deadline) {
			return fmt.Errorf("localpg: the server on %s still accepts connections without a password after pg_hba.conf was rewritten; stop it (pg_ctl stop -D %s) and retry",
				s.pgdata(), s.pgdata())
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("localpg: waiting for the server to require passwords: %w", ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// isAuthError reports whether the server turned the connection away for its credentials
// (invalid_password, or invalid_authorization_specification: no pg_hba.conf line).
func isAuthError(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "28P01" || pgErr.Code == "28000")
}
