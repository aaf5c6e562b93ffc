package zxcvbn

import (
	"cmp"
	"math"
	"slices"
	"sync"
	"sync/atomic"
)

// The frequency lists are one sorted word list (data.go). Words that share a
// prefix are adjacent, so walking a password from position i narrows a range
// of words one character at a time, and stops as soon as no word continues:
// the walk is a trie walk without a trie to build.

func wordStart(w int) int {
	if w == 0 {
		return 0
	}
	return int(wordEnd[w-1])
}

func wordLen(w int) int { return int(wordEnd[w]) - wordStart(w) }

// wordByte is byte d of word w, or -1 if the word has only d bytes.
func wordByte(w, d int) int {
	s := wordStart(w)
	if s+d >= int(wordEnd[w]) {
		return -1
	}
	return int(wordBlob[s+d])
}

// secondWord[first][c] is the first word, among those whose first byte is
// first, whose second byte is at least c (c 128: the end of them; a word of
// one byte comes before all). Built at first use, from the word list.
var secondWord = sync.OnceValue(func() *[128][129]uint32 {
	var t [128][129]uint32
	for first := range t {
		w, end := int(firstWord[first]), int(firstWord[first+1])
		for c := range t[first] {
			for w < end && wordByte(w, 1) < c {
				w++
			}
			t[first][c] = uint32(w)
		}
	}
	return &t
})

// staticNarrow narrows [lo, hi), the words with a common prefix of d bytes,
// to those whose byte d is c.
func staticNarrow(lo, hi, d int, c uint16) (int, int) {
	if c >= 0x80 {
		return lo, lo
	}
	if d == 0 {
		return int(firstWord[c]), int(firstWord[c+1])
	}
	if d == 1 && lo < hi {
		if first := wordBlob[wordStart(lo)]; lo == int(firstWord[first]) && hi == int(firstWord[first+1]) {
			t := secondWord()
			return int(t[first][c]), int(t[first][c+1])
		}
	}
	// Halve [lo, hi) until its middle word has byte c; then the words of
	// byte c start in the left half and end in the right one.
	key := int(c)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch b := wordByte(m, d); {
		case b < key:
			lo = m + 1
		case b > key:
			hi = m
		default:
			a, z := lo, m // first word with byte d >= c
			for a < z {
				x := int(uint(a+z) >> 1)
				if wordByte(x, d) < key {
					a = x + 1
				} else {
					z = x
				}
			}
			lo, z = m+1, hi // first word with byte d > c
			for lo < z {
				x := int(uint(lo+z) >> 1)
				if wordByte(x, d) <= key {
					lo = x + 1
				} else {
					z = x
				}
			}
			return a, lo
		}
	}
	return lo, lo
}

// userDict is the user_inputs dictionary: the lower-cased inputs, sorted,
// each with the rank build_ranked_dict gives it (the last of repeats).
type userDict struct {
	inputs []string // as given, to reuse the dictionary for the same inputs
	words  [][]uint16
	ranks  []float64
	// first[c] is the first word whose first unit is at least c (128:
	// the end of the ASCII ones), so that a walk's first step into a long
	// list of inputs is one lookup.
	first [129]int32
}

var lastUserDict atomic.Pointer[userDict]

// userDictionary builds (or reuses) the dictionary of the user inputs. The
// meter scores every keystroke with the same inputs.
func userDictionary(inputs []string) *userDict {
	if d := lastUserDict.Load(); d != nil && slices.Equal(d.inputs, inputs) {
		return d
	}
	type entry struct {
		word []uint16
		rank int
	}
	entries := make([]entry, 0, len(inputs))
	for k, in := range inputs {
		w := jsLower(UTF16(in))
		if slices.Equal(w, protoWord) {
			continue // assigning a number to __proto__ does nothing
		}
		entries = append(entries, entry{w, k + 1})
	}
	// By word, and a repeated word's last rank first, which Compact keeps.
	slices.SortFunc(entries, func(x, y entry) int { return cmp.Or(slices.Compare(x.word, y.word), y.rank-x.rank) })
	entries = slices.CompactFunc(entries, func(x, y entry) bool { return slices.Equal(x.word, y.word) })
	d := &userDict{inputs: slices.Clone(inputs), words: make([][]uint16, len(entries)), ranks: make([]float64, len(entries))}
	for x, en := range entries {
		d.words[x], d.ranks[x] = en.word, float64(en.rank)
	}
	w := 0
	for c := range d.first {
		for w < len(d.words) && d.unit(w, 0) < c {
			w++
		}
		d.first[c] = int32(w)
	}
	lastUserDict.Store(d)
	return d
}

// protoWord is "__proto__" in code units.
var protoWord = []uint16{'_', '_', 'p', 'r', 'o', 't', 'o', '_', '_'}

// utf16ToBytes carries code units in a string (two bytes each), so that
// units with lone surrogates can be map keys.
func utf16ToBytes(u []uint16) []byte {
	b := make([]byte, 2*len(u))
	for k, c := range u {
		b[2*k], b[2*k+1] = byte(c>>8), byte(c)
	}
	return b
}

func (u *userDict) unit(w, d int) int {
	if d >= len(u.words[w]) {
		return -1
	}
	return int(u.words[w][d])
}

func (u *userDict) narrow(lo, hi, d int, c uint16) (int, int) {
	if d == 0 && c < 128 && lo == 0 && hi == len(u.words) {
		return int(u.first[c]), int(u.first[c+1])
	}
	key := int(c)
	a, b := lo, hi
	for a < b {
		m := int(uint(a+b) >> 1)
		if u.unit(m, d) < key {
			a = m + 1
		} else {
			b = m
		}
	}
	lo = a
	b = hi
	for a < b {
		m := int(uint(a+b) >> 1)
		if u.unit(m, d) <= key {
			a = m + 1
		} else {
			b = m
		}
	}
	return lo, a
}

// has reports whether the lower-cased word w (ASCII) is a user input.
func (u *userDict) has(w string) bool {
	lo, hi := 0, len(u.words)
	for d := 0; d < len(w) && lo < hi; d++ {
		lo, hi = u.narrow(lo, hi, d, uint16(w[d]))
	}
	return lo < hi && len(u.words[lo]) == len(w)
}

// wordRange is a walk's place in the word lists: the words of the frequency
// lists [slo, shi) and the user inputs [ulo, uhi) that begin with the units
// taken so far.
type wordRange struct{ slo, shi, ulo, uhi int }

// wordLists is the walk's start: every word.
func (e *engine) wordLists() wordRange { return wordRange{0, len(wordEnd), 0, len(e.user.words)} }

func (r *wordRange) empty() bool { return r.slo >= r.shi && r.ulo >= r.uhi }

// narrow takes unit c at depth d: it narrows r to the words whose unit d is
// c, and returns those of them that end there (-1: none), in the frequency
// lists and among the user inputs u.
func (r *wordRange) narrow(u *userDict, d int, c uint16) (static, user int) {
	if r.slo < r.shi {
		r.slo, r.shi = staticNarrow(r.slo, r.shi, d, c)
	}
	if r.ulo < r.uhi {
		r.ulo, r.uhi = u.narrow(r.ulo, r.uhi, d, c)
	}
	static, user = -1, -1
	if r.slo < r.shi && wordLen(r.slo) == d+1 {
		static = r.slo
	}
	if r.ulo < r.uhi && len(u.words[r.ulo]) == d+1 {
		user = r.ulo
	}
	return static, user
}

// emitHits appends the matches of the words a walk found at proto's span,
// a word of the frequency lists (static >= 0) and a user input (user >= 0):
// one per dictionary that holds the word, in the reference's dictionary
// order (user_inputs last), like proto (its span, token and kind, order
// without the dictionary), with the dictionary and the rank.
func (e *engine) emitHits(matches []*Match, static, user int, proto *Match) []*Match {
	add := func(d int, rank float64) {
		m := e.next()
		m.Pattern, m.I, m.J, m.Token = Dictionary, proto.I, proto.J, proto.Token
		m.Reversed, m.L33t, m.sub = proto.Reversed, proto.L33t, proto.sub
		m.Dict, m.Rank, m.order = d, rank, proto.order|d
		matches = append(matches, m)
	}
	if static >= 0 {
		meta := wordMeta[static]
		own := int(meta & 7)
		if meta&0x80 != 0 {
			// A name of Object.prototype's properties: every dictionary
			// holds it, with a rank that is not a number except in its own.
			for d := range UserInputs {
				rank := math.NaN()
				if d == own {
					rank = float64(wordRank[static])
				}
				add(d, rank)
			}
			if !e.user.has(wordBlob[wordStart(static):wordEnd[static]]) {
				add(UserInputs, math.NaN())
			}
		} else {
			add(own, float64(wordRank[static]))
		}
	}
	if user >= 0 {
		add(UserInputs, e.user.ranks[user])
	}
	return matches
}

// dictionaryMatch is dictionary_match (reversed: reverse_dictionary_match,
// with lower the reversed password, lower-cased) over the frequency lists
// and the user inputs. A reversed match's token is the reversed word
// reversed again: the password's units.
func (e *engine) dictionaryMatch(matches []*Match, password, lower []uint16, reversed bool) []*Match {
	n := len(password)
	rank := rankDictionary
	if reversed {
		rank = rankReverse
	}
	for i := range n {
		r := e.wordLists()
		for d := 0; i+d < n && i+d < len(lower) && !r.empty(); d++ {
			e.steps++
			static, user := r.narrow(e.user, d, lower[i+d])
			if static >= 0 || user >= 0 {
				i, j := i, i+d
				if reversed {
					i, j = n-1-j, n-1-i
				}
				matches = e.emitHits(matches, static, user, &Match{I: i, J: j, Token: password[i : j+1], Reversed: reversed, order: rank << 24})
			}
		}
	}
	return matches
}
