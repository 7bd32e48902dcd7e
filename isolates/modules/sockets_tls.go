package modules

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"time"
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

// verifyDoor is a TLS handshake with an in-process door
// (isolates.ServeInProcessSecure) less the handshake: the door's
// certificate chain is verified as cfg's handshake would verify the one the
// server sent (the same roots, the same name, the same errors), and the
// connection then stays the pipe it is. A TLS session over it would only
// encrypt bytes that never leave the process's memory, to a server the
// registry (not the network) names; what TLS is for, privacy and the
// server's identity, the pipe has already. Only such a door is skipped: any
// other address is dialled over TCP and handshakes.
//
// A success is remembered per name for the isolate (each connection would
// otherwise verify an ECDSA signature again), until the leaf expires.
func (st *sockets) verifyDoor(chain []*x509.Certificate, cfg *tls.Config) error {
	if len(chain) == 0 {
		return errors.New("tls: the server sent no certificate")
	}
	key := doorKey{chain[0], cfg.ServerName}
	if _, ok := st.verified.Load(key); ok && time.Now().Before(chain[0].NotAfter) {
		return nil
	}
	var err error
	if cfg.VerifyConnection != nil { // clientTLSConfig's extra roots
		err = cfg.VerifyConnection(tls.ConnectionState{ServerName: cfg.ServerName, PeerCertificates: chain})
	} else {
		inter := x509.NewCertPool()
		for _, c := range chain[1:] {
			inter.AddCert(c)
		}
		if _, verr := chain[0].Verify(x509.VerifyOptions{Roots: cfg.RootCAs, DNSName: cfg.ServerName, Intermediates: inter}); verr != nil {
			err = &tls.CertificateVerificationError{UnverifiedCertificates: chain, Err: verr}
		}
	}
	if err == nil {
		st.verified.Store(key, struct{}{})
	}
	return err
}

type doorKey struct {
	leaf *x509.Certificate
	name string
}
