package bundle

import (
	"errors"
	"strings"
	"testing"
)

func TestParseRepairingFieldNames(t *testing.T) {
	cases := []struct {
		name, code, want string // want: the code goja parsed
	}{
		{"no field to repair", "class A { x = 1 }", "class A { x = 1 }"},
		{"spaced: same length", "class A { set = 1 }", `class A {"set"= 1 }`},
		{"unspaced (minified)", "class A{set=1}", `class A{"set"=1}`},
		{"several names", "class A { set = 1; get = 2; async = 3 }", `class A {"set"= 1;"get"= 2;"async"= 3 }`},
		{"static", "class A { static set = 1 }", `class A { static"set"= 1 }`},
		{"comment before =", "class A { get /* c */ = 1 }", `class A {"get"/* c */ = 1 }`},
		{"across lines", "class A {\n  set\n  = 1\n}", "class A {\n  \"set\"\n  = 1\n}"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, got, err := parseRepairingFieldNames("w.js", tc.code)
			if err != nil {
				t.Fatalf("does not parse: %v", err)
			}
			if got != tc.want {
				t.Fatalf("parsed %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseRepairingFieldNamesKeepsRealErrors(t *testing.T) {
	// A real syntax error is reported as the script has it, not as
	// whatever the repair made of it.
	for _, code := range []string{
		"let x = = 1",
		"var set = = 2",
		"class A { set = 1; x = = 2 }",
		"obj.set = ;",
	} {
		_, got, err := parseRepairingFieldNames("w.js", code)
		if err == nil {
			t.Errorf("%q parsed", code)
			continue
		}
		if got != code {
			t.Errorf("%q: the error is about %q", code, got)
		}
		var e *Error
		if _, cerr := Compile("w.js", code); !errors.As(cerr, &e) || !strings.Contains(cerr.Error(), "Unexpected") {
			t.Errorf("%q: Compile's error = %v", code, cerr)
		}
	}
}
