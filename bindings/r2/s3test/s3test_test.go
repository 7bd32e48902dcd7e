package s3test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

func TestMain(m *testing.M) {
	code := m.Run()
	StopAll()
	os.Exit(code)
}

// The server speaks S3 with the credentials it was given and refuses
// others; each NewBucket is a new, empty bucket.
func TestServerSpeaksS3(t *testing.T) {
	ctx := context.Background()
	srv := Start(t)
	client := func(secret string) *minio.Client {
		c, err := minio.New(strings.TrimPrefix(srv.Endpoint, "http://"), &minio.Options{Creds: credentials.NewStaticV4(srv.AccessKeyID, secret, ""), Region: srv.Region})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := client(srv.SecretAccessKey)
	a, b := srv.NewBucket(t), srv.NewBucket(t)
	if a == b {
		t.Fatalf("two buckets named %s", a)
	}
	if _, err := c.PutObject(ctx, a, "dir/k", bytes.NewReader([]byte("hello")), 5, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	o, err := c.GetObject(ctx, a, "dir/k", minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(o)
	if err != nil || string(body) != "hello" {
		t.Fatalf("get = %q, %v", body, err)
	}
	for range c.ListObjects(ctx, b, minio.ListObjectsOptions{Recursive: true}) {
		t.Fatal("a new bucket is not empty")
	}
	if _, err := client("wrong").StatObject(ctx, a, "dir/k", minio.StatObjectOptions{}); err == nil {
		t.Fatal("a wrong secret was accepted")
	}
}

func TestPinnedVersion(t *testing.T) {
	dir := t.TempDir()
	gomod := filepath.Join(dir, "go.mod")
	os.WriteFile(gomod, []byte("module x\n\ngo 1.26.0\n\nrequire github.com/versity/versitygw v1.8.0\n\nrequire (\n\tgithub.com/other/mod v1.0.0 // indirect\n)\n"), 0o644)
	if v, err := pinnedVersion(gomod); err != nil || v != "v1.8.0" {
		t.Fatalf("pinnedVersion = %q, %v", v, err)
	}
	os.WriteFile(gomod, []byte("module x\n"), 0o644)
	if _, err := pinnedVersion(gomod); err == nil {
		t.Fatal("a go.mod without versitygw gave a version")
	}
	real, err := toolsDir()
	if err != nil {
		t.Fatal(err)
	}
	if v, err := pinnedVersion(filepath.Join(real, "go.mod")); err != nil || !strings.HasPrefix(v, "v1.") {
		t.Fatalf("tools/s3server pins %q, %v", v, err)
	}
}
