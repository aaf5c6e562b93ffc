package strength

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn/frequency"
	"github.com/trustelem/zxcvbn/match"
)

// trustelem's l33t matcher builds its substitution tables with Go appends
// that share backing arrays, so with l33t symbols for three or more letters it
// loses tables: "7er1s@0258" never tries {1:i, 7:t, @:a} and misses
// "terisa". l33tMatches is matching.l33t_match of zxcvbn 4.4.2 instead, over
// its own index of trustelem's word lists.

// l33tTable is zxcvbn 4.4.2's L33T_TABLE, letters in the reference's order.
var l33tTable = []struct {
	letter byte
	subs   string
}{
	{'a', "4@"}, {'b', "8"}, {'c', "({[<"}, {'e', "3"}, {'g', "69"}, {'i', "1!|"},
	{'l', "1|7"}, {'o', "0"}, {'s', "$5"}, {'t', "+7"}, {'x', "%"}, {'z', "2"},
}

// frequencyListOrder is the order of RANKED_DICTIONARIES (user_inputs follows).
var frequencyListOrder = []string{"passwords", "english_wikipedia", "female_names", "surnames", "us_tv_and_film", "male_names"}

// wordIndex maps each word of the frequency lists to its rank in each list
// (0: absent). Built on first use: trustelem keeps its own index unexported.
type wordIndex struct {
	ranks   map[string]int // word -> row
	rows    [][6]uint16
	longest int // runes
}

var frequencyIndex = sync.OnceValue(func() *wordIndex {
	ix := &wordIndex{ranks: make(map[string]int, 100_000)}
	for d, name := range frequencyListOrder {
		for rank, w := range frequency.FrequencyLists[name] {
			w = strings.ToLower(w)
			row, ok := ix.ranks[w]
			if !ok {
				row = len(ix.rows)
				ix.ranks[w] = row
				ix.rows = append(ix.rows, [6]uint16{})
			}
			if ix.rows[row][d] == 0 { // build_ranked_dict: the last rank wins; lists have no repeats
				ix.rows[row][d] = uint16(rank + 1)
			}
			ix.longest = max(ix.longest, utf8.RuneCountInString(w))
		}
	}
	return ix
})

type l33tPair struct{ l33t, letter byte }

// enumerateL33tSubs is enumerate_l33t_subs of the reference on the subtable
// relevant to password (relevant_l33t_subtable), with its de-duplication of
// identical tables.
func enumerateL33tSubs(password string) [][]l33tPair {
	subs := [][]l33tPair{{}}
	for _, row := range l33tTable {
		var relevant []byte
		for i := 0; i < len(row.subs); i++ {
			if strings.IndexByte(password, row.subs[i]) >= 0 {
				relevant = append(relevant, row.subs[i])
			}
		}
		if len(relevant) == 0 {
			continue
		}
		var next [][]l33tPair
		for _, c := range relevant {
			for _, sub := range subs {
				dup := slices.IndexFunc(sub, func(p l33tPair) bool { return p.l33t == c })
				if dup < 0 {
					next = append(next, append(slices.Clone(sub), l33tPair{c, row.letter}))
					continue
				}
				alt := slices.Delete(slices.Clone(sub), dup, dup+1)
				next = append(next, sub, append(alt, l33tPair{c, row.letter}))
			}
		}
		seen := make(map[string]bool, len(next))
		subs = subs[:0:0]
		for _, sub := range next {
			key := make([]byte, 0, 2*len(sub))
			for _, p := range sub {
				key = append(key, p.l33t, p.letter)
			}
			if !seen[string(key)] {
				seen[string(key)] = true
				subs = append(subs, sub)
			}
		}
	}
	if len(subs) == 1 && len(subs[0]) == 0 {
		return nil // no l33t character in the password
	}
	return subs
}

// l33tMatches is matching.l33t_match of zxcvbn 4.4.2 over the frequency lists
// and the user inputs, in the reference's order: by i and j, then table, then
// dictionary.
func l33tMatches(password string, userInputs []string) []*match.Match {
	subs := enumerateL33tSubs(password)
	if subs == nil {
		return nil
	}
	ix := frequencyIndex()
	inputs := make(map[string]int, len(userInputs))
	longest := ix.longest
	for i, w := range userInputs {
		w = strings.ToLower(w)
		inputs[w] = i + 1
		longest = max(longest, utf8.RuneCountInString(w))
	}

	starts := make([]int, 0, len(password)+1)
	for i := range password {
		starts = append(starts, i)
	}
	starts = append(starts, len(password))

	ascii := len(starts)-1 == len(password)
	var matches []*match.Match
	seen := map[string]bool{}
	subbed := []byte(password)
	changed := make([]int, len(password)+1) // changed[k]: substituted bytes before k
	for _, sub := range subs {
		// translate: l33t symbols are ASCII and become ASCII letters, so
		// the byte offsets stay the password's.
		copy(subbed, password)
		for k := range subbed {
			changed[k+1] = changed[k]
			for _, p := range sub {
				if subbed[k] == p.l33t {
					subbed[k] = p.letter
					changed[k+1]++
					break
				}
			}
		}
		lower := subbed
		if ascii {
			lower = bytes.ToLower(subbed) // once, where it keeps offsets
		}
		for a := 0; a < len(starts)-1; a++ {
			for b := a + 1; b < len(starts) && b-a <= longest; b++ {
				i, j := starts[a], starts[b]-1
				// A span without a substituted symbol lower-cases to the
				// same word as the password: the reference skips it.
				if changed[j+1] == changed[i] || b-a == 1 && jsLength(password[i:j+1]) <= 1 {
					continue // (and single-character l33t matches are noise)
				}
				var word string
				var row, rank int
				var inList, inInputs bool
				if ascii {
					// m[string(b)] does not allocate; most spans miss.
					row, inList = ix.ranks[string(lower[i:j+1])]
					rank, inInputs = inputs[string(lower[i:j+1])]
					if !inList && !inInputs {
						continue
					}
					word = string(lower[i : j+1])
				} else {
					word = strings.ToLower(string(subbed[i : j+1]))
					row, inList = ix.ranks[word]
					rank, inInputs = inputs[word]
					if !inList && !inInputs {
						continue
					}
				}
				token := password[i : j+1]
				// The pairs of this table that the token uses; tables
				// that differ only elsewhere give the same match again.
				var used []byte
				for _, p := range sub {
					if strings.IndexByte(token, p.l33t) >= 0 {
						used = append(used, p.l33t, p.letter)
					}
				}
				add := func(name string, rank int) {
					// A repeat of an earlier match (same span, word, list
					// and substitutions) can never win the search, where
					// the first of equal candidates is kept: skip it.
					key := fmt.Sprintf("%d:%d:%s:%s", i, j, name, used)
					if seen[key] {
						return
					}
					seen[key] = true
					m := &match.Match{
						Pattern:        "dictionary",
						I:              i,
						J:              j,
						Token:          token,
						MatchedWord:    word,
						Rank:           rank,
						DictionaryName: name,
						L33t:           true,
						Sub:            map[string]string{},
					}
					for k := 0; k < len(used); k += 2 {
						m.Sub[string(used[k])] = string(used[k+1])
					}
					matches = append(matches, m)
				}
				if inList {
					for d, r := range ix.rows[row] {
						if r > 0 {
							add(frequencyListOrder[d], int(r))
						}
					}
				}
				if inInputs {
					add("user_inputs", rank)
				}
			}
		}
	}
	// Each table's matches come out by i then j; the reference then sorts
	// all of them by i and j, stably.
	slices.SortStableFunc(matches, func(x, y *match.Match) int {
		if x.I != y.I {
			return x.I - y.I
		}
		return x.J - y.J
	})
	return matches
}
