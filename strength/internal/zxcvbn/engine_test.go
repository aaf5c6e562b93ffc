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

// FuzzL33tWalk compares the l33t walk with the reference's algorithm (a
// dictionary pass per substitution table): the same matches in the same
// order, and the same answer.
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
		fm, rm := fast.omnimatch(p), ref.omnimatch(p)
		if a, b := l33tSignature(fm), l33tSignature(rm); !slices.Equal(a, b) {
			t.Fatalf("%q: l33t walk\n%q\nreference tables\n%q", password, a, b)
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
		r := e.mostGuessable(p, e.omnimatch(p))
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

var _ = cmp.Compare[int]

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
