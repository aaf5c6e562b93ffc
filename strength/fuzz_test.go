package strength

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzEvaluate feeds Evaluate and Check hostile text (a paste can hold
// anything) and asserts the invariants; internal/zxcvbn's FuzzWork bounds the
// engine's work for any input.
func FuzzEvaluate(f *testing.F) {
	for _, seed := range []string{
		"",
		"password",
		"\xff\xfe\xfd",                      // invalid UTF-8
		"abc\xe2\x82",                       // truncated rune
		"\xed\xa0\x80\xed\xb0\x80",          // UTF-8-encoded surrogates
		"pass\x00word\x00",                  // NUL bytes
		"e\u0301e\u0301e\u0301\u0308\u0308", // combining marks
		"🔥🔥🔥🔥👨‍👩‍👧‍👦🏳️‍🌈",                          // emoji, ZWJ sequences
		"İstanbul ıİ ſK Å",                         // case-mapping oddities
		"\uFFFD\U0010FFFF\xed\xaf\xbf",             // replacement, last code point, a lone surrogate
		"a\nb\rc\u2028d\u2029e",                    // line terminators (the repeat regex)
		strings.Repeat("4@8({[<3%6!1|7+0$5+2", 50), // l33t-dense
		strings.Repeat("ab", 5000),                 // long repeat
		strings.Repeat("Sales Plus rocks! ", 600),  // 10 800 bytes
		strings.Repeat("😀", 300),
	} {
		f.Add(seed, "john.smith@inzant.com")
	}
	f.Fuzz(func(t *testing.T, password, username string) {
		inputs := UserInputs(username, username)
		r := Evaluate(password, inputs)
		if r.Score < 0 || r.Score > 4 {
			t.Fatalf("score %d out of 0..4", r.Score)
		}
		if r.Level != Level(r.Score) {
			t.Fatalf("level %v for score %d", r.Level, r.Score)
		}
		if r.Acceptable() != (r.Score >= MinScore) {
			t.Fatalf("Acceptable() = %v for score %d", r.Acceptable(), r.Score)
		}
		if r.Suggestions == nil {
			t.Fatal("nil suggestions")
		}
		for _, s := range append([]string{r.Warning}, r.Suggestions...) {
			if s != "" && !slices.Contains(Messages, s) {
				t.Fatalf("unknown message %q", s)
			}
		}
		if r.Score > 2 && (r.Warning != "" || len(r.Suggestions) > 0) {
			t.Fatalf("feedback %q %q for score %d", r.Warning, r.Suggestions, r.Score)
		}
		if n := utf8.RuneCountInString(password); n > MaxLength && (r.Score != 0 || r.Guesses != 0) {
			t.Fatalf("%d runes scored %d (%g guesses); over MaxLength nothing is scored", n, r.Score, r.Guesses)
		} else if n <= MaxLength && !(r.Guesses >= 1) {
			t.Fatalf("%d runes: guesses %g, want at least 1", n, r.Guesses)
		}

		got, err := Check(password, inputs)
		switch n := utf8.RuneCountInString(password); {
		case n < MinLength:
			if err != ErrTooShort {
				t.Fatalf("%d runes: err = %v, want ErrTooShort", n, err)
			}
		case n > MaxLength:
			if err != ErrTooLong {
				t.Fatalf("%d runes: err = %v, want ErrTooLong", n, err)
			}
		default:
			if !sameResult(got, r) {
				t.Fatalf("Check result %+v, Evaluate %+v", got, r)
			}
			if (err == nil) != r.Acceptable() {
				t.Fatalf("Check err = %v for score %d", err, r.Score)
			}
		}
	})
}
