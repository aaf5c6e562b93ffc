package strength

import (
	"strings"
	"unicode/utf8"
)

// zxcvbn's matching is superlinear, so Evaluate scores a bounded prefix of the
// password (see the package comment). The bound is a deterministic work
// estimate, not a clock, so the app's meter and the server's check always
// score the same characters whatever the machine's load.
const (
	// MaxScoredRunes is the longest prefix, in runes, that Evaluate scores.
	MaxScoredRunes = 64

	// workBudget caps workEstimate of the scored prefix. Calibrated on the
	// 2-core development box (docs/benchmarks.md): the worst prefixes found
	// under the budget take ~20-40 ms there; unbounded they took over 300 ms
	// at 64 runes and over 20 s at 500.
	workBudget = 8_000_000

	// baseWork is the dictionary, reverse-dictionary, spatial, repeat and
	// date matching done once per password, expressed in l33t tables: each
	// l33t substitution table costs one more dictionary pass (trustelem's,
	// whose l33t matches are then replaced, and l33tMatches' pruned one).
	baseWork = 20

	// nonASCIIL33tFactor weighs each l33t table of a password that has
	// non-ASCII characters (measured: 4-12 ns per unit of work against 1-3
	// for ASCII).
	nonASCIIL33tFactor = 4
)

// workEstimate predicts the cost of scoring s: every matcher walks the runes²
// substrings and hashes or lower-cases each (up to len(s) bytes), and the
// l33t matchers repeat the dictionary pass once per substitution table.
//
// It counts s as jsText will hand it to trustelem: a rune outside the BMP
// becomes two 3-byte runes.
//
// A dictionary pass over text with any non-ASCII rune costs about four times
// as much (strings.ToLower allocates for every substring), which matters only
// for the l33t passes: nonASCIIL33tFactor.
func workEstimate(s string) int {
	runes := utf8.RuneCountInString(s)
	units := jsLength(s)
	bytes := len(s) + 2*(units-runes)
	tables := l33tTables(s)
	if runes != len(s) {
		tables *= nonASCIIL33tFactor
	}
	return (tables + baseWork) * units * units * bytes
}

// scoredPrefix returns the longest prefix of password, cut at a rune
// boundary, that has at most MaxScoredRunes runes and fits workBudget.
// workEstimate never falls as a prefix grows, so a longer password's scored
// prefix always extends a shorter one's.
func scoredPrefix(password string) string {
	// ends[k] is the byte length of the first k runes.
	ends := make([]int, 1, MaxScoredRunes+1)
	for i := range password {
		if i > 0 {
			ends = append(ends, i)
		}
		if len(ends) > MaxScoredRunes {
			break
		}
	}
	if len(ends) <= MaxScoredRunes {
		ends = append(ends, len(password))
	}
	if len(password) == 0 {
		return password
	}
	hi := len(ends) - 1
	if workEstimate(password[:ends[hi]]) <= workBudget {
		return password[:ends[hi]]
	}
	// Binary search the longest fitting prefix; one rune always fits.
	lo := 1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if workEstimate(password[:ends[mid]]) <= workBudget {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return password[:ends[lo]]
}

// zxcvbn 4.4.2's l33t table. A letter's substitutions that appear in the
// password each give one more table to try. '1', '|' and '7' stand for two
// letters each (i/l, l/t), which is why i, l and t are counted together.
var (
	independentL33t = []string{"4@", "8", "({[<", "3", "69", "0", "$5", "%", "2"} // a b c e g o s x z
	coupledL33t     = "1!|7+"                                                     // i: 1!|  l: 1|7  t: +7
	coupledTables   = coupledTableCounts()
)

// l33tTables is len(enumerateL33tSubs(s)), the number of substitution tables
// zxcvbn tries for s (0 without l33t characters: no l33t pass runs then),
// computed without enumerating them: letters that share no symbol multiply.
func l33tTables(s string) int {
	tables, any := 1, false
	for _, subs := range independentL33t {
		n := 0
		for i := 0; i < len(subs); i++ {
			if strings.IndexByte(s, subs[i]) >= 0 {
				n++
			}
		}
		if n > 0 {
			tables *= n
			any = true
		}
	}
	mask := 0
	for i := 0; i < len(coupledL33t); i++ {
		if strings.IndexByte(s, coupledL33t[i]) >= 0 {
			mask |= 1 << i
		}
	}
	if mask != 0 {
		tables *= coupledTables[mask]
		any = true
	}
	if !any {
		return 0
	}
	return tables
}

// coupledTableCounts counts enumerateL33tSubs' tables for each subset of
// coupledL33t, once.
func coupledTableCounts() [1 << 5]int {
	var counts [1 << 5]int
	for mask := range counts {
		var present []byte
		for i := 0; i < len(coupledL33t); i++ {
			if mask&(1<<i) != 0 {
				present = append(present, coupledL33t[i])
			}
		}
		counts[mask] = len(enumerateL33tSubs(string(present)))
	}
	return counts
}
