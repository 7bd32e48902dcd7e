package url

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// The host parser (https://url.spec.whatwg.org/#host-parsing). Domain to
// ASCII follows today's standard, where whatwg-url lags: an ASCII domain is
// only lowercased ("xn--" and "xn--pokxncvks" are valid hosts), and UTS #46
// runs with UseSTD3ASCIIRules=false (≠, ≮, _ are allowed).

// errInvalidHost is the failure of the host parser.
var errInvalidHost = errors.New("invalid host")

// idnaProfile is UTS #46 ToASCII with the URL Standard's parameters:
// CheckHyphens=false, CheckBidi=true, CheckJoiners=true,
// UseSTD3ASCIIRules=false, Transitional_Processing=false,
// VerifyDnsLength=false. MapForLookup turns STD3 rules on, so the
// StrictDomainName(false) after it matters.
var idnaProfile = idna.New(
	idna.MapForLookup(),
	idna.StrictDomainName(false),
	idna.BidiRule(),
	idna.ValidateLabels(true),
	idna.CheckHyphens(false),
	idna.CheckJoiners(true),
	idna.Transitional(false),
	idna.VerifyDNSLength(false),
)

// parseHost parses a host; opaque is set for non-special schemes.
func parseHost(input string, opaque bool) (string, error) {
	if strings.HasPrefix(input, "[") {
		if !strings.HasSuffix(input, "]") || len(input) < 2 {
			return "", errInvalidHost
		}
		addr, err := parseIPv6(input[1 : len(input)-1])
		if err != nil {
			return "", err
		}
		return "[" + addr.String() + "]", nil
	}
	if opaque {
		return parseOpaqueHost(input)
	}
	return parseDomainHost(input)
}

// parseOpaqueHost rejects forbidden host code points and percent-encodes
// the rest with the C0 control set.
func parseOpaqueHost(input string) (string, error) {
	for i := 0; i < len(input); i++ {
		if isForbiddenHostByte(input[i]) {
			return "", errInvalidHost
		}
	}
	return percentEncodeString(input, c0ControlSet), nil
}

func isForbiddenHostByte(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\r', ' ', '#', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^', '|':
		return true
	}
	return false
}

// parseDomainHost is the host parser's path for special schemes once IPv6
// literals are ruled out: percent-decode, UTF-8 decode, domain to ASCII,
// forbidden code points, then IPv4 when the domain ends in a number.
func parseDomainHost(input string) (string, error) {
	domain := percentDecode(input)
	if !utf8.ValidString(domain) {
		// UTF-8 decoding would produce U+FFFD, which IDNA disallows.
		return "", errInvalidHost
	}
	ascii, err := domainToASCII(domain)
	if err != nil {
		return "", err
	}
	for i := 0; i < len(ascii); i++ {
		if isForbiddenDomainByte(ascii[i]) {
			return "", errInvalidHost
		}
	}
	if endsInANumber(ascii) {
		return parseIPv4(ascii)
	}
	return ascii, nil
}

// domainToASCII follows the URL Standard: an ASCII domain is lowercased,
// anything else goes through UTS #46 ToASCII; an empty result fails.
func domainToASCII(domain string) (string, error) {
	var out string
	if isASCII(domain) {
		out = strings.ToLower(domain)
	} else {
		var err error
		out, err = idnaProfile.ToASCII(strings.Map(uts46Update, domain))
		if err != nil {
			return "", errInvalidHost
		}
	}
	if out == "" {
		return "", errInvalidHost
	}
	return out, nil
}

// uts46Update applies the UTS #46 mapping changes of Unicode 15.1 and 16
// that golang.org/x/net/idna's Unicode 15.0 tables (used before Go 1.27)
// lack. Each maps to a character those tables already treat as valid, so
// mapping first and then running the old tables gives the new result.
func uts46Update(r rune) rune {
	switch {
	case 0x10A0 <= r && r <= 0x10C5: // Georgian capitals → Nuskhuri
		return r - 0x10A0 + 0x2D00
	case r == 0x10C7, r == 0x10CD:
		return r - 0x10A0 + 0x2D00
	case 0x1D173 <= r && r <= 0x1D17A: // musical format controls, now ignored
		return -1
	}
	switch r {
	case 0x1E9E: // ẞ → ß (was "ss")
		return 0xDF
	case 0x2132: // Ⅎ → ⅎ
		return 0x214E
	case 0x2183: // Ↄ → ↄ
		return 0x2184
	case 0x04C0: // Ӏ → ӏ
		return 0x04CF
	case 0x115F, 0x1160, 0x3164, 0xFFA0, 0x17B4, 0x17B5: // now ignored
		return -1
	}
	return r
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isForbiddenDomainByte reports forbidden domain code points (ASCII only:
// domainToASCII never returns anything else).
func isForbiddenDomainByte(c byte) bool {
	return c < 0x20 || c == '%' || c == 0x7f || isForbiddenHostByte(c)
}

// endsInANumber is the spec's "ends in a number checker".
func endsInANumber(s string) bool {
	parts := strings.Split(s, ".")
	if parts[len(parts)-1] == "" {
		if len(parts) == 1 {
			return false
		}
		parts = parts[:len(parts)-1]
	}
	last := parts[len(parts)-1]
	if last != "" && strings.Trim(last, "0123456789") == "" {
		return true
	}
	_, err := parseIPv4Number(last)
	return err == nil
}

// parseIPv4Number parses one dotted part (decimal, 0x hex or 0 octal). Values
// beyond 2^32 are clamped: callers only compare them against 255 and 2^32.
func parseIPv4Number(s string) (uint64, error) {
	if s == "" {
		return 0, errInvalidHost
	}
	radix := 10
	switch {
	case len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X"):
		s, radix = s[2:], 16
	case len(s) >= 2 && s[0] == '0':
		s, radix = s[1:], 8
	}
	if s == "" {
		return 0, nil
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		d := hexDigit(s[i])
		if d < 0 || d >= radix {
			return 0, errInvalidHost
		}
		if n <= 1<<40 {
			n = n*uint64(radix) + uint64(d)
		}
	}
	return n, nil
}

func hexDigit(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// parseIPv4 is the spec's IPv4 parser; it returns the dotted-decimal
// serialisation.
func parseIPv4(s string) (string, error) {
	parts := strings.Split(s, ".")
	if parts[len(parts)-1] == "" && len(parts) > 1 {
		parts = parts[:len(parts)-1]
	}
	if len(parts) > 4 {
		return "", errInvalidHost
	}
	numbers := make([]uint64, len(parts))
	for i, p := range parts {
		n, err := parseIPv4Number(p)
		if err != nil {
			return "", err
		}
		numbers[i] = n
	}
	for _, n := range numbers[:len(numbers)-1] {
		if n > 255 {
			return "", errInvalidHost
		}
	}
	last := numbers[len(numbers)-1]
	if last >= 1<<(8*(5-len(numbers))) {
		return "", errInvalidHost
	}
	ipv4 := last
	for i, n := range numbers[:len(numbers)-1] {
		ipv4 += n << (8 * (3 - i))
	}
	var b strings.Builder
	for i := 3; i >= 0; i-- {
		b.WriteString(strconv.FormatUint((ipv4>>(8*i))&0xff, 10))
		if i > 0 {
			b.WriteByte('.')
		}
	}
	return b.String(), nil
}
