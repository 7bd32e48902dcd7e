package config

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestParseDotenv(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    []DotenvEntry
		ignored []int
	}{
		{"plain", "KEY=value\n", []DotenvEntry{{"KEY", "value", 1}}, nil},
		{"spaces around = and value", "KEY = value  \n", []DotenvEntry{{"KEY", "value", 1}}, nil},
		{"inner spaces kept", "KEY=hello world\n", []DotenvEntry{{"KEY", "hello world", 1}}, nil},
		{"leading blanks", "   KEY=v\n", []DotenvEntry{{"KEY", "v", 1}}, nil},
		{"export prefix", "export KEY=value\n", []DotenvEntry{{"KEY", "value", 1}}, nil},
		{"colon form", "KEY: value\n", []DotenvEntry{{"KEY", "value", 1}}, nil},
		{"empty value", "KEY=\nNEXT=1\n", []DotenvEntry{{"KEY", "", 1}, {"NEXT", "1", 2}}, nil},
		{"empty quotes", `KEY=""`, []DotenvEntry{{"KEY", "", 1}}, nil},
		{"double quotes", `KEY="quoted value"`, []DotenvEntry{{"KEY", "quoted value", 1}}, nil},
		{"single quotes keep #", `KEY='a # b'`, []DotenvEntry{{"KEY", "a # b", 1}}, nil},
		{"backticks", "KEY=`tick 'n' \"quote\"`", []DotenvEntry{{"KEY", `tick 'n' "quote"`, 1}}, nil},
		{"comment after unquoted value", "KEY=value # comment\n", []DotenvEntry{{"KEY", "value", 1}}, nil},
		{"# ends an unquoted value even without a space", "KEY=a#b\n", []DotenvEntry{{"KEY", "a", 1}}, nil},
		{"comment after quoted value", `KEY="v" # comment`, []DotenvEntry{{"KEY", "v", 1}}, nil},
		{"\\n expands in double quotes", `KEY="line1\nline2\r"`, []DotenvEntry{{"KEY", "line1\nline2\r", 1}}, nil},
		{"\\n stays in single quotes", `KEY='raw\n'`, []DotenvEntry{{"KEY", `raw\n`, 1}}, nil},
		{"\\n stays unquoted", `KEY=raw\n`, []DotenvEntry{{"KEY", `raw\n`, 1}}, nil},
		{"escaped quote is kept as written", `KEY="say \"hi\""`, []DotenvEntry{{"KEY", `say \"hi\"`, 1}}, nil},
		{"multi-line double-quoted value", "KEY=\"a\nb\"\nNEXT=1\n", []DotenvEntry{{"KEY", "a\nb", 1}, {"NEXT", "1", 3}}, nil},
		{"multi-line single-quoted value", "CERT='-----BEGIN-----\nabc\n-----END-----'\n", []DotenvEntry{{"CERT", "-----BEGIN-----\nabc\n-----END-----", 1}}, nil},
		{"unterminated quote is a plain value", "KEY=\"open\nOTHER=\"x\"\n", []DotenvEntry{{"KEY", `"open`, 1}, {"OTHER", "x", 2}}, nil},
		{"lone quote", `KEY="`, []DotenvEntry{{"KEY", `"`, 1}}, nil},
		{"junk after closing quote keeps everything", `KEY="v" junk`, []DotenvEntry{{"KEY", `"v" junk`, 1}}, nil},
		{"dots and dashes in keys", "my.key-1=x\n", []DotenvEntry{{"my.key-1", "x", 1}}, nil},
		{"CRLF", "A=1\r\nB=\"x\"\r\n", []DotenvEntry{{"A", "1", 1}, {"B", "x", 2}}, nil},
		{"repeated keys: both entries, in order", "K=1\nK=2\n", []DotenvEntry{{"K", "1", 1}, {"K", "2", 2}}, nil},
		{"comments and blanks", "# c\n\n  # indented\nK=v\n", []DotenvEntry{{"K", "v", 4}}, nil},
		{"lines that are not assignments", "K=v\nnot an assignment\n=novalue\nJ=w\n", []DotenvEntry{{"K", "v", 1}, {"J", "w", 4}}, []int{2, 3}},
		{"value after blank lines", "\n\n\nK=v", []DotenvEntry{{"K", "v", 4}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ignored := ParseDotenv([]byte(tt.src))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("entries = %+v\nwant      %+v", got, tt.want)
			}
			if !reflect.DeepEqual(ignored, tt.ignored) {
				t.Errorf("ignored = %v, want %v", ignored, tt.ignored)
			}
		})
	}
}

func TestExpandDotenv(t *testing.T) {
	in := map[string]string{
		"HOST":     "db.local",
		"EMPTY":    "",
		"URL":      "postgres://${HOST}:5432/$DB_NAME",
		"DB_NAME":  "shop",
		"DEFAULT1": "${MISSING:-fallback}",
		"DEFAULT2": "${EMPTY:-fallback}",
		"DEFAULT3": "${EMPTY-fallback}",
		"DEFAULT4": "${MISSING-fallback}",
		"NESTED":   "${URL}?x=1",
		"ESCAPED":  `price \$5 and $$`,
		"CYCLE_A":  "a${CYCLE_B}",
		"CYCLE_B":  "b${CYCLE_A}",
		"UNKNOWN":  "[$NOPE]",
	}
	want := map[string]string{
		"HOST":     "db.local",
		"EMPTY":    "",
		"URL":      "postgres://db.local:5432/shop",
		"DB_NAME":  "shop",
		"DEFAULT1": "fallback",
		"DEFAULT2": "fallback",
		"DEFAULT3": "",
		"DEFAULT4": "fallback",
		"NESTED":   "postgres://db.local:5432/shop?x=1",
		"ESCAPED":  "price $5 and $$",
		"UNKNOWN":  "[]",
	}
	got := expandDotenv(in)
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
	// A cycle terminates; what each side holds depends on which was asked
	// first, but neither may hold an unexpanded reference.
	for _, k := range []string{"CYCLE_A", "CYCLE_B"} {
		if strings.Contains(got[k], "$") {
			t.Errorf("%s = %q still holds a reference", k, got[k])
		}
	}
}

var dotenvKey = regexp.MustCompile(`^[\w.-]+$`)

func FuzzParseDotenv(f *testing.F) {
	for _, s := range []string{
		"KEY=value\n", "export A='x'\n", "A=\"multi\nline\"\n", "A: b # c\r\n", "A=\"unterminated\nB=1",
		"A=`x`", "\xff=\xfe", "A=\"\\\"\"", "#only\n\n", "A=${B:-c}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		entries, ignored := ParseDotenv(src)
		lines := strings.Count(strings.ReplaceAll(strings.ReplaceAll(string(src), "\r\n", "\n"), "\r", "\n"), "\n") + 1
		for _, e := range entries {
			if !dotenvKey.MatchString(e.Key) {
				t.Errorf("key %q is not a dotenv key", e.Key)
			}
			if e.Line < 1 || e.Line > lines {
				t.Errorf("entry %q on line %d of %d", e.Key, e.Line, lines)
			}
		}
		for _, l := range ignored {
			if l < 1 || l > lines {
				t.Errorf("ignored line %d of %d", l, lines)
			}
		}
		values := map[string]string{}
		for _, e := range entries {
			values[e.Key] = e.Value
		}
		expandDotenv(values) // must terminate and not panic
	})
}
