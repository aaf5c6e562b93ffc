package zxcvbn

import (
	"cmp"
	"math"
	"slices"
	"sync"
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

// byEnd orders the indices of the matches, in byJ, by the unit they end at
// (the ones ending at j are byJ[endAt[j]:endAt[j+1]]), and those of one end
// as the reference's omnimatch sorts them: by start, then by matcher and,
// within a matcher, in the order it produced them.
func (s *search) byEnd(n int) {
	s.byJ, s.spareJ = resize(s.byJ, len(s.matches)), resize(s.spareJ, len(s.matches))
	for x := range s.byJ {
		s.byJ[x] = int32(x)
	}
	// Stable counting sorts, by start then by end, leave each end's matches
	// by start, each start's in slice order.
	s.sortBy(n, func(m *Match) int { return m.I })
	s.sortBy(n, func(m *Match) int { return m.J })
	for j := range n {
		// omnimatch's order within a start: this moves only the l33t
		// matches (the l33t walk finds them in another order).
		slices.SortStableFunc(s.byJ[s.endAt[j]:s.endAt[j+1]], func(x, y int32) int {
			return cmp.Or(cmp.Compare(s.matches[x].I, s.matches[y].I), cmp.Compare(s.matches[x].order, s.matches[y].order))
		})
	}
}

// sortBy sorts byJ by key (0 to n-1), stably, and leaves the start of each
// key's run in endAt (n+1 of them).
func (s *search) sortBy(n int, key func(*Match) int) {
	s.endAt, s.next = resize(s.endAt, n+1), resize(s.next, n+1)
	clear(s.endAt)
	for _, x := range s.byJ {
		s.endAt[key(s.matches[x])+1]++
	}
	for k := range n {
		s.endAt[k+1] += s.endAt[k]
	}
	copy(s.next, s.endAt)
	for _, x := range s.byJ {
		k := key(s.matches[x])
		s.spareJ[s.next[k]] = x
		s.next[k]++
	}
	s.byJ, s.spareJ = s.spareJ, s.byJ
}

// cell is one entry of the reference's optimal.m/pi/g[k][l]: its match is
// matches[m], or for a bruteforce match (m -1) its start i, the match made
// only if the answer uses it. (No pointer: writing cells costs no write
// barrier.)
type cell struct {
	g, pi float64
	// suf, in a finished position, is the least factorial(l+1)·pi of this
	// cell and the cells above it (NaN if one's pi is): a match of x
	// guesses extending them makes candidates of g at least about x·suf.
	suf     float64
	l, i, m int32
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

// search is one run of the reference's most_guessable_match_sequence.
type search struct {
	e       *engine
	matches []*Match
	// cells[start[k]:start[k+1]] are the cells of position k, by l
	// ascending (a JavaScript object's integer keys iterate in that
	// order); see optimal.
	cells []cell
	start []int
	// While position k is filled its cells are in cur, by level, from
	// level lo to hi (l 0: no cell).
	cur    []cell
	lo, hi int
	// The least g of the cells of the position being filled, by level.
	prefixMin minima
	// bruteforce[d] is the estimate of a bruteforce match of d units.
	bruteforce []float64
	// after[l]: the finished cells of level l that end in a match and
	// that a bruteforce match may follow with a candidate update takes;
	// nanAfter is whether a cell that ends in a match has a NaN pi.
	after    []afterLevel
	nanAfter bool
	// ends: the finished cells that end in a match, by position.
	ends []endCell
	// taken holds, while bruteforceAfter runs, the candidates it took;
	// it starts as inf, n+1 times +Inf (a copy of inf costs about 4 % fewer
	// instructions on the slowest inputs than setting +Inf in a loop).
	taken prefixMins
	inf   []float64
	// byJ: the matches by the unit they end at (see byEnd); spareJ and
	// next are sortBy's memory (next: where each key's next index goes).
	byJ, spareJ []int32
	endAt, next []int
}

// mostGuessable is scoring.most_guessable_match_sequence.
func (e *engine) mostGuessable(password []uint16, matches []*Match) Result {
	if len(password) == 0 {
		return Result{Guesses: 1}
	}
	s := e.fill(len(password), matches)
	r := s.unwind(password)
	s.e, s.matches = nil, nil
	searches.Put(s)
	return r
}

// searches holds the memory of finished searches for the next ones: a
// long password fills a table of tens of thousands of cells, and
// allocating it anew each keystroke keeps the garbage collector busy.
var searches sync.Pool // of *search

// resize returns b with length n, reusing its memory (not cleared).
func resize[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	return b[:n]
}

// optimal is the cells of position k.
func (s *search) optimal(k int) []cell { return s.cells[s.start[k]:s.start[k+1]] }

// fill fills the reference's optimal table for a password of n > 0 units.
func (e *engine) fill(n int, matches []*Match) *search {
	s, _ := searches.Get().(*search)
	if s == nil {
		s = new(search)
	}
	s.e, s.matches = e, matches
	s.byEnd(n)
	s.cells, s.start = s.cells[:0], resize(s.start, n+1)
	s.cur, s.lo, s.hi = resize(s.cur, n+2), n+2, 0 // cells of level 0 (none): each position leaves them so
	s.prefixMin.byLevel = resize(s.prefixMin.byLevel, n+2)
	s.bruteforce = resize(s.bruteforce, n+1)
	s.taken, s.inf = resize(s.taken, n+1), resize(s.inf, n+1)
	for x := range s.inf {
		s.inf[x] = math.Inf(1)
	}
	s.after, s.nanAfter, s.ends = s.after[:0], false, s.ends[:0]
	for d := 1; d <= n; d++ {
		s.bruteforce[d] = bruteforceEstimate(d, n)
	}
	for k := range n {
		s.prefixMin.reset()
		// A match of the span of an earlier one that has no more guesses
		// makes candidates that cost no less, at every level, and the
		// earlier one's candidates, or what refused them, refuse them,
		// unless a match of NaN guesses came between (its candidates are
		// NaN and take every level). The matches of a span are adjacent.
		// least is the guesses of the last match tried (NaN: none, or a
		// NaN). (After a cell of NaN pi both make NaN candidates, and the
		// later one's would be the cell: those are all tried.)
		span, least, all := -1, math.NaN(), false
		for _, x := range s.byJ[s.endAt[k]:s.endAt[k+1]] {
			m := s.matches[x]
			guesses := e.estimateGuesses(m, n)
			if m.I != span {
				span, least = m.I, math.NaN()
				all = m.I > 0 && math.IsNaN(s.cells[s.start[m.I-1]].suf)
			}
			if guesses >= least && !all { // false while least is NaN
				continue
			}
			least = guesses
			s.extend(int(x), guesses)
		}
		s.update(0, -1, s.bruteforce[k+1], 1, 0)
		s.bruteforceAfter(k)

		s.start[k] = len(s.cells)
		for x := s.lo; x <= s.hi; x++ {
			if c := s.cur[x]; c.l != 0 {
				s.cells = append(s.cells, c)
				s.cur[x].l = 0
				if c.m >= 0 {
					s.ends = append(s.ends, endCell{p: int32(k), l: c.l, pi: c.pi})
					s.addAfter(k, c)
				}
			}
		}
		s.start[k+1] = len(s.cells)
		cells := s.optimal(k)
		suf := math.Inf(1)
		for x := len(cells) - 1; x >= 0; x-- {
			suf = min(suf, factorial(int(cells[x].l)+1)*cells[x].pi) // NaN if either is
			cells[x].suf = suf
		}
		s.lo, s.hi = n+2, 0
	}
	return s
}

// unwind is the end of most_guessable_match_sequence: the sequence of the
// least g at the last position.
func (s *search) unwind(password []uint16) Result {
	n := len(password)
	k := n - 1
	best := -1
	bestG := math.Inf(1)
	for c, cl := range s.optimal(k) {
		if cl.g < bestG {
			best, bestG = c, cl.g
		}
	}
	if best < 0 {
		return Result{Guesses: math.NaN()}
	}
	l := s.optimal(k)[best].l
	sequence := make([]*Match, l)
	for k >= 0 && l >= 1 {
		cells := s.optimal(k)
		at := slices.IndexFunc(cells, func(c cell) bool { return c.l == l })
		if at < 0 {
			break
		}
		c := cells[at]
		var m *Match
		if c.m >= 0 {
			m = s.matches[c.m]
		} else {
			m = &Match{Pattern: Bruteforce, I: int(c.i), J: k, Token: password[c.i : k+1]}
			s.e.estimateGuesses(m, n)
		}
		sequence[l-1] = m
		k = int(c.i) - 1
		l--
	}
	return Result{Guesses: bestG, Sequence: sequence}
}

// extend tries match x, which ends at the position being filled, after
// every cell of the position before it, as the reference does, and stops
// where the rest are refused.
func (s *search) extend(x int, guesses float64) {
	m := s.matches[x]
	if m.I == 0 {
		s.update(0, x, guesses, 1, 0)
		return
	}
	// low·suf is under guesses·factorial(l+1)·pi however the products
	// round (NaN if guesses is), and a candidate's g is that plus
	// 10000^l.
	low := guesses * (1 - 1e-9)
	cells := s.optimal(m.I - 1)
	for _, c := range cells {
		l := int(c.l)
		floor := tablePow(pow10000[:], l)
		if l+1 >= s.prefixMin.first && low*c.suf+floor >= s.prefixMin.at(l+1) {
			return // this candidate and the rest cost at least as much as a cell at level l+1 or below
		}
		s.update(m.I, x, guesses, l+1, c.pi)
	}
}

// update is the reference's update(m, l) for a match ending at the
// position being filled, with estimate guesses, starting at i (m -1: a
// bruteforce match).
func (s *search) update(i, m int, guesses float64, l int, prevPi float64) {
	s.e.steps++
	pi := guesses
	if l > 1 {
		pi *= prevPi
	}
	g := factorial(l)*pi + tablePow(pow10000[:], l-1)
	if !s.prefixMin.refuses(l, g) { // else a cell with as few matches or fewer costs no more
		s.take(cell{g: g, pi: pi, l: int32(l), i: int32(i), m: int32(m)})
	}
}

// take makes c, a candidate update takes, the cell of its level.
func (s *search) take(c cell) {
	l := int(c.l)
	s.prefixMin.lower(l, c.g)
	old, replaced := s.cur[l].g, s.cur[l].l != 0
	s.set(c)
	if replaced && math.IsNaN(c.g) && !math.IsNaN(old) {
		// A NaN replaces a number (only NaN can raise a level's g):
		// recount the prefix minima from level l up, until one is as it
		// was (the rest are then too).
		m := &s.prefixMin
		if m.first >= l {
			m.first = math.MaxInt
		}
		for x := l; x <= m.top; x++ {
			v := m.byLevel[x-1]
			if c := s.cur[x]; c.l != 0 && !math.IsNaN(c.g) {
				v = min(v, c.g)
				m.first = min(m.first, x)
			}
			if v == m.byLevel[x] && m.first != math.MaxInt {
				break
			}
			m.byLevel[x] = v
		}
	}
}

// set makes c the cell of its level at the position being filled.
func (s *search) set(c cell) {
	l := int(c.l)
	s.cur[l] = c
	s.lo, s.hi = min(s.lo, l), max(s.hi, l)
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

// afterLevel holds, by position, the finished cells of one level that end
// in a match and that a bruteforce match may follow with a candidate
// update takes.
//
// A cell's key, log2(factorial(l+1)·pi) - p·log2(10), bounds its
// candidates: a bruteforce match from p+1 to k after it makes a candidate
// of g at least 2^(key+k·log2(10)), as its guesses are at least 10^(k-p)
// (past 308 units they stop at MaxFloat64, and g is +Inf). For two cells
// p < p' of a level, key(p') >= key(p) means that p' makes a candidate of
// g no less than p's, at every k. Then, while the cells refusing
// candidates only fall (no NaN), what refuses p's candidate, or p's
// candidate itself, refuses the candidate of p': a level keeps only the
// cells whose key is under the least key before them (less a margin for
// the bounds of the logarithm).
type afterLevel struct {
	cells []afterCell
	least []float64 // least[x]: a lower bound of the least key of cells[:x+1]
}

// endCell is a finished cell that ends in a match: its position, level
// and pi.
type endCell struct {
	p, l int32
	pi   float64
}

type afterCell struct {
	p  int
	pi float64
}

var log2of10 = math.Log2E * math.Ln10

// log2Below is a lower bound of log2(x) for a finite x >= 1, less by at
// most log2Error (up to the rounding of the bits to a float, 2^-42, which
// the callers' margins cover): a float's bits, read as a number, are its
// exponent and its mantissa m, and m-1 <= log2(m) <= m-1+log2Error for m
// in [1, 2).
func log2Below(x float64) float64 {
	return float64(int64(math.Float64bits(x)))/(1<<52) - 1023 // x > 0: the bits fit an int64
}

const log2Error = 0.08608

// addAfter keeps c, a cell of position p that ends in a match, if a
// bruteforce match may follow it with a candidate update takes.
func (s *search) addAfter(p int, c cell) {
	if math.IsNaN(c.pi) {
		s.nanAfter = true
		return
	}
	f := factorial(int(c.l)+1) * c.pi
	if math.IsInf(f, 1) {
		return // its candidates are +Inf, which the level-1 cell refuses
	}
	for len(s.after) <= int(c.l) {
		if len(s.after) == cap(s.after) {
			s.after = append(s.after, afterLevel{})
		} else { // a level of an earlier search: keep its memory
			s.after = s.after[:len(s.after)+1]
			lv := &s.after[len(s.after)-1]
			lv.cells, lv.least = lv.cells[:0], lv.least[:0]
		}
	}
	lv := &s.after[c.l]
	key := log2Below(f) - float64(p)*log2of10
	if n := len(lv.least); n > 0 {
		if key >= lv.least[n-1]+log2Error+1e-6 { // the margin covers rounding
			return // an earlier cell of the level makes a candidate of g no more
		}
		key = min(key, lv.least[n-1])
	}
	lv.cells = append(lv.cells, afterCell{p: p, pi: c.pi})
	lv.least = append(lv.least, key)
}

// limit is a key from which on a candidate at level l+1 ending at k costs
// at least threshold, given rest = threshold - 10000^l and shift =
// limitShift(k): such a candidate's g is at least 2^(key+k*log2(10)) +
// 10000^l. (For a threshold of +Inf and a finite 10000^l it is the key from
// which on g is +Inf.) The margin covers rounding.
func limit(rest, shift float64) float64 {
	if rest <= 0 {
		return math.Inf(-1) // every candidate at level l+1 costs at least 10000^l
	}
	return log2Below(rest) + shift
}

func limitShift(k int) float64 { return log2Error - float64(k)*log2of10 + 1e-6 }

// bruteforceAfter is the reference's last loop at position k: a bruteforce
// match from p+1 to k after every cell of every position p < k that ends
// in a match, by p, then by level.
//
// Without a cell of NaN pi, it goes level by level instead. The candidate
// after a cell of level l has level L = l+1, and is refused by a cell of a
// level up to L that costs no more. Cells only fall here, so that is any
// earlier candidate of such a level, taken or not (a refused one was
// refused by a cell that costs no more): one of a lower level at a
// position up to p, or of level L before p, or a cell the position had
// before this loop. The lower levels' candidates that were taken are kept
// in taken, by position, as the levels are done. The cells this ends
// with, and every tie, are the reference's.
//
// A cell of NaN pi makes NaN candidates, which update always takes, so a
// level loses its number cell and what refuses a candidate can rise: then
// every candidate is tried, in the reference's order.
func (s *search) bruteforceAfter(k int) {
	if s.nanAfter {
		for _, c := range s.ends {
			p := int(c.p)
			switch L := int(c.l) + 1; {
			case math.IsNaN(c.pi) && math.IsNaN(s.cur[L].g) && s.cur[L].l != 0:
				// A NaN candidate where a NaN cell is: the cell is now
				// this bruteforce match, and nothing else changes.
				s.cur[L].i, s.cur[L].m = int32(p+1), -1
			default:
				s.update(p+1, -1, s.bruteforce[k-p], L, c.pi)
			}
		}
		return
	}
	s.taken.reset(k, s.inf)
	taken := s.taken
	before := s.cur[1].g  // the least g of the cells of the levels done, as they were before this loop
	lowest := math.Inf(1) // the least g taken holds: a candidate under it needs no query
	shift := limitShift(k)
	for l := 1; l < len(s.after); l++ {
		lv := &s.after[l]
		L := l + 1
		had := math.Inf(1) // the level's cell (+Inf: none; see below)
		if c := s.cur[L]; c.l != 0 && !math.IsNaN(c.g) {
			had = c.g
		}
		// The level-1 cell exists (the bruteforce match from 0 to k was
		// just tried), so a candidate of g +Inf is refused: +Inf can
		// stand for "no cell" in val, the least of the level's cell and
		// of the cells before this loop of the levels under it.
		val, last := min(had, before), -1
		before = val // for the levels above
		fact, floor := factorial(L), tablePow(pow10000[:], l)
		// The cells before the first whose key is under the limit make
		// candidates that cost at least val.
		from := len(lv.cells)
		if from > 0 {
			s.e.steps++
			lim := limit(val-floor, shift)
			if lv.least[from-1] >= lim {
				continue // no cell's candidates can cost less
			}
			// The first x with least[x] < lim (least falls; the last is).
			a, b := 0, from-1
			for a < b {
				m := int(uint(a+b) >> 1)
				if lv.least[m] < lim {
					b = m
				} else {
					a = m + 1
				}
			}
			from = a
		}
		s.e.steps += len(lv.cells) - from
		val, last, lowest = scanLevel(lv.cells, from, s.bruteforce[:k+1], fact, floor, val, lowest, taken)
		if last >= 0 {
			c := lv.cells[last]
			pi := s.bruteforce[k-c.p] * c.pi
			s.set(cell{g: val, pi: pi, l: int32(L), i: int32(c.p + 1), m: -1})
		}
	}
}

// scanLevel tries the runs after cells[from:] (those of one level) ending
// at k = len(bruteforce)-1, of g fact·(bruteforce[k-p]·pi) + floor, against
// val, the level's least g so far, and what taken holds (lowest: its
// least). It returns the new val and lowest, and the cell of val's
// candidate (-1: none taken).
func scanLevel(cells []afterCell, from int, bruteforce []float64, fact, floor, val, lowest float64, taken prefixMins) (float64, int, float64) {
	last, k := -1, len(bruteforce)-1
	for x := from; x < len(cells); x++ {
		c := cells[x]
		if g := fact*(bruteforce[k-c.p]*c.pi) + floor; g < val && (g < lowest || g < taken.least(c.p)) {
			val, last, lowest = g, x, min(lowest, g)
			taken.add(c.p, g)
		}
	}
	return val, last, lowest
}

// prefixMins holds values at positions under k, and gives the least of
// those at positions up to p (a Fenwick tree of minima: node x holds the
// least of positions x-lowbit(x) to x-1).
type prefixMins []float64

func (t *prefixMins) reset(k int, inf []float64) {
	*t = (*t)[:k+1]
	copy(*t, inf)
}

func (t prefixMins) add(p int, v float64) {
	// A node's range holds the ranges of the nodes before it on this
	// path, so once one holds no more than v the rest do too.
	for x := p + 1; x < len(t) && v < t[x]; x += x & -x {
		t[x] = v
	}
}

func (t prefixMins) least(p int) float64 {
	v := math.Inf(1)
	for x := p + 1; x > 0; x &= x - 1 {
		if t[x] < v {
			v = t[x]
		}
	}
	return v
}
