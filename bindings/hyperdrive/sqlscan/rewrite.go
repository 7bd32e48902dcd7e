package sqlscan

import (
	"strconv"
	"strings"
)

// MaxParams is the highest placeholder index a statement may use: PostgreSQL's
// Bind message counts parameters in an unsigned 16-bit field.
const MaxParams = 65535

// Parsed is a statement ready for PostgreSQL.
type Parsed struct {
	SQL       string // rewritten for PostgreSQL: every placeholder becomes $N
	NumParams int    // the arity the caller must bind (highest index used)
}

// Rewrite turns the statement API's placeholders into PostgreSQL's:
//
//   - ? takes the index after the highest used so far (SQLite's rule),
//   - ?NNN is numbered, 1-based,
//   - $N is PostgreSQL's own and is kept,
//   - ?? stands for a literal ? (so the jsonb operators ?, ?| and ?& are
//     written ??, ??| and ??&) and is emitted as a single ?.
//
// The forms may be mixed; they share one numbering. Nothing inside string
// literals, dollar-quoted bodies, quoted identifiers or comments is touched.
// An unterminated literal, identifier or comment, or an index of 0 or above
// MaxParams, is a *SyntaxError. SQL without ? comes back as the same string.
func Rewrite(sql string) (Parsed, error) {
	if len(sql) > maxSQLLen {
		return Parsed{}, &SyntaxError{Offset: maxSQLLen, Msg: "statement longer than PostgreSQL's 1 GiB limit"}
	}
	s := scanner{src: sql}
	var (
		out     strings.Builder
		copied  int // sql[:copied] is already in out (once out is in use)
		highest int
		started bool
	)
	for {
		t := s.next()
		switch t.kind {
		case tokEOF:
			if !started {
				return Parsed{SQL: sql, NumParams: highest}, nil
			}
			out.WriteString(sql[copied:])
			return Parsed{SQL: out.String(), NumParams: highest}, nil
		case tokError:
			return Parsed{}, s.err
		case tokParam:
			n, err := placeholderIndex(sql, t)
			if err != nil {
				return Parsed{}, err
			}
			highest = max(highest, n)
		case tokQParam, tokQEscape:
			start, end := int(t.start), int(t.end)
			if !started {
				started = true
				// Each ? grows by at most "$65535" plus a space either side.
				out.Grow(len(sql) + 7*strings.Count(sql[start:], "?"))
			}
			out.WriteString(sql[copied:start])
			copied = end
			if t.kind == tokQEscape {
				out.WriteByte('?')
				continue
			}
			n := highest + 1
			if end > start+1 {
				var err error
				if n, err = placeholderIndex(sql, t); err != nil {
					return Parsed{}, err
				}
			} else if n > MaxParams {
				return Parsed{}, &SyntaxError{Offset: start, Msg: "too many placeholders (more than 65535)"}
			}
			highest = max(highest, n)
			writeParam(&out, n, end < len(sql) && isIdentCont(sql[end]))
		}
	}
}

// placeholderIndex reads the index of $N or ?NNN.
func placeholderIndex(sql string, t token) (int, error) {
	digits := sql[t.start+1 : t.end]
	n := 0
	for i := 0; i < len(digits); i++ {
		n = n*10 + int(digits[i]-'0')
		if n > MaxParams {
			break
		}
	}
	if n < 1 || n > MaxParams {
		return 0, &SyntaxError{
			Offset: int(t.start),
			Msg:    "placeholder " + sql[t.start:t.end] + " out of range (1.." + strconv.Itoa(MaxParams) + ")",
		}
	}
	return n, nil
}

// writeParam appends $n, keeping it a token of its own: after an identifier
// character "$1" would extend the identifier (a$1) or open a dollar quote
// ($$1), and an identifier character right after it would be trailing junk.
func writeParam(out *strings.Builder, n int, spaceAfter bool) {
	if b := out.String(); len(b) > 0 && isIdentCont(b[len(b)-1]) {
		out.WriteByte(' ')
	}
	var buf [8]byte
	num := strconv.AppendInt(append(buf[:0], '$'), int64(n), 10)
	out.Write(num)
	if spaceAfter {
		out.WriteByte(' ')
	}
}
