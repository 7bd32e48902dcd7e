package localpg

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// CreateDatabase creates a database owned by the role of ConnString and returns its
// connection string, for tests that want one database each (pgtest). That role may not
// create databases itself. It is an error if the database exists.
func (s *Server) CreateDatabase(ctx context.Context, name string) (string, error) {
	conn, err := s.connectAdmin(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if err := createDatabase(ctx, conn, name); err != nil {
		return "", fmt.Errorf("localpg: creating database %q: %w", name, err)
	}
	if err := s.adoptDatabase(ctx, name); err != nil {
		return "", err
	}
	return s.connStringFor(name), nil
}

// DropDatabase drops a database if it exists, ending the sessions still connected to it.
func (s *Server) DropDatabase(ctx context.Context, name string) error {
	conn, err := s.connectAdmin(ctx)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	// FORCE needs PostgreSQL 13 or later.
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("localpg: dropping database %q: %w", name, err)
	}
	return nil
}

// ensureDatabase creates Options.Database if it does not exist and makes sure the app role
// owns it, as it does not in a data directory of an older edgerun.
func (s *Server) ensureDatabase(ctx context.Context) error {
	conn, err := s.connectAdmin(ctx)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", s.database).Scan(&exists); err != nil {
		return fmt.Errorf("localpg: looking up database %q: %w", s.database, err)
	}
	if !exists {
		err := createDatabase(ctx, conn, s.database)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database: created concurrently
			err = nil
		}
		if err != nil {
			return fmt.Errorf("localpg: creating database %q: %w", s.database, err)
		}
		s.log.Info("created database", "database", s.database)
	}
	return s.adoptDatabase(ctx, s.database)
}

// createDatabase copies template0, which no role can connect to and change, unlike
// template1.
func createDatabase(ctx context.Context, conn *pgx.Conn, name string) error {
	_, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+
		" OWNER "+pgx.Identifier{appRole}.Sanitize()+" TEMPLATE template0")
	return err
}

// adoptDatabase makes the app role the owner of the database, of its public schema (which
// PostgreSQL 15 no longer lets every role create tables in), and of what the superuser
// created in it: older edgerun versions connected as the superuser, so the tables of their
// migrations are the superuser's. All of it happens in one transaction.
func (s *Server) adoptDatabase(ctx context.Context, name string) error {
	conn, err := pgx.Connect(ctx, s.adminConnString(name))
	if err != nil {
		return fmt.Errorf("localpg: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var adopted bool
	err = conn.QueryRow(ctx, `SELECT
		(SELECT datdba FROM pg_database WHERE datname = current_database()) = r.oid AND
		coalesce((SELECT nspowner FROM pg_namespace WHERE nspname = 'public') = r.oid, true)
		FROM pg_roles r WHERE r.rolname = $1`, appRole).Scan(&adopted)
	if err != nil {
		return fmt.Errorf("localpg: reading the owner of database %q: %w", name, err)
	}
	if adopted {
		return nil
	}
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, handOverStatements, superuser, appRole)
		if err != nil {
			return err
		}
		statements, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		app := pgx.Identifier{appRole}.Sanitize()
		var hasPublic bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public')").Scan(&hasPublic); err != nil {
			return err
		}
		if hasPublic { // owned by pg_database_owner since PostgreSQL 15, not by the superuser
			statements = append(statements, "ALTER SCHEMA public OWNER TO "+app)
		}
		statements = append(statements, "ALTER DATABASE "+pgx.Identifier{name}.Sanitize()+" OWNER TO "+app)
		for _, sql := range statements {
			if _, err := tx.Exec(ctx, sql); err != nil {
				return fmt.Errorf("%s: %w", sql, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("localpg: handing database %q to role %s: %w", name, appRole, err)
	}
	return nil
}

// handOverStatements lists the ALTER … OWNER TO $2 statements that give the objects $1
// owns in the current database's own schemas (the public schema included, not the system
// ones) to $2. Objects of extensions stay with the extension's owner; indexes, sequences
// of serial and identity columns and row types follow their table; array and multirange
// types follow their element type.
const handOverStatements = `
WITH owner AS (SELECT oid FROM pg_roles WHERE rolname = $1),
ns AS (
	SELECT oid, nspname, nspowner FROM pg_namespace
	WHERE nspname NOT IN ('pg_catalog', 'information_schema')
	  AND nspname !~ '^pg_toast' AND nspname !~ '^pg_temp_'
),
ext AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e')
SELECT format('ALTER SCHEMA %I OWNER TO %I', ns.nspname, $2::text)
	FROM ns
	WHERE ns.nspowner = (SELECT oid FROM owner)
	  AND (ns.oid, 'pg_namespace'::regclass) NOT IN (SELECT objid, classid FROM ext)
UNION ALL
SELECT format('ALTER %s %s OWNER TO %I',
		CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
			WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
		c.oid::regclass, $2::text)
	FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
	WHERE c.relowner = (SELECT oid FROM owner)
	  AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
	  AND (c.oid, 'pg_class'::regclass) NOT IN (SELECT objid, classid FROM ext)
	  AND NOT EXISTS (SELECT 1 FROM pg_depend d
		WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
		  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') AND c.relkind = 'S')
UNION ALL
SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, $2::text)
	FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
	WHERE p.proowner = (SELECT oid FROM owner)
	  AND (p.oid, 'pg_proc'::regclass) NOT IN (SELECT objid, classid FROM ext)
UNION ALL
SELECT format('ALTER %s %s OWNER TO %I', CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.oid::regtype, $2::text)
	FROM pg_type t JOIN ns ON ns.oid = t.typnamespace
	WHERE t.typowner = (SELECT oid FROM owner)
	  AND (t.typtype IN ('d', 'e', 'r')
		OR t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
	  AND (t.oid, 'pg_type'::regclass) NOT IN (SELECT objid, classid FROM ext)
UNION ALL
SELECT format('ALTER TEXT SEARCH CONFIGURATION %s OWNER TO %I', cfg.oid::regconfig, $2::text)
	FROM pg_ts_config cfg JOIN ns ON ns.oid = cfg.cfgnamespace
	WHERE cfg.cfgowner = (SELECT oid FROM owner)
	  AND (cfg.oid, 'pg_ts_config'::regclass) NOT IN (SELECT objid, classid FROM ext)
UNION ALL
SELECT format('ALTER TEXT SEARCH DICTIONARY %s OWNER TO %I', dict.oid::regdictionary, $2::text)
	FROM pg_ts_dict dict JOIN ns ON ns.oid = dict.dictnamespace
	WHERE dict.dictowner = (SELECT oid FROM owner)
	  AND (dict.oid, 'pg_ts_dict'::regclass) NOT IN (SELECT objid, classid FROM ext)
UNION ALL
SELECT format('ALTER OPERATOR %s OWNER TO %I', o.oid::regoperator, $2::text)
	FROM pg_operator o JOIN ns ON ns.oid = o.oprnamespace
	WHERE o.oprowner = (SELECT oid FROM owner)
	  AND (o.oid, 'pg_operator'::regclass) NOT IN (SELECT objid, classid FROM ext)
UNION ALL
SELECT format('ALTER COLLATION %I.%I OWNER TO %I', ns.nspname, coll.collname, $2::text)
	FROM pg_collation coll JOIN ns ON ns.oid = coll.collnamespace
	WHERE coll.collowner = (SELECT oid FROM owner)
	  AND (coll.oid, 'pg_collation'::regclass) NOT IN (SELECT objid, classid FROM ext)
UNION ALL
SELECT format('ALTER STATISTICS %I.%I OWNER TO %I', ns.nspname, st.stxname, $2::text)
	FROM pg_statistic_ext st JOIN ns ON ns.oid = st.stxnamespace
	WHERE st.stxowner = (SELECT oid FROM owner)
UNION ALL
SELECT format('ALTER LARGE OBJECT %s OWNER TO %I', lo.oid, $2::text)
	FROM pg_largeobject_metadata lo
	WHERE lo.lomowner = (SELECT oid FROM owner)
`
