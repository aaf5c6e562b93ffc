package strength

import (
	"math"

	"github.com/trustelem/zxcvbn/match"
	"github.com/trustelem/zxcvbn/scoring"
)

// analysis is the result of most_guessable_match_sequence.
type analysis struct {
	guesses  float64
	sequence []*match.Match
}

// mostGuessableSequence is scoring.most_guessable_match_sequence of zxcvbn
// 4.4.2, ported rather than taken from trustelem, whose port attaches a
// brute-force stretch after a multi-byte character to the wrong position (so
// "qtwz}\u0080\u0083.0#" could not be split into a sequence and ".0#") and
// breaks ties between sequence lengths the other way. It works on runes, which jsText made equal to
// the reference's UTF-16 code units; the matches carry byte offsets (I, J) as
// trustelem writes them, and are translated here.
func mostGuessableSequence(password string, matches []*match.Match) analysis {
	// runeAt[b] is the index of the rune starting at byte b, -1 inside a
	// rune; byteAt[k] is the byte offset of rune k (byteAt[n] = len).
	runeAt := make([]int, len(password)+1)
	byteAt := make([]int, 0, len(password)+1)
	for b := range runeAt {
		runeAt[b] = -1
	}
	for b := range password {
		runeAt[b] = len(byteAt)
		byteAt = append(byteAt, b)
	}
	n := len(byteAt)
	runeAt[len(password)] = n
	byteAt = append(byteAt, len(password))
	if n == 0 {
		return analysis{guesses: 1}
	}

	type span struct {
		m    *match.Match
		i, j int // rune offsets
	}
	byEnd := make([][]span, n)
	for _, m := range matches {
		if m.I < 0 || m.J+1 > len(password) || m.I > m.J {
			continue
		}
		i, jEnd := runeAt[m.I], runeAt[m.J+1]
		if i < 0 || jEnd <= i {
			continue // not whole runes
		}
		byEnd[jEnd-1] = append(byEnd[jEnd-1], span{m, i, jEnd - 1})
	}
	// matches_by_j sublists sorted by i; the input order is the reference's,
	// so the sort must be stable.
	for _, list := range byEnd {
		for a := 1; a < len(list); a++ {
			for b := a; b > 0 && list[b].i < list[b-1].i; b-- {
				list[b], list[b-1] = list[b-1], list[b]
			}
		}
	}

	// optimal.m/pi/g[k][l]; l runs 1..n, and set[k][l] says whether the
	// reference's object would have key l (its keys iterate in numeric order).
	type cell struct {
		set   bool
		m     span
		pi, g float64
	}
	optimal := make([][]cell, n)
	for k := range optimal {
		optimal[k] = make([]cell, n+1)
	}

	update := func(s span, l int) {
		k := s.j
		pi := estimateGuesses(s.m, s.j-s.i+1, n)
		if l > 1 {
			pi *= optimal[s.i-1][l-1].pi
		}
		g := factorial(l)*pi + math.Pow(scoring.MinGuessesBeforeGrowingSequence, float64(l-1))
		for cl := 1; cl <= l; cl++ {
			if c := optimal[k][cl]; c.set && c.g <= g {
				return
			}
		}
		optimal[k][l] = cell{set: true, m: s, pi: pi, g: g}
	}
	bruteforce := func(i, j int) span {
		return span{&match.Match{Pattern: "bruteforce", I: byteAt[i], J: byteAt[j+1] - 1, Token: password[byteAt[i]:byteAt[j+1]]}, i, j}
	}
	for k := 0; k < n; k++ {
		for _, s := range byEnd[k] {
			if s.i == 0 {
				update(s, 1)
				continue
			}
			for l := 1; l <= n; l++ {
				if optimal[s.i-1][l].set {
					update(s, l+1)
				}
			}
		}
		update(bruteforce(0, k), 1)
		for i := 1; i <= k; i++ {
			bf := bruteforce(i, k)
			for l := 1; l <= n; l++ {
				c := optimal[i-1][l]
				if c.set && c.m.m.Pattern != "bruteforce" {
					update(bf, l+1)
				}
			}
		}
	}

	// unwind: the smallest l with the fewest guesses, then walk back.
	k, bestL, bestG := n-1, 0, math.Inf(1)
	for l := 1; l <= n; l++ {
		if c := optimal[k][l]; c.set && c.g < bestG {
			bestL, bestG = l, c.g
		}
	}
	sequence := make([]*match.Match, bestL)
	for l := bestL; k >= 0 && l >= 1; l-- {
		s := optimal[k][l].m
		sequence[l-1] = s.m
		k = s.i - 1
	}
	return analysis{guesses: bestG, sequence: sequence}
}

// estimateGuesses is scoring.estimate_guesses: the pattern's guesses, floored
// for a submatch by its length in code units (trustelem floors by bytes, so a
// lone "ñ" would cost 50 guesses instead of 10). The value is cached on the
// match, as the reference does.
func estimateGuesses(m *match.Match, length, passwordLength int) float64 {
	if m.Guesses > 0 {
		return m.Guesses
	}
	minGuesses := 1.0
	if length < passwordLength {
		minGuesses = scoring.MinSubmatchGuessesMultiChar
		if length == 1 {
			minGuesses = scoring.MinSubmatchGuessesSingleChar
		}
	}
	var guesses float64
	switch m.Pattern {
	case "bruteforce":
		guesses = scoring.BruteforceGuesses(m)
	case "dictionary":
		guesses = scoring.DictionaryGuesses(m)
	case "spatial":
		guesses = scoring.SpatialGuesses(m)
	case "repeat":
		guesses = scoring.RepeatGuesses(m)
	case "regex":
		guesses = scoring.RegexGuesses(m)
	case "date":
		guesses = scoring.DateGuesses(m)
	}
	// (sequence matches arrive with their guesses set by sequenceMatches)
	m.Guesses = max(guesses, minGuesses)
	return m.Guesses
}

// factorial is scoring.factorial.
func factorial(n int) float64 {
	f := 1.0
	for i := 2; i <= n; i++ {
		f *= float64(i)
	}
	return f
}
