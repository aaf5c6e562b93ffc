package strength

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"salesplus/internal/runtest"
)

func TestLevelString(t *testing.T) {
	for _, tc := range []struct {
		level Level
		want  string
	}{
		{Poor, "Poor"},
		{Weak, "Weak"},
		{Acceptable, "Acceptable"},
		{Good, "Good"},
		{Excellent, "Excellent"},
		{Level(-1), "Level(-1)"},
		{Level(5), "Level(5)"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			if got := tc.level.String(); got != tc.want {
				t.Errorf("Level(%d).String() = %q, want %q", int(tc.level), got, tc.want)
			}
		})
	}
}

func TestAcceptable(t *testing.T) {
	for score, want := range []bool{false, false, true, true, true} {
		t.Run(Level(score).String(), func(t *testing.T) {
			r := Result{Score: score, Level: Level(score)}
			if r.Acceptable() != want {
				t.Errorf("score %d: Acceptable() = %v, want %v", score, r.Acceptable(), want)
			}
		})
	}
}

// strongRunes returns n runes, most of them two or three bytes long, that
// zxcvbn rates Excellent: no words, repeats or sequences.
func strongRunes(n int) string { return runtest.RandomRunes("ñ9#Tm€2!qüZk§Ωd¿7", n, 9) }

func TestCheck(t *testing.T) {
	account := UserInputs("hildegard.wojciechowska", "hildegard.wojciechowska@inzant.com")
	for _, tc := range []struct {
		name       string
		password   string
		userInputs []string
		wantErr    error // ErrTooShort, ErrTooLong, or nil
		wantWeak   bool  // a *TooWeakError
		wantScore  int
	}{
		{name: "empty", password: "", wantErr: ErrTooShort},
		{name: "7 multibyte runes", password: "ñ9#Tm€!", wantErr: ErrTooShort},
		{name: "7 runes of 4 bytes", password: strings.Repeat("😀", 7), wantErr: ErrTooShort},
		{name: "8 multibyte runes acceptable", password: "ñ9#Tm2!€", wantScore: 2},
		{name: "8 runes common password", password: "password", wantWeak: true, wantScore: 0},
		{name: "8 runes of 4 bytes repeated", password: strings.Repeat("😀", 8), wantWeak: true, wantScore: 0},
		{name: "256 multibyte runes", password: strongRunes(256), wantScore: 4},
		{name: "257 multibyte runes", password: strongRunes(257), wantErr: ErrTooLong},
		{name: "100000 runes", password: strings.Repeat("x", 100000), wantErr: ErrTooLong},
		{name: "reference Acceptable", password: "k9#Tm2!q", wantScore: 2},
		{name: "reference Good", password: "Summer2024!!", wantScore: 3},
		{name: "surname strong alone", password: "Wojciechowska77", wantScore: 4},
		{name: "surname weak for its owner", password: "Wojciechowska77", userInputs: account, wantWeak: true, wantScore: 1},
		{name: "company words weak", password: "Inzantsalesplus", userInputs: account, wantWeak: true, wantScore: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Check(tc.password, tc.userInputs)
			var weak *TooWeakError
			switch {
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Check error = %v, want %v", err, tc.wantErr)
				}
				if !isZero(r) {
					t.Errorf("Check refused on length but returned a result %+v", r)
				}
				return
			case tc.wantWeak:
				if !errors.As(err, &weak) {
					t.Fatalf("Check error = %v, want a *TooWeakError", err)
				}
				if !sameResult(weak.Result, r) {
					t.Errorf("TooWeakError.Result %+v differs from the returned result %+v", weak.Result, r)
				}
				if !strings.Contains(err.Error(), r.Level.String()) {
					t.Errorf("error %q does not name the level %s", err, r.Level)
				}
			case err != nil:
				t.Fatalf("Check error = %v, want nil", err)
			}
			if r.Score != tc.wantScore || r.Level != Level(tc.wantScore) {
				t.Errorf("score %d (%s), want %d", r.Score, r.Level, tc.wantScore)
			}
			if want := Evaluate(tc.password, tc.userInputs); !sameResult(r, want) {
				t.Errorf("Check result %+v differs from Evaluate %+v", r, want)
			}
		})
	}
}

func isZero(r Result) bool {
	return r.Score == 0 && r.Level == Poor && r.Warning == "" && r.Suggestions == nil
}

func sameResult(a, b Result) bool {
	return a.Score == b.Score && a.Level == b.Level && a.Warning == b.Warning && slices.Equal(a.Suggestions, b.Suggestions)
}

func TestUserInputs(t *testing.T) {
	company := []string{"inzant", "sales", "plus", "salesplus"}
	for _, tc := range []struct {
		name, username, email string
		want                  []string
	}{
		{
			"email username", "john.smith@inzant.com", "john.smith@inzant.com",
			[]string{"inzant", "sales", "plus", "salesplus", "john.smith@inzant.com", "john.smith", "johnsmith", "john", "smith", "com"},
		},
		{
			"all separators, mixed case", "  Maria_Garcia-Lopez ", "MARIA.Garcia+Sales@Example.ORG",
			[]string{"inzant", "sales", "plus", "salesplus", "maria_garcia-lopez", "maria.garcia+sales", "mariagarciasales", "maria", "garcia", "lopez", "example", "org"},
		},
		{
			"empties between separators", "a..b@@c", "._-+@",
			[]string{"inzant", "sales", "plus", "salesplus", "a..b@@c", "a", "b", "c"},
		},
		{"nothing", "", "", company},
		{
			"non-email username", "rep0042", "k.tanaka@inzant.co.jp",
			[]string{"inzant", "sales", "plus", "salesplus", "rep0042", "k.tanaka", "ktanaka", "k", "tanaka", "co", "jp"},
		},
		{
			"unicode", "Zoë.Ødegård", "ZOË@ØDEGÅRD.NO",
			[]string{"inzant", "sales", "plus", "salesplus", "zoë.ødegård", "zoë", "ødegård", "no"},
		},
		{
			"local part alone and joined", "priya.shah@example.com", "priya.shah@example.com",
			[]string{"inzant", "sales", "plus", "salesplus", "priya.shah@example.com", "priya.shah", "priyashah", "priya", "shah", "example", "com"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := UserInputs(tc.username, tc.email)
			if !slices.Equal(got, tc.want) {
				t.Errorf("UserInputs(%q, %q) = %q, want %q", tc.username, tc.email, got, tc.want)
			}
			for _, w := range company {
				if !slices.Contains(got, w) {
					t.Errorf("missing company word %q", w)
				}
			}
			seen := map[string]bool{}
			for _, w := range got {
				if w == "" || w != strings.ToLower(w) || seen[w] {
					t.Errorf("word %q is empty, not lowercase or repeated in %q", w, got)
				}
				seen[w] = true
			}
		})
	}
}

func TestFeedbackRules(t *testing.T) {
	for _, tc := range []struct {
		name, password string
		warning        string
		suggestions    []string
	}{
		{"empty password gets the default advice", "", "", []string{SuggestionFewWords, SuggestionNoNeedForSymbols}},
		{"score above 2 gets nothing", "correct horse battery staple", "", []string{}},
		{"top-10 password", "password", WarningTop10, []string{SuggestionAddWord}},
		{"top-100 password", "qwertyuiop", WarningTop100, []string{SuggestionAddWord}},
		{"capitalized", "Password", WarningTop10, []string{SuggestionAddWord, SuggestionCapitalization}},
		{"all uppercase", "PASSWORD", WarningTop10, []string{SuggestionAddWord, SuggestionAllUppercase}},
		{"reversed", "drowssap", WarningSimilarToCommon, []string{SuggestionAddWord, SuggestionReversedWords}},
		{"l33t", "p@ssw0rd", WarningSimilarToCommon, []string{SuggestionAddWord, SuggestionPredictableSubsts}},
		{"surname with digits", "smith2024", WarningCommonNames, []string{SuggestionAddWord}},
		{"repeated character", "aaaaaaaa", WarningRepeatedChar, []string{SuggestionAddWord, SuggestionAvoidRepeats}},
		{"repeated pattern", "abcabcabc", WarningRepeatedPattern, []string{SuggestionAddWord, SuggestionAvoidRepeats}},
		{"sequence", "abcdefgh", WarningSequence, []string{SuggestionAddWord, SuggestionAvoidSequences}},
		{"straight keyboard row", "zxcvbnm,./", WarningStraightRow, []string{SuggestionAddWord, SuggestionLongerKeyboard}},
		{"date", "2001-09-11", WarningDate, []string{SuggestionAddWord, SuggestionAvoidYoursDates}},
		{"recent year", "2019", WarningRecentYear, []string{SuggestionAddWord, SuggestionAvoidRecentYears, SuggestionAvoidYoursYears}},
		{"l33t with three tables", "7er1s@0258", WarningCommonNames, []string{SuggestionAddWord, SuggestionPredictableSubsts}},
		{"emoji repeat counts UTF-16 units", "🔥🔥🔥🔥", WarningRepeatedPattern, []string{SuggestionAddWord, SuggestionAvoidRepeats}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Evaluate(tc.password, nil)
			if r.Warning != tc.warning || !slices.Equal(r.Suggestions, tc.suggestions) {
				t.Errorf("Evaluate(%q) feedback = %q %q, want %q %q", tc.password, r.Warning, r.Suggestions, tc.warning, tc.suggestions)
			}
			if r.Suggestions == nil {
				t.Error("Suggestions is nil; it must encode as [] in JSON")
			}
			for _, s := range append([]string{r.Warning}, r.Suggestions...) {
				if s != "" && !slices.Contains(Messages, s) {
					t.Errorf("%q is not in Messages", s)
				}
			}
		})
	}
}

// TestMessagesMatchReference checks the message constants, word for word,
// against the strings of the installed zxcvbn 4.4.2 feedback.js that the
// generator copied into the reference file.
func TestMessagesMatchReference(t *testing.T) {
	set := loadReference(t, "reference-main.json")
	got := slices.Sorted(slices.Values(Messages))
	want := slices.Sorted(slices.Values(set.Messages))
	if !slices.Equal(got, want) {
		t.Errorf("Messages differ from the reference's feedback strings:\n got %q\nwant %q", got, want)
	}
}

func TestInvalidUTF8(t *testing.T) {
	// One stray Latin-1 byte must not turn a strong password Poor (a port
	// alone scores any invalid UTF-8 as 0); it counts as U+FFFD.
	raw := "Tr0ub4dor&3\xe9xyz"
	replaced := "Tr0ub4dor&3\uFFFDxyz"
	got, want := Evaluate(raw, nil), Evaluate(replaced, nil)
	if !sameResult(got, want) {
		t.Errorf("Evaluate(%q) = %+v, want the same as %q: %+v", raw, got, replaced, want)
	}
	if got.Score < 3 {
		t.Errorf("Evaluate(%q).Score = %d, want at least 3", raw, got.Score)
	}
	// Each invalid byte is one replacement, and one rune for the length rule.
	if got, want := Evaluate("ab\xff\xfecd", nil), Evaluate("ab\uFFFD\uFFFDcd", nil); !sameResult(got, want) {
		t.Errorf("two bad bytes: %+v, want %+v", got, want)
	}
	if _, err := Check("abc\xff\xfe\xfd\xfc", nil); !errors.Is(err, ErrTooShort) {
		t.Errorf("7 runes with invalid bytes: err = %v, want ErrTooShort", err)
	}
	// Invalid user inputs are cleaned the same way, so they still match.
	if r := Evaluate("\xffinzant\xff", []string{"\xffinzant\xff"}); r.Score != 0 {
		t.Errorf("a password equal to an invalid user input scored %d, want 0", r.Score)
	}
}

func strongASCII(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#%&*-=?^_~"
	rng := rand.New(rand.NewPCG(5, 6))
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
}

// TestEvaluateConcurrently runs Evaluate from several goroutines (the server
// scores requests in parallel), for the race detector and for determinism:
// the engine shares caches between calls, and every verdict must still be the same.
func TestEvaluateConcurrently(t *testing.T) {
	passwords := []string{"smith2024", "Smith!1", "p@ssw0rd", "correct horse", "🔥🔥🔥🔥", "qwerty123", "john.smith"}
	inputs := UserInputs("john.smith", "john.smith@inzant.com")
	want := make([]Result, len(passwords))
	for i, p := range passwords {
		want[i] = Evaluate(p, inputs)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 20 {
				for i, p := range passwords {
					if got := Evaluate(p, inputs); !sameResult(got, want[i]) {
						t.Errorf("Evaluate(%q) = %+v, earlier %+v", p, got, want[i])
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

// TestPasswordFromTheEmail: the email's local part, as it is or with digits
// added, is weak for its owner (the user inputs hold the whole local part and
// the local part without separators), though not for someone else.
func TestPasswordFromTheEmail(t *testing.T) {
	for _, tc := range []struct{ email, password string }{
		{"priya.shah@example.com", "priya.shah"},
		{"priya.shah@example.com", "priyashah"},
		{"priya.shah@example.com", "PriyaShah!"},
		{"alex.morgan@example.com", "alex.morgan123"},
		{"alex.morgan@example.com", "alexmorgan2024"},
	} {
		t.Run(tc.password, func(t *testing.T) {
			r, err := Check(tc.password, UserInputs(tc.email, tc.email))
			var weak *TooWeakError
			if !errors.As(err, &weak) || r.Level > Weak {
				t.Errorf("Check(%q) for %s = %s, %v; want Poor or Weak, refused", tc.password, tc.email, r.Level, err)
			}
			if other := Evaluate(tc.password, UserInputs("jsmith", "j.smith@example.com")); other.Score <= r.Score {
				t.Errorf("%q scores %d for another account, want more than %d", tc.password, other.Score, r.Score)
			}
		})
	}
}

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
