package main

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"edgerun/bindings/localpg/pgtest"
)

// sslrootcert=system trusts the machine's roots, for the binding and its
// migrations: `edgerun serve`, started with SSL_CERT_FILE naming the test
// server's CA (and SSL_CERT_DIR an empty directory, so that nothing else
// is trusted), connects with verify-full over TLS, as it would to Neon's
// or Supabase's publicly trusted poolers. (runtime's
// TestRemoteDatabaseOverTLS shows the refusal when the roots lack the CA;
// the system pool is read once per process, hence a process here.)
func TestSSLRootCertSystemTrustsTheSystemRoots(t *testing.T) {
	caPEM := pgtest.CACertPEM(t)
	if caPEM == nil {
		t.Skip("EDGERUN_TEST_DATABASE_URL names the server: its CA is unknown here")
	}
	u, err := url.Parse(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("sslmode", "verify-full")
	q.Set("sslrootcert", "system")
	u.RawQuery = q.Encode()

	roots := t.TempDir()
	caFile := filepath.Join(roots, "ca.pem")
	dir := t.TempDir()
	for path, data := range map[string]string{
		caFile: string(caPEM),
		filepath.Join(dir, "migrations", "001_probe.sql"): "CREATE TABLE tls_probe AS SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid();\n",
		filepath.Join(dir, "index.js"): `export default {
  async fetch(request, env) {
    const binding = await env.DB.prepare("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").withoutCache().first("ssl");
    const migration = await env.DB.prepare("SELECT ssl FROM tls_probe").withoutCache().first("ssl");
    return Response.json({ binding, migration });
  },
};
`,
		filepath.Join(dir, "wrangler.toml"): `name = "tls-system"
main = "index.js"
compatibility_date = "2026-11-01"

[[hyperdrive]]
binding = "DB"
id = "tls-system"
local_port = -1
migrations_dir = "migrations"
`,
	} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	emptyDir := t.TempDir()
	srv := startServer(t, "serve", dir, []string{
		"SSL_CERT_FILE=" + caFile, "SSL_CERT_DIR=" + emptyDir,
		"CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_DB=" + u.String(),
	}, "--admin", "off")
	code, body := fetch(srv.base + "/")
	var got struct{ Binding, Migration bool }
	if code != 200 || json.Unmarshal([]byte(body), &got) != nil || !got.Binding || !got.Migration {
		t.Fatalf("GET / = %d %s; want both connections over TLS verified by the system roots\nlogs:\n%s", code, body, srv.Logs())
	}
}
