package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSSLRootCertResolvesAgainstTheProject: a relative sslrootcert names a file of the
// project wherever edgerun is started, in every connection string of an entry and from the
// environment variable; system and absolute paths stay as written; a missing file is an
// error on the entry's line naming the binding, never showing the password.
func TestSSLRootCertResolvesAgainstTheProject(t *testing.T) {
	dir := t.TempDir()
	pem, err := os.ReadFile(filepath.Join("testdata", "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{"index.js": "export default {}", "certs/ca.pem": string(pem), "certs/my ca.pem": string(pem),
		"certs/not-a-cert.pem": "-----BEGIN PRIVATE KEY-----\nnope\n"})
	ca := filepath.Join(dir, "certs", "ca.pem")
	for _, tt := range []struct {
		name, entry string
		env         map[string]string
		check       func(Hyperdrive) string // the string to look at
		want        string                  // a substring it must have
		err         string                  // or the error
	}{
		{"url", `localConnectionString = "postgres://u:hunter2@db.example.com/app?sslmode=verify-full&sslrootcert=certs/ca.pem"`,
			nil, lcs, "sslrootcert=" + strings.ReplaceAll(ca, "/", "%2F"), ""},
		{"keyword/value, quoted, with a space", `localConnectionString = "host=db.example.com sslmode=verify-ca sslrootcert='certs/my ca.pem' user=u"`,
			nil, lcs, "sslrootcert='" + filepath.Join(dir, "certs", "my ca.pem") + "' user=u", ""},
		{"system", `localConnectionString = "postgres://u@db.example.com/app?sslmode=verify-full&sslrootcert=system"`,
			nil, lcs, "sslrootcert=system", ""},
		{"absolute", `localConnectionString = "host=db sslrootcert=` + ca + `"`, nil, lcs, "sslrootcert=" + ca, ""},
		{"fallback", `fallback_connection_string = "postgres://u@db/app?sslrootcert=certs/ca.pem"`,
			nil, func(h Hyperdrive) string { return h.FallbackConnectionString }, strings.ReplaceAll(ca, "/", "%2F"), ""},
		{"replica", `replica_connection_strings = ["postgres://u@r1/app?sslrootcert=certs/ca.pem"]`,
			nil, func(h Hyperdrive) string { return h.ReplicaConnectionStrings[0] }, strings.ReplaceAll(ca, "/", "%2F"), ""},
		{"from the environment", ``,
			map[string]string{connectionStringEnv + "DB": "postgres://u:hunter2@db/app?sslmode=verify-full&sslrootcert=certs/ca.pem"},
			lcs, strings.ReplaceAll(ca, "/", "%2F"), ""},
		{"missing", `localConnectionString = "postgres://u:hunter2@db/app?sslmode=verify-full&sslrootcert=certs/nope.pem"`,
			nil, nil, "", `wrangler.toml:5: hyperdrive "DB": localConnectionString: sslrootcert "certs/nope.pem" (` + filepath.Join(dir, "certs", "nope.pem") + `) does not exist`},
		{"missing, from the environment", ``,
			map[string]string{connectionStringEnv + "DB": "host=db password=hunter2 sslrootcert=nope.pem"},
			nil, "", `wrangler.toml:5: hyperdrive "DB": ` + connectionStringEnv + `DB: sslrootcert "nope.pem"`},
		{"client certificate and key", `localConnectionString = "host=db sslmode=verify-full sslrootcert=system sslcert=certs/ca.pem sslkey='certs/my ca.pem'"`,
			nil, lcs, "sslrootcert=system sslcert='" + ca + "' sslkey='" + filepath.Join(dir, "certs", "my ca.pem") + "'", ""},
		{"not a certificate", `localConnectionString = "postgres://u:hunter2@db/app?sslrootcert=certs/not-a-cert.pem"`, nil, nil, "",
			`wrangler.toml:5: hyperdrive "DB": localConnectionString: sslrootcert "certs/not-a-cert.pem" (` + filepath.Join(dir, "certs", "not-a-cert.pem") + `) holds no PEM certificate`},
		{"a directory", `localConnectionString = "postgres://u@db/app?sslrootcert=certs"`, nil, nil, "", `sslrootcert "certs" (` + filepath.Join(dir, "certs") + `) is not a file`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			writeFiles(t, dir, map[string]string{"wrangler.toml": "name = \"x\"\nmain = \"index.js\"\ncompatibility_date = \"2024-01-01\"\n\n[[hyperdrive]]\nbinding = \"DB\"\nid = \"x\"\n" + tt.entry + "\n"})
			// Started elsewhere: the path must not depend on the working directory.
			t.Chdir(t.TempDir())
			cfg, _, err := Load(Options{Path: filepath.Join(dir, "wrangler.toml"), Getenv: mapEnv(tt.env)})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v, want %q", err, tt.err)
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Fatalf("error shows the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.check(cfg.Hyperdrive[0]); !strings.Contains(got, tt.want) {
				t.Errorf("connection string %q lacks %q", got, tt.want)
			}
		})
	}
}

func lcs(h Hyperdrive) string { return h.LocalConnectionString }

func mapEnv(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestKeywordValue(t *testing.T) {
	for _, tt := range []struct {
		in, key, value string
		ok             bool
		set            string // in with key set to "/a b/c'd"
	}{
		{"host=db sslrootcert=ca.pem", "sslrootcert", "ca.pem", true, `host=db sslrootcert='/a b/c\'d'`},
		{"host = db  sslrootcert = 'my ca.pem' port=5432", "sslrootcert", "my ca.pem", true, `host = db  sslrootcert = '/a b/c\'d' port=5432`},
		{`sslrootcert='it\'s' sslrootcert=last`, "sslrootcert", "last", true, `sslrootcert='it\'s' sslrootcert='/a b/c\'d'`},
		{`sslrootcert=a\ b`, "sslrootcert", "a b", true, `sslrootcert='/a b/c\'d'`},
		{"host=db", "sslrootcert", "", false, `host='db' sslrootcert='/a b/c\'d'`},
	} {
		v, ok, err := connParam(tt.in, tt.key)
		if err != nil || ok != tt.ok || v != tt.value {
			t.Errorf("connParam(%q) = %q, %v, %v; want %q, %v", tt.in, v, ok, err, tt.value, tt.ok)
		}
		set, err := setConnParam(tt.in, tt.key, `/a b/c'd`)
		if err != nil || set != tt.set {
			t.Errorf("setConnParam(%q) = %q, %v; want %q", tt.in, set, err, tt.set)
		}
	}
	for _, bad := range []string{"host", "host=db port", "sslrootcert='open"} {
		if _, _, err := connParam(bad, "sslrootcert"); err == nil {
			t.Errorf("connParam(%q): no error", bad)
		}
	}
}

// FuzzKeywordValue: whatever the string, parsing does not panic, and a value set is the value read.
func FuzzKeywordValue(f *testing.F) {
	for _, s := range []string{"host=db sslrootcert=ca.pem", `a='b\'c' d = e`, "postgres://u@h/db?sslrootcert=x", ""} {
		f.Add(s, "/tmp/x y'z\\")
	}
	f.Fuzz(func(t *testing.T, conn, value string) {
		if _, _, err := connParam(conn, "sslrootcert"); err != nil {
			return
		}
		set, err := setConnParam(conn, "sslrootcert", value)
		if err != nil {
			return
		}
		got, ok, err := connParam(set, "sslrootcert")
		if err != nil || !ok || got != value {
			t.Fatalf("set %q in %q → %q; read back %q, %v, %v", value, conn, set, got, ok, err)
		}
	})
}
