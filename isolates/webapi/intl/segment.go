package intl

import (
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// Segment is one segment of a string: its UTF-16 index, text and, for
// words, whether it is word-like (letters or digits).
type Segment struct {
	Index    int
	Text     string
	WordLike bool
}

// Segments splits s by granularity ("grapheme", "word" or "sentence")
// with Unicode's segmentation rules (UAX #29).
func Segments(s, granularity string) []Segment {
	var out []Segment
	idx := 0
	state := -1
	for len(s) > 0 {
		var seg string
		switch granularity {
		case "word":
			seg, s, state = uniseg.FirstWordInString(s, state)
		case "sentence":
			seg, s, state = uniseg.FirstSentenceInString(s, state)
		default:
			seg, s, _, state = uniseg.FirstGraphemeClusterInString(s, state)
		}
		sg := Segment{Index: idx, Text: seg}
		if granularity == "word" {
			for _, r := range seg {
				if unicode.IsLetter(r) || unicode.IsNumber(r) {
					sg.WordLike = true
					break
				}
			}
		}
		out = append(out, sg)
		for _, r := range seg {
			if r == utf8.RuneError {
				idx++
				continue
			}
			idx += utf16.RuneLen(r)
		}
	}
	return out
}
