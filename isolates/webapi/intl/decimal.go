package intl

import (
	"math"
	"strconv"
	"strings"
)

// Decimal is an exact decimal: value = ±0.Digits × 10^Exp. Digits has no
// leading or trailing zeros; zero has none.
type Decimal struct {
	Neg      bool
	Digits   []byte // ASCII '0'..'9'
	Exp      int
	NaN, Inf bool
}

// FromFloat is f's shortest round-tripping decimal, as JS prints it.
func FromFloat(f float64) Decimal {
	switch {
	case math.IsNaN(f):
		return Decimal{NaN: true}
	case math.IsInf(f, 0):
		return Decimal{Inf: true, Neg: f < 0}
	}
	d := Decimal{Neg: math.Signbit(f)}
	if f == 0 {
		return d
	}
	s := strconv.FormatFloat(math.Abs(f), 'e', -1, 64) // d.dddde±x
	mant, exp, _ := strings.Cut(s, "e")
	e, _ := strconv.Atoi(exp)
	d.Digits = []byte(strings.Replace(mant, ".", "", 1))
	d.Exp = e + 1
	d.trim()
	return d
}

// FromString parses a decimal literal (a BigInt's digits, or a numeric
// string as ECMA-402 reads it); ok is false when s is not one.
func FromString(s string) (Decimal, bool) {
	s = strings.TrimSpace(s)
	d := Decimal{}
	if s == "" {
		return d, true
	}
	switch s[0] {
	case '-':
		d.Neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	if s == "Infinity" {
		d.Inf = true
		return d, true
	}
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") || strings.HasPrefix(s, "0b") || strings.HasPrefix(s, "0o") {
		return d, false
	}
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil {
			return d, false
		}
		exp, s = e, s[:i]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" && frac == "" {
		return d, false
	}
	for _, c := range intPart + frac {
		if c < '0' || c > '9' {
			return d, false
		}
	}
	d.Digits = []byte(intPart + frac)
	d.Exp = len(intPart) + exp
	d.trim()
	return d, true
}

func (d *Decimal) trim() {
	i := 0
	for i < len(d.Digits) && d.Digits[i] == '0' {
		i++
	}
	d.Digits = d.Digits[i:]
	d.Exp -= i
	j := len(d.Digits)
	for j > 0 && d.Digits[j-1] == '0' {
		j--
	}
	d.Digits = d.Digits[:j]
	if len(d.Digits) == 0 {
		d.Exp = 0
	}
}

// IsZero reports whether d is ±0.
func (d Decimal) IsZero() bool { return !d.NaN && !d.Inf && len(d.Digits) == 0 }

// roundAt keeps the digits before position keep (counted from the first
// digit), rounding half away from zero (ICU's halfExpand).
func (d Decimal) roundAt(keep int) Decimal {
	if keep >= len(d.Digits) {
		return d
	}
	out := Decimal{Neg: d.Neg, Exp: d.Exp}
	if keep < 0 {
		out.Digits = nil
		out.trim()
		return out
	}
	digits := append([]byte(nil), d.Digits[:keep]...)
	if d.Digits[keep] >= '5' {
		i := keep - 1
		for ; i >= 0; i-- {
			if digits[i] == '9' {
				digits[i] = '0'
				continue
			}
			digits[i]++
			break
		}
		if i < 0 {
			digits = append([]byte{'1'}, digits...)
			out.Exp++
		}
	}
	out.Digits = digits
	out.trim()
	return out
}

// RoundFraction rounds to at most max fraction digits.
func (d Decimal) RoundFraction(max int) Decimal { return d.roundAt(d.Exp + max) }

// RoundSignificant rounds to at most max significant digits.
func (d Decimal) RoundSignificant(max int) Decimal { return d.roundAt(max) }

// Shift multiplies d by 10^n.
func (d Decimal) Shift(n int) Decimal {
	if len(d.Digits) > 0 {
		d.Exp += n
	}
	return d
}

// IntFrac are d's integer and fraction digits, padded to minInt integer
// digits and minFrac fraction digits.
func (d Decimal) IntFrac(minInt, minFrac int) (string, string) {
	var ip, fp string
	switch {
	case d.Exp <= 0:
		fp = strings.Repeat("0", -d.Exp) + string(d.Digits)
	case d.Exp >= len(d.Digits):
		ip = string(d.Digits) + strings.Repeat("0", d.Exp-len(d.Digits))
	default:
		ip, fp = string(d.Digits[:d.Exp]), string(d.Digits[d.Exp:])
	}
	if len(ip) < minInt {
		ip = strings.Repeat("0", minInt-len(ip)) + ip
	}
	if len(fp) < minFrac {
		fp += strings.Repeat("0", minFrac-len(fp))
	}
	return ip, fp
}

// Float is d as a float64 (for the plural operands).
func (d Decimal) Float() float64 {
	ip, fp := d.IntFrac(1, 0)
	f, _ := strconv.ParseFloat(ip+"."+fp+"0", 64)
	if d.Neg {
		f = -f
	}
	return f
}
