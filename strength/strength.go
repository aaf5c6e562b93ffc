// Package strength is the Sales Plus password policy: zxcvbn scoring (equal to
// the reference zxcvbn 4.4.2), the feedback text shown beside the meter, and the
// rules a new password must pass. It has no UI and no I/O, so the app's live
// meter and the server's final check always give the same verdict.
package strength

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
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

// Evaluate scores password with zxcvbn, taking userInputs (see UserInputs) as
// extra dictionary words. TODO(strength): bounded time, feedback.
func Evaluate(password string, userInputs []string) Result {
	z := zxcvbn.PasswordStrength(password, userInputs)
	return Result{Score: z.Score, Level: Level(z.Score)}
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

// UserInputs builds the extra dictionary for an account: the username, the
// parts of the email address split on . _ - + @, and the company and product
// words.
func UserInputs(username, email string) []string {
	in := []string{"inzant", "sales", "plus", "salesplus"}
	add := func(s string) {
		s = strings.ToLower(strings.TrimSpace(s))
		if s != "" {
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
