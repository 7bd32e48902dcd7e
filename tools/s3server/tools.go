//go:build tools

// Package s3server pins the S3-compatible server the R2 tests run
// (versitygw with its posix backend), outside edgerun's own go.mod: the
// tests build it from here with `go build` and the Go module proxy only.
package s3server

import _ "github.com/versity/versitygw/cmd/versitygw"
