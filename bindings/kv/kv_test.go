package kv

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"edgerun/bindings/localpg/pgtest"
	"edgerun/isolates"
	"edgerun/isolates/jstest"
	"edgerun/isolates/webapi"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopAll()
	os.Exit(code)
}

// stores is every Store, each opened fresh for one test: the same test
// table runs against each, so a behaviour or limit of one holds for all.
var stores = []struct {
	name string
	open func(t *testing.T, c *clock) Store
}{
	{"bolt", func(t *testing.T, c *clock) Store {
		return openStore(t, filepath.Join(t.TempDir(), "kv.db"), c)
	}},
	{"postgres", func(t *testing.T, c *clock) Store {
		return openPostgres(t, pgtest.NewDatabase(t), c)
	}},
}

func openPostgres(t *testing.T, connString string, c *clock) *PostgresStore {
	t.Helper()
	s, err := OpenPostgres(context.Background(), connString, PostgresOptions{Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// clock is the store's time: tests move it to expire keys.
type clock struct{ unix atomic.Int64 }

func (c *clock) now() time.Time { return time.Unix(c.unix.Load(), 0) }

func openStore(t *testing.T, path string, c *clock) *BoltStore {
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
func isolateWith(t *testing.T, store Store, c *clock) *isolates.Isolate {
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
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			c := &clock{}
			store := st.open(t, c)
			// The script's expirations come from Date.now: the store's clock
			// starts in step with it, once the store is open.
			c.unix.Store(time.Now().Unix())
			jstest.Run(t, isolateWith(t, store, c), "testdata/kv.js", nil)
		})
	}
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

// Behaviours the script cannot reach: keys with NUL and 0xff bytes list in
// byte order under a prefix ending in 0xff, metadata text comes back as
// put (key order, number spelling), and Purge counts what it removed.
func TestStoresAgreeOnBytesMetadataAndPurge(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			c := &clock{}
			c.unix.Store(time.Now().Unix())
			s := st.open(t, c)
			for _, k := range []string{"b", "a\xff\xff", "a", "a\x00b", "a\xff", "a\xfe"} {
				if err := s.Put("ns", k, Entry{Value: []byte(k)}); err != nil {
					t.Fatal(err)
				}
			}
			names := func(prefix string, limit int, cursor string) ([]string, string) {
				t.Helper()
				keys, next, err := s.List("ns", prefix, limit, cursor)
				if err != nil {
					t.Fatal(err)
				}
				out := []string{}
				for _, k := range keys {
					out = append(out, k.Name)
				}
				return out, next
			}
			for _, tt := range []struct {
				prefix string
				want   []string
			}{
				{"", []string{"a", "a\x00b", "a\xfe", "a\xff", "a\xff\xff", "b"}},
				{"a", []string{"a", "a\x00b", "a\xfe", "a\xff", "a\xff\xff"}},
				{"a\xff", []string{"a\xff", "a\xff\xff"}},
				{"a\x00", []string{"a\x00b"}},
				{"c", []string{}},
			} {
				if got, next := names(tt.prefix, 10, ""); !slices.Equal(got, tt.want) || next != "" {
					t.Errorf("List(%q) = %q, next %q; want %q, no next", tt.prefix, got, next, tt.want)
				}
			}
			page1, next := names("a", 2, "")
			page2, next2 := names("a", 2, next)
			page3, next3 := names("a", 2, next2)
			if got := append(append(page1, page2...), page3...); !slices.Equal(got, []string{"a", "a\x00b", "a\xfe", "a\xff", "a\xff\xff"}) || next3 != "" {
				t.Errorf("pages of 2 = %q %q %q (last next %q)", page1, page2, page3, next3)
			}
			if _, _, err := s.List("ns", "", 10, "!!"); err != ErrInvalidCursor {
				t.Errorf("List with a bad cursor: %v, want ErrInvalidCursor", err)
			}

			meta := `{"z":1, "a":[1.50, 2e3]}`
			if err := s.Put("ns", "m", Entry{Value: nil, Metadata: meta, Expiration: c.now().Unix() + 60}); err != nil {
				t.Fatal(err)
			}
			got, err := s.Get("ns", []string{"m", "b", "nope"})
			if err != nil {
				t.Fatal(err)
			}
			if got[0] == nil || got[0].Metadata != meta || len(got[0].Value) != 0 || got[0].Value == nil || got[1] == nil || string(got[1].Value) != "b" || got[2] != nil {
				t.Fatalf("Get = %+v %+v %+v", got[0], got[1], got[2])
			}
			c.unix.Add(60)
			if got, _ := s.Get("ns", []string{"m"}); got[0] != nil {
				t.Errorf("an expired key was read: %+v", got[0])
			}
			if n, err := s.Purge(); err != nil || n != 1 {
				t.Errorf("Purge = %d, %v; want 1", n, err)
			}
			if err := s.Delete("ns", "b"); err != nil {
				t.Fatal(err)
			}
			if got, _ := names("b", 10, ""); len(got) != 0 {
				t.Errorf("after Delete: %q", got)
			}
		})
	}
}

// Processes of a fleet share a PostgreSQL namespace: what one puts, the
// others read and list at once; they may start together on a database
// without the table.
func TestPostgresStoreIsSharedByProcesses(t *testing.T) {
	db := pgtest.NewDatabase(t)
	c := &clock{}
	c.unix.Store(time.Now().Unix())
	opened := make(chan *PostgresStore, 3)
	errs := make(chan error, 3)
	for range 3 {
		go func() {
			s, err := OpenPostgres(context.Background(), db, PostgresOptions{Now: c.now})
			if err != nil {
				errs <- err
				return
			}
			opened <- s
		}()
	}
	var s []*PostgresStore
	for range 3 {
		select {
		case err := <-errs:
			t.Fatalf("opening three stores at once: %v", err)
		case st := <-opened:
			t.Cleanup(func() { st.Close() })
			s = append(s, st)
		}
	}
	if err := s[0].Put("ns", "k", Entry{Value: []byte("from 0"), Metadata: `{"by":0}`}); err != nil {
		t.Fatal(err)
	}
	for i, st := range s[1:] {
		got, err := st.Get("ns", []string{"k"})
		if err != nil || got[0] == nil || string(got[0].Value) != "from 0" || got[0].Metadata != `{"by":0}` {
			t.Fatalf("store %d reads %+v, %v", i+1, got, err)
		}
	}
	if err := s[2].Put("ns", "k", Entry{Value: []byte("from 2")}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s[0].Get("ns", []string{"k"}); got[0] == nil || string(got[0].Value) != "from 2" || got[0].Metadata != "" {
		t.Fatalf("store 0 after store 2's put reads %+v", got[0])
	}
	keys, _, err := s[1].List("ns", "", 10, "")
	if err != nil || len(keys) != 1 || keys[0].Name != "k" {
		t.Fatalf("store 1 lists %+v, %v", keys, err)
	}
	if err := s[1].Delete("ns", "k"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s[0].Get("ns", []string{"k"}); got[0] != nil {
		t.Fatalf("store 0 still reads a key store 1 deleted: %+v", got[0])
	}
}

// A database that cannot be reached fails OpenPostgres with a message that
// names the problem and never the password.
func TestPostgresStoreErrorsHideThePassword(t *testing.T) {
	_, err := OpenPostgres(context.Background(), "postgres://ann:s3cret-pw@127.0.0.1:1/db?connect_timeout=2", PostgresOptions{})
	if err == nil || strings.Contains(err.Error(), "s3cret-pw") || !strings.Contains(err.Error(), "kv postgres") {
		t.Fatalf("err = %v", err)
	}
	_, err = OpenPostgres(context.Background(), "postgres://ann:s3cret-pw@[bad", PostgresOptions{})
	if err == nil || strings.Contains(err.Error(), "s3cret-pw") {
		t.Fatalf("err = %v", err)
	}
}
