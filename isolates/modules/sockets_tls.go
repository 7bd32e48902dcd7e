package modules

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
)

// clientTLSConfig is the base configuration of the isolate's TLS
// connections: certificates are verified as workerd verifies them, against
// the system's roots, and also against extra (the managed local
// PostgreSQL's CA, so that a driver with sslmode=require reaches it) when
// given. Go cannot merge a CertPool into the system one, so with extra
// roots the chain is verified by hand: accepted when either pool vouches
// for it.
func clientTLSConfig(extra *x509.CertPool) *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if extra == nil {
		return cfg
	}
	cfg.InsecureSkipVerify = true // replaced by VerifyConnection below, never skipped
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 {
			return errors.New("tls: the server sent no certificate")
		}
		inter := x509.NewCertPool()
		for _, c := range cs.PeerCertificates[1:] {
			inter.AddCert(c)
		}
		opts := x509.VerifyOptions{DNSName: cs.ServerName, Intermediates: inter}
		leaf := cs.PeerCertificates[0]
		opts.Roots = extra
		if _, err := leaf.Verify(opts); err == nil {
			return nil
		}
		opts.Roots = nil // the system's
		_, err := leaf.Verify(opts)
		return err
	}
	return cfg
}

// tlsFor is the configuration for a connection to serverName (SNI and the
// name the certificate must carry).
func (st *sockets) tlsFor(serverName string) *tls.Config {
	cfg := st.tls.Clone()
	cfg.ServerName = serverName
	return cfg
}
