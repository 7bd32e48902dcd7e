package intl

import "testing"

func TestDecimalRounding(t *testing.T) {
	for _, c := range []struct {
		in       float64
		max      int
		ip, frac string
	}{
		{2.5, 0, "3", ""}, {-2.5, 0, "3", ""}, {1.23456, 3, "1", "235"}, {0.0005, 3, "0", "001"}, {999.9996, 3, "1000", ""},
	} {
		ip, fp := FromFloat(c.in).RoundFraction(c.max).IntFrac(1, 0)
		if ip != c.ip || fp != c.frac {
			t.Errorf("%v to %d digits: %s.%s, want %s.%s", c.in, c.max, ip, fp, c.ip, c.frac)
		}
	}
}

func TestPluralRulesFromCLDR(t *testing.T) {
	for _, c := range []struct{ lang, kind, ip, fp, want string }{
		{"ru", "cardinal", "22", "", "few"}, {"ru", "cardinal", "1", "5", "other"}, {"fr", "cardinal", "1000000", "", "many"},
		{"en", "ordinal", "23", "", "few"}, {"en", "cardinal", "1", "0", "other"}, {"ar", "cardinal", "0", "", "zero"},
	} {
		if got := selectPlural(c.lang, c.kind, c.ip, c.fp, 0); got != c.want {
			t.Errorf("%s %s %s.%s: %s, want %s", c.lang, c.kind, c.ip, c.fp, got, c.want)
		}
	}
}

func TestResolveFallsBackToAncestors(t *testing.T) {
	for in, want := range map[string][2]string{"de-AT": {"de-AT", "de-AT"}, "de-DE": {"de-DE", "de"}, "zh-TW": {"zh-TW", "zh-Hant"}, "en-GB": {"en-GB", "en-GB"}, "es-CO": {"es-CO", "es-419"}, "xx": {"en-US", "en"}} {
		r := Resolve([]string{in})
		if r.Locale != want[0] || r.Data.Name != want[1] {
			t.Errorf("%s: %s with %s's data, want %s with %s's", in, r.Locale, r.Data.Name, want[0], want[1])
		}
	}
}
