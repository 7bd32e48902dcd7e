package localpg

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// withTLS returns the server's app URL for host with the given libpq TLS parameters.
func withTLS(t *testing.T, s *Server, host string, params url.Values) string {
	t.Helper()
	u, err := url.Parse(s.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	u.Host = net.JoinHostPort(host, strconv.Itoa(s.port))
	u.RawQuery = params.Encode()
	return u.String()
}

// sessionSSL reports whether the session of connString runs over TLS, as the server sees it.
func sessionSSL(t *testing.T, connString string) bool {
	t.Helper()
	return queryString(t, connString, "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()") == "true"
}

// serverSSL reports the server's ssl setting.
func serverSSL(t *testing.T, s *Server) bool {
	t.Helper()
	return queryString(t, s.ConnString(), "SHOW ssl") == "on"
}

// TestTLSConnections: the managed server accepts sslmode=require, verifies under
// verify-full with the CA it hands out (for every loopback name), refuses verification
// against the system's roots, and still accepts plain connections.
func TestTLSConnections(t *testing.T) {
	t.Parallel()
	requireBinaries(t)
	s := startForTest(t, Options{DataDir: testDataDir(t), Database: "tlsdb"})

	if sessionSSL(t, s.ConnString()) {
		t.Error("ConnString (sslmode=disable) runs over TLS")
	}
	if !sessionSSL(t, withTLS(t, s, "127.0.0.1", url.Values{"sslmode": {"require"}})) {
		t.Error("sslmode=require: session is not over TLS")
	}
	for _, host := range []string{"127.0.0.1", "localhost"} {
		dsn := withTLS(t, s, host, url.Values{"sslmode": {"verify-full"}, "sslrootcert": {s.CACertFile()}})
		if !sessionSSL(t, dsn) {
			t.Errorf("verify-full via %s: session is not over TLS", host)
		}
	}
	// The same check with the CA as PEM bytes, as the sockets layer will be given it.
	cfg, err := pgx.ParseConfig(withTLS(t, s, "127.0.0.1", url.Values{"sslmode": {"verify-full"}, "sslrootcert": {s.CACertFile()}}))
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(s.CACertPEM()) {
		t.Fatal("CACertPEM holds no certificate")
	}
	cfg.TLSConfig.RootCAs = roots
	conn, err := pgx.ConnectConfig(t.Context(), cfg)
	if err != nil {
		t.Fatalf("verify-full with CACertPEM: %v", err)
	}
	conn.Close(context.Background())

	// Without the CA the server's certificate must not verify: the check above is real.
	cfg, err = pgx.ParseConfig(withTLS(t, s, "127.0.0.1", url.Values{"sslmode": {"verify-full"}}))
	if err != nil {
		t.Fatal(err)
	}
	cfg.TLSConfig.RootCAs = x509.NewCertPool()
	if conn, err := pgx.ConnectConfig(t.Context(), cfg); err == nil {
		conn.Close(context.Background())
		t.Error("verify-full against an empty root pool connected")
	} else if !strings.Contains(err.Error(), "certificate") {
		t.Errorf("verify-full without the CA: %v; want a certificate error", err)
	}

	for _, name := range []string{caKeyName, serverKeyName} {
		info, err := os.Stat(filepath.Join(s.tlsDir(), name))
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, %v; want mode 0600", name, info, err)
		}
	}
}

// TestTLSForExistingDataDirectory: a data directory made before TLS (no tls/) gets it at
// the next start, and a restart keeps the same CA, so clients that trust it keep working.
func TestTLSForExistingDataDirectory(t *testing.T) {
	t.Parallel()
	requireBinaries(t)
	dataDir := testDataDir(t)
	first, err := Start(t.Context(), Options{DataDir: dataDir, StartTimeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dataDir, tlsDirName)); err != nil {
		t.Fatal(err)
	}
	second := startForTest(t, Options{DataDir: dataDir})
	if !serverSSL(t, second) || !sessionSSL(t, withTLS(t, second, "127.0.0.1", url.Values{"sslmode": {"require"}})) {
		t.Fatal("restarted server on an existing data directory has no TLS")
	}
	caPEM := second.CACertPEM()
	if err := second.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	third := startForTest(t, Options{DataDir: dataDir})
	if !bytes.Equal(third.CACertPEM(), caPEM) {
		t.Error("a restart replaced a CA that was still valid")
	}
	dsn := withTLS(t, third, "localhost", url.Values{"sslmode": {"verify-full"}, "sslrootcert": {third.CACertFile()}})
	if !sessionSSL(t, dsn) {
		t.Error("verify-full after restart: not over TLS")
	}
}

func parseCertFile(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatalf("%s: no PEM", path)
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestEnsureTLSRenews: certificates are generated when missing, kept while valid, and
// replaced when broken or expiring (the CA only when it is itself at fault).
func TestEnsureTLSRenews(t *testing.T) {
	t.Parallel()
	s := &Server{dataDir: t.TempDir(), log: slog.New(slog.DiscardHandler)}
	now := time.Now()
	ensure := func(at time.Time, wantChanged bool) {
		t.Helper()
		changed, err := s.ensureTLS(at)
		if err != nil {
			t.Fatal(err)
		}
		if changed != wantChanged {
			t.Fatalf("ensureTLS changed = %v, want %v", changed, wantChanged)
		}
	}
	serial := func(name string) string {
		return parseCertFile(t, filepath.Join(s.tlsDir(), name)).SerialNumber.String()
	}

	ensure(now, true)
	ca, leaf := serial(caCertName), serial(serverCertName)
	cert := parseCertFile(t, filepath.Join(s.tlsDir(), serverCertName))
	if cert.PublicKeyAlgorithm != x509.ECDSA {
		t.Errorf("server key algorithm %v, want ECDSA", cert.PublicKeyAlgorithm)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(s.CACertPEM())
	for _, name := range []string{"localhost", "127.0.0.1", "::1"} {
		if _, err := cert.Verify(x509.VerifyOptions{DNSName: name, Roots: roots}); err != nil {
			t.Errorf("server certificate for %s: %v", name, err)
		}
	}

	ensure(now.Add(time.Hour), false) // valid: kept

	// Within renewBefore of the server certificate's end: a new one under the same CA.
	ensure(now.Add(serverLifetime-renewBefore/2), true)
	if serial(caCertName) != ca || serial(serverCertName) == leaf {
		t.Error("renewing the server certificate: want the same CA and a new certificate")
	}

	// A broken server key: a new certificate, same CA.
	leaf = serial(serverCertName)
	if err := os.WriteFile(filepath.Join(s.tlsDir(), serverKeyName), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	ensure(now, true)
	if serial(caCertName) != ca || serial(serverCertName) == leaf {
		t.Error("after a broken key: want the same CA and a new certificate")
	}

	// The CA gone: a new CA and a server certificate it signed.
	if err := os.Remove(filepath.Join(s.tlsDir(), caCertName)); err != nil {
		t.Fatal(err)
	}
	ensure(now, true)
	if serial(caCertName) == ca {
		t.Error("a missing CA was not regenerated")
	}
	roots = x509.NewCertPool()
	roots.AppendCertsFromPEM(s.CACertPEM())
	if _, err := parseCertFile(t, filepath.Join(s.tlsDir(), serverCertName)).Verify(x509.VerifyOptions{DNSName: "localhost", Roots: roots}); err != nil {
		t.Errorf("server certificate after a new CA: %v", err)
	}

	// The CA expiring: both replaced.
	ca, leaf = serial(caCertName), serial(serverCertName)
	ensure(now.Add(caLifetime-renewBefore/2), true)
	if serial(caCertName) == ca || serial(serverCertName) == leaf {
		t.Error("an expiring CA: want a new CA and a new server certificate")
	}
}
