package zxcvbn

import (
	"slices"
	"unicode"
	"unicode/utf16"
)

// jsLower is String.prototype.toLowerCase on UTF-16 code units: full
// lower-case mapping per code point (a lone surrogate stays), with the two
// rules where it differs from Go's simple mapping: 'İ' becomes "i̇" (two
// units, so the text grows), and a capital sigma at the end of a word becomes
// 'ς'. It returns s itself when nothing changes.
func jsLower(s []uint16) []uint16 {
	k := 0
	for k < len(s) && !(s[k] >= 'A' && s[k] <= 'Z') && s[k] < 0x80 {
		k++
	}
	if k == len(s) {
		return s
	}
	out := make([]uint16, k, len(s))
	copy(out, s[:k])
	for k < len(s) {
		c := s[k]
		if c < 0x80 {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			out = append(out, c)
			k++
			continue
		}
		r, size := codePointAt(s, k)
		switch r {
		case 'İ':
			out = append(out, 'i', 0x0307)
		case 'Σ':
			if finalSigma(s, k) {
				out = append(out, 'ς')
			} else {
				out = append(out, 'σ')
			}
		default:
			out = utf16.AppendRune(out, unicode.ToLower(r))
			if size == 1 && r >= 0xD800 && r <= 0xDFFF {
				out[len(out)-1] = uint16(r) // a lone surrogate stays as it is
			}
		}
		k += size
	}
	return out
}

// codePointAt decodes the code point at unit k: a surrogate pair, or one unit
// (a lone surrogate decodes to itself).
func codePointAt(s []uint16, k int) (rune, int) {
	c := s[k]
	if c >= 0xD800 && c < 0xDC00 && k+1 < len(s) && s[k+1] >= 0xDC00 && s[k+1] < 0xE000 {
		return utf16.DecodeRune(rune(c), rune(s[k+1])), 2
	}
	return rune(c), 1
}

// codePointBefore decodes the code point that ends just before unit k.
func codePointBefore(s []uint16, k int) (rune, int) {
	c := s[k-1]
	if c >= 0xDC00 && c < 0xE000 && k >= 2 && s[k-2] >= 0xD800 && s[k-2] < 0xDC00 {
		return utf16.DecodeRune(rune(s[k-2]), rune(c)), 2
	}
	return rune(c), 1
}

// finalSigma is Unicode's Final_Sigma condition for the sigma at unit k: a
// cased letter before it and none after it, skipping case-ignorable
// characters.
func finalSigma(s []uint16, k int) bool {
	before := false
	for p := k; p > 0; {
		r, size := codePointBefore(s, p)
		p -= size
		if caseIgnorable(r) {
			continue
		}
		before = cased(r)
		break
	}
	if !before {
		return false
	}
	for p := k + 1; p < len(s); {
		r, size := codePointAt(s, p)
		p += size
		if caseIgnorable(r) {
			continue
		}
		return !cased(r)
	}
	return true
}

func cased(r rune) bool {
	return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) ||
		unicode.Is(unicode.Other_Lowercase, r) || unicode.Is(unicode.Other_Uppercase, r)
}

func caseIgnorable(r rune) bool {
	switch r {
	case '\'', '.', ':', '^', '`', 0x00A8, 0x00AD, 0x00AF, 0x00B4, 0x00B7, 0x00B8, 0x0387, 0x055F, 0x05F4,
		0x2018, 0x2019, 0x2024, 0x2027, 0xFE13, 0xFE52, 0xFE55, 0xFF07, 0xFF0E, 0xFF1A:
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}

// changesLength reports whether jsLower may map s to a different number of
// units or depend on context ('İ' and 'Σ'); the l33t walk then takes the
// reference's own path.
func lowerIsContextual(s []uint16) bool {
	for _, c := range s {
		if c == 0x0130 || c == 0x03A3 {
			return true
		}
	}
	return false
}

// LowerChanges reports whether JavaScript's toLowerCase changes s.
func LowerChanges(s []uint16) bool {
	return !slices.Equal(jsLower(s), s)
}
