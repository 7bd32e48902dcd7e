// Package localpg owns the managed local PostgreSQL server that lets `edgerun dev` run a
// [[hyperdrive]] binding with no database set-up, and the SQL migrations applied to it.
//
// Start finds the installed server binaries (FindBinaries), creates a cluster with initdb on
// first use under Options.DataDir, and runs postgres as a child process listening on loopback
// only. The port chosen at first start is kept in the data directory so the connection string
// stays the same across restarts. A server that is already running on the data directory
// (another edgerun process) is reused.
//
// Every connection needs a password (SCRAM-SHA-256, over TCP and the unix socket alike). The
// cluster has two roles, with random passwords generated at first start and kept in the
// password file (mode 0600):
//
//   - "edgerun", the superuser, only sets the cluster up: roles, databases, ownership. It is
//     never handed out, since SQL run by a superuser can run programs on the host
//     (COPY … FROM PROGRAM) and read its files (pg_read_file).
//   - "edgerun_app", the role of ConnString: NOSUPERUSER NOCREATEDB NOCREATEROLE, in none of
//     the pg_*_server_* roles, owner of the binding's database and of its public schema, so
//     that migrations and the binding create and use tables there and nothing more.
//
// The server accepts TLS (ssl=on) as well as plain connections, so drivers asking for
// sslmode=require connect. Start keeps a CA and a server certificate it signed in tls/
// (ECDSA P-256, made with crypto/x509; the keys mode 0600), valid for localhost, 127.0.0.1
// and ::1, and generates them when missing, unreadable or expiring within 30 days (the CA
// lives 10 years, the server certificate 397 days; a CA that is still valid is kept, so
// clients told to trust it keep working). CACertPEM and CACertFile hand the CA to clients
// that verify the server (sslmode=verify-full, sslrootcert=). A data directory made before
// TLS gets it at its next start; a server another, older edgerun process started keeps TLS
// off until it restarts. ConnString itself says sslmode=disable: the binding's pool talks to
// the server over loopback and needs no encryption.
//
// The server programs get a minimal environment (PATH, locale, TZ, HOME), not ours, which
// holds the workers' secrets.
//
// A data directory made by an older edgerun (trust authentication, the superuser handed out)
// is upgraded in place by the next Start, running or not: passwords set, the app role
// created and given the database with everything the superuser had created in it, pg_hba.conf
// rewritten and reloaded. A cluster that requires passwords but has lost its password file
// is an error naming the file: nobody knows its passwords any more.
//
// PostgreSQL refuses to run as root. When edgerun runs as root, initdb, postgres and pg_ctl
// run as the "postgres" system user (or "nobody"), and the data directory is handed to it.
//
// Migrate applies the *.sql files of a directory in lexical order, once each, each in its own
// transaction, tracked in the table _edgerun_migrations.
//
// Layout of Options.DataDir:
//
//	pgdata/       the cluster (PGDATA)
//	run/          the server's unix socket
//	server.log    the server's stderr, appended across runs
//	port          the TCP port kept across restarts
//	passwords     the passwords of the two roles (JSON, mode 0600)
//	tls/          ca.crt, ca.key, server.crt, server.key (keys mode 0600)
//	initialized   written once initdb and our configuration finished
//	.lock         serialises Start calls of several processes
package localpg
