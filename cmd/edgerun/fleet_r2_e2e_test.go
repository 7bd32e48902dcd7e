package main

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"edgerun/bindings/r2/s3test"
)

// The R2 part of TestFleet: the fleet's [[r2_buckets]] MEDIA is one bucket
// of a real S3 server (versitygw, from s3test), and every request goes
// through HAProxy pinned to one instance by the x-fleet-instance header
// (haproxyConfig's use-server rules); the worker names the instance that
// answered in x-instance, which is checked on every answer.

// fleetR2Setup is the S3 side of the fleet: the server, the bucket, and
// the credentials each instance gets from its environment.
type fleetR2Setup struct {
	srv          *s3test.Server
	bucket       string
	wrongSecret  string   // REFUSED's secret, which the server refuses
	env          []string // the instances' environment
	secretsInLog []string // what no log line may hold
}

// newFleetR2 starts the S3 server (a missing one fails under CI=true, as
// s3test does) and makes the fleet's bucket. Endpoint and credentials go
// in the environment only, as in production: EDGERUN_R2_…_MEDIA for MEDIA,
// AWS_* (with a wrong secret) for REFUSED.
func newFleetR2(t *testing.T) *fleetR2Setup {
	srv := s3test.Start(t)
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	s := &fleetR2Setup{srv: srv, bucket: srv.NewBucket(t), wrongSecret: hex.EncodeToString(b)}
	s.env = []string{
		"EDGERUN_R2_ENDPOINT_MEDIA=" + srv.Endpoint,
		"EDGERUN_R2_ACCESS_KEY_ID_MEDIA=" + srv.AccessKeyID,
		"EDGERUN_R2_SECRET_ACCESS_KEY_MEDIA=" + srv.SecretAccessKey,
		"EDGERUN_R2_ENDPOINT_REFUSED=" + srv.Endpoint,
		"AWS_ACCESS_KEY_ID=" + srv.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + s.wrongSecret,
	}
	s.secretsInLog = []string{srv.AccessKeyID, srv.SecretAccessKey, s.wrongSecret}
	return s
}

// configure gives an instance's copy of the fixture MEDIA's bucket key, as
// a production wrangler.toml names its bucket.
func (s *fleetR2Setup) configure(t *testing.T, dir string) {
	t.Helper()
	path := filepath.Join(dir, "wrangler.toml")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const anchor = `bucket_name = "fleet-media"`
	if !bytes.Contains(src, []byte(anchor)) {
		t.Fatalf("%s has no %s line to add the bucket after", path, anchor)
	}
	src = bytes.Replace(src, []byte(anchor), []byte(anchor+"\nbucket = \""+s.bucket+"\""), 1)
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
}

// r2Object is the worker's describe(o) of an R2 object.
type r2Object struct {
	Key            string            `json:"key"`
	Size           int               `json:"size"`
	Etag           string            `json:"etag"`
	HTTPEtag       string            `json:"httpEtag"`
	Version        string            `json:"version"`
	Uploaded       string            `json:"uploaded"`
	HTTPMetadata   map[string]string `json:"httpMetadata"`
	CustomMetadata map[string]string `json:"customMetadata"`
	Range          *struct {
		Offset int `json:"offset"`
		Length int `json:"length"`
	} `json:"range"`
}

// whole is o without its range, to compare with the object put.
func (o r2Object) whole() r2Object { o.Range = nil; return o }

// fleetR2Counts is what the R2 part did, for the test's second table.
type fleetR2Counts struct {
	requests, misrouted  atomic.Int64
	reads, rangedReads   int
	conditionalLost      int
	races, raceWinners   int
	multipartParts       int
	multipartSize        int
	listings             int
	refused              int
	credentialsInTheLogs int
}

// fleetR2Client sends the R2 part's requests through the balancer.
type fleetR2Client struct {
	t      *testing.T
	lb     string
	client *http.Client
	counts *fleetR2Counts
}

type r2Answer struct {
	code   int
	header http.Header
	body   []byte
}

// on sends a request through HAProxy pinned to in; a request that fails,
// or is answered by another instance, fails the test.
func (c *fleetR2Client) on(in *fleetInstance, method, path string, header map[string]string, body []byte) r2Answer {
	c.t.Helper()
	a := c.send(in, method, path, header, body)
	if got := a.header.Get("x-instance"); a.code != 0 && got != in.name {
		c.counts.misrouted.Add(1)
		c.t.Errorf("%s %s pinned to %s was answered by %q", method, path, in.name, got)
	}
	return a
}

// send is on without the check of who answered (a worker's exception is
// answered by edgerun, without the worker's x-instance). A request that
// fails is an error and answer 0 (not Fatal: the races send from their
// own goroutines).
func (c *fleetR2Client) send(in *fleetInstance, method, path string, header map[string]string, body []byte) r2Answer {
	c.t.Helper()
	req, err := http.NewRequest(method, c.lb+path, bytes.NewReader(body))
	if err != nil {
		c.t.Error(err)
		return r2Answer{}
	}
	req.Header.Set("x-fleet-instance", in.name)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	c.counts.requests.Add(1)
	resp, err := c.client.Do(req)
	if err != nil {
		c.t.Errorf("%s %s pinned to %s: %v", method, path, in.name, err)
		return r2Answer{}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Errorf("%s %s pinned to %s: reading the body: %v", method, path, in.name, err)
		return r2Answer{}
	}
	return r2Answer{resp.StatusCode, resp.Header, b}
}

// object decodes an answer that must be code with an object in its body.
func (c *fleetR2Client) object(a r2Answer, code int, what string) r2Object {
	c.t.Helper()
	var o r2Object
	if a.code != code || json.Unmarshal(a.body, &o) != nil {
		c.t.Fatalf("%s = %d %.300q, want %d and an object", what, a.code, a.body, code)
	}
	return o
}

// get reads key through in (query: "", "?offset=…&length=…" or
// "?suffix=…") and checks the body and the object against want.
func (c *fleetR2Client) get(in *fleetInstance, key, query string, want r2Object, wantBody []byte, offset int) {
	c.t.Helper()
	a := c.on(in, "GET", "/r2/"+key+query, nil, nil)
	what := fmt.Sprintf("get %s%s through %s", key, query, in.name)
	var o r2Object
	if a.code != 200 || json.Unmarshal([]byte(a.header.Get("x-r2-object")), &o) != nil {
		c.t.Fatalf("%s = %d %.300q (object %q)", what, a.code, a.body, a.header.Get("x-r2-object"))
	}
	if !bytes.Equal(a.body, wantBody) {
		c.t.Errorf("%s: body of %d bytes (md5 %x), want %d (md5 %x)", what, len(a.body), md5.Sum(a.body), len(wantBody), md5.Sum(wantBody))
	}
	if !reflect.DeepEqual(o.whole(), want) {
		c.t.Errorf("%s: object\n %+v, want\n %+v", what, o.whole(), want)
	}
	if ct := want.HTTPMetadata["contentType"]; a.header.Get("content-type") != ct {
		c.t.Errorf("%s: Content-Type %q (writeHttpMetadata), want %q", what, a.header.Get("content-type"), ct)
	}
	c.counts.reads++
	if query == "" {
		if o.Range != nil {
			c.t.Errorf("%s: a whole read has range %+v", what, *o.Range)
		}
		return
	}
	c.counts.rangedReads++
	if o.Range == nil || o.Range.Offset != offset || o.Range.Length != len(wantBody) {
		c.t.Errorf("%s: range %+v, want offset %d length %d", what, o.Range, offset, len(wantBody))
	}
}

// readEverywhere reads key whole and with two ranges (offset/length and
// suffix) through every instance.
func (c *fleetR2Client) readEverywhere(insts []*fleetInstance, key string, want r2Object, body []byte, at, n int) {
	c.t.Helper()
	for _, in := range insts {
		c.get(in, key, "", want, body, 0)
		c.get(in, key, fmt.Sprintf("?offset=%d&length=%d", at, n), want, body[at:at+n], at)
		c.get(in, key, fmt.Sprintf("?suffix=%d", n), want, body[len(body)-n:], len(body)-n)
	}
}

func md5Hex(b []byte) string { s := md5.Sum(b); return hex.EncodeToString(s[:]) }

// checkFleetR2 runs the R2 checks on a, b and c, all serving.
func checkFleetR2(t *testing.T, lb, endpoint string, client *http.Client, a, b, c *fleetInstance) *fleetR2Counts {
	counts := &fleetR2Counts{}
	r := &fleetR2Client{t: t, lb: lb, client: client, counts: counts}
	all := []*fleetInstance{a, b, c}

	// An object put through A is read, whole and in ranges, through every
	// instance with the same etag, size, version, upload time and metadata.
	body := []byte(strings.Repeat("hello from the fleet's R2; ", 40))
	meta := map[string]string{"content-type": "text/plain; charset=utf-8", "content-language": "en",
		"cache-control": "max-age=60", "x-meta-owner": "ann", "x-meta-written-by": "a"}
	put := r.object(r.on(a, "PUT", "/r2/media/hello.txt", meta, body), 200, "put media/hello.txt through a")
	want := r2Object{Key: "media/hello.txt", Size: len(body), Etag: md5Hex(body), HTTPEtag: `"` + md5Hex(body) + `"`,
		Version: put.Version, Uploaded: put.Uploaded,
		HTTPMetadata:   map[string]string{"contentType": "text/plain; charset=utf-8", "contentLanguage": "en", "cacheControl": "max-age=60"},
		CustomMetadata: map[string]string{"owner": "ann", "written-by": "a"}}
	if !reflect.DeepEqual(put, want) || put.Version == "" || put.Uploaded == "" {
		t.Fatalf("put through a = %+v, want %+v", put, want)
	}
	r.readEverywhere(all, "media/hello.txt", want, body, 7, 20)

	// Conditional puts through B lose against A's object as on R2: create
	// only if absent (etagDoesNotMatch "*"), and replace only the etag B
	// saw, after A replaced it.
	lost := func(in *fleetInstance, key, cond string) {
		t.Helper()
		if got := r.on(in, "PUT", "/r2/"+key+"?"+cond, nil, []byte("from "+in.name)); got.code != 412 || string(got.body) != "null" {
			t.Errorf("put %s?%s through %s = %d %q, want 412 null (the condition fails)", key, cond, in.name, got.code, got.body)
		}
		counts.conditionalLost++
	}
	lost(b, "media/hello.txt", "etagDoesNotMatch=*")
	r.get(c, "media/hello.txt", "", want, body, 0)
	v1 := r.object(r.on(a, "PUT", "/r2/media/cond.txt", nil, []byte("v1 from a")), 200, "put v1")
	v2body := []byte("v2 from a")
	v2 := r.object(r.on(a, "PUT", "/r2/media/cond.txt", nil, v2body), 200, "put v2")
	lost(b, "media/cond.txt", "etagMatches="+v1.Etag)
	r.get(c, "media/cond.txt", "", v2, v2body, 0)
	v3body := []byte("v3 from b")
	v3 := r.object(r.on(b, "PUT", "/r2/media/cond.txt?etagMatches="+v2.Etag, nil, v3body), 200, "put v3 on v2's etag through b")
	r.get(c, "media/cond.txt", "", v3, v3body, 0)

	// Races: the three instances put the same key at once under the same
	// condition (create if absent; replace the etag all three saw): one
	// wins, the others get null, and the winner's object is what everyone
	// reads.
	const races = 10
	for i := range races {
		key := fmt.Sprintf("race/%d", i)
		cond := "etagDoesNotMatch=*"
		if i%2 == 1 {
			base := r.object(r.on(a, "PUT", "/r2/"+key, nil, []byte("base")), 200, "put "+key)
			cond = "etagMatches=" + base.Etag
		}
		answers := make([]r2Answer, len(all))
		var wg sync.WaitGroup
		startRace := make(chan struct{})
		for j, in := range all {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-startRace
				answers[j] = r.on(in, "PUT", "/r2/"+key+"?"+cond, map[string]string{"x-meta-winner": in.name}, []byte("won by "+in.name))
			}()
		}
		close(startRace)
		wg.Wait()
		var winners []int
		for j, ans := range answers {
			switch {
			case ans.code == 200:
				winners = append(winners, j)
			case ans.code != 412 || string(ans.body) != "null":
				t.Errorf("race %s?%s through %s = %d %q, want 200 or 412 null", key, cond, all[j].name, ans.code, ans.body)
			}
		}
		counts.races++
		if len(winners) != 1 {
			t.Errorf("race %s?%s: %d winners, want exactly 1", key, cond, len(winners))
			continue
		}
		counts.raceWinners++
		w := all[winners[0]]
		won := r.object(answers[winners[0]], 200, "the winning put")
		for _, in := range all {
			r.get(in, key, "", won, []byte("won by "+w.name), 0)
		}
	}

	// A multipart upload created on A, its parts uploaded on B, completed on
	// C: the whole object, with the upload's metadata, on all three.
	const partSize = 5 << 20 // R2's minimum for every part but the last
	part1 := bytes.Repeat([]byte("0123456789abcdef"), partSize/16)
	part2 := []byte("the last part, shorter than 5 MiB")
	mpMeta := map[string]string{"content-type": "application/x-fleet", "x-meta-owner": "mp"}
	var created struct{ Key, UploadID string }
	if ans := r.on(a, "POST", "/r2-multipart/media/big.bin", mpMeta, nil); ans.code != 200 || json.Unmarshal(ans.body, &created) != nil || created.UploadID == "" {
		t.Fatalf("createMultipartUpload through a = %d %q", ans.code, ans.body)
	}
	type part struct {
		PartNumber int    `json:"partNumber"`
		Etag       string `json:"etag"`
	}
	var parts []part
	for n, p := range [][]byte{part1, part2} {
		ans := r.on(b, "PUT", fmt.Sprintf("/r2-multipart/media/big.bin?uploadId=%s&part=%d", created.UploadID, n+1), nil, p)
		var got part
		if ans.code != 200 || json.Unmarshal(ans.body, &got) != nil || got != (part{n + 1, md5Hex(p)}) {
			t.Fatalf("uploadPart %d through b = %d %q, want part %d etag %s", n+1, ans.code, ans.body, n+1, md5Hex(p))
		}
		parts = append(parts, got)
		counts.multipartParts++
	}
	partList, _ := json.Marshal(parts)
	done := r.object(r.on(c, "POST", "/r2-multipart/media/big.bin?uploadId="+created.UploadID, nil, partList), 200, "complete through c")
	full := append(append([]byte{}, part1...), part2...)
	sums, _ := hex.DecodeString(md5Hex(part1) + md5Hex(part2))
	mpEtag := md5Hex(sums) + "-2" // R2's (and S3's) multipart etag
	wantMP := r2Object{Key: "media/big.bin", Size: len(full), Etag: mpEtag, HTTPEtag: `"` + mpEtag + `"`,
		Version: done.Version, Uploaded: done.Uploaded,
		HTTPMetadata: map[string]string{"contentType": "application/x-fleet"}, CustomMetadata: map[string]string{"owner": "mp"}}
	if !reflect.DeepEqual(done, wantMP) {
		t.Fatalf("complete through c = %+v, want %+v", done, wantMP)
	}
	counts.multipartSize = len(full)
	r.readEverywhere(all, "media/big.bin", wantMP, full, partSize-10, 20) // the range straddles the parts

	// list with prefix and delimiter gives the same answer everywhere.
	listed := map[string]r2Object{}
	for i, key := range []string{"list/a.txt", "list/sub/b.txt", "list/sub/c.txt", "list/z.txt", "listing/not-in.txt"} {
		in := all[i%3]
		o := r.object(r.on(in, "PUT", "/r2/"+key, map[string]string{"content-type": "text/plain", "x-meta-n": fmt.Sprint(i)}, []byte(key)), 200, "put "+key)
		listed[key] = o
	}
	type listing struct {
		Objects           []r2Object `json:"objects"`
		DelimitedPrefixes []string   `json:"delimitedPrefixes"`
		Truncated         bool       `json:"truncated"`
	}
	for _, tc := range []struct {
		query    string
		keys     []string
		prefixes []string
	}{
		{"?prefix=list/&delimiter=/", []string{"list/a.txt", "list/z.txt"}, []string{"list/sub/"}},
		{"?prefix=list/sub/", []string{"list/sub/b.txt", "list/sub/c.txt"}, []string{}},
	} {
		want := listing{DelimitedPrefixes: tc.prefixes}
		for _, k := range tc.keys {
			want.Objects = append(want.Objects, listed[k])
		}
		for _, in := range all {
			ans := r.on(in, "GET", "/r2-list"+tc.query, nil, nil)
			var got listing
			if ans.code != 200 || json.Unmarshal(ans.body, &got) != nil {
				t.Fatalf("list%s through %s = %d %q", tc.query, in.name, ans.code, ans.body)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("list%s through %s =\n %+v, want\n %+v", tc.query, in.name, got, want)
			}
			counts.listings++
		}
	}

	// The bucket whose secret the server refuses fails its request, and
	// the pinned instance logs the error (TestFleet checks the logs for
	// credentials at its end).
	for _, in := range all {
		if ans := r.send(in, "GET", "/r2-refused/x", nil, nil); ans.code != 500 || string(ans.body) != "Worker threw exception\n" {
			t.Errorf("head on REFUSED through %s = %d %q, want 500", in.name, ans.code, ans.body)
		}
		line := `Uncaught Error: r2 on ` + endpoint + `: head \"x\" in bucket \"fleet-refused\"`
		waitFor(t, 5*time.Second, in.srv, in.name+" to log REFUSED's failure", func() bool { return strings.Contains(in.srv.Logs(), line) })
		counts.refused++
	}
	return counts
}

// credentialsInLogs counts the credentials found in the logs of every
// instance's every start and HAProxy's, failing the test for each. Each
// start must have logged REFUSED's failure (at start, and the request that
// failed before the restarts), so the check looks at S3 errors logged.
func (s *fleetR2Setup) credentialsInLogs(t *testing.T, started []*fleetInstance, haproxyLog string) int {
	t.Helper()
	logs := map[string]string{"haproxy": haproxyLog}
	for i, in := range started {
		log := in.srv.Logs()
		logs[fmt.Sprintf("%s (start %d)", in.name, i+1)] = log
		if !strings.Contains(log, "r2 bucket not usable yet") || !strings.Contains(log, `"binding":"REFUSED"`) {
			t.Errorf("%s (start %d) logged no failure of the REFUSED bucket: the credentials check would see no S3 error", in.name, i+1)
		}
	}
	found := 0
	for name, log := range logs {
		for _, secret := range s.secretsInLog {
			if strings.Contains(log, secret) {
				found++
				t.Errorf("%s's log holds a credential (%d bytes, starting %.4s…)", name, len(secret), secret)
			}
		}
	}
	return found
}

// table is the R2 row of the test's output.
func (c *fleetR2Counts) table() string {
	return fmt.Sprintf("%-9s %-9s %-6s %-7s %-22s %-18s %-21s %-9s %-12s %-19s\n%-9d %-9d %-6d %-7d %-22d %-18s %-21s %-9d %-12d %-19d",
		"requests", "misrouted", "reads", "ranged", "conditional puts lost", "races: one winner", "multipart parts/size", "listings", "refused 500", "credentials in logs",
		c.requests.Load(), c.misrouted.Load(), c.reads, c.rangedReads, c.conditionalLost,
		fmt.Sprintf("%d of %d", c.raceWinners, c.races), fmt.Sprintf("%d / %d B", c.multipartParts, c.multipartSize),
		c.listings, c.refused, c.credentialsInTheLogs)
}
