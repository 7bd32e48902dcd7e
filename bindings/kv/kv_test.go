package kv

import (
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"edgerun/isolates"
	"edgerun/isolates/jstest"
	"edgerun/isolates/webapi"
)

// clock is the store's time: tests move it to expire keys.
type clock struct{ unix atomic.Int64 }

func (c *clock) now() time.Time { return time.Unix(c.unix.Load(), 0) }

func openStore(t *testing.T, path string, c *clock) *Store {
	t.Helper()
	s, err := Open(path, c.now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// isolateWith makes an isolate whose globals kv and other are namespaces of
// store, and advance(seconds) moves the store's clock.
func isolateWith(t *testing.T, store *Store, c *clock) *isolates.Isolate {
	t.Helper()
	iso, err := isolates.New(isolates.Options{Setup: func(iso *isolates.Isolate) error {
		if _, err := webapi.Install(iso, webapi.Options{}); err != nil {
			return err
		}
		vm := iso.Runtime()
		for name, id := range map[string]string{"kv": "ns1", "other": "ns2"} {
			v, err := NewNamespace(store, name, id).Value(iso)
			if err != nil {
				return err
			}
			if err := vm.Set(name, v); err != nil {
				return err
			}
		}
		return vm.Set("advance", func(seconds int64) { c.unix.Add(seconds) })
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { iso.Retire(nil); <-iso.Done() })
	return iso
}

func TestKVNamespaceAPI(t *testing.T) {
	c := &clock{}
	c.unix.Store(time.Now().Unix())
	store := openStore(t, filepath.Join(t.TempDir(), "kv.db"), c)
	jstest.Run(t, isolateWith(t, store, c), "testdata/kv.js", nil)
}

// Values survive a restart; a second process cannot open the same file.
func TestKVPersistsAndIsExclusive(t *testing.T) {
	c := &clock{}
	c.unix.Store(time.Now().Unix())
	path := filepath.Join(t.TempDir(), "state", "kv.db")
	s, err := Open(path, c.now)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put("ns", "greeting", Entry{Value: []byte("hello"), Metadata: `{"v":1}`}); err != nil {
		t.Fatal(err)
	}
	if err := s.Put("ns", "soon", Entry{Value: []byte("x"), Expiration: c.now().Unix() + 60}); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, c.now); err == nil {
		t.Fatal("a second Open of the same file succeeded")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openStore(t, path, c)
	got, err := s.Get("ns", []string{"greeting", "soon", "missing"})
	if err != nil {
		t.Fatal(err)
	}
	if got[0] == nil || string(got[0].Value) != "hello" || got[0].Metadata != `{"v":1}` || got[1] == nil || got[2] != nil {
		t.Fatalf("after reopening: %+v %+v %+v", got[0], got[1], got[2])
	}
	c.unix.Add(60)
	if n, err := s.Purge(); err != nil || n != 1 {
		t.Fatalf("Purge = %d, %v; want 1 expired entry removed", n, err)
	}
	if keys, _, err := s.List("ns", "", 10, ""); err != nil || len(keys) != 1 || keys[0].Name != "greeting" {
		t.Fatalf("List after Purge = %+v, %v", keys, err)
	}
}
