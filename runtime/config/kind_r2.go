package config

// [[r2_buckets]]: R2 buckets (built by runtime/kind_r2.go).

var r2Keys = set("binding", "bucket_name", "preview_bucket_name", "jurisdiction", "remote", "experimental_remote")

func (r *resolver) r2Buckets(cfg *Config, v any, p keyPath) {
	r.bindingTables(v, p, "r2_buckets", "R2 Bucket", r2Keys, func(m map[string]any, ep keyPath, name string) {
		b := R2Bucket{Binding: name, Line: r.d.doc.lineOf(ep)}
		b.BucketName = r.optionalString(m, ep, "bucket_name")
		b.PreviewBucketName = r.optionalString(m, ep, "preview_bucket_name")
		cfg.R2Buckets = append(cfg.R2Buckets, b)
	})
}
