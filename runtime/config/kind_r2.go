package config

import (
	"net/url"
	"strings"
)

// [[r2_buckets]]: R2 buckets (built by runtime/kind_r2.go).

var r2Keys = set("binding", "bucket_name", "preview_bucket_name", "jurisdiction", "remote", "experimental_remote",
	"store", "endpoint", "bucket", "region") // the last four are edgerun's

// Where a bucket's objects live.
const (
	R2StoreLocal = "local" // .edgerun/state (the default)
	R2StoreS3    = "s3"    // an S3-compatible service
)

// The environment (or .dev.vars) names edgerun reads for a bucket on S3,
// each followed by the binding's name. r2EndpointEnv wins over endpoint
// (and makes the store "s3"), so one wrangler.toml serves dev (local) and a
// fleet (shared bucket); the credentials never go in wrangler.toml.
const (
	r2EndpointEnv     = "EDGERUN_R2_ENDPOINT_"
	r2AccessKeyEnv    = "EDGERUN_R2_ACCESS_KEY_ID_"
	r2SecretKeyEnv    = "EDGERUN_R2_SECRET_ACCESS_KEY_"
	r2SessionTokenEnv = "EDGERUN_R2_SESSION_TOKEN_"
)

// R2Credentials sign a bucket's S3 requests. They print and marshal as
// "xxxxx", so no log line, error or dump shows them.
type R2Credentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
	Source                                     string // where they came from: "EDGERUN_R2_…_<BINDING>" or "AWS_…", and " (.dev.vars)" when read there
}

func (R2Credentials) String() string   { return redacted }
func (R2Credentials) GoString() string { return redacted }

// MarshalJSON shows only where the credentials came from.
func (c R2Credentials) MarshalJSON() ([]byte, error) {
	return []byte(`{"Source":"` + strings.ReplaceAll(c.Source, `"`, `'`) + `"}`), nil
}

func (r *resolver) r2Buckets(cfg *Config, v any, p keyPath) {
	r.bindingTables(v, p, "r2_buckets", "R2 Bucket", r2Keys, func(m map[string]any, ep keyPath, name string) {
		b := R2Bucket{Binding: name, Line: r.d.doc.lineOf(ep)}
		b.BucketName = r.optionalString(m, ep, "bucket_name")
		b.PreviewBucketName = r.optionalString(m, ep, "preview_bucket_name")
		b.Store = r.storeKey(m, ep, "R2", R2StoreLocal, R2StoreS3)
		b.Endpoint = r.optionalString(m, ep, "endpoint")
		b.S3Bucket = r.optionalString(m, ep, "bucket")
		b.Region = r.optionalString(m, ep, "region")
		if b.Endpoint != "" {
			if msg := r2EndpointProblem(b.Endpoint); msg != "" {
				r.d.errorf(ep.child("endpoint"), "%q: %s", ep.child("endpoint").String(), msg)
			}
		}
		if b.Store == R2StoreLocal && (b.Endpoint != "" || b.S3Bucket != "" || b.Region != "") {
			r.d.errorf(ep.child("store"), "%q: store = %q keeps the objects in .edgerun/state; endpoint, bucket and region need store = %q.", ep.String(), R2StoreLocal, R2StoreS3)
		}
		cfg.R2Buckets = append(cfg.R2Buckets, b)
	})
}

// r2EndpointProblem says what is wrong with an endpoint URL ("" when it
// is fine); credentials in it are refused, and never repeated.
func r2EndpointProblem(s string) string {
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https"):
		return "the endpoint must be an http:// or https:// URL of the S3 service (https://s3.us-east-1.amazonaws.com, https://<account>.r2.cloudflarestorage.com)."
	case u.User != nil:
		return "the endpoint must not hold credentials (the URL is not shown); set " + r2AccessKeyEnv + "<BINDING> and " + r2SecretKeyEnv + "<BINDING> in the environment or .dev.vars."
	case strings.Trim(u.Path, "/") != "" || u.RawQuery != "":
		return "the endpoint is the service's URL, without a path or query (the bucket goes in bucket)."
	}
	return ""
}

// applyR2Stores runs once the environment and the secrets file are known:
// EDGERUN_R2_ENDPOINT_<BINDING> wins (and makes the store "s3"); an "s3"
// store needs an endpoint and credentials, from the environment first,
// then .dev.vars: EDGERUN_R2_ACCESS_KEY_ID_<BINDING> and
// EDGERUN_R2_SECRET_ACCESS_KEY_<BINDING> (and _SESSION_TOKEN_), or else
// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN). The
// EDGERUN_R2_ names are edgerun's own and are not given to the worker as
// secrets.
func (r *resolver) applyR2Stores(cfg *Config, getenv func(string) (string, bool), secrets *secretsFile) {
	lookup := func(name string) (string, string) {
		if v, ok := getenv(name); ok && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v), name
		}
		if secrets == nil {
			return "", ""
		}
		if v := strings.TrimSpace(secrets.values[name]); v != "" {
			return v, name + " (.dev.vars)"
		}
		return "", ""
	}
	for i := range cfg.R2Buckets {
		b := &cfg.R2Buckets[i]
		if v, src := lookup(r2EndpointEnv + b.Binding); v != "" {
			if msg := r2EndpointProblem(v); msg != "" {
				r.d.errorAt(r.d.doc.file, b.Line, "%s: %s", src, msg)
			}
			b.Endpoint, b.Store = v, R2StoreS3
		}
		if b.Endpoint != "" || b.S3Bucket != "" {
			b.Store = R2StoreS3
		}
		if b.Store == "" {
			b.Store = R2StoreLocal
		}
		if b.Store != R2StoreS3 {
			continue
		}
		if b.S3Bucket == "" {
			b.S3Bucket = b.BucketName
		}
		if b.S3Bucket == "" {
			b.S3Bucket = b.Binding
		}
		if b.Endpoint == "" {
			r.d.errorAt(r.d.doc.file, b.Line, "r2_buckets %q: store = %q needs endpoint (or %s%s).", b.Binding, R2StoreS3, r2EndpointEnv, b.Binding)
		}
		if b.Region == "" && strings.HasSuffix(hostOf(b.Endpoint), ".r2.cloudflarestorage.com") {
			b.Region = "auto" // R2's S3 API signs with region "auto"
		}
		id, idSrc := lookup(r2AccessKeyEnv + b.Binding)
		secret, _ := lookup(r2SecretKeyEnv + b.Binding)
		token, _ := lookup(r2SessionTokenEnv + b.Binding)
		if id == "" && secret == "" {
			id, idSrc = lookup("AWS_ACCESS_KEY_ID")
			secret, _ = lookup("AWS_SECRET_ACCESS_KEY")
			token, _ = lookup("AWS_SESSION_TOKEN")
		}
		if id == "" || secret == "" {
			r.d.errorAt(r.d.doc.file, b.Line, "r2_buckets %q: store = %q needs credentials: set %s%s and %s%s (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) in the environment or .dev.vars.",
				b.Binding, R2StoreS3, r2AccessKeyEnv, b.Binding, r2SecretKeyEnv, b.Binding)
		}
		b.Credentials = R2Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: token, Source: idSrc}
	}
	for k := range cfg.Secrets {
		for _, prefix := range []string{r2EndpointEnv, r2AccessKeyEnv, r2SecretKeyEnv, r2SessionTokenEnv} {
			if strings.HasPrefix(k, prefix) {
				delete(cfg.Secrets, k)
			}
		}
	}
}

func hostOf(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		return ""
	}
	return u.Hostname()
}
