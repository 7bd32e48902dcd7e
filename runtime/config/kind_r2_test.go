package config

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

const r2Project = `name = "x"
main = "index.js"
compatibility_date = "2024-01-01"

[[r2_buckets]]
binding = "LOCAL"
bucket_name = "stays-here"

[[r2_buckets]]
binding = "MEDIA"
bucket_name = "media"
store = "s3"
endpoint = "https://acct.r2.cloudflarestorage.com"

[[r2_buckets]]
binding = "ASSETS"
bucket_name = "assets"
bucket = "prod-assets"
region = "eu-west-1"
endpoint = "https://s3.eu-west-1.amazonaws.com"
`

func loadR2(t *testing.T, files map[string]string, environ map[string]string) (*Config, error) {
	t.Helper()
	dir := t.TempDir()
	files["index.js"] = "export default {}"
	writeFiles(t, dir, files)
	cfg, _, err := Load(Options{Path: filepath.Join(dir, "wrangler.toml"), Getenv: env(environ)})
	return cfg, err
}

// Buckets on S3: endpoint, bucket and region from wrangler.toml, the
// credentials per binding or AWS_*, from the environment first, then
// .dev.vars; the EDGERUN_R2_ names are not the worker's secrets.
func TestR2BucketsOnS3(t *testing.T) {
	cfg, err := loadR2(t, map[string]string{
		"wrangler.toml": r2Project,
		".dev.vars":     "EDGERUN_R2_ACCESS_KEY_ID_MEDIA=file-id\nEDGERUN_R2_SECRET_ACCESS_KEY_MEDIA=file-secret\nAPP_KEY=kept\n",
	}, map[string]string{
		"EDGERUN_R2_ACCESS_KEY_ID_MEDIA": "env-id", // the environment wins over .dev.vars
		"AWS_ACCESS_KEY_ID":              "aws-id",
		"AWS_SECRET_ACCESS_KEY":          "aws-secret",
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]R2Bucket{}
	for _, b := range cfg.R2Buckets {
		got[b.Binding] = b
	}
	check := func(name, store, endpoint, bucket, region, id, secret, source string) {
		t.Helper()
		b := got[name]
		if b.Store != store || b.Endpoint != endpoint || b.S3Bucket != bucket || b.Region != region ||
			b.Credentials.AccessKeyID != id || b.Credentials.SecretAccessKey != secret || b.Credentials.Source != source {
			t.Errorf("%s = %+v %q/%q from %q", name, b, b.Credentials.AccessKeyID, b.Credentials.SecretAccessKey, b.Credentials.Source)
		}
	}
	check("LOCAL", R2StoreLocal, "", "", "", "", "", "")
	check("MEDIA", R2StoreS3, "https://acct.r2.cloudflarestorage.com", "media", "auto", "env-id", "file-secret", "EDGERUN_R2_ACCESS_KEY_ID_MEDIA")
	check("ASSETS", R2StoreS3, "https://s3.eu-west-1.amazonaws.com", "prod-assets", "eu-west-1", "aws-id", "aws-secret", "AWS_ACCESS_KEY_ID")
	if _, ok := cfg.Secrets["EDGERUN_R2_SECRET_ACCESS_KEY_MEDIA"]; ok || cfg.Secrets["APP_KEY"] != "kept" {
		t.Errorf("secrets given to the worker: %v", cfg.Secrets)
	}
	// Credentials never print or marshal.
	text, _ := json.Marshal(cfg.R2Buckets)
	dump := fmt.Sprintf("%v %+v %#v %s", cfg.R2Buckets, cfg.R2Buckets, cfg.R2Buckets, text)
	for _, s := range []string{"file-secret", "aws-secret", "env-id", "aws-id"} {
		if strings.Contains(dump, s) {
			t.Fatalf("%q printed: %s", s, dump)
		}
	}
	if !strings.Contains(string(text), `"Source":"AWS_ACCESS_KEY_ID"`) {
		t.Errorf("JSON lost where the credentials came from: %s", text)
	}
}

// EDGERUN_R2_ENDPOINT_<BINDING> moves a local bucket to S3 without
// editing wrangler.toml.
func TestR2EndpointFromEnvironment(t *testing.T) {
	cfg, err := loadR2(t, map[string]string{"wrangler.toml": r2Project}, map[string]string{
		"EDGERUN_R2_ENDPOINT_LOCAL": "http://127.0.0.1:9000", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b",
	})
	if err != nil {
		t.Fatal(err)
	}
	b := cfg.R2Buckets[0]
	if b.Store != R2StoreS3 || b.Endpoint != "http://127.0.0.1:9000" || b.S3Bucket != "stays-here" || b.Region != "" {
		t.Fatalf("LOCAL = %+v", b)
	}
}

func TestR2ConfigErrors(t *testing.T) {
	head := "name = \"x\"\nmain = \"index.js\"\ncompatibility_date = \"2024-01-01\"\n\n[[r2_buckets]]\nbinding = \"B\"\n"
	creds := map[string]string{"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"}
	tests := []struct {
		name, toml string
		environ    map[string]string
		want       string
	}{
		{"unknown store", `store = "gcs"`, nil, `"r2_buckets[0].store": unknown R2 store "gcs"; use "local" (the default) or "s3".`},
		{"s3 without endpoint", `store = "s3"`, creds, `store = "s3" needs endpoint (or EDGERUN_R2_ENDPOINT_B)`},
		{"no credentials", `endpoint = "https://s3.amazonaws.com"`, nil, "needs credentials: set EDGERUN_R2_ACCESS_KEY_ID_B and EDGERUN_R2_SECRET_ACCESS_KEY_B"},
		{"half the credentials", `endpoint = "https://s3.amazonaws.com"`, map[string]string{"EDGERUN_R2_ACCESS_KEY_ID_B": "a"}, "needs credentials"},
		{"local with an endpoint", "store = \"local\"\nendpoint = \"https://s3.amazonaws.com\"", creds, `endpoint, bucket and region need store = "s3"`},
		{"endpoint with a path", `endpoint = "https://s3.amazonaws.com/bucket"`, creds, "without a path"},
		{"endpoint not a URL", `endpoint = "s3.amazonaws.com"`, creds, "must be an http:// or https:// URL"},
		{"endpoint with a password", `endpoint = "https://AKIA:topsecret@s3.amazonaws.com"`, creds, "must not hold credentials"},
		{"env endpoint with a password", ``, map[string]string{"EDGERUN_R2_ENDPOINT_B": "https://AKIA:topsecret@h", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"}, "EDGERUN_R2_ENDPOINT_B: the endpoint must not hold credentials"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadR2(t, map[string]string{"wrangler.toml": head + tc.toml + "\n"}, tc.environ)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v; want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "topsecret") {
				t.Fatalf("error shows the password: %v", err)
			}
		})
	}
}
