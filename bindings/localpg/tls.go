package localpg

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

const (
	tlsDirName     = "tls"
	caCertName     = "ca.crt"
	caKeyName      = "ca.key"
	serverCertName = "server.crt"
	serverKeyName  = "server.key"

	// caLifetime is long: clients told to trust the CA (sockets, sslrootcert) keep working
	// while the server certificate under it is renewed.
	caLifetime = 10 * 365 * 24 * time.Hour
	// serverLifetime stays under the 398 days clients such as Apple's accept for a leaf.
	serverLifetime = 397 * 24 * time.Hour
	// renewBefore: a certificate that expires within this is replaced at the next Start, so
	// a server started now does not serve an expired certificate during a long session.
	renewBefore = 30 * 24 * time.Hour
)

// tlsDNSNames and tlsIPs are the names the server certificate is valid for: every way a
// client on this machine names the loopback server (it listens on 127.0.0.1 only, but a
// connection string may say localhost, and ::1 costs nothing).
var (
	tlsDNSNames = []string{"localhost"}
	tlsIPs      = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
)

// tlsFiles are the paths of the server's TLS material and the CA certificate's PEM bytes.
type tlsFiles struct {
	caCert, serverCert, serverKey string
	caPEM                         []byte
}

func (s *Server) tlsDir() string { return filepath.Join(s.dataDir, tlsDirName) }

// ensureTLS makes sure the data directory holds a CA and a server certificate it signed,
// valid for the loopback names past now+renewBefore, and generates what is missing,
// unreadable, expiring or not matching (a new CA also means a new server certificate).
// The keys are ECDSA P-256, written with mode 0600 and, when the server runs as another
// account, owned by it (PostgreSQL refuses a key file others can read, and one it cannot).
// It reports whether anything was written, so that a running server reloads it.
func (s *Server) ensureTLS(now time.Time) (changed bool, err error) {
	dir := s.tlsDir()
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return false, fmt.Errorf("localpg: %w", err)
	}
	if err := s.handOver(dir); err != nil {
		return false, err
	}
	files := tlsFiles{
		caCert:     filepath.Join(dir, caCertName),
		serverCert: filepath.Join(dir, serverCertName),
		serverKey:  filepath.Join(dir, serverKeyName),
	}
	caKeyPath := filepath.Join(dir, caKeyName)

	ca, caKey, err := loadCertAndKey(files.caCert, caKeyPath)
	if err != nil || !ca.IsCA || now.Add(renewBefore).After(ca.NotAfter) {
		if ca, caKey, err = newCA(now); err != nil {
			return false, err
		}
		if err := s.writeTLSFile(caKeyPath, keyPEM(caKey), 0o600); err != nil {
			return false, err
		}
		if err := s.writeTLSFile(files.caCert, certPEM(ca), 0o644); err != nil {
			return false, err
		}
		changed = true
		s.log.Info("generated a TLS certificate authority for the local PostgreSQL", "path", files.caCert, "expires", ca.NotAfter)
	}
	leaf, _, err := loadCertAndKey(files.serverCert, files.serverKey)
	if err != nil || !validServerCert(leaf, ca, now.Add(renewBefore)) {
		leaf, leafKey, err := newServerCert(now, ca, caKey)
		if err != nil {
			return false, err
		}
		if err := s.writeTLSFile(files.serverKey, keyPEM(leafKey), 0o600); err != nil {
			return false, err
		}
		if err := s.writeTLSFile(files.serverCert, certPEM(leaf), 0o644); err != nil {
			return false, err
		}
		changed = true
		s.log.Info("generated a TLS certificate for the local PostgreSQL", "path", files.serverCert, "expires", leaf.NotAfter)
	}
	files.caPEM = certPEM(ca)
	s.tls = &files
	return changed, nil
}

// validServerCert reports whether leaf chains to ca for every loopback name at time at.
func validServerCert(leaf, ca *x509.Certificate, at time.Time) bool {
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	names := append([]string(nil), tlsDNSNames...)
	for _, ip := range tlsIPs {
		names = append(names, ip.String())
	}
	for _, name := range names {
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: roots, CurrentTime: at}); err != nil {
			return false
		}
	}
	return true
}

// loadCertAndKey reads a PEM certificate and the PEM EC private key that goes with it.
func loadCertAndKey(certPath, keyPath string) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	certData, err := os.ReadFile(certPath)
	if err != nil {
		return nil, nil, err
	}
	keyData, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, nil, err
	}
	certBlock, _ := pem.Decode(certData)
	keyBlock, _ := pem.Decode(keyData)
	if certBlock == nil || certBlock.Type != "CERTIFICATE" || keyBlock == nil || keyBlock.Type != "EC PRIVATE KEY" {
		return nil, nil, errors.New("not a PEM certificate and EC key")
	}
	cert, err := x509.ParseCertificate(certBlock.Bytes)
	if err != nil {
		return nil, nil, err
	}
	key, err := x509.ParseECPrivateKey(keyBlock.Bytes)
	if err != nil {
		return nil, nil, err
	}
	pub, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok || !pub.Equal(&key.PublicKey) {
		return nil, nil, errors.New("the key does not belong to the certificate")
	}
	return cert, key, nil
}

func newCA(now time.Time) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("localpg: generating the CA key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serialNumber(),
		Subject:               pkix.Name{CommonName: "edgerun local PostgreSQL CA", Organization: []string{"edgerun"}},
		NotBefore:             now.Add(-time.Hour), // a clock a little behind still accepts it
		NotAfter:              now.Add(caLifetime),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, fmt.Errorf("localpg: creating the CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	return cert, key, err
}

func newServerCert(now time.Time, ca *x509.Certificate, caKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("localpg: generating the server key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serialNumber(),
		Subject:      pkix.Name{CommonName: "localhost", Organization: []string{"edgerun"}},
		DNSNames:     tlsDNSNames,
		IPAddresses:  tlsIPs,
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(serverLifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, nil, fmt.Errorf("localpg: creating the server certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	return cert, key, err
}

func serialNumber() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127)) // never fails
	return n
}

func certPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

func keyPEM(k *ecdsa.PrivateKey) []byte {
	der, _ := x509.MarshalECPrivateKey(k) // a P-256 key always marshals
	return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})
}

// writeTLSFile writes data atomically with perm and hands it to the server's account.
func (s *Server) writeTLSFile(path string, data []byte, perm os.FileMode) error {
	if err := writePrivateFile(path, data); err != nil { // 0600 until renamed
		return err
	}
	if err := os.Chmod(path, perm); err != nil {
		return fmt.Errorf("localpg: %w", err)
	}
	return s.handOver(path)
}

// handOver gives path to the server's account when the server runs as another user.
func (s *Server) handOver(path string) error {
	if s.account == nil {
		return nil
	}
	if err := os.Lchown(path, int(s.account.uid), int(s.account.gid)); err != nil {
		return fmt.Errorf("localpg: handing %s to user %s: %w", path, s.account.name, err)
	}
	return nil
}

// CACertPEM is the PEM certificate of the CA that signed the server's TLS certificate:
// give it to a client that verifies the server (sslmode=verify-full, a TLS socket's
// trusted roots). The certificate is valid for localhost, 127.0.0.1 and ::1.
func (s *Server) CACertPEM() []byte { return bytes.Clone(s.tls.caPEM) }

// CACertFile is the path of CACertPEM's file in the data directory (for sslrootcert=).
func (s *Server) CACertFile() string { return s.tls.caCert }

// reloadConf makes the running server read its configuration and certificate files again.
func (s *Server) reloadConf(ctx context.Context) error {
	conn, err := s.connectAdmin(ctx)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "SELECT pg_reload_conf()"); err != nil {
		return fmt.Errorf("localpg: reloading the configuration: %w", err)
	}
	return nil
}
