package r2

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"edgerun/isolates"
	"edgerun/isolates/jstest"
	"edgerun/isolates/webapi"
)

func isolateWith(t *testing.T, store *Store) *isolates.Isolate {
	t.Helper()
	iso, err := isolates.New(isolates.Options{Setup: func(iso *isolates.Isolate) error {
		if _, err := webapi.Install(iso, webapi.Options{}); err != nil {
			return err
		}
		for name, id := range map[string]string{"bucket": "b1", "other": "b2"} {
			v, err := NewBucket(store, name, id).Value(iso)
			if err != nil {
				return err
			}
			if err := iso.Runtime().Set(name, v); err != nil {
				return err
			}
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { iso.Retire(nil); <-iso.Done() })
	return iso
}

func TestR2BucketAPI(t *testing.T) {
	store, err := Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	jstest.Run(t, isolateWith(t, store), "testdata/r2.js", nil)
}

// Objects survive a restart; replaced and deleted bodies leave no files.
func TestR2PersistsAndCleansUp(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, func() time.Time { return time.UnixMilli(1_700_000_000_000) })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put("b", "a.txt", []byte("one"), map[string]any{"contentType": "text/plain"}, map[string]string{"k": "v"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put("b", "a.txt", []byte("two"), nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put("b", "gone.txt", []byte("x"), nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("b", []string{"gone.txt", "never"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	o, body, _, err := s.Get("b", "a.txt", nil, nil)
	if err != nil || o == nil || string(body) != "two" || o.ETag != "b8a9f715dbb64fd5c56e7783c6820a61" || o.Uploaded != 1_700_000_000_000 {
		t.Fatalf("after reopening: %+v %q %v", o, body, err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "r2", "*"))
	if len(files) != 1 {
		t.Fatalf("%d body files for one object: %v", len(files), files)
	}
}

// A get racing overwrites and deletes of its key sees an object (old or
// new) or none, never an error.
func TestR2GetDuringOverwrites(t *testing.T) {
	s, err := Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if i%5 == 4 {
				_ = s.Delete("b", []string{"k"})
			} else if _, err := s.Put("b", "k", []byte{byte(i)}, nil, nil, nil); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for range 2000 {
		if o, body, _, err := s.Get("b", "k", nil, nil); err != nil || (o != nil && len(body) != 1) {
			t.Fatalf("get during overwrites: %v, %v", o, err)
		}
	}
	close(stop)
	<-done
}

// Bodies a crash left behind (unfinished or no longer named) are removed
// at the next start.
func TestR2SweepsOrphansAtOpen(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put("b", "kept", []byte("x"), nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, name := range []string{"deadbeef", "cafe.tmp"} {
		if err := os.WriteFile(filepath.Join(dir, "r2", name), []byte("orphan"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s, err = Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "r2", "*"))
	if len(files) != 1 {
		t.Fatalf("after Open: %v; want only the kept object's body", files)
	}
	if _, body, _, err := s.Get("b", "kept", nil, nil); err != nil || string(body) != "x" {
		t.Fatalf("kept = %q, %v", body, err)
	}
}
