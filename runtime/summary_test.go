package runtime

import (
	"strings"
	"testing"

	"edgerun/runtime/config"
)

// The start-up list of bindings names each with its kind and home, and
// shows no secret's value and no password.
func TestBindingsSummary(t *testing.T) {
	cfg := &config.Config{
		Dir:          "/p",
		Vars:         map[string]any{"GREETING": "hello", "TOKEN": "s3cret-token", "LIMITS": map[string]any{"max": 3}},
		Secrets:      map[string]string{"TOKEN": "s3cret-token"},
		Hyperdrive:   []config.Hyperdrive{{Binding: "DB", LocalConnectionString: "postgres://app:pa55word@db.example.com:5432/shop"}, {Binding: "LOCAL"}},
		KVNamespaces: []config.KVNamespace{{Binding: "SESSIONS"}},
		R2Buckets: []config.R2Bucket{{Binding: "UPLOADS"}, {Binding: "MEDIA", Store: config.R2StoreS3, Endpoint: "https://acct.r2.cloudflarestorage.com", S3Bucket: "media",
			Credentials: config.R2Credentials{AccessKeyID: "AKIAEXAMPLE", SecretAccessKey: "r2-s3cret-key"}}},
		Assets: &config.Assets{Directory: "/p/public", Binding: "ASSETS"},
	}
	got := strings.Join(BindingsSummary(cfg), "\n")
	want := strings.Join([]string{
		"env.DB        Hyperdrive    db.example.com:5432/shop",
		"env.LOCAL     Hyperdrive    managed local PostgreSQL (.edgerun/state/postgres)",
		"env.SESSIONS  KV Namespace  local (.edgerun/state/kv.db)",
		"env.UPLOADS   R2 Bucket     local (.edgerun/state/r2)",
		"env.MEDIA     R2 Bucket     S3 https://acct.r2.cloudflarestorage.com bucket media",
		"env.ASSETS    Assets        public/",
		`env.GREETING  Var           "hello"`,
		`env.LIMITS    Var           {"max":3}`,
		"env.TOKEN     Secret        (hidden)",
	}, "\n")
	if got != want {
		t.Fatalf("summary:\n%s\nwant:\n%s", got, want)
	}
	if strings.Contains(got, "pa55word") || strings.Contains(got, "s3cret") || strings.Contains(got, "AKIAEXAMPLE") {
		t.Fatal("a password or a secret in the summary")
	}
	for in, want := range map[string]string{
		"postgres://app:1234/5x@db.internal:5432/app": "db.internal:5432/app",
		"postgres://app:12?x#y@db/app":                "db/app",
		"host=db password=secret dbname=app":          "(connection string)",
	} {
		if got := endpointOf(in); got != want {
			t.Errorf("endpointOf(%q) = %q, want %q", in, got, want)
		}
	}
}
