//go:build unix

package runtime

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"testing"
	"time"

	"edgerun/bindings/hyperdrive/faultproxy"
	"edgerun/bindings/localpg/pgtest"
	"edgerun/runtime/config"
)

// tlsProbeWorker answers with whether its binding's connection uses TLS
// (pg_stat_ssl of its own backend) and whether the migration's did (the
// row the migration stored), or with the binding's error.
const tlsProbeWorker = `export default {
  async fetch(request, env) {
    try {
      const binding = await env.DB.prepare("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").withoutCache().first("ssl");
      const migration = await env.DB.prepare("SELECT ssl FROM tls_probe").withoutCache().first("ssl");
      return Response.json({ binding, migration });
    } catch (e) {
      return Response.json({ error: e.message, code: e.code }, { status: 500 });
    }
  },
};
`

// TestRemoteDatabaseOverTLS: a binding whose connection string asks for TLS gets it, for its
// queries and its migrations, with sslmode require, verify-ca and verify-full, the server's
// CA given by sslrootcert relative to the project (loaded from another working directory).
// The server is pgtest's PostgreSQL with ssl=on, its certificate valid for localhost,
// 127.0.0.1 and ::1. verify-ca accepts it reached under a name the certificate does not hold
// (127.0.0.2, through a forwarder) and verify-full refuses it; so do all modes given another
// CA (made here) and verify-full given sslrootcert=system (which does not hold the server's
// CA): the query fails with 58000 naming the binding and the certificate problem, the
// migrations' failure is logged naming the binding, and nothing waits for a timeout
// (acquire_timeout_ms is longer than the test client's).
func TestRemoteDatabaseOverTLS(t *testing.T) {
	caPEM := pgtest.CACertPEM(t)
	if caPEM == nil {
		t.Skip("EDGERUN_TEST_DATABASE_URL names the server: its CA is unknown here")
	}
	wrongCA := newTestCA(t)
	const unknownCA = "x509: certificate signed by unknown authority"
	for _, tt := range []struct {
		name, sslmode, rootcert string // rootcert: a path under the project, "system", or ""
		host                    string // "": pgtest's 127.0.0.1
		refused                 string // "": connects over TLS; else the reason named
	}{
		{"require", "require", "", "", ""},
		{"require with the CA", "require", "certs/ca.pem", "", ""},
		{"verify-ca", "verify-ca", "certs/ca.pem", "", ""},
		{"verify-full", "verify-full", "certs/ca.pem", "", ""},
		{"verify-full with localhost", "verify-full", "certs/ca.pem", "localhost", ""},
		// 127.0.0.2 reaches the server through a forwarder; its certificate names
		// localhost, 127.0.0.1 and ::1 only: verify-ca does not look at the name.
		{"verify-ca by another name", "verify-ca", "certs/ca.pem", "127.0.0.2", ""},
		{"verify-full by another name", "verify-full", "certs/ca.pem", "127.0.0.2", "x509: certificate is valid for 127.0.0.1, ::1, not 127.0.0.2"},
		// libpq's rule, which pgx follows: require with a root certificate verifies the chain.
		{"require with another CA", "require", "certs/other-ca.pem", "", unknownCA},
		{"verify-ca with another CA", "verify-ca", "certs/other-ca.pem", "", unknownCA},
		{"verify-full with another CA", "verify-full", "certs/other-ca.pem", "", unknownCA},
		{"verify-full with the system roots", "verify-full", "system", "", unknownCA},
	} {
		t.Run(tt.name, func(t *testing.T) {
			base := pgtest.NewDatabase(t)
			u, err := url.Parse(base)
			if err != nil {
				t.Fatal("pgtest's URL does not parse") // never the URL: it holds a password
			}
			switch tt.host {
			case "localhost":
				u.Host = "localhost:" + u.Port()
			case "127.0.0.2":
				fwd, err := faultproxy.StartOn("127.0.0.2", u.Host)
				if err != nil && goruntime.GOOS != "linux" {
					t.Skipf("127.0.0.2 is not a loopback address here (Linux routes 127/8 to lo): %v", err)
				}
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { fwd.Close() })
				u.Host = fwd.Addr()
			}
			q := u.Query()
			q.Set("sslmode", tt.sslmode)
			if tt.rootcert != "" {
				q.Set("sslrootcert", tt.rootcert)
			}
			u.RawQuery = q.Encode()

			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "certs", "ca.pem"), caPEM)
			writeFile(t, filepath.Join(dir, "certs", "other-ca.pem"), wrongCA)
			writeFile(t, filepath.Join(dir, "migrations", "001_probe.sql"),
				[]byte("CREATE TABLE tls_probe AS SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid();\n"))
			writeFile(t, filepath.Join(dir, "index.js"), []byte(tlsProbeWorker))
			writeFile(t, filepath.Join(dir, "wrangler.toml"), []byte(`name = "tls"
main = "index.js"
compatibility_date = "2026-11-01"

[[hyperdrive]]
binding = "DB"
id = "tls"
localConnectionString = "`+u.String()+`"
migrations_dir = "migrations"
retries = 0
# Longer than the test client's 30 s: a refused certificate that waited for
# the acquire timeout instead of failing would fail the request.
acquire_timeout_ms = 60000
`))
			t.Chdir(t.TempDir()) // sslrootcert is the project's file, wherever edgerun runs
			app := startAppWith(t, config.Options{Dir: dir}, false, nil)

			status, body := app.get(t, "/")
			got := decodeJSON(t, body)
			if tt.refused == "" {
				if status != 200 || got["binding"] != true || got["migration"] != true {
					t.Fatalf("%d %s; want both connections over TLS\nlogs:\n%s", status, body, app.logs.String())
				}
				return
			}
			msg, _ := got["error"].(string)
			t.Logf("refused: %s\n%s", body, app.logs.String())
			if status != 500 || got["code"] != "58000" || !strings.Contains(msg, `hyperdrive "DB"`) || !strings.Contains(msg, "the server's TLS certificate is not trusted (check sslmode and sslrootcert): "+tt.refused) {
				t.Fatalf("%d %s; want 58000 naming the binding and %q", status, body, tt.refused)
			}
			if strings.Contains(body, u.User.String()) {
				t.Fatalf("the error shows the credentials: %s", body)
			}
			logs := app.logs.String()
			if want := `hyperdrive \"DB\": migrations: the server's TLS certificate is not trusted (check sslmode and sslrootcert): ` + tt.refused; !strings.Contains(logs, want) &&
				!strings.Contains(logs, strings.ReplaceAll(want, `\"`, `"`)) {
				t.Errorf("the migrations' TLS failure is not logged naming the binding:\n%s", logs)
			}
		})
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// newTestCA returns the PEM certificate of a new self-signed CA that signed nothing the
// server has.
func newTestCA(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "not the server's CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
