// Package localpg owns the managed local PostgreSQL server that lets `edgerun dev` run a
// [[hyperdrive]] binding with no database set-up, and the SQL migrations applied to it.
//
// Start finds the installed server binaries (FindBinaries), creates a cluster with initdb on
// first use under Options.DataDir, and runs postgres as a child process listening on loopback
// only, with trust authentication for the role "edgerun". The port chosen at first start is
// kept in the data directory so the connection string stays the same across restarts. A server
// that is already running on the data directory (another edgerun process) is reused.
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
//	initialized   written once initdb and our configuration finished
//	.lock         serialises Start calls of several processes
package localpg
