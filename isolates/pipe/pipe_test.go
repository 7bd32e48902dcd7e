package pipe

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"golang.org/x/net/nettest"
)

// The net.Conn contract as x/net's conformance suite checks it: basic
// I/O, concurrent use, deadlines (past, future, moved while waiting),
// close while blocked.
func TestConformsToNetConn(t *testing.T) {
	nettest.TestConn(t, func() (c1, c2 net.Conn, stop func(), err error) {
		a, b := New("127.0.0.1:5432")
		return a, b, func() { a.Close(); b.Close() }, nil
	})
}

// A writer the peer does not read blocks once BufferSize bytes wait,
// and goes on as the peer reads.
func TestWritesWaitForTheReader(t *testing.T) {
	cli, srv := New("x:1")
	defer cli.Close()
	defer srv.Close()
	big := bytes.Repeat([]byte("abcdefgh"), (BufferSize+BufferSize/2)/8)
	if err := cli.SetWriteDeadline(time.Now().Add(50 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	n, err := cli.Write(big)
	if n != BufferSize || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("write to an unread pipe: %d, %v; want %d bytes then a timeout", n, err, BufferSize)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("the timeout is not a net.Error timeout: %#v", err)
	}
	_ = cli.SetWriteDeadline(time.Time{})
	done := make(chan error, 1)
	go func() { _, err := cli.Write(big[n:]); done <- err }()
	got := make([]byte, len(big))
	if _, err := io.ReadFull(srv, got); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, big) {
		t.Fatal("the bytes read are not the bytes written")
	}
}

// The ends' closing, as TCP's: what each case leaves the two ends with.
func TestCloseAndHalfClose(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func(c *Conn) error
		// after client wrote "hi" and ended
		serverReads, clientWriteErr, clientReadErr, serverWriteErr error
	}{
		{name: "CloseWrite", end: (*Conn).CloseWrite, serverReads: io.EOF, clientWriteErr: net.ErrClosed, clientReadErr: nil, serverWriteErr: nil},
		{name: "Close", end: (*Conn).Close, serverReads: io.EOF, clientWriteErr: net.ErrClosed, clientReadErr: net.ErrClosed, serverWriteErr: io.ErrClosedPipe},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cli, srv := New("x:1")
			defer cli.Close()
			defer srv.Close()
			if _, err := cli.Write([]byte("hi")); err != nil {
				t.Fatal(err)
			}
			if err := tc.end(cli); err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(srv) // stops at EOF
			if string(got) != "hi" || err != nil {
				t.Fatalf("server read %q, %v; want \"hi\" then EOF", got, err)
			}
			if n, err := srv.Read(make([]byte, 1)); n != 0 || !errors.Is(err, tc.serverReads) {
				t.Fatalf("server read after the end: %d, %v; want %v", n, err, tc.serverReads)
			}
			if _, err := cli.Write([]byte("x")); !errors.Is(err, tc.clientWriteErr) {
				t.Fatalf("client write after the end: %v; want %v", err, tc.clientWriteErr)
			}
			_, werr := srv.Write([]byte("back"))
			if !errors.Is(werr, tc.serverWriteErr) && !(werr == nil && tc.serverWriteErr == nil) {
				t.Fatalf("server write: %v; want %v", werr, tc.serverWriteErr)
			}
			buf := make([]byte, 8)
			n, rerr := cli.Read(buf)
			if tc.clientReadErr == nil {
				if rerr != nil || string(buf[:n]) != "back" {
					t.Fatalf("client read after half-close: %q, %v; want \"back\"", buf[:n], rerr)
				}
			} else if !errors.Is(rerr, tc.clientReadErr) {
				t.Fatalf("client read after close: %v; want %v", rerr, tc.clientReadErr)
			}
		})
	}
}

// A deadline set in the past cuts a Read that is waiting (how a socket's
// startTls takes its connection back from an outstanding read), and the
// connection reads on once it is cleared.
func TestPastDeadlineCutsAWaitingRead(t *testing.T) {
	cli, srv := New("x:1")
	defer cli.Close()
	defer srv.Close()
	errc := make(chan error, 1)
	go func() { _, err := cli.Read(make([]byte, 4)); errc <- err }()
	time.Sleep(10 * time.Millisecond) // let the read wait (the assertion holds either way)
	_ = cli.SetReadDeadline(time.Now())
	if err := <-errc; !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("cut read: %v", err)
	}
	_ = cli.SetReadDeadline(time.Time{})
	go func() { _, _ = srv.Write([]byte("ok")) }()
	buf := make([]byte, 4)
	n, err := cli.Read(buf)
	if err != nil || string(buf[:n]) != "ok" {
		t.Fatalf("read after clearing the deadline: %q, %v", buf[:n], err)
	}
	if cli.RemoteAddr().String() != "x:1" || srv.LocalAddr().String() != "x:1" || cli.RemoteAddr().Network() != "pipe" {
		t.Fatalf("addresses: %v %v", cli.RemoteAddr(), srv.LocalAddr())
	}
}

// A write whose bytes were all buffered succeeded, even when the peer
// reads them and closes before the write returns: a server that answers
// a message and hangs up (a refused login) must not make the client's
// delivered write an error. The race is narrow, so it is run many times.
func TestDeliveredWriteSucceedsWhenThePeerClosesAtOnce(t *testing.T) {
	msg := []byte("password message")
	for i := 0; i < 20000; i++ {
		cli, srv := New("x:1")
		go func() {
			buf := make([]byte, len(msg))
			_, _ = io.ReadFull(srv, buf)
			srv.Close()
		}()
		n, err := cli.Write(msg)
		if err != nil || n != len(msg) {
			t.Fatalf("round %d: wrote %d of %d: %v", i, n, len(msg), err)
		}
		cli.Close()
	}
}
