package strength

import (
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
)

// benchInputs are the passwords both benchmarks score, with the user inputs
// of a typical account. trustelemFeasible says whether raw trustelem can
// score the input at all in benchmark time.
var benchInputs = []struct {
	name              string
	password          string
	trustelemFeasible bool
}{
	{"typical-8", "k9#Tm2!q", true},
	{"typical-12", "Summer2024!!", true},
	{"typical-20", "Tr0ub4dor&3-horse!42", true},
	{"random-64", strongASCII(64), true},
	{"l33t-dense-64", strings.Repeat("4@8({[<3%6!1|7+0$5+2", 4)[:64], true},
	{"random-256", strongASCII(256), true},
	{"l33t-dense-256", strings.Repeat("4@8({[<3%6!1|7+0$5+2", 13)[:256], true},
	{"l33t-random-100", randomFrom("4@8({[<3%6!1|7+0$5+29", 100), true},
	{"l33t-emoji-100", randomFrom("4@8({[<3%6!1|7+0$5+29😀😁😂🤣", 100), true},
	{"paste-100000", strings.Repeat("Sales Plus rocks! ", 100000/18+1)[:100000], false},
}

// randomFrom returns n runes drawn from alphabet with a fixed seed: the
// worst-case families of the randomized search behind docs/benchmarks.md,
// and strong passwords for the tests (strongRunes).
func randomFrom(alphabet string, n int) string {
	runes := []rune(alphabet)
	rng := rand.New(rand.NewPCG(9, 10))
	var b strings.Builder
	for range n {
		b.WriteRune(runes[rng.IntN(len(runes))])
	}
	return b.String()
}

func BenchmarkEvaluate(b *testing.B) {
	inputs := UserInputs("john.smith@inzant.com", "john.smith@inzant.com")
	for _, in := range benchInputs {
		b.Run(in.name, func(b *testing.B) {
			for b.Loop() {
				Evaluate(in.password, inputs)
			}
		})
	}
}

// BenchmarkTrustelem scores the same inputs with trustelem alone, which is
// what Evaluate would cost without its bound.
func BenchmarkTrustelem(b *testing.B) {
	inputs := UserInputs("john.smith@inzant.com", "john.smith@inzant.com")
	for _, in := range benchInputs {
		b.Run(in.name, func(b *testing.B) {
			if !in.trustelemFeasible {
				b.Skip("unbounded trustelem is superlinear: 500 characters already take over 20 s, 100 000 would not finish")
			}
			for b.Loop() {
				zxcvbn.PasswordStrength(in.password, inputs)
			}
		})
	}
}

// BenchmarkWorstCaseSearch looks for slow inputs: random samples (fixed
// seed) from families of hostile text, 20 to 320 runes, some with a
// 2 000-word user-input list. It reports the slowest Evaluate found (best of
// three timings each) as worst-ms; docs/benchmarks.md quotes it.
func BenchmarkWorstCaseSearch(b *testing.B) {
	rng := rand.New(rand.NewPCG(11, 12))
	pick := func(alphabet string, n int) string {
		runes := []rune(alphabet)
		var sb strings.Builder
		for range n {
			sb.WriteRune(runes[rng.IntN(len(runes))])
		}
		return sb.String()
	}
	join := func(words []string, n int) string {
		var sb strings.Builder
		for utf8.RuneCountInString(sb.String()) < n {
			sb.WriteString(words[rng.IntN(len(words))])
		}
		return sb.String()
	}
	const l33t = "4@8({[<3%6!1|7+0$5+29"
	families := map[string]func(n int) string{
		"l33t":       func(n int) string { return pick(l33t, n) },
		"l33t+ascii": func(n int) string { return pick(l33t+"aeioulstAEIOU", n) },
		"l33t+emoji": func(n int) string { return pick(l33t+"😀😁😂🤣", n) },
		"l33t+cjk":   func(n int) string { return pick(l33t+"密码安全强度", n) },
		"l33t+latin": func(n int) string { return pick(l33t+"éüñßøå", n) },
		"ascii": func(n int) string {
			return pick("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()-_=+[]{};:,.<>/?", n)
		},
		"emoji":  func(n int) string { return pick("😀😁😂🤣😃😄😅😆", n) },
		"digits": func(n int) string { return pick("0123456789", n) },
		"dates":  func(n int) string { return join([]string{"19/07/1985", "2001-09-11", "010190", "12.25.2000"}, n) },
		"repeat": func(n int) string { return pick("ab", n) },
		"same":   func(n int) string { return strings.Repeat("a", n) },
		"words": func(n int) string {
			return join([]string{"password", "a", "i", "the", "sales", "inzant", "smith", "love"}, n)
		},
		"l33t words": func(n int) string {
			return join([]string{"p@$$w0rd", "1|0v3", "5+@r", "7r0ub|3", "m0nk3y", "dr@g0n"}, n)
		},
		"keyboard": func(n int) string {
			return join([]string{"qwerty", "asdfgh", "zxcvbn", "1qaz2wsx", "!@#$%^", "poiuy"}, n)
		},
		"sequences": func(n int) string { return join([]string{"abcdef", "123456", "zyxw", "ACEG", "αβγδ"}, n) },
	}
	account := UserInputs("john.smith@inzant.com", "john.smith@inzant.com")
	var many []string
	for range 2000 {
		many = append(many, pick("abcdefghijklmnop", 3+rng.IntN(8)))
	}
	manyInputs := UserInputs(strings.Join(many, "."), "someone@example.com")
	names := slices.Sorted(maps.Keys(families))

	for b.Loop() {
		var worst time.Duration
		for _, name := range names {
			for k := range 20 {
				password := families[name](20 + rng.IntN(300))
				inputs := account
				if k%5 == 0 {
					inputs = manyInputs
				}
				best := time.Duration(math.MaxInt64)
				for range 3 {
					start := time.Now()
					Evaluate(password, inputs)
					best = min(best, time.Since(start))
				}
				worst = max(worst, best)
			}
		}
		b.ReportMetric(float64(worst)/float64(time.Millisecond), "worst-ms")
	}
}
