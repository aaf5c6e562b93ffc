package zxcvbn

import (
	"slices"
	"sync"
)

// l33tTable is the reference's L33T_TABLE, letters in its order.
var l33tTable = [...]struct {
	letter byte
	subs   string
}{
	{'a', "4@"},
	{'b', "8"},
	{'c', "({[<"},
	{'e', "3"},
	{'g', "69"},
	{'i', "1!|"},
	{'l', "1|7"},
	{'o', "0"},
	{'s', "$5"},
	{'t', "+7"},
	{'x', "%"},
	{'z', "2"},
}

// l33tSymbols are the table's symbols; a symbol is named by its index here.
const l33tSymbols = "4@8({[<3691!|70$5+%2"

// symbolIndex[c] is c's index in l33tSymbols, or -1.
var symbolIndex = [128]int8{
	0: -1, 1: -1, 2: -1, 3: -1, 4: -1, 5: -1, 6: -1, 7: -1, 8: -1, 9: -1, 10: -1, 11: -1, 12: -1, 13: -1, 14: -1, 15: -1,
	16: -1, 17: -1, 18: -1, 19: -1, 20: -1, 21: -1, 22: -1, 23: -1, 24: -1, 25: -1, 26: -1, 27: -1, 28: -1, 29: -1, 30: -1, 31: -1,
	' ': -1, '!': 11, '"': -1, '#': -1, '$': 15, '%': 18, '&': -1, '\'': -1, '(': 3, ')': -1, '*': -1, '+': 17, ',': -1, '-': -1, '.': -1, '/': -1,
	'0': 14, '1': 10, '2': 19, '3': 7, '4': 0, '5': 16, '6': 8, '7': 13, '8': 2, '9': 9, ':': -1, ';': -1, '<': 6, '=': -1, '>': -1, '?': -1,
	'@': 1, 'A': -1, 'B': -1, 'C': -1, 'D': -1, 'E': -1, 'F': -1, 'G': -1, 'H': -1, 'I': -1, 'J': -1, 'K': -1, 'L': -1, 'M': -1, 'N': -1, 'O': -1,
	'P': -1, 'Q': -1, 'R': -1, 'S': -1, 'T': -1, 'U': -1, 'V': -1, 'W': -1, 'X': -1, 'Y': -1, 'Z': -1, '[': 5, '\\': -1, ']': -1, '^': -1, '_': -1,
	'`': -1, 'a': -1, 'b': -1, 'c': -1, 'd': -1, 'e': -1, 'f': -1, 'g': -1, 'h': -1, 'i': -1, 'j': -1, 'k': -1, 'l': -1, 'm': -1, 'n': -1, 'o': -1,
	'p': -1, 'q': -1, 'r': -1, 's': -1, 't': -1, 'u': -1, 'v': -1, 'w': -1, 'x': -1, 'y': -1, 'z': -1, '{': 4, '|': 12, '}': -1, '~': -1, 127: -1,
}

// symbolLetters[s] are the letters symbol s can stand for.
var symbolLetters = [len(l33tSymbols)]string{
	"a", "a", "b", "c", "c", "c", "c", "e", "g", "g", "il", "i", "il", "lt", "o", "s", "s", "t", "x", "z",
}

func symbolOf(c uint16) int {
	if c >= 0x80 {
		return -1
	}
	return int(symbolIndex[c])
}

type l33tPair struct{ sym, letter byte }

// l33tTables are the substitution tables enumerate_l33t_subs gives for a
// password, in its order: pairs as the reference lists them, and by symbol
// (letter, or 0 where the table leaves the symbol alone).
type l33tTables struct {
	pairs    []l33tSub
	bySymbol [][len(l33tSymbols)]byte
}

// l33tSub is one table as the reference's list of [symbol, letter] pairs.
type l33tSub struct {
	n     uint8
	pairs [len(l33tSymbols)]l33tPair
}

// tablesCache keeps the tables of the last symbol sets seen: the meter
// scores every keystroke, and a password's symbols rarely change.
var tablesCache struct {
	sync.Mutex
	bySet map[uint32]*l33tTables
}

// enumerateL33tTables is enumerate_l33t_subs(relevant_l33t_subtable(password)),
// with its de-duplication of identical lists. It returns nil when the
// password has no l33t symbol.
func enumerateL33tTables(password []uint16) *l33tTables {
	var set uint32
	for _, c := range password {
		if s := symbolOf(c); s >= 0 {
			set |= 1 << s
		}
	}
	if set == 0 {
		return nil
	}
	tablesCache.Lock()
	t := tablesCache.bySet[set]
	tablesCache.Unlock()
	if t != nil {
		return t
	}
	subs := []l33tSub{{}}
	seen := map[l33tSub]bool{}
	for _, row := range l33tTable {
		var next []l33tSub
		for k := 0; k < len(row.subs); k++ {
			s := symbolOf(uint16(row.subs[k]))
			if set&(1<<s) == 0 {
				continue
			}
			pair := l33tPair{byte(s), row.letter}
			for _, sub := range subs {
				dup := -1
				for x := range int(sub.n) {
					if int(sub.pairs[x].sym) == s {
						dup = x
						break
					}
				}
				if dup < 0 {
					sub.pairs[sub.n] = pair
					sub.n++
					next = append(next, sub)
					continue
				}
				next = append(next, sub)
				alt := sub
				copy(alt.pairs[dup:], alt.pairs[dup+1:alt.n])
				alt.pairs[alt.n-1] = pair
				next = append(next, alt)
			}
		}
		if next == nil {
			continue // no symbol of this letter in the password
		}
		clear(seen)
		subs = subs[:0]
		for _, sub := range next {
			if !seen[sub] {
				seen[sub] = true
				subs = append(subs, sub)
			}
		}
	}
	t = &l33tTables{pairs: subs, bySymbol: make([][len(l33tSymbols)]byte, len(subs))}
	for k, sub := range subs {
		for _, p := range sub.pairs[:sub.n] {
			t.bySymbol[k][p.sym] = p.letter
		}
	}
	tablesCache.Lock()
	if len(tablesCache.bySet) >= 64 || tablesCache.bySet == nil {
		tablesCache.bySet = make(map[uint32]*l33tTables)
	}
	tablesCache.bySet[set] = t
	tablesCache.Unlock()
	return t
}

// matchSub is the match's sub: the pairs of table t whose symbol the token
// holds, in the order of a JavaScript object's keys (digit symbols first,
// ascending, then the others in the table's order).
func (t *l33tTables) matchSub(table int, token []uint16) []l33tPair {
	var in [len(l33tSymbols)]bool
	for _, c := range token {
		if s := symbolOf(c); s >= 0 {
			in[s] = true
		}
	}
	var sub []l33tPair
	for digit := byte('0'); digit <= '9'; digit++ {
		s := symbolOf(uint16(digit))
		if s >= 0 && in[s] && t.bySymbol[table][s] != 0 {
			sub = append(sub, l33tPair{byte(s), t.bySymbol[table][s]})
		}
	}
	for _, p := range t.pairs[table].pairs[:t.pairs[table].n] {
		if c := l33tSymbols[p.sym]; in[p.sym] && (c < '0' || c > '9') {
			sub = append(sub, p)
		}
	}
	return sub
}

// l33tMatch is matching.l33t_match. It reports whether it walked the word
// lists: then it also made dictionary_match's matches, found on the way.
func (e *engine) l33tMatch(matches []*Match, password, lower []uint16) ([]*Match, bool) {
	tables := enumerateL33tTables(password)
	if tables == nil {
		return matches, false
	}
	if e.referenceL33t || len(lower) != len(password) || lowerIsContextual(password) {
		return e.l33tMatchByTables(matches, password, tables), false
	}
	w := l33tWalk{e: e, password: password, lower: lower, tables: tables, matches: matches}
	for i := range password {
		w.i = i
		w.walk(0, e.wordLists())
	}
	return w.matches, true
}

// l33tMatchByTables is the reference's algorithm: a dictionary pass over the
// password translated by each table.
func (e *engine) l33tMatchByTables(matches []*Match, password []uint16, tables *l33tTables) []*Match {
	for t, bySymbol := range tables.bySymbol {
		subbed := slices.Clone(password)
		for k, c := range subbed {
			if s := symbolOf(c); s >= 0 && bySymbol[s] != 0 {
				subbed[k] = uint16(bySymbol[s])
			}
		}
		subbedLower := jsLower(subbed)
		for _, m := range e.dictionaryMatch(nil, subbed, subbedLower, false) {
			token := password[m.I : m.J+1]
			if slices.Equal(jsLower(token), subbedLower[m.I:m.J+1]) {
				continue // the token has no substitution (matched_word is lower[i..j])
			}
			if len(token) <= 1 {
				continue // single-character l33t matches are noise
			}
			m.Token = token
			m.L33t = true
			m.sub = tables.matchSub(t, token)
			m.order = rankL33t<<24 | t<<3 | m.Dict
			matches = append(matches, m)
		}
	}
	return matches
}

// l33tWalk finds l33t matches from each position by walking the word lists
// with each symbol's choices (a letter it stands for, or itself), the same
// choice for a symbol throughout a token and one symbol per letter, as in any
// one of the reference's tables; a word found is kept if a table gives
// exactly those choices, and ordered by the first such table. A word found
// with every symbol standing for itself is a dictionary_match match.
type l33tWalk struct {
	e               *engine
	password, lower []uint16
	tables          *l33tTables
	matches         []*Match

	i       int
	choice  [len(l33tSymbols)]byte // 0: not in the token yet, 1: itself, else the letter
	letters uint32                 // letters chosen by a symbol
	mapped  int                    // symbols standing for a letter
}

func (w *l33tWalk) walk(d int, r wordRange) {
	k := w.i + d
	if k >= len(w.password) {
		return
	}
	c := w.lower[k]
	s := symbolOf(c)
	if s < 0 {
		w.step(d, c, r)
		return
	}
	if ch := w.choice[s]; ch != 0 {
		if ch == 1 {
			w.step(d, c, r)
		} else {
			w.step(d, uint16(ch), r)
		}
		return
	}
	letters := symbolLetters[s]
	for x := 0; x < len(letters); x++ {
		bit := uint32(1) << (letters[x] - 'a')
		if w.letters&bit != 0 {
			continue
		}
		w.choice[s], w.letters, w.mapped = letters[x], w.letters|bit, w.mapped+1
		w.step(d, uint16(letters[x]), r)
		w.choice[s], w.letters, w.mapped = 0, w.letters&^bit, w.mapped-1
	}
	w.choice[s] = 1
	w.step(d, c, r)
	w.choice[s] = 0
}

// step takes unit x at depth d, reports the words that end there, and walks on.
func (w *l33tWalk) step(d int, x uint16, r wordRange) {
	w.e.steps++
	static, user := r.narrow(w.e.user, d, x)
	if r.empty() {
		return
	}
	switch {
	case static < 0 && user < 0:
	case w.mapped == 0:
		i, j := w.i, w.i+d
		w.matches = w.e.emitHits(w.matches, static, user, &Match{I: i, J: j, Token: w.password[i : j+1], order: rankDictionary << 24})
	case d >= 1:
		w.emit(d, static, user)
	}
	w.walk(d+1, r)
}

func (w *l33tWalk) emit(d, static, user int) {
	i, j := w.i, w.i+d
	var chosen [len(l33tSymbols)]int8
	n := 0
	for s, ch := range w.choice {
		if ch != 0 {
			chosen[n] = int8(s)
			n++
		}
	}
	table := -1
	for t := range w.tables.bySymbol {
		w.e.steps++
		bySymbol := &w.tables.bySymbol[t]
		ok := true
		for _, s := range chosen[:n] {
			ch, want := w.choice[s], bySymbol[s]
			if ch == 1 && want != 0 || ch != 1 && want != ch {
				ok = false
				break
			}
		}
		if ok {
			table = t
			break
		}
	}
	if table < 0 {
		return // no table makes these choices together
	}
	token := w.password[i : j+1]
	sub := w.tables.matchSub(table, token)
	proto := &Match{I: i, J: j, Token: token, L33t: true, sub: sub, order: rankL33t<<24 | table<<3}
	w.matches = w.e.emitHits(w.matches, static, user, proto)
}
