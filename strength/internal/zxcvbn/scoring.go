package zxcvbn

import (
	"cmp"
	"math"
	"math/bits"
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

// byEnd lists, for each unit j, the indices in matches of the matches that
// end at j, in the order the reference's omnimatch sorts them: by start,
// then by matcher and, within a matcher, in the order it produced them.
func byEnd(matches []*Match, n int) [][]int32 {
	all := make([]int32, len(matches))
	start := make([]int, n+1) // a counting sort by j: stable
	for _, m := range matches {
		start[m.J+1]++
	}
	for j := range n {
		start[j+1] += start[j]
	}
	byJ := make([][]int32, n)
	for j := range byJ {
		byJ[j] = all[start[j]:start[j]:start[j+1]]
	}
	for x, m := range matches {
		byJ[m.J] = append(byJ[m.J], int32(x))
	}
	for _, ms := range byJ {
		slices.SortStableFunc(ms, func(x, y int32) int {
			return cmp.Or(cmp.Compare(matches[x].I, matches[y].I), cmp.Compare(matches[x].order, matches[y].order))
		})
	}
	return byJ
}

// cell is one entry of the reference's optimal.m/pi/g[k][l]: its match is
// matches[m], or for a bruteforce match (m -1) its start i, the match made
// only if the answer uses it. (No pointer: writing cells costs no write
// barrier.)
type cell struct {
	g, pi float64
	l, i  int32
	m     int32
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
	byJ := byEnd(matches, n)

	// optimal[k]: the cells of position k, by l ascending (a JavaScript
	// object's integer keys iterate in that order).
	optimal := make([][]cell, n)
	// While position k is filled its cells are in cur, by level, from level
	// lo to hi (l 0: no cell); a finished position keeps them in slab.
	cur, lo, hi := make([]cell, n+2), n+2, 0
	var slab []cell
	// The least g of the cells of the position being filled, by level.
	prefixMin := &minima{byLevel: make([]float64, n+2)}
	// hasNaN[p] is whether a cell of position p has a NaN pi (every
	// candidate after it is NaN, which update always takes).
	hasNaN := make([]bool, n)
	// after holds the finished positions' cells that end in a match: the
	// cells a bruteforce match may follow.
	after := newAfterCells(n)
	// bruteforce[d] is the estimate of a bruteforce match of d units.
	bruteforce := make([]float64, n+1)
	for d := 1; d <= n; d++ {
		bruteforce[d] = bruteforceEstimate(d, n)
	}

	// update is the reference's update(m, l) for a match ending at k with
	// estimate guesses, starting at i (m -1: a bruteforce match). It
	// reports whether it raised a prefix minimum (only a NaN can).
	update := func(k, i, m int, guesses float64, l int, prevPi float64) (raised bool) {
		e.steps++
		pi := guesses
		if l > 1 {
			pi *= prevPi
		}
		g := factorial(l)*pi + tablePow(pow10000[:], l-1)
		if prefixMin.refuses(l, g) {
			return false // a cell with as few matches or fewer costs no more
		}
		prefixMin.lower(l, g)
		c := &cur[l]
		old, replaced := c.g, c.l != 0
		*c = cell{g, pi, int32(l), int32(i), int32(m)}
		lo, hi = min(lo, l), max(hi, l)
		if replaced && math.IsNaN(g) && !math.IsNaN(old) {
			// A NaN replaces a number (only NaN can raise a level's g):
			// recount the prefix minima from the cells.
			prefixMin.reset()
			for x := lo; x <= hi; x++ {
				if cur[x].l != 0 {
					prefixMin.lower(x, cur[x].g)
				}
			}
			return true
		}
		return false
	}

	for k := range n {
		prefixMin.reset()
		for _, x := range byJ[k] {
			m := matches[x]
			guesses := e.estimateGuesses(m, n)
			if m.I > 0 {
				exact := !hasNaN[m.I-1] && !math.IsNaN(guesses)
				for _, c := range optimal[m.I-1] {
					l := int(c.l)
					if exact && prefixMin.refuses(l+1, tablePow(pow10000[:], l)) {
						break // this and every later level cost at least 10000^l: refused
					}
					update(k, m.I, int(x), guesses, l+1, c.pi)
				}
			} else {
				update(k, 0, int(x), guesses, 1, 0)
			}
		}
		update(k, 0, -1, bruteforce[k+1], 1, 0)
		// The reference tries a bruteforce match from i to k after every
		// cell of position i-1 that ends in a match, i from 1 to k, and
		// refuses nearly all. after yields, in the same order, only those
		// a bound cannot refuse.
		after.start(k, prefixMin, -1, 0)
		for {
			c, ok := after.next(k, prefixMin)
			if !ok {
				break
			}
			p, l := int(c.p), int(c.l)
			if update(k, p+1, -1, bruteforce[k-p], l+1, c.pi) {
				after.start(k, prefixMin, p, l) // a prefix minimum rose
			}
		}
		if cap(slab)-len(slab) < hi-lo+1 {
			slab = make([]cell, 0, max(8*(hi-lo+1), 2*n))
		}
		start := len(slab)
		for x := lo; x <= hi; x++ {
			if c := cur[x]; c.l != 0 {
				slab = append(slab, c)
				cur[x].l = 0
				hasNaN[k] = hasNaN[k] || math.IsNaN(c.pi)
				if c.m >= 0 {
					after.add(afterCell{p: int32(k), l: c.l, pi: c.pi})
				}
			}
		}
		optimal[k], lo, hi = slab[start:len(slab):len(slab)], n+2, 0
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
		var m *Match
		if c.m >= 0 {
			m = matches[c.m]
		} else {
			m = &Match{Pattern: Bruteforce, I: int(c.i), J: k, Token: password[c.i : k+1]}
			e.estimateGuesses(m, n)
		}
		sequence[l-1] = m
		k = int(c.i) - 1
		l--
	}
	return Result{Guesses: bestG, Sequence: sequence}
}

// minima holds, for the position being filled, the least g of its cells at
// levels up to l, for every l (NaN left out: it refuses nothing). Above the
// highest level of a cell it is the least of all, kept once. Below the
// lowest level of a cell (first) nothing refuses a candidate, not even one
// of g +Inf, which a cell of +Inf does refuse.
type minima struct {
	byLevel []float64 // up to top
	top     int
	first   int
}

func (m *minima) reset() {
	m.byLevel[0], m.top, m.first = math.Inf(1), 0, math.MaxInt // no cell has level 0
}

func (m *minima) at(l int) float64 { return m.byLevel[min(l, m.top)] }

// refuses reports whether a cell at a level up to l costs no more than g:
// update's test.
func (m *minima) refuses(l int, g float64) bool { return l >= m.first && m.at(l) <= g }

// lower records a cell of g at level l.
func (m *minima) lower(l int, g float64) {
	for ; m.top < l; m.top++ {
		m.byLevel[m.top+1] = m.byLevel[m.top]
	}
	if math.IsNaN(g) {
		return
	}
	m.first = min(m.first, l)
	for x := l; x <= m.top && m.byLevel[x] > g; x++ {
		m.byLevel[x] = g
	}
}

// afterCell is a finished position's cell that ends in a match: a cell a
// bruteforce match may follow.
type afterCell struct {
	p, l int32
	pi   float64
	// key is log2(factorial(l+1)*pi) - p*log2(10): a bruteforce match
	// from p+1 to k after the cell makes a candidate of g at least
	// 2^(key+k*log2(10)), as its guesses are at least 10^(k-p) (past 308
	// units they stop at MaxFloat64, and g is +Inf, which the walk's finite
	// threshold refuses: the whole-prefix bruteforce cell comes first). A NaN
	// key (a NaN pi) is under every limit: its candidates are NaN, which
	// update always takes.
	key float64
}

// afterCells holds the cells a bruteforce match may follow, by level, each
// level in position order, with the least key of every block of afterBlock
// cells so that a walk can skip a block no candidate of which can pass. A
// walk keeps each level's next candidate waiting at its position, as a bit
// of that position's row.
type afterCells struct {
	levels  []afterLevel
	words   int      // words of a row: a bit for each level
	waiting []uint64 // by position, the row of the levels waiting there
	rows    []uint64 // a bit for each position whose row is not empty
	head    []int32  // by level, the index of its next candidate
	pos     int      // the position being walked
}

func newAfterCells(n int) *afterCells {
	words := (n + 2 + 63) / 64
	return &afterCells{words: words, waiting: make([]uint64, n*words), rows: make([]uint64, (n+63)/64), head: make([]int32, n+2)}
}

const afterBlock = 16

type afterLevel struct {
	cells    []afterCell
	blockMin []float64
}

func (a *afterCells) add(c afterCell) {
	c.key = math.Log2(factorial(int(c.l)+1)*c.pi) - float64(c.p)*math.Log2E*math.Ln10
	for len(a.levels) <= int(c.l) {
		a.levels = append(a.levels, afterLevel{})
	}
	lv := &a.levels[c.l]
	if len(lv.cells)%afterBlock == 0 {
		lv.blockMin = append(lv.blockMin, c.key)
	}
	b := &lv.blockMin[len(lv.blockMin)-1]
	*b = min(*b, c.key) // NaN if a key is
	lv.cells = append(lv.cells, c)
}

// limit is a key from which on the prefix minima refuse a candidate at
// level l+1 ending at k: its g is at least 2^(key+k*log2(10)), and the
// threshold is under 2^e, e its binary exponent. The margin covers the
// rounding of the logarithms.
func limit(l, k int, prefixMin *minima) float64 {
	if l+1 < prefixMin.first {
		return math.Inf(1) // no cell refuses it
	}
	threshold := prefixMin.at(l + 1)
	if tablePow(pow10000[:], l) >= threshold {
		return math.Inf(-1) // every candidate at level l+1 costs at least 10000^l
	}
	e := int(math.Float64bits(threshold)>>52&0x7ff) - 1022 // Frexp's exponent (threshold >= 1)
	return float64(e) - float64(k)*(math.Log2E*math.Ln10) + 1e-6
}

// seek returns the index of the level's first cell from index from on whose
// key is under lim (or NaN), or -1.
func (lv *afterLevel) seek(from int, lim float64) int {
	for i := from; i < len(lv.cells); {
		if i%afterBlock == 0 && lv.blockMin[i/afterBlock] >= lim { // false for NaN
			i += afterBlock
			continue
		}
		if !(lv.cells[i].key >= lim) {
			return i
		}
		i++
	}
	return -1
}

// wait makes cells[at] of level l that level's next candidate.
func (a *afterCells) wait(l, at int) {
	p := int(a.levels[l].cells[at].p)
	a.head[l] = int32(at)
	a.waiting[p*a.words+l/64] |= 1 << (l % 64)
	a.rows[p/64] |= 1 << (p % 64)
}

// start prepares the walk of the candidates ending at k that come after
// the cell at position p, level l (p -1: all), against the prefix minima as
// they are now. A candidate refused now stays refused while the minima only
// fall; after one rises (a NaN), start again from the candidate tried last.
func (a *afterCells) start(k int, prefixMin *minima, p, l int) {
	a.pos = max(p, 0)
	if p >= 0 { // a walk was cut short: empty what it left
		clear(a.waiting[p*a.words : k*a.words])
		clear(a.rows)
	}
	for level := range a.levels {
		lv := &a.levels[level]
		from := 0
		if p >= 0 {
			from, _ = slices.BinarySearchFunc(lv.cells, p, func(c afterCell, p int) int { return cmp.Compare(int(c.p), p) })
			if from < len(lv.cells) && int(lv.cells[from].p) == p && level <= l {
				from++
			}
		}
		if at := lv.seek(from, limit(level, k, prefixMin)); at >= 0 {
			a.wait(level, at)
		}
	}
}

// next returns the next candidate in the reference's order (position, then
// level) that the prefix minima as they are now may take.
func (a *afterCells) next(k int, prefixMin *minima) (afterCell, bool) {
	for {
		row := a.waiting[a.pos*a.words : (a.pos+1)*a.words]
		for w := range row {
			for row[w] != 0 {
				b := bits.TrailingZeros64(row[w])
				row[w] &^= 1 << b
				l := w*64 + b
				lv := &a.levels[l]
				at := int(a.head[l])
				lim := limit(l, k, prefixMin)
				// The level's next candidate is at a later position.
				if next := lv.seek(at+1, lim); next >= 0 {
					a.wait(l, next)
				}
				if c := lv.cells[at]; !(c.key >= lim) {
					return c, true
				}
			}
		}
		// The row is empty: go to the next position with a row.
		a.rows[a.pos/64] &^= 1 << (a.pos % 64)
		w := a.pos / 64
		bitsLeft := a.rows[w]
		for bitsLeft == 0 {
			if w++; w >= len(a.rows) || w*64 >= k {
				return afterCell{}, false
			}
			bitsLeft = a.rows[w]
		}
		if a.pos = w*64 + bits.TrailingZeros64(bitsLeft); a.pos >= k {
			return afterCell{}, false
		}
	}
}
