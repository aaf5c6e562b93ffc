// Package strength is the Sales Plus password policy: the score, warning and
// suggestions of zxcvbn 4.4.2 (the JavaScript library), and the rules a new
// password must pass. It has no UI and no I/O, so the app's live meter and the
// server's final check always give the same verdict.
//
// The scoring engine is our own, in internal/zxcvbn: it computes exactly what
// zxcvbn 4.4.2 computes, on the whole password (up to MaxLength runes), from
// tables generated out of the npm package. It replaced a Go port of zxcvbn
// (github.com/trustelem/zxcvbn) that departed from the reference in places
// and was too slow to score a long password whole. The tests compare every
// verdict with reference results made by the npm package
// (testdata/gen-reference.js).
//
// feedback.go ports the reference's feedback rules (src/feedback.coffee); its
// English texts, word for word, are exported constants, ready to be used as
// translation keys.
package strength

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"salesplus/strength/internal/zxcvbn"
)

// Policy numbers (docs/design.md lists them with the rest of the contract).
const (
	MinLength = 8   // runes
	MaxLength = 256 // runes
	MinScore  = 2   // Acceptable
)

// Level names a zxcvbn score for people.
type Level int

// The five levels, one per zxcvbn score 0..4.
const (
	Poor Level = iota
	Weak
	Acceptable
	Good
	Excellent
)

var levelNames = [...]string{"Poor", "Weak", "Acceptable", "Good", "Excellent"}

func (l Level) String() string {
	if l < Poor || l > Excellent {
		return fmt.Sprintf("Level(%d)", int(l))
	}
	return levelNames[l]
}

// Result is the verdict on one password.
type Result struct {
	Score       int // 0..4
	Level       Level
	Warning     string
	Suggestions []string
	Guesses     float64 // the reference's guesses: the estimated number of guesses to find the password
}

// Acceptable reports whether the score is good enough to save (score ≥ 2).
func (r Result) Acceptable() bool { return r.Score >= MinScore }

// Normalize is the form of a password that is rated, counted and hashed:
// NFKC, as NIST SP 800-63B asks, so that an "é" typed as one character or as
// "e" plus a combining accent (what another keyboard may send) is the same
// password, and the app, the web page and the server rate the same text.
func Normalize(password string) string { return norm.NFKC.String(password) }

// Evaluate scores password as zxcvbn 4.4.2 does, taking userInputs (see
// UserInputs) as extra dictionary words, and returns the score with the
// reference's feedback. It is safe for concurrent use. Each byte of invalid
// UTF-8 counts as U+FFFD, as encoding/json makes it on the server. A password
// of more than MaxLength runes, which the policy refuses, is not scored: the
// result is Poor with no feedback and no guesses, so no input costs more time
// than the longest password allowed.
func Evaluate(password string, userInputs []string) Result {
	if utf8.RuneCountInString(password) > MaxLength {
		return Result{Score: 0, Level: Poor, Suggestions: []string{}}
	}
	analysis := zxcvbn.MostGuessable(zxcvbn.UTF16(password), userInputs, referenceYear())
	score := guessesToScore(analysis.Guesses)
	warning, suggestions := feedback(score, analysis.Sequence)
	return Result{Score: score, Level: Level(score), Warning: warning, Suggestions: suggestions, Guesses: analysis.Guesses}
}

// referenceYear is zxcvbn's REFERENCE_YEAR, the current year, from which it
// measures dates and recent years. Tests pin it.
var referenceYear = func() int { return time.Now().Year() }

// guessesToScore is zxcvbn's guesses_to_score.
func guessesToScore(guesses float64) int {
	const delta = 5
	switch {
	case guesses < 1e3+delta:
		return 0
	case guesses < 1e6+delta:
		return 1
	case guesses < 1e8+delta:
		return 2
	case guesses < 1e10+delta:
		return 3
	default:
		return 4
	}
}

// Reasons a new password is refused.
var (
	ErrTooShort = errors.New("password too short")
	ErrTooLong  = errors.New("password too long")
)

// TooWeakError refuses a password whose score is below MinScore.
type TooWeakError struct{ Result Result }

func (e *TooWeakError) Error() string {
	return "password too weak: " + e.Result.Level.String()
}

// Check applies the whole policy to a new password: length in runes, then
// strength. It returns the strength result whenever it computed one, and an
// error that is ErrTooShort, ErrTooLong or a *TooWeakError.
func Check(password string, userInputs []string) (Result, error) {
	n := utf8.RuneCountInString(password)
	if n < MinLength {
		return Result{}, ErrTooShort
	}
	if n > MaxLength {
		return Result{}, ErrTooLong
	}
	r := Evaluate(password, userInputs)
	if !r.Acceptable() {
		return r, &TooWeakError{Result: r}
	}
	return r, nil
}

// UserInputs builds the extra dictionary for an account: the company and
// product words, the username, the email's local part as it is and without
// its separators ("priya.shah" and "priyashah"), and the parts of the
// username and the email address split on . _ - + @, all lowercased, without
// empties or repeats. A word keeps its first (lowest) rank, so "sales" stays
// as guessable as the company word even when it is also part of the address.
func UserInputs(username, email string) []string {
	in := []string{"inzant", "sales", "plus", "salesplus"}
	add := func(s string) {
		s = strings.ToLower(strings.TrimSpace(s))
		if s != "" && !slices.Contains(in, s) {
			in = append(in, s)
		}
	}
	isSeparator := func(r rune) bool { return strings.ContainsRune("._-+@", r) }
	add(username)
	if local, _, ok := strings.Cut(email, "@"); ok {
		if joined := strings.Join(strings.FieldsFunc(local, isSeparator), ""); joined != "" {
			add(local)
			add(joined)
		}
	}
	for _, s := range []string{username, email} {
		for _, p := range strings.FieldsFunc(s, isSeparator) {
			add(p)
		}
	}
	return in
}
