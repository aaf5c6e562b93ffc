package strength

import (
	"strings"
	"testing"

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
	{"paste-100000", strings.Repeat("Sales Plus rocks! ", 100000/18+1)[:100000], false},
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
