package config

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

func TestTOMLKeyLines(t *testing.T) {
	src := `# comment
name = "x"
text = """
fake = 1
[not.a.table]
"""
[vars]
"a.b" = 1
c.d = 2
[[hyperdrive]]
binding = "A"
caching = { max_age = 1, nested = { x = 2 } }
[hyperdrive.breaker]
failure_threshold = 1
[[hyperdrive]]
binding = 'B' # comment with = sign
arr = [
  { k = 1 },
  # key = "in a comment"
  { k = 2 },
]
lit = '''
key = 3
'''
'quoted.literal' = "v"
after = 1979-05-27 07:32:00Z
[[env.s.hyperdrive]]
binding = "C"
[[env.s.hyperdrive]]
binding = "D"
[ env . "s" . limits ]
cpu_ms = 5
`
	if _, err := toml.Decode(src, &map[string]any{}); err != nil {
		t.Fatalf("fixture is not valid TOML: %v", err)
	}
	lines := tomlKeyLines(src)
	want := map[string]int{
		"":                                2,
		"name":                            2,
		"text":                            3,
		"vars":                            7,
		"vars.a.b":                        8,
		"vars.c":                          9,
		"vars.c.d":                        9,
		"hyperdrive":                      10,
		"hyperdrive.[0]":                  10,
		"hyperdrive.[0].binding":          11,
		"hyperdrive.[0].caching":          12,
		"hyperdrive.[0].caching.max_age":  12,
		"hyperdrive.[0].caching.nested.x": 12,
		"hyperdrive.[0].breaker":          13,
		"hyperdrive.[0].breaker.failure_threshold": 14,
		"hyperdrive.[1]":                15,
		"hyperdrive.[1].binding":        16,
		"hyperdrive.[1].arr":            17,
		"hyperdrive.[1].arr.[0].k":      18,
		"hyperdrive.[1].arr.[1]":        20,
		"hyperdrive.[1].arr.[1].k":      20,
		"hyperdrive.[1].lit":            22,
		"hyperdrive.[1].quoted.literal": 25,
		"hyperdrive.[1].after":          26,
		"env.s.hyperdrive.[0].binding":  28,
		"env.s.hyperdrive.[1]":          29,
		"env.s.hyperdrive.[1].binding":  30,
		"env.s.limits":                  31,
		"env.s.limits.cpu_ms":           32,
	}
	// Test keys are written with '.' between segments; a segment that holds a
	// dot itself ("a.b", 'quoted.literal') is one segment.
	split := func(k string) keyPath {
		switch k {
		case "":
			return nil
		case "vars.a.b":
			return keyPath{"vars", "a.b"}
		case "hyperdrive.[1].quoted.literal":
			return keyPath{"hyperdrive", "[1]", "quoted.literal"}
		}
		return keyPath(strings.Split(k, "."))
	}
	for k, line := range want {
		if got, ok := lines[split(k).mapKey()]; !ok || got != line {
			t.Errorf("line of %s = %d (recorded %v), want %d", k, got, ok, line)
		}
	}
	for _, k := range [][]string{{"fake"}, {"key"}, {"not"}, {"hyperdrive", "[1]", "arr", "[0]", "key"}, {"hyperdrive", "[1]", "key"}} {
		if line, ok := lines[keyPath(k).mapKey()]; ok {
			t.Errorf("%v recorded at line %d, but it is inside a string or comment", k, line)
		}
	}
}

func TestLineOfFallsBackToAncestor(t *testing.T) {
	doc := &document{lines: map[string]int{"": 1, keyPath{"vars"}.mapKey(): 4}}
	if got := doc.lineOf(keyPath{"vars", "X", "[2]"}); got != 4 {
		t.Errorf("lineOf(vars.X[2]) = %d, want the line of vars (4)", got)
	}
	if got := doc.lineOf(keyPath{"other"}); got != 1 {
		t.Errorf("lineOf(other) = %d, want the root's line (1)", got)
	}
}

func TestStripJSONC(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"a": 1, // c` + "\n}", `{"a": 1      ` + "\n}"},
		{`{"a": [1, 2,], }`, `{"a": [1, 2 ]  }`},
		{`{"u": "http://x/*y*/", /* c */ "b": 2}`, `{"u": "http://x/*y*/",         "b": 2}`},
		{"{\"a\": 1 /* two\nlines */}", "{\"a\": 1       \n        }"},
		{`{"s": "quote \" // not a comment"}`, `{"s": "quote \" // not a comment"}`},
		{"\xef\xbb\xbf{}", "   {}"},
		{`{"a": 1,, }`, `{"a": 1,  }`}, // only the last comma is trailing; JSON then reports the other
	}
	for _, tt := range tests {
		got, err := stripJSONC([]byte(tt.in))
		if err != nil {
			t.Errorf("stripJSONC(%q): %v", tt.in, err)
			continue
		}
		if string(got) != tt.want {
			t.Errorf("stripJSONC(%q)\n = %q\nwant %q", tt.in, got, tt.want)
		}
		if len(got) != len(tt.in) {
			t.Errorf("stripJSONC(%q) changed the length: offsets would move", tt.in)
		}
	}
}

func TestJSONCKeyLines(t *testing.T) {
	src := "// header\n{\n  \"a\": 1,\n  \"b\": {\n    \"c\": [\n      10,\n      {\"d\": true}\n    ]\n  }\n}\n"
	doc, err := parseJSONC("x.jsonc", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"": 2, "a": 3, "b": 4, "b.c": 5, "b.c.[0]": 6, "b.c.[1]": 7, "b.c.[1].d": 7}
	for k, line := range want {
		var p keyPath
		if k != "" {
			p = strings.Split(k, ".")
		}
		if got := doc.lines[p.mapKey()]; got != line {
			t.Errorf("line of %s = %d, want %d", k, got, line)
		}
	}
}

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  bool
	}{
		{in: "64MiB", want: 64 << 20},
		{in: "512KB", want: 512_000},
		{in: "512kb", want: 512_000},
		{in: "1.5 GiB", want: 3 << 29},
		{in: "1024", want: 1024},
		{in: "10 B", want: 10},
		{in: " 2 tib ", want: 2 << 40},
		{in: "1MB", want: 1_000_000},
		{in: "", err: true},
		{in: "MiB", err: true},
		{in: "-1MiB", err: true},
		{in: "1.2.3MB", err: true},
		{in: "64 parsecs", err: true},
		{in: "1e3", err: true},
		{in: "99999999999TiB", err: true},
	}
	for _, tt := range tests {
		got, err := ParseByteSize(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestRedactConnectionString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://user:secret@host:5432/db", "postgres://user:xxxxx@host:5432/db"},
		{"postgresql://user:p@ss/w0rd@host/db?sslmode=require", "postgresql://user:xxxxx@host/db?sslmode=require"},
		{"postgres://u:pw@h1:5432,h2:5433/db", "postgres://u:xxxxx@h1:5432,h2:5433/db"},
		{"postgres://user@host/db", "postgres://user@host/db"},
		{"postgres://host/db?sslmode=require&password=secret", "postgres://host/db?sslmode=require&password=xxxxx"},
		{"postgres://u:pw@h/db?sslpassword=abc&x=1", "postgres://u:xxxxx@h/db?sslpassword=xxxxx&x=1"},
		{"host=localhost user=app password=secret dbname=shop", "host=localhost user=app password=xxxxx dbname=shop"},
		{`host=h password='a b\'c' dbname=d`, "host=h password=xxxxx dbname=d"},
		{"host=h PASSWORD = secret", "host=h PASSWORD = xxxxx"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := RedactConnectionString(tt.in); got != tt.want {
			t.Errorf("RedactConnectionString(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzRedactConnectionString(f *testing.F) {
	f.Add("user", "secret")
	f.Add("a", "p@ss/w:rd")
	f.Fuzz(func(t *testing.T, user, password string) {
		if len(password) < 4 || strings.ContainsAny(user, "@:/?#") {
			t.Skip()
		}
		cases := []struct{ in, redactedForm string }{}
		// A URL password may hold anything but the query/fragment markers.
		if !strings.ContainsAny(password, "?#") {
			cases = append(cases, struct{ in, redactedForm string }{
				"postgres://" + user + ":" + password + "@db.example.com:5432/shop?sslmode=require",
				"postgres://" + user + ":" + redacted + "@db.example.com:5432/shop?sslmode=require",
			})
		}
		// A keyword/value password is one unquoted word.
		if !strings.ContainsAny(password, " \t\n\r\v\f'") {
			cases = append(cases, struct{ in, redactedForm string }{
				"host=db.example.com password=" + password + " dbname=shop",
				"host=db.example.com password=" + redacted + " dbname=shop",
			})
		}
		for _, c := range cases {
			got := RedactConnectionString(c.in)
			if strings.Contains(c.redactedForm, password) {
				continue // the password is a substring of what may be shown
			}
			if strings.Contains(got, password) {
				t.Errorf("RedactConnectionString(%q) = %q still holds the password", c.in, got)
			}
		}
	})
}

// fuzzLoad runs the whole resolver on src: it must never panic, and any
// error must be an *Error naming the file.
func fuzzLoad(t *testing.T, dir, name string, src []byte) {
	abs := filepath.Join(dir, name)
	cfg, warnings, err := load(abs, name, src, Options{})
	if err != nil {
		var cerr *Error
		if !errors.As(err, &cerr) || cerr.File == "" || cerr.Line < 0 {
			t.Fatalf("error %T %v does not name its file and line", err, err)
		}
		return
	}
	if cfg == nil || cfg.Main == "" {
		t.Fatalf("Load succeeded without a main: %+v", cfg)
	}
	for _, w := range warnings {
		if w.File == "" || w.Line < 0 {
			t.Fatalf("warning %+v does not name its file", w)
		}
	}
}

func fuzzSeeds(f *testing.F, pattern string) {
	files, _ := filepath.Glob(pattern)
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
}

func FuzzLoadTOML(f *testing.F) {
	fuzzSeeds(f, "testdata/*/*.toml")
	f.Add([]byte("main = \"index.js\"\n[[hyperdrive]]\nbinding = \"DB\"\nid = \"x\"\ncaching = { max_age = 1 }\n"))
	dir := f.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.js"), nil, 0o644); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte) { fuzzLoad(t, dir, "wrangler.toml", src) })
}

func FuzzLoadJSONC(f *testing.F) {
	fuzzSeeds(f, "testdata/*/*.json*")
	f.Add([]byte(`{"main": "index.js", "vars": {"A": [1, 2.5, true, null, {"b": "c"},]}} // end`))
	dir := f.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.js"), nil, 0o644); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte) { fuzzLoad(t, dir, "wrangler.jsonc", src) })
}

var bareKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// FuzzTOMLKeyLines checks the line scanner against toml itself: on any
// document toml accepts, every bare top-level key must be found, on a line
// that exists.
func FuzzTOMLKeyLines(f *testing.F) {
	fuzzSeeds(f, "testdata/*/*.toml")
	f.Add([]byte("a = \"\"\"\nb = 1\n\"\"\"\nc = [\n1,\n]\n[t]\nd = 1\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		lines := tomlKeyLines(string(src)) // must not panic, whatever src is
		total := strings.Count(string(src), "\n") + 1
		for k, l := range lines {
			if l < 1 || l > total {
				t.Fatalf("key %q on line %d of %d", k, l, total)
			}
		}
		var root map[string]any
		md, err := toml.Decode(string(src), &root)
		if err != nil {
			return
		}
		for _, k := range md.Keys() {
			if len(k) == 1 && bareKey.MatchString(k[0]) {
				if _, ok := lines[keyPath{k[0]}.mapKey()]; !ok {
					t.Fatalf("top-level key %q not found; lines = %v", k[0], lines)
				}
			}
		}
	})
}
