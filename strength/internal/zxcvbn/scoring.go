package zxcvbn

import (
	"math"
	"slices"
)

// The reference's constants (scoring.coffee).
const (
	bruteforceCardinality           = 10
	minGuessesBeforeGrowingSequence = 10000
	minSubmatchGuessesSingleChar    = 10
	minSubmatchGuessesMultiChar     = 50
	minYearSpace                    = 20
)

func factorial(n int) float64 {
	if n < len(factorialTable) {
		return factorialTable[n]
	}
	return math.Inf(1)
}

func tablePow(table []float64, n int) float64 {
	if n < len(table) {
		return table[n]
	}
	return math.Inf(1)
}

// sumOfBinomials is nCk(n, 1) + ... + nCk(n, m), m <= n, each term as nCk
// computes it: nCk(n, i) is the value its loop holds after i steps, so one
// loop gives them all.
func sumOfBinomials(n, m int) float64 {
	sum, r, nf := 0.0, 1.0, float64(n)
	for i := 1; i <= m; i++ {
		r *= nf
		r /= float64(i)
		nf--
		sum += r
	}
	return sum
}

// estimateGuesses is scoring.estimate_guesses; the value is kept on the
// match, as the reference does.
func (e *engine) estimateGuesses(m *Match, passwordLength int) float64 {
	if m.guessesSet {
		return m.guesses
	}
	minGuesses := 1.0
	if len(m.Token) < passwordLength {
		minGuesses = minSubmatchGuessesMultiChar
		if len(m.Token) == 1 {
			minGuesses = minSubmatchGuessesSingleChar
		}
	}
	var guesses float64
	switch m.Pattern {
	case Bruteforce:
		guesses = bruteforceGuesses(len(m.Token))
	case Dictionary:
		guesses = dictionaryGuesses(m)
	case Spatial:
		guesses = spatialGuesses(m)
	case Repeat:
		guesses = m.baseGuesses * m.repeatCount
	case Sequence:
		guesses = sequenceGuesses(m)
	case Regex:
		guesses = float64(max(abs(m.year-e.year), minYearSpace))
	case Date:
		guesses = float64(max(abs(m.year-e.year), minYearSpace)) * 365
		if m.separator {
			guesses *= 4
		}
	}
	m.guesses = jsMax(guesses, minGuesses)
	m.guessesSet = true
	return m.guesses
}

// jsMax is Math.max of two numbers: NaN if either is.
func jsMax(a, b float64) float64 {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.NaN()
	}
	return max(a, b)
}

func bruteforceGuesses(length int) float64 {
	guesses := tablePow(pow10[:], length)
	if math.IsInf(guesses, 1) {
		guesses = math.MaxFloat64
	}
	minGuesses := float64(minSubmatchGuessesMultiChar + 1)
	if length == 1 {
		minGuesses = minSubmatchGuessesSingleChar + 1
	}
	return max(guesses, minGuesses)
}

func sequenceGuesses(m *Match) float64 {
	var base float64
	switch c := m.Token[0]; {
	case c == 'a' || c == 'A' || c == 'z' || c == 'Z' || c == '0' || c == '1' || c == '9':
		base = 4
	case isDigit(c):
		base = 10
	default:
		base = 26
	}
	if !m.ascending {
		base *= 2
	}
	return base * float64(len(m.Token))
}

func spatialGuesses(m *Match) float64 {
	s, powDegree := float64(keyboardStartingPositions), powKeyboardDegree[:]
	if m.graph >= 2 {
		s, powDegree = keypadStartingPositions, powKeypadDegree[:]
	}
	guesses := 0.0
	length, turns := len(m.Token), m.Turns
	for i := 2; i <= length; i++ {
		possibleTurns := min(turns, i-1)
		r, nf := 1.0, float64(i-1) // nCk(i-1, j-1), step by step as nCk computes it
		for j := 1; j <= possibleTurns; j++ {
			guesses += r * s * tablePow(powDegree, j)
			r *= nf
			r /= float64(j)
			nf--
		}
	}
	if m.shiftedCount > 0 {
		shifted, unshifted := m.shiftedCount, length-m.shiftedCount
		if shifted == 0 || unshifted == 0 {
			guesses *= 2
		} else {
			guesses *= sumOfBinomials(shifted+unshifted, min(shifted, unshifted))
		}
	}
	return guesses
}

func dictionaryGuesses(m *Match) float64 {
	reversed := 1.0
	if m.Reversed {
		reversed = 2
	}
	return m.Rank * uppercaseVariations(m.Token) * l33tVariations(m) * reversed
}

func isUpper(c uint16) bool { return c >= 'A' && c <= 'Z' }
func isLower(c uint16) bool { return c >= 'a' && c <= 'z' }

// uppercaseVariations is scoring.uppercase_variations.
func uppercaseVariations(word []uint16) float64 {
	upper, lower := 0, 0
	for _, c := range word {
		if isUpper(c) {
			upper++
		} else if isLower(c) {
			lower++
		}
	}
	if upper == 0 { // ALL_LOWER (with an ASCII capital, toLowerCase changes the word)
		return 1
	}
	n := len(word)
	// START_UPPER, END_UPPER, ALL_UPPER
	if upper == 1 && n >= 2 && (isUpper(word[0]) || isUpper(word[n-1])) || lower == 0 {
		return 2
	}
	return sumOfBinomials(upper+lower, min(upper, lower))
}

// l33tVariations is scoring.l33t_variations.
func l33tVariations(m *Match) float64 {
	if !m.L33t {
		return 1
	}
	variations := 1.0
	lower := jsLower(m.Token)
	for _, p := range m.sub {
		subbed, unsubbed := uint16(l33tSymbols[p.sym]), uint16(p.letter)
		s, u := 0, 0
		for _, c := range lower {
			if c == subbed {
				s++
			} else if c == unsubbed {
				u++
			}
		}
		if s == 0 || u == 0 {
			variations *= 2
		} else {
			variations *= sumOfBinomials(u+s, min(u, s))
		}
	}
	return variations
}

// cell is one entry of the reference's optimal.m/pi/g[k][l]; a bruteforce
// match is kept as its start i (m nil) and made only if the answer uses it.
type cell struct {
	l     int
	i     int
	g, pi float64
	m     *Match
}

// bruteforceEstimate is estimate_guesses of a bruteforce match of length
// units in a password of n units.
func bruteforceEstimate(length, n int) float64 {
	guesses := bruteforceGuesses(length)
	if length < n {
		minGuesses := float64(minSubmatchGuessesMultiChar)
		if length == 1 {
			minGuesses = minSubmatchGuessesSingleChar
		}
		guesses = max(guesses, minGuesses)
	}
	return guesses
}

// mostGuessable is scoring.most_guessable_match_sequence.
func (e *engine) mostGuessable(password []uint16, matches []*Match) Result {
	n := len(password)
	if n == 0 {
		return Result{Guesses: 1}
	}
	byJ := make([][]*Match, n)
	for _, m := range matches {
		byJ[m.J] = append(byJ[m.J], m)
	}
	// (matches come sorted by i within each j: omnimatch's order)

	// optimal[k]: the cells of position k, by l ascending (a JavaScript
	// object's integer keys iterate in that order).
	optimal := make([][]cell, n)
	// For each finished position p, a lower bound on what extending its
	// cells by a bruteforce match costs (see skip below).
	summaries := make([]summary, n)
	// prefixMin[l] is, for the position being filled, the least g of its
	// cells at levels up to l (NaN left out: it refuses nothing).
	prefixMin := make([]float64, n+2)

	// update is the reference's update(m, l) for a match ending at k with
	// estimate guesses, starting at i (m nil: a bruteforce match).
	update := func(k, i int, m *Match, guesses float64, l int, prevPi float64) {
		e.steps++
		pi := guesses
		if l > 1 {
			pi *= prevPi
		}
		g := factorial(l)*pi + tablePow(pow10000[:], l-1)
		if prefixMin[l] <= g {
			return // a cell with as few matches or fewer costs no more
		}
		for x := l; x < len(prefixMin) && prefixMin[x] > g; x++ {
			prefixMin[x] = g
		}
		cells := optimal[k]
		at := len(cells)
		for c := len(cells) - 1; c >= 0 && cells[c].l >= l; c-- {
			at = c
		}
		if at < len(cells) && cells[at].l == l {
			old := cells[at].g
			cells[at] = cell{l, i, g, pi, m}
			if math.IsNaN(g) && !math.IsNaN(old) {
				// A NaN replaces a number (only NaN can raise a level's
				// g): recount the prefix minima from the cells.
				for x := range min(k+3, len(prefixMin)) {
					prefixMin[x] = math.Inf(1)
				}
				for _, c := range cells {
					for x := c.l; x < min(k+3, len(prefixMin)) && prefixMin[x] > c.g; x++ {
						prefixMin[x] = c.g
					}
				}
			}
			return
		}
		cells = append(cells, cell{})
		copy(cells[at+1:], cells[at:])
		cells[at] = cell{l, i, g, pi, m}
		optimal[k] = cells
	}

	// refused is update's test, inlined where most candidates fail it: the
	// same arithmetic, in the same order.
	refused := func(guesses float64, c cell) bool {
		l := c.l + 1
		return prefixMin[l] <= factorial(l)*(guesses*c.pi)+tablePow(pow10000[:], l-1)
	}

	for k := range n {
		for l := range min(k+3, len(prefixMin)) {
			prefixMin[l] = math.Inf(1)
		}
		for _, m := range byJ[k] {
			guesses := e.estimateGuesses(m, n)
			if m.I > 0 {
				exact := summaries[m.I-1].exact && !math.IsNaN(guesses)
				for _, c := range optimal[m.I-1] {
					if exact && tablePow(pow10000[:], c.l) >= prefixMin[c.l+1] {
						break // this and every later level cost at least 10000^l: refused
					}
					if refused(guesses, c) {
						continue
					}
					update(k, m.I, m, guesses, c.l+1, c.pi)
				}
			} else {
				update(k, 0, m, guesses, 1, 0)
			}
		}
		update(k, 0, nil, bruteforceEstimate(k+1, n), 1, 0)
		for i := 1; i <= k; i++ {
			guesses := bruteforceEstimate(k-i+1, n)
			if sum := summaries[i-1]; !sum.any || sum.exact && sum.minA*guesses*(1-1e-9) >= prefixMin[sum.minL+1] {
				// Every candidate from position i-1 would be refused: one
				// with as few matches costs less already. (Skipping a
				// refused candidate changes nothing.)
				continue
			}
			exact := summaries[i-1].exact
			for _, c := range optimal[i-1] {
				if exact && tablePow(pow10000[:], c.l) >= prefixMin[c.l+1] {
					break
				}
				if c.m == nil {
					continue // the reference never puts two bruteforce matches in a row
				}
				if refused(guesses, c) {
					continue
				}
				update(k, i, nil, guesses, c.l+1, c.pi)
			}
		}
		summaries[k] = summarize(optimal[k])
	}

	// unwind
	k := n - 1
	best := -1
	bestG := math.Inf(1)
	for c, cl := range optimal[k] {
		if cl.g < bestG {
			best, bestG = c, cl.g
		}
	}
	if best < 0 {
		return Result{Guesses: math.NaN()}
	}
	l := optimal[k][best].l
	sequence := make([]*Match, l)
	for k >= 0 && l >= 1 {
		at := slices.IndexFunc(optimal[k], func(c cell) bool { return c.l == l })
		if at < 0 {
			break
		}
		c := optimal[k][at]
		m := c.m
		if m == nil {
			m = &Match{Pattern: Bruteforce, I: c.i, J: k, Token: password[c.i : k+1]}
			e.estimateGuesses(m, n)
		}
		sequence[l-1] = m
		k = c.i - 1
		l--
	}
	return Result{Guesses: bestG, Sequence: sequence}
}

// summary bounds what the bruteforce loop can get from a position's cells
// that end in a match: each candidate costs at least minA times the
// bruteforce guesses, at a level above minL. exact is false when a cell's pi
// is NaN (no bound holds for NaN).
type summary struct {
	any, exact bool
	minL       int
	minA       float64
}

func summarize(cells []cell) summary {
	s := summary{exact: true, minA: math.Inf(1)}
	for _, c := range cells {
		if math.IsNaN(c.pi) {
			s.exact = false
		}
		if c.m == nil {
			continue
		}
		a := factorial(c.l+1) * c.pi
		if !s.any {
			s.minL = c.l
		}
		s.any = true
		s.minA = min(s.minA, a)
	}
	return s
}
