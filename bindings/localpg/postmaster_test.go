package localpg

import (
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestParsePostmasterPID(t *testing.T) {
	tests := []struct {
		name      string
		data      string
		pid, port int
	}{
		{"complete", "4242\n/var/lib/pg\n1700000000\n54321\n/var/run\n127.0.0.1\n  1234 5678\nready   \n", 4242, 54321},
		{"only pid", "4242\n", 4242, 0},
		{"empty", "", 0, 0},
		{"garbage", "abc\nx\ny\nzz\n", 0, 0},
		{"negative", "-5\n\n\n-1\n", 0, 0},
		{"windows line ends", "77\r\nd\r\nt\r\n5433\r\n", 77, 5433},
	}
	for _, tt := range tests {
		pid, port := parsePostmasterPID([]byte(tt.data))
		if pid != tt.pid || port != tt.port {
			t.Errorf("%s: parsePostmasterPID = %d, %d; want %d, %d", tt.name, pid, port, tt.pid, tt.port)
		}
	}
}

func FuzzParsePostmasterPID(f *testing.F) {
	f.Add([]byte("4242\n/var/lib/pg\n1700000000\n54321\n/var/run\n127.0.0.1\n"))
	f.Add([]byte("\n\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pid, port := parsePostmasterPID(data)
		if pid < 0 || port < 0 {
			t.Errorf("parsePostmasterPID(%q) = %d, %d; negative", data, pid, port)
		}
	})
}

func TestErrorLine(t *testing.T) {
	sql := "-- comment\nSELECT 1;\nSELECT é FROM nowhere;\n"
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"first character", &pgconn.PgError{Position: 1}, " at line 1"},
		{"after a multibyte rune on line 3", &pgconn.PgError{Position: int32(len([]rune("-- comment\nSELECT 1;\nSELECT é F")))}, " at line 3"},
		{"start of line 2", &pgconn.PgError{Position: 12}, " at line 2"},
		{"no position", &pgconn.PgError{}, ""},
		{"not a PostgreSQL error", errors.New("boom"), ""},
	}
	for _, tt := range tests {
		if got := errorLine(sql, tt.err); got != tt.want {
			t.Errorf("%s: errorLine = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestConnString(t *testing.T) {
	tests := []struct {
		user, password string
		port           int
		database       string
		want           string
	}{
		{"edgerun_app", "secret", 5432, "edgerun", "postgres://edgerun_app:secret@127.0.0.1:5432/edgerun?sslmode=disable"},
		{"edgerun_app", "s3cr3t", 40000, "my app", "postgres://edgerun_app:s3cr3t@127.0.0.1:40000/my%20app?sslmode=disable"},
		{"edgerun", "p@ss w/rd:", 5432, "postgres", "postgres://edgerun:p%40ss%20w%2Frd%3A@127.0.0.1:5432/postgres?sslmode=disable"},
	}
	for _, tt := range tests {
		got := connString(tt.user, tt.password, tt.port, tt.database)
		if got != tt.want {
			t.Errorf("connString(%q, %q, %d, %q) = %q, want %q", tt.user, tt.password, tt.port, tt.database, got, tt.want)
		}
		if cfg, err := pgx.ParseConfig(got); err != nil || cfg.User != tt.user || cfg.Password != tt.password || cfg.Database != tt.database {
			t.Errorf("pgx reads %q as %v, %v", got, cfg, err)
		}
	}
}

func TestRedactedURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{connString("edgerun_app", "hunter2", 5432, "db"), "postgres://edgerun_app:xxxxx@127.0.0.1:5432/db?sslmode=disable"},
		{"postgres://u@h/db", "postgres://u@h/db"},
		{"postgres://u:pw@h:bad port/db", "(unparsable connection string)"},
	}
	for _, tt := range tests {
		if got := redactedURL(tt.in); got != tt.want {
			t.Errorf("redactedURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
