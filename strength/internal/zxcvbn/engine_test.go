package zxcvbn

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// wordMap is the frequency lists as the reference holds them: word ->
// (dictionary, rank), built from the generated tables for the tests only.
func wordMap() map[string][2]int {
	m := make(map[string][2]int, len(wordEnd))
	for w := range wordEnd {
		m[wordBlob[wordStart(w):wordEnd[w]]] = [2]int{int(wordMeta[w] & 7), int(wordRank[w])}
	}
	return m
}

// literalDictionaryMatch is dictionary_match as the reference writes it: a
// lookup of every substring of the lower-cased password, dictionary by
// dictionary (the prototype names aside, which TestPrototypeNames covers).
func literalDictionaryMatch(words map[string][2]int, user map[string]int, password []uint16) []string {
	lower := jsLower(password)
	var out []string
	for d := range UserInputs + 1 {
		for i := range password {
			for j := i; j < len(password); j++ {
				word := string(utf16.Decode(lower[i:min(j+1, len(lower))]))
				if d == UserInputs {
					if r, ok := user[word]; ok {
						out = append(out, fmt.Sprintf("%d-%d %s %d %d", i, j, word, d, r))
					}
				} else if wr, ok := words[word]; ok && wr[0] == d && word != "constructor" {
					out = append(out, fmt.Sprintf("%d-%d %s %d %d", i, j, word, d, wr[1]))
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

func describeDictionaryMatches(ms []*Match, lower []uint16) []string {
	var out []string
	for _, m := range ms {
		word := string(utf16.Decode(lower[m.I : m.J+1]))
		if word == "constructor" || word == "__proto__" {
			continue
		}
		out = append(out, fmt.Sprintf("%d-%d %s %d %d", m.I, m.J, word, m.Dict, int(m.Rank)))
	}
	slices.Sort(out)
	return out
}

// randomText draws n units from a mix that finds words, l33t words, user
// inputs, case changes and non-ASCII text.
func randomText(rng *rand.Rand, inputs []string, n int) string {
	pieces := []string{
		"pass", "word", "p@ss", "w0rd", "l0v3", "1ov3", "|ove", "smith", "5m17h", "dragon", "dr4g0n",
		"Summer", "SUMMER", "2024", "19", "!", "@", "$", "4", "1", "7", "|", "0", "3", "+", "(", "<", "%", "2", "9",
		"é", "İ", "Σ", "😀", "a", "b", "the", "and", "qwerty", "zxcvbn", "constructor", "c0n57ruc70r", "__proto__",
	}
	pieces = append(pieces, inputs...)
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return b.String()
}

// TestDictionaryWalk checks the sorted-list walk against a lookup of every
// substring, on random text.
func TestDictionaryWalk(t *testing.T) {
	words := wordMap()
	inputs := []string{"inzant", "sales", "plus", "john.smith", "zoë", "smith"}
	user := map[string]int{}
	for k, in := range inputs {
		user[in] = k + 1
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		p := UTF16(randomText(rng, inputs, 1+rng.IntN(60)))
		e := &engine{year: 2026, user: userDictionary(inputs)}
		got := describeDictionaryMatches(e.dictionaryMatch(nil, p, jsLower(p), false), jsLower(p))
		want := literalDictionaryMatch(words, user, p)
		if !slices.Equal(got, want) {
			t.Fatalf("%q: walk found\n%q\nthe literal lookup\n%q", string(utf16.Decode(p)), got, want)
		}
	}
}

// sameResult compares two analyses: guesses and the match sequence.
func sameResult(a, b Result) bool {
	if a.Guesses != b.Guesses && !(math.IsNaN(a.Guesses) && math.IsNaN(b.Guesses)) || len(a.Sequence) != len(b.Sequence) {
		return false
	}
	for k := range a.Sequence {
		x, y := a.Sequence[k], b.Sequence[k]
		if x.Pattern != y.Pattern || x.I != y.I || x.J != y.J || x.Dict != y.Dict || x.L33t != y.L33t ||
			x.Reversed != y.Reversed || !slices.Equal(x.sub, y.sub) {
			return false
		}
	}
	return true
}

// sortMatches sorts matches as the reference's omnimatch does: by i, then j,
// stable.
func sortMatches(ms []*Match) []*Match {
	slices.SortStableFunc(ms, func(a, b *Match) int {
		return cmp.Or(cmp.Compare(a.I, b.I), cmp.Compare(a.J, b.J), cmp.Compare(a.order, b.order))
	})
	return ms
}

// l33tSignature lists the l33t matches in order. The reference repeats a
// match for every table that gives it; a repeat can never win the search
// (the first of equal candidates stays), so only the first counts.
func l33tSignature(ms []*Match) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range ms {
		if !m.L33t {
			continue
		}
		key := fmt.Sprintf("%d-%d d%d r%v %v", m.I, m.J, m.Dict, m.Rank, m.sub)
		if !seen[key] {
			seen[key] = true
			out = append(out, fmt.Sprintf("%s o%d", key, m.order))
		}
	}
	return out
}

// plainSignature lists the matches other than l33t ones, in order.
func plainSignature(ms []*Match) []string {
	var out []string
	for _, m := range ms {
		if !m.L33t {
			out = append(out, fmt.Sprintf("%d-%d p%d d%d r%v rev%v o%d", m.I, m.J, m.Pattern, m.Dict, m.Rank, m.Reversed, m.order))
		}
	}
	return out
}

// FuzzL33tWalk compares the l33t walk with the reference's algorithm (a
// dictionary pass per substitution table): the same matches in the same
// order, and the same answer. The walk also makes dictionary_match's
// matches: the other matches must be the same too.
func FuzzL33tWalk(f *testing.F) {
	for _, s := range []string{
		"p@ssw0rd", "7er1s@0258", "1|0v3", "c0n57ruc70r", "4@8({[<3%6!1|7+0$5+2", "5m17h 5m1+h",
		"P4$$W0RD!", "|_|5|3r", "b4n4n4", "1l1l1l7t", "@dm1n1str4t0r", "zoë1999", "z0ë",
	} {
		f.Add(s, "smith.zoë")
	}
	f.Fuzz(func(t *testing.T, password, inputs string) {
		if len(password) > 40 {
			password = password[:40] // the reference's algorithm is slow
		}
		in := strings.Split(inputs, ".")
		p := UTF16(password)
		fast := &engine{year: 2026, user: userDictionary(in)}
		ref := &engine{year: 2026, user: userDictionary(in), referenceL33t: true}
		fm, rm := fast.omnimatch(nil, p), ref.omnimatch(nil, p)
		if a, b := l33tSignature(sortMatches(fm)), l33tSignature(sortMatches(rm)); !slices.Equal(a, b) {
			t.Fatalf("%q: l33t walk\n%q\nreference tables\n%q", password, a, b)
		}
		if a, b := plainSignature(sortMatches(fm)), plainSignature(sortMatches(rm)); !slices.Equal(a, b) {
			t.Fatalf("%q: other matches with the l33t walk\n%q\nwith the reference tables\n%q", password, a, b)
		}
		if a, b := fast.mostGuessable(p, fm), ref.mostGuessable(p, rm); !sameResult(a, b) {
			t.Fatalf("%q: answers differ: %g / %g", password, a.Guesses, b.Guesses)
		}
	})
}

// TestPrototypeNames: "constructor" and "__proto__" are in every ranked
// dictionary of the reference (it asks `word in dict` of plain objects),
// with a rank that is not a number, except "constructor" in
// english_wikipedia. zxcvbn 4.4.2 gives "constructor" 338400 guesses.
func TestPrototypeNames(t *testing.T) {
	e := &engine{year: 2026, user: userDictionary(nil)}
	p := UTF16("constructor")
	var dicts []string
	for _, m := range e.dictionaryMatch(nil, p, p, false) {
		if m.I == 0 && m.J == 10 {
			dicts = append(dicts, fmt.Sprintf("%s:%v", DictName(m.Dict), m.Rank))
		}
	}
	want := []string{"passwords:NaN", "english_wikipedia:13589", "female_names:NaN", "surnames:NaN", "us_tv_and_film:NaN", "male_names:NaN", "user_inputs:NaN"}
	if !slices.Equal(dicts, want) {
		t.Errorf("matches of constructor: %q, want %q", dicts, want)
	}
	if r := MostGuessable(p, nil, 2026); r.Guesses != 338400 {
		t.Errorf("constructor: %g guesses, want 338400", r.Guesses)
	}
}

// TestRepeatedUserInputs: the reference's build_ranked_dict lower-cases the
// inputs and gives a repeated word the rank of its last place; assigning a
// rank to __proto__ does nothing, so that input stays a prototype name
// (TestPrototypeNames). zxcvbn 4.4.2 scores "xyzzyq" with the inputs
// "xyzzyq", "__proto__", "XYZZYQ" as the user input of rank 3 (4 guesses),
// and "__proto__" with the input "__proto__" as with none (182170000).
func TestRepeatedUserInputs(t *testing.T) {
	r := MostGuessable(UTF16("xyzzyq"), []string{"xyzzyq", "__proto__", "XYZZYQ"}, 2026)
	if len(r.Sequence) != 1 || r.Sequence[0].Dict != UserInputs || r.Sequence[0].Rank != 3 || r.Guesses != 4 {
		t.Errorf("xyzzyq: %g guesses, sequence %+v; want the user input of rank 3, 4 guesses", r.Guesses, r.Sequence)
	}
	if r := MostGuessable(UTF16("__proto__"), []string{"__proto__"}, 2026); r.Guesses != 182170000 {
		t.Errorf("__proto__ with the input __proto__: %g guesses, want 182170000", r.Guesses)
	}
	if d := userDictionary([]string{"__proto__", "b", "B", "a"}); len(d.words) != 2 || !slices.Equal(d.words[0], []uint16{'a'}) || !slices.Equal(d.ranks, []float64{4, 3}) {
		t.Errorf("dictionary of __proto__, b, B, a: words %v, ranks %v; want a (4), b (3)", d.words, d.ranks)
	}
}

// FuzzWork checks that no input of up to 256 runes makes the engine take
// more than a fixed number of steps for its length (a bound on time that
// does not depend on the machine), and that nothing panics.
func FuzzWork(f *testing.F) {
	for _, s := range []string{
		"", "a", strings.Repeat("4@8({[<3%6!1|7+0$5+2", 13), strings.Repeat("ab", 128),
		strings.Repeat("😀", 256), strings.Repeat("p@$$w0rd", 32), strings.Repeat("0123456789", 25),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, password string) {
		runes := []rune(password)
		if len(runes) > 256 {
			runes = runes[:256]
		}
		p := utf16.Encode(runes)
		e := &engine{year: 2026, user: userDictionary([]string{"inzant", "sales", "plus", "john.smith", "john", "smith"})}
		r := e.mostGuessable(p, e.omnimatch(nil, p))
		if len(p) > 0 && len(r.Sequence) == 0 {
			t.Fatalf("%q: no match sequence", password)
		}
		n := len(p)
		if limit := maxSteps(n); e.steps > limit {
			t.Fatalf("%q (%d units): %d steps, over the bound %d", password, n, e.steps, limit)
		}
	})
}

// maxSteps bounds the engine's steps for a password of n units.
func maxSteps(n int) int { return 200*n*n + 10000 }

// nCk is scoring.nCk, in the same floating-point steps.
func nCk(n, k int) float64 {
	if k > n {
		return 0
	}
	if k == 0 {
		return 1
	}
	r, nf := 1.0, float64(n)
	for d := 1; d <= k; d++ {
		r *= nf
		r /= float64(d)
		nf--
	}
	return r
}

// TestStepwiseBinomials: the sums and the spatial loop take nCk's values
// from one loop; they must be nCk's, bit for bit.
func TestStepwiseBinomials(t *testing.T) {
	for n := range 520 {
		sum, want := 0.0, 0.0
		for m := 1; m <= n; m++ {
			want += nCk(n, m)
			sum = sumOfBinomials(n, m)
			if sum != want {
				t.Fatalf("sumOfBinomials(%d, %d) = %v, the sum of nCk is %v", n, m, sum, want)
			}
		}
	}
	for length := 2; length <= 300; length += 7 {
		for turns := 1; turns <= length; turns += 5 {
			m := &Match{Pattern: Spatial, Token: make([]uint16, length), Turns: turns, shiftedCount: turns / 2}
			want := 0.0
			for i := 2; i <= length; i++ {
				for j := 1; j <= min(turns, i-1); j++ {
					want += nCk(i-1, j-1) * keyboardStartingPositions * tablePow(powKeyboardDegree[:], j)
				}
			}
			if s, u := m.shiftedCount, length-m.shiftedCount; s > 0 && u > 0 {
				v := 0.0
				for i := 1; i <= min(s, u); i++ {
					v += nCk(s+u, i)
				}
				want *= v
			} else if s > 0 {
				want *= 2
			}
			if got := spatialGuesses(m); got != want && !(math.IsInf(got, 1) && math.IsInf(want, 1)) {
				t.Fatalf("spatial %d units, %d turns: %v, nCk gives %v", length, turns, got, want)
			}
		}
	}
}

// literalEntry is one entry of the reference's optimal.{m,pi,g}[k][l].
type literalEntry struct {
	m     *Match
	pi, g float64
	l     int // set in the table literalSearch returns
}

// literalSearch is scoring.most_guessable_match_sequence as the reference
// writes it: every candidate tried against every cell, each position's cells
// read in ascending key order (a JavaScript object's integer keys), no bound
// and no skipping. It also returns the table it fills, by position, each
// position's entries by l ascending.
func (e *engine) literalSearch(password []uint16, matches []*Match) (Result, [][]literalEntry) {
	n := len(password)
	// matches_by_j: by j, each by i, then in omnimatch's order (the
	// matchers' order, and each one's, which order records: the l33t walk
	// does not find its matches in the reference's order).
	sorted := slices.Clone(matches)
	slices.SortStableFunc(sorted, func(a, b *Match) int { return cmp.Or(a.J-b.J, a.I-b.I, a.order-b.order) })
	// optimal[k][l] is the reference's optimal.{m,pi,g}[k][l]; keys[k] is
	// its keys in ascending order, as a JavaScript object iterates them.
	optimal := make([][]literalEntry, n)
	keys := make([][]int, n)
	for k := range optimal {
		optimal[k] = make([]literalEntry, n+2)
	}
	update := func(m *Match, l int) {
		k := m.J
		pi := e.estimateGuesses(m, n)
		if l > 1 {
			pi *= optimal[m.I-1][l-1].pi
		}
		g := factorial(l)*pi + tablePow(pow10000[:], l-1) // Math.pow as V8 computes it
		for _, cl := range keys[k] {
			if cl > l {
				continue
			}
			if optimal[k][cl].g <= g {
				return
			}
		}
		if optimal[k][l].m == nil {
			at, _ := slices.BinarySearch(keys[k], l)
			keys[k] = slices.Insert(keys[k], at, l)
		}
		optimal[k][l] = literalEntry{m: m, pi: pi, g: g}
	}
	bruteforce := func(i, k int) *Match {
		return &Match{Pattern: Bruteforce, I: i, J: k, Token: password[i : k+1]}
	}
	for k := range n {
		for ; len(sorted) > 0 && sorted[0].J == k; sorted = sorted[1:] {
			m := sorted[0]
			if m.I > 0 {
				for _, l := range keys[m.I-1] {
					update(m, l+1)
				}
			} else {
				update(m, 1)
			}
		}
		update(bruteforce(0, k), 1)
		for i := 1; i <= k; i++ {
			m := bruteforce(i, k)
			for _, l := range keys[i-1] {
				if optimal[i-1][l].m.Pattern != Bruteforce {
					update(m, l+1)
				}
			}
		}
	}
	table := make([][]literalEntry, n)
	for k := range table {
		for _, l := range keys[k] {
			entry := optimal[k][l]
			entry.l = l
			table[k] = append(table[k], entry)
		}
	}
	if n == 0 {
		return Result{Guesses: 1}, table
	}
	k, l, g := n-1, -1, math.Inf(1)
	for _, cl := range keys[k] {
		if optimal[k][cl].g < g {
			l, g = cl, optimal[k][cl].g
		}
	}
	if l < 0 {
		return Result{Guesses: math.NaN()}, table
	}
	sequence := make([]*Match, l)
	for ; k >= 0 && l >= 1; l-- {
		m := optimal[k][l].m
		sequence[l-1] = m
		k = m.I - 1
	}
	return Result{Guesses: g, Sequence: sequence}, table
}

// searchInputs are hostile texts for the search: many overlapping matches,
// long bruteforce stretches, and prototype names (whose NaN ranks make NaN
// candidates, which the reference always accepts).
func searchInputs(rng *rand.Rand, n int) string {
	families := [][]string{
		{"a"},
		{"a", "b"},
		{"password", "a", "i", "the", "sales", "inzant", "smith", "love"},
		{"p@$$w0rd", "1|0v3", "5+@r", "7r0ub|3", "m0nk3y", "dr@g0n"},
		{"qwerty", "asdfgh", "zxcvbn", "1qaz2wsx", "!@#$%^", "poiuy"},
		{"19/07/1985", "2001-09-11", "010190", "12.25.2000"},
		{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"},
		{"abcdef", "123456", "zyxw", "ACEG", "αβγδ"},
		{"constructor", "c0n57ruc70r", "__proto__", "a", "x", "7"},
		{"4", "@", "8", "(", "{", "[", "<", "3", "%", "6", "!", "1", "|", "7", "+", "0", "$", "5", "2", "9", "😀", "密"},
		{"Kq", "z", "#", "Vw", "8", "é", "😀", "J"},
		{"🌀", "🌁", "🌂", "🌃", "🌄", "🌅", "🌆", "🌇", "constructor", "c0n57ruc70r", "__proto__", "or", "x"},
	}
	pieces := families[rng.IntN(len(families))]
	var b strings.Builder
	for len(utf16.Encode([]rune(b.String()))) < n {
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return b.String()
}

// TestSearchAgainstLiteral compares the engine's search with the literal one
// on the same matches: the same guesses and the same sequence.
func TestSearchAgainstLiteral(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	count := 400
	if testing.Short() {
		count = 60
	}
	inputs := []string{"inzant", "sales", "plus", "john.smith", "john", "smith"}
	for c := range count {
		n := 1 + rng.IntN(256)
		switch c % 4 {
		case 0:
			n = 200 + rng.IntN(57)
		case 1:
			n = 300 + rng.IntN(213) // past 308 units bruteforce guesses stop at MaxFloat64
		}
		checkSearch(t, UTF16(searchInputs(rng, n)), inputs)
	}
	// A cell of g +Inf is kept where no cell refuses it (a level-2
	// candidate after the first 308 units), and a NaN-ranked word extends it.
	var b strings.Builder
	for i := range 130 {
		b.WriteRune(rune(0x1F300 + 11*i))
	}
	b.WriteString("orc0n57ruc70rc0n57ruc70rc0n57ruc70rc0n57ruc70rxx__proto__xconstructorac0n57ruc70r")
	checkSearch(t, UTF16(b.String()), inputs)
	// A match of +Inf guesses (a keyboard walk of 301 units) that no
	// earlier match of its span refuses is a cell (found in review), and a
	// NaN-ranked word extends it.
	checkSearch(t, UTF16("密密"+strings.Repeat("qW", 150)+"2"), inputs)
	checkSearch(t, UTF16("密"+strings.Repeat("ab", 150)+strings.Repeat("qW", 150)+"2constructorzz"), inputs)
}

// FuzzSearchAgainstLiteral is TestSearchAgainstLiteral on any text.
func FuzzSearchAgainstLiteral(f *testing.F) {
	f.Add("constructor7a")
	f.Add(strings.Repeat("🌀🌁🌂", 60) + "orc0n57ruc70rxx__proto__xconstructor")
	f.Add(strings.Repeat("a", 200))
	f.Add(strings.Repeat("p@$$w0rd", 20))
	f.Fuzz(func(t *testing.T, password string) {
		runes := []rune(password)
		checkSearch(t, utf16.Encode(runes[:min(len(runes), 256)]), []string{"inzant", "john.smith"})
	})
}

func checkSearch(t *testing.T, p []uint16, inputs []string) {
	t.Helper()
	e := &engine{year: 2026, user: userDictionary(inputs)}
	matches := e.omnimatch(nil, p)
	got := e.mostGuessable(p, matches)
	want, table := e.literalSearch(p, matches)
	if !sameResult(got, want) || len(got.Sequence) > 0 && !slices.EqualFunc(got.Sequence, want.Sequence, func(a, b *Match) bool {
		return a.Pattern == Bruteforce || a == b // the very match, not an equal one
	}) {
		t.Fatalf("%q: the search gives %v (%d matches), the literal search %v (%d matches)",
			string(utf16.Decode(p)), got.Guesses, len(got.Sequence), want.Guesses, len(want.Sequence))
	}
	if len(p) == 0 {
		return
	}
	// Every cell of every position, not only those the answer uses.
	s := e.fill(len(p), matches)
	same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
	for k := range len(p) {
		cells := s.optimal(k)
		if len(cells) != len(table[k]) {
			t.Fatalf("%q: position %d has %d cells, the literal search's %d", string(utf16.Decode(p)), k, len(cells), len(table[k]))
		}
		for x, c := range cells {
			w := table[k][x]
			sameMatch := c.m >= 0 && matches[c.m] == w.m || c.m < 0 && w.m.Pattern == Bruteforce && int(c.i) == w.m.I
			if int(c.l) != w.l || !same(c.g, w.g) || !same(c.pi, w.pi) || !sameMatch {
				t.Fatalf("%q: position %d, cell %d: level %d, g %v, pi %v; the literal search's level %d, g %v, pi %v; same match %v",
					string(utf16.Decode(p)), k, x, c.l, c.g, c.pi, w.l, w.g, w.pi, sameMatch)
			}
		}
	}
}

// TestOutermostDates compares outermost with the reference's filter, which
// drops a date when any other date holds it.
func TestOutermostDates(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 300 {
		p := UTF16(searchInputs(rng, 1+rng.IntN(120)))
		all := (&engine{year: 2026}).dateMatch(nil, p)
		// The candidates: every span that is a date on its own.
		var dates []*Match
		for i := range p {
			for j := i; j < len(p) && j < i+10; j++ {
				for _, m := range (&engine{year: 2026}).dateMatch(nil, p[i:j+1]) {
					if m.I == 0 && m.J == j-i {
						dates = append(dates, &Match{Pattern: Date, I: i, J: j})
					}
				}
			}
		}
		var want []string
		for _, m := range dates {
			inside := false
			for _, o := range dates {
				if o != m && o.I <= m.I && o.J >= m.J {
					inside = true
				}
			}
			if !inside {
				want = append(want, fmt.Sprint(m.I, "-", m.J))
			}
		}
		var got []string
		for _, m := range all {
			got = append(got, fmt.Sprint(m.I, "-", m.J))
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("%q: dates %v, the reference's filter keeps %v", string(utf16.Decode(p)), got, want)
		}
	}
}
