// Package pgtest gives tests of other packages a real PostgreSQL: the server named by
// EDGERUN_TEST_DATABASE_URL, or else one temporary localpg server per test binary, and a
// fresh database per test so that parallel tests never see each other's tables.
//
// On the server pgtest starts, the URLs name the role the managed server hands to bindings:
// it owns its database (create tables, functions, schemas; see and end its own sessions in
// pg_stat_activity) but is no superuser and may not create databases, roles, or read the
// host's files. NewDatabase creates databases through the server's superuser.
//
// A test binary that uses it should stop the server when its tests are done:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		pgtest.StopAll()
//		os.Exit(code)
//	}
//
// Without that, the server still shuts down when the test binary exits (on Linux), and its
// temporary directory is removed by the next test binary that starts a server.
package pgtest
