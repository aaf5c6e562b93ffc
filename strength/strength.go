// Package strength is the Sales Plus password policy: zxcvbn scoring (equal to
// the reference zxcvbn 4.4.2), the feedback text shown beside the meter, and the
// rules a new password must pass. It has no UI and no I/O, so the app's live
// meter and the server's final check always give the same verdict.
package strength

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Policy numbers from DESIGN.md.
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
}

// Acceptable reports whether the score is good enough to save (score ≥ 2).
func (r Result) Acceptable() bool { return r.Score >= MinScore }

// Evaluate scores password with zxcvbn 4.4.2, taking userInputs (see
// UserInputs) as extra dictionary words, and returns the score with the
// reference's feedback. It is safe for concurrent use and its time is bounded
// for any input: invalid UTF-8 is first made valid (each bad byte becomes
// U+FFFD, as encoding/json does), then only scoredPrefix(password) is scored.
func Evaluate(password string, userInputs []string) Result {
	password = validUTF8(password)
	inputs := make([]string, len(userInputs))
	for i, in := range userInputs {
		inputs[i] = jsText(validUTF8(in))
	}
	analysis := mostGuessable(jsText(scoredPrefix(password)), inputs)
	score := guessesToScore(analysis.guesses)
	warning, suggestions := feedback(score, analysis.sequence)
	return Result{Score: score, Level: Level(score), Warning: warning, Suggestions: suggestions}
}

// validUTF8 replaces each invalid byte of s with U+FFFD. trustelem scores any
// invalid UTF-8 as 0 without looking at it, which would call "ÄÖÜ-long-and-
// random" Poor because of one stray Latin-1 byte; the server never sees such
// bytes anyway, as JSON decoding makes the same replacement.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return string([]rune(s))
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
// product words, the username, and the parts of the username and the email
// address split on . _ - + @, all lowercased, without empties or repeats. A
// word keeps its first (lowest) rank, so "sales" stays as guessable as the
// company word even when it is also part of the address.
func UserInputs(username, email string) []string {
	in := []string{"inzant", "sales", "plus", "salesplus"}
	add := func(s string) {
		s = strings.ToLower(strings.TrimSpace(s))
		if s != "" && !slices.Contains(in, s) {
			in = append(in, s)
		}
	}
	add(username)
	for _, s := range []string{username, email} {
		for _, p := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("._-+@", r) }) {
			add(p)
		}
	}
	return in
}
