package hyperdrive

// The listener's credentials: a random user and password per process,
// checked with SCRAM-SHA-256 (RFC 5802, RFC 7677; PostgreSQL's SASL
// exchange: authenticate) or in clear on the in-process door
// (authenticateCleartext), and the self-signed certificate offered on
// SSLRequest.

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// scramIterations is the PBKDF2 count the listener announces. Stretching
// protects a guessable password against offline guessing; the listener's
// is 128 random bits, which no iteration count makes any harder to guess,
// while every client pays the count on every connection (a worker's pg
// Client per request paid ~5 ms of its ~13 ms at PostgreSQL's 4096,
// BenchmarkDriverRoute). RFC 7677 recommends 4096 for passwords people
// choose.
const scramIterations = 16

// scramSecret is what a server keeps of a password (RFC 5802 §3).
type scramSecret struct {
	salt                 []byte
	iterations           int
	storedKey, serverKey []byte
}

func newSCRAMSecret(password string) (scramSecret, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return scramSecret{}, err
	}
	salted, err := pbkdf2.Key(sha256.New, password, salt, scramIterations, sha256.Size)
	if err != nil {
		return scramSecret{}, err
	}
	clientKey := hmacSHA256(salted, "Client Key")
	stored := sha256.Sum256(clientKey)
	return scramSecret{salt: salt, iterations: scramIterations, storedKey: stored[:], serverKey: hmacSHA256(salted, "Server Key")}, nil
}

func hmacSHA256(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

// scramExchange is the server side of one SCRAM-SHA-256 exchange.
type scramExchange struct {
	secret          scramSecret
	clientFirstBare string
	serverFirst     string
	nonce           string
}

var errSCRAM = errors.New("SCRAM authentication failed")

var errPassword = errors.New("password authentication failed")

// ask sends an authentication request and reads the client's answer, which
// pgproto3 decodes by the request's type (authType).
func ask(be *pgproto3.Backend, request pgproto3.BackendMessage, authType uint32) (pgproto3.FrontendMessage, error) {
	be.Send(request)
	if err := be.Flush(); err != nil {
		return nil, err
	}
	_ = be.SetAuthType(authType)
	return be.Receive()
}

// authenticate runs SCRAM-SHA-256 for user. An unknown user goes through
// the same exchange and fails at its end, as PostgreSQL's does.
func (p *proxy) authenticate(be *pgproto3.Backend, user string) error {
	msg, err := ask(be, &pgproto3.AuthenticationSASL{AuthMechanisms: []string{"SCRAM-SHA-256"}}, pgproto3.AuthTypeSASL)
	if err != nil {
		return err
	}
	initial, ok := msg.(*pgproto3.SASLInitialResponse)
	if !ok || initial.AuthMechanism != "SCRAM-SHA-256" {
		return errSCRAM
	}
	ex := &scramExchange{secret: p.secret}
	serverFirst, err := ex.first(initial.Data)
	if err != nil {
		return err
	}
	if msg, err = ask(be, &pgproto3.AuthenticationSASLContinue{Data: []byte(serverFirst)}, pgproto3.AuthTypeSASLContinue); err != nil {
		return err
	}
	resp, ok := msg.(*pgproto3.SASLResponse)
	if !ok {
		return errSCRAM
	}
	serverFinal, err := ex.final(resp.Data)
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare([]byte(user), []byte(p.user)) != 1 {
		return errSCRAM
	}
	_ = be.SetAuthType(pgproto3.AuthTypeOk)
	be.Send(&pgproto3.AuthenticationSASLFinal{Data: []byte(serverFinal)})
	return nil
}

// authenticateCleartext checks user and the password a client of the
// in-process door sends in clear (AuthenticationCleartextPassword), with
// the same outcome as SCRAM's: the same user, password and (in serve)
// database are required, and a wrong one gets the same 28P01.
//
// Why this is as safe as SCRAM there: SCRAM keeps the password from an
// eavesdropper on the wire and from a server that only pretends to be the
// right one. On the in-process door there is no wire (the bytes go from
// the script's socket to this code through memory, never through a kernel
// socket another process could reach) and no other server (the address
// is this process's own listener, which holds the port). The password is
// random per process and already in the script's env
// (env.HYPERDRIVE.password), so the script learns nothing by sending it.
// What it saves: SCRAM's exchange is a round trip and, in a worker, its
// PBKDF2, HMACs and base64 in JavaScript (a quarter of node-postgres'
// per-connection JavaScript, bench/README.md).
func (p *proxy) authenticateCleartext(be *pgproto3.Backend, user string) error {
	msg, err := ask(be, &pgproto3.AuthenticationCleartextPassword{}, pgproto3.AuthTypeCleartextPassword)
	if err != nil {
		return err
	}
	pm, ok := msg.(*pgproto3.PasswordMessage)
	if !ok {
		return errPassword
	}
	userOK := subtle.ConstantTimeCompare([]byte(user), []byte(p.user))
	passwordOK := subtle.ConstantTimeCompare([]byte(pm.Password), []byte(p.password))
	if userOK&passwordOK != 1 {
		return errPassword
	}
	_ = be.SetAuthType(pgproto3.AuthTypeOk)
	return nil
}

// first reads the client-first-message and returns the server-first-message.
// Channel binding is not offered (no SCRAM-SHA-256-PLUS), so the GS2 header
// must be "n" or "y" (the client could bind, and believes the server
// cannot); the user name in it is ignored, as PostgreSQL ignores it: the
// startup message's user is the one checked.
func (s *scramExchange) first(msg []byte) (string, error) {
	m := string(msg)
	var gs2 string
	switch {
	case strings.HasPrefix(m, "n,"), strings.HasPrefix(m, "y,"):
		gs2 = m[:2]
	default:
		return "", errors.New("SCRAM channel binding is not supported by this server")
	}
	rest := m[len(gs2):]
	i := strings.IndexByte(rest, ',')
	if i < 0 || (i > 0 && !strings.HasPrefix(rest, "a=")) {
		return "", errSCRAM
	}
	s.clientFirstBare = rest[i+1:]
	var clientNonce string
	for _, attr := range strings.Split(s.clientFirstBare, ",") {
		if strings.HasPrefix(attr, "r=") {
			clientNonce = attr[2:]
		} else if strings.HasPrefix(attr, "m=") {
			return "", errSCRAM // mandatory extensions: none supported
		}
	}
	if clientNonce == "" || strings.ContainsAny(clientNonce, ", ") {
		return "", errSCRAM
	}
	buf := make([]byte, 18)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	s.nonce = clientNonce + base64.StdEncoding.EncodeToString(buf)
	s.serverFirst = "r=" + s.nonce + ",s=" + base64.StdEncoding.EncodeToString(s.secret.salt) + ",i=" + strconv.Itoa(s.secret.iterations)
	return s.serverFirst, nil
}

// final checks the client-final-message's proof and returns the
// server-final-message (the server's signature).
func (s *scramExchange) final(msg []byte) (string, error) {
	m := string(msg)
	i := strings.LastIndex(m, ",p=")
	if i < 0 {
		return "", errSCRAM
	}
	withoutProof := m[:i]
	proof, err := base64.StdEncoding.DecodeString(m[i+3:])
	if err != nil || len(proof) != sha256.Size {
		return "", errSCRAM
	}
	var nonce, binding string
	for _, attr := range strings.Split(withoutProof, ",") {
		switch {
		case strings.HasPrefix(attr, "r="):
			nonce = attr[2:]
		case strings.HasPrefix(attr, "c="):
			binding = attr[2:]
		}
	}
	if nonce != s.nonce {
		return "", errSCRAM
	}
	if b, err := base64.StdEncoding.DecodeString(binding); err != nil || (string(b) != "n,," && string(b) != "y,,") {
		return "", errSCRAM
	}
	authMessage := s.clientFirstBare + "," + s.serverFirst + "," + withoutProof
	sig := hmacSHA256(s.secret.storedKey, authMessage)
	clientKey := make([]byte, len(proof))
	for i := range proof {
		clientKey[i] = proof[i] ^ sig[i]
	}
	stored := sha256.Sum256(clientKey)
	if subtle.ConstantTimeCompare(stored[:], s.secret.storedKey) != 1 {
		return "", errSCRAM
	}
	return "v=" + base64.StdEncoding.EncodeToString(hmacSHA256(s.secret.serverKey, authMessage)), nil
}

// randomToken is n random bytes in hex: safe in a URL unescaped.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}

// selfSignedTLS makes the listener's certificate: a CA of its own (so that
// a worker's sockets, which verify, can be told to trust it) signing a
// certificate for localhost and the loopback addresses.
func selfSignedTLS(host string) (*tls.Config, []byte, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	ca := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "edgerun local Hyperdrive CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(10 * 365 * 24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, nil, err
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if ip := net.ParseIP(host); ip != nil && !ip.IsLoopback() {
		leaf.IPAddresses = append(leaf.IPAddresses, ip)
	} else if ip == nil && host != "" && host != "localhost" {
		leaf.DNSNames = append(leaf.DNSNames, host)
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		return nil, nil, err
	}
	var caPEM bytes.Buffer
	_ = pem.Encode(&caPEM, &pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	cfg := &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{leafDER, caDER}, PrivateKey: key}},
		MinVersion:   tls.VersionTLS12,
	}
	return cfg, caPEM.Bytes(), nil
}
