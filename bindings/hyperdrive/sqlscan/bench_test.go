package sqlscan

import "testing"

const benchSelect = "SELECT u.id, u.name, u.email, p.title FROM users u JOIN pitches p ON p.user_id = u.id " +
	"WHERE u.id = ? AND p.status = 'active' AND p.data ?? 'tags' ORDER BY p.created_at DESC LIMIT ?"

func BenchmarkRewrite(b *testing.B) {
	for _, bc := range []struct{ name, sql string }{
		{"placeholders", benchSelect},
		{"dollar-only", "SELECT * FROM users WHERE id = $1 AND email = $2 -- look up a user"},
		{"analytics", seedAnalytics},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.sql)))
			for b.Loop() {
				if _, err := Rewrite(bc.sql); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkClassify(b *testing.B) {
	for _, bc := range []struct{ name, sql string }{
		{"point-select", "SELECT * FROM users WHERE id = $1"},
		{"join", benchSelect},
		{"analytics", seedAnalytics},
		{"insert", "INSERT INTO users (id, name, email, created_at) VALUES ($1, $2, $3, now()) RETURNING id"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.sql)))
			for b.Loop() {
				Classify(bc.sql)
			}
		})
	}
}

func BenchmarkCountStatements(b *testing.B) {
	script := "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'a;b');\n" +
		"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; -- done;\n" + seedAnalytics
	b.ReportAllocs()
	b.SetBytes(int64(len(script)))
	for b.Loop() {
		if CountStatements(script) != 4 {
			b.Fatal("wrong count")
		}
	}
}
