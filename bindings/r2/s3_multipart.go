// S3Store's multipart uploads: S3's own, with R2's rules checked first.

package r2

import (
	"bytes"
	"cmp"
	"context"
	"slices"

	"github.com/minio/minio-go/v7"
)

func noSuchUpload(err error) bool { return s3Code(err) == "NoSuchUpload" }

// CreateMultipartUpload starts an S3 multipart upload with meta.
func (s *S3Store) CreateMultipartUpload(ctx context.Context, bucket, key string, meta Metadata) (string, error) {
	id, err := s.core.NewMultipartUpload(ctx, bucket, key, putOptions(meta))
	if err != nil {
		return "", s.fail("createMultipartUpload", bucket, key, err)
	}
	return id, nil
}

// UploadPart uploads part n.
func (s *S3Store) UploadPart(ctx context.Context, bucket, key, uploadID string, n int, body Body) (string, error) {
	r := newBodyReader(body)
	p, err := s.core.PutObjectPart(ctx, bucket, key, uploadID, n, r, body.Size,
		minio.PutObjectPartOptions{Md5Base64: contentMD5(body)})
	if noSuchUpload(err) {
		return "", ErrNoSuchUpload
	}
	if err != nil {
		return "", s.bodyFailed("uploadPart", bucket, key, r, err)
	}
	return trimETag(p.ETag), nil
}

func trimETag(e string) string { return string(bytes.Trim([]byte(e), `"`)) }

// CompleteMultipartUpload lists the upload's parts (S3 does not require
// R2's equal part sizes, so they are checked here, with R2's errors),
// completes it with the parts in part-number order, and reads the object
// back.
func (s *S3Store) CompleteMultipartUpload(ctx context.Context, bucket, key, uploadID string, parts []Part) (*Object, error) {
	uploaded := map[int]PartInfo{}
	for marker := 0; ; {
		r, err := s.core.ListObjectParts(ctx, bucket, key, uploadID, marker, 1000)
		if noSuchUpload(err) {
			return nil, ErrNoSuchUpload
		}
		if err != nil {
			return nil, s.fail("completeMultipartUpload", bucket, key, err)
		}
		for _, p := range r.ObjectParts {
			uploaded[p.PartNumber] = PartInfo{Number: p.PartNumber, Size: p.Size, ETag: trimETag(p.ETag)}
		}
		if !r.IsTruncated || r.NextPartNumberMarker <= marker {
			break
		}
		marker = r.NextPartNumberMarker
	}
	ordered, err := checkParts(parts, uploaded)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(ordered, func(a, b PartInfo) int { return cmp.Compare(a.Number, b.Number) })
	complete := make([]minio.CompletePart, len(ordered))
	for i, p := range ordered {
		complete[i] = minio.CompletePart{PartNumber: p.Number, ETag: p.ETag}
	}
	up, err := s.core.CompleteMultipartUpload(ctx, bucket, key, uploadID, complete, minio.PutObjectOptions{})
	if err != nil {
		switch s3Code(err) {
		case "NoSuchUpload":
			return nil, ErrNoSuchUpload
		case "InvalidPart", "InvalidPartOrder":
			return nil, ErrInvalidPart
		case "EntityTooSmall":
			return nil, ErrEntityTooSmall
		}
		return nil, s.fail("completeMultipartUpload", bucket, key, err)
	}
	var size int64
	for _, p := range ordered {
		size += p.Size
	}
	o, err := s.readBack(ctx, bucket, key, up, Metadata{}, size)
	if err != nil {
		return nil, err
	}
	o.Checksums = map[string]string{} // as R2: no checksum of a multipart object's whole body
	return o, nil
}

// AbortMultipartUpload aborts the upload. S3 answers NoSuchUpload for an
// upload already completed or aborted, which R2's abort accepts.
func (s *S3Store) AbortMultipartUpload(ctx context.Context, bucket, key, uploadID string) error {
	err := s.core.AbortMultipartUpload(ctx, bucket, key, uploadID)
	if err != nil && !noSuchUpload(err) {
		return s.fail("abortMultipartUpload", bucket, key, err)
	}
	return nil
}
