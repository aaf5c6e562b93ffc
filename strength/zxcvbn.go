package strength

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn/match"
	"github.com/trustelem/zxcvbn/matching"
	"github.com/trustelem/zxcvbn/scoring"
)

// This file drives trustelem's matchers the way zxcvbn 4.4.2's main.coffee
// does, with corrections where trustelem departs from the reference (each
// found by comparing with testdata/reference-*.json); l33t.go and search.go
// hold the two larger ones (the l33t matcher and the search):
//
//   - Match order. Where two matches of a span tie on guesses, the search
//     keeps the first, and the warning follows it ("smith" as a surname and
//     as a user input). trustelem kept the user inputs in its Go map of
//     dictionaries, so the one kept changed from run to run; omnimatch puts
//     the matches back in the reference's order.
//   - Repeats. trustelem scores a repeat's base without the user inputs and
//     mixes rune and byte offsets; repeatMatches follows matching.coffee.
//   - Sequences. trustelem compares UTF-8 bytes; the reference compares UTF-16
//     code units, so "αβγδ" is a sequence and "ñó" is not.
//   - User inputs. trustelem's dictionary pass cuts a candidate ending in a
//     multi-byte rune to that rune's first byte, so "zoë" never matched the
//     user input "zoë". Its word lists are ASCII, so only the user inputs
//     need userInputMatches.
//
// and one translation, jsText, so that trustelem's rune counts are the
// reference's UTF-16 lengths.

// jsText rewrites s so that each rune stands for one UTF-16 code unit of the
// reference's string: a character outside the BMP (an emoji) becomes two
// private-use runes, one per surrogate, so it counts 2 in brute-force guesses
// and lengths, as in JavaScript. It also rewrites 'İ' (U+0130), the one letter
// Go lower-cases to ASCII ("i") where JavaScript gives "i̇", so that
// "İstanbul" is no dictionary word here either. Private-use runes are in no
// dictionary, keyboard, l33t table or date, so nothing else changes.
func jsText(s string) string {
	plain := true
	for _, r := range s {
		if r > 0xFFFF || r == 'İ' {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	out := make([]rune, 0, len(s))
	for _, r := range s {
		switch {
		case r > 0xFFFF:
			hi, lo := utf16.EncodeRune(r)
			out = append(out, surrogateStandIn+hi-0xD800, surrogateStandIn+lo-0xD800)
		case r == 'İ':
			out = append(out, dottedCapitalIStandIn)
		default:
			out = append(out, r)
		}
	}
	return string(out)
}

// The private-use runes jsText writes: U+E000..U+E7FF for the 2048 surrogate
// code units (keeping their order, so sequence deltas stay the reference's),
// and U+E800 for 'İ'.
const (
	surrogateStandIn      = 0xE000
	dottedCapitalIStandIn = 0xE800
)

// guessesToScore is zxcvbn's guesses_to_score.
func guessesToScore(guesses float64) int {
	const delta = 5
	switch {
	case guesses < 1e3+delta:
		return 0
	case guesses < 1e6+delta:
		return 1
	case guesses < 1e8+delta:
		return 2
	case guesses < 1e10+delta:
		return 3
	default:
		return 4
	}
}

// mostGuessable is scoring.most_guessable_match_sequence(password,
// omnimatch(password)) with the user inputs in the dictionaries.
func mostGuessable(password string, userInputs []string) analysis {
	return mostGuessableSequence(password, omnimatch(password, userInputs))
}

// patternOrder is the reference's order of matchers in omnimatch; the
// dictionary matchers take 0 to 2 (see matcherRank).
var patternOrder = map[string]int{
	"dictionary": 0, "spatial": 3, "repeat": 4, "sequence": 5, "regex": 6, "date": 7,
}

// matcherRank is the position of m's matcher in the reference's omnimatch:
// dictionary_match, reverse_dictionary_match, l33t_match, then the others.
func matcherRank(m *match.Match) int {
	switch {
	case m.Pattern == "dictionary" && m.Reversed:
		return 1
	case m.Pattern == "dictionary" && m.L33t:
		return 2
	}
	return patternOrder[m.Pattern]
}

// omnimatch is matching.omnimatch: every match of password, sorted by i, then
// j, then (as the reference's stable sort leaves them) matcher, then
// dictionary in the order of RANKED_DICTIONARIES, user inputs last. The
// dictionary order needs no key of its own: zxcvbn's word lists share no word
// (TestWordListsDisjoint), so a span has at most one word-list match in each
// direction, which trustelem returns ahead of the user-input match appended
// after it; l33tMatches returns its matches in the reference's order (by
// table, then dictionary) and without a key the stable sort keeps that too.
func omnimatch(password string, userInputs []string) []*match.Match {
	var matches []*match.Match
	for _, m := range matching.Omnimatch(password, userInputs) {
		if m.Pattern == "repeat" || m.Pattern == "sequence" || m.L33t ||
			m.DictionaryName == "user_inputs" {
			continue // replaced below
		}
		if !runeAligned(password, m.I, m.J) {
			continue // a byte-level artefact the reference cannot produce
		}
		matches = append(matches, m)
	}
	matches = append(matches, userInputMatches(password, userInputs)...)
	matches = append(matches, l33tMatches(password, userInputs)...)
	matches = append(matches, repeatMatches(password, userInputs)...)
	matches = append(matches, sequenceMatches(password)...)
	slices.SortStableFunc(matches, func(a, b *match.Match) int {
		return cmp.Or(cmp.Compare(a.I, b.I), cmp.Compare(a.J, b.J),
			cmp.Compare(matcherRank(a), matcherRank(b)))
	})
	return matches
}

// runeAligned reports whether bytes i..j of s are whole runes.
func runeAligned(s string, i, j int) bool {
	return i >= 0 && j < len(s) && i <= j && utf8.RuneStart(s[i]) && (j+1 == len(s) || utf8.RuneStart(s[j+1]))
}

// isLineTerminator is what JavaScript's "." does not match.
func isLineTerminator(r rune) bool {
	return r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029'
}

// findRepeat is RegExp.exec of /(.+)\1+/g (greedy) or /(.+?)\1+/g from rune
// from: the leftmost start, the base length the quantifier settles on, and the
// number of times the base occurs.
func findRepeat(runes []rune, from int, greedy bool) (start, baseLen, count int, ok bool) {
	for i := from; i < len(runes); i++ {
		span := 0 // runes "." can take from i
		for i+span < len(runes) && !isLineTerminator(runes[i+span]) {
			span++
		}
		try := func(l int) (int, bool) {
			n := 1
			for i+(n+1)*l <= i+span && slices.Equal(runes[i:i+l], runes[i+n*l:i+(n+1)*l]) {
				n++
			}
			return n, n >= 2
		}
		if greedy {
			for l := span / 2; l >= 1; l-- {
				if n, ok := try(l); ok {
					return i, l, n, true
				}
			}
		} else {
			for l := 1; l <= span/2; l++ {
				if n, ok := try(l); ok {
					return i, l, n, true
				}
			}
		}
	}
	return 0, 0, 0, false
}

// repeatMatches is matching.repeat_match of zxcvbn 4.4.2, over runes (the
// reference works on UTF-16 code units; they differ only for a base that
// would split a surrogate pair).
func repeatMatches(password string, userInputs []string) []*match.Match {
	runes := []rune(password)
	offsets := make([]int, 0, len(runes)+1) // byte offset of each rune, then len
	for i := range password {
		offsets = append(offsets, i)
	}
	offsets = append(offsets, len(password))

	var matches []*match.Match
	for last := 0; last < len(runes); {
		start, greedyBase, greedyCount, ok := findRepeat(runes, last, true)
		if !ok {
			break
		}
		_, lazyBase, lazyCount, _ := findRepeat(runes, last, false)
		length, baseLen := lazyBase*lazyCount, lazyBase
		if greedyBase*greedyCount > length {
			// greedy beats lazy for "aabaab"; its repeated string may itself
			// repeat ("aabaab" in "aabaabaabaab"): /^(.+?)\1+$/ finds the
			// shortest base of it.
			length, baseLen = greedyBase*greedyCount, shortestPeriod(runes[start:start+greedyBase*greedyCount])
		}
		baseToken := string(runes[start : start+baseLen])
		base := mostGuessable(baseToken, userInputs)
		i, j := offsets[start], offsets[start+length]-1
		matches = append(matches, &match.Match{
			Pattern:     "repeat",
			I:           i,
			J:           j,
			Token:       password[i : j+1],
			BaseToken:   baseToken,
			BaseGuesses: base.guesses,
			BaseMatches: base.sequence,
			RepeatCount: length / baseLen,
		})
		last = start + length
	}
	return matches
}

// shortestPeriod is the length of the capture of /^(.+?)\1+$/ on s, which is
// known to match.
func shortestPeriod(s []rune) int {
	for l := 1; l <= len(s)/2; l++ {
		if len(s)%l != 0 {
			continue
		}
		whole := true
		for k := l; k < len(s) && whole; k += l {
			whole = slices.Equal(s[:l], s[k:k+l])
		}
		if whole {
			return l
		}
	}
	return len(s)
}

// sequenceMatches is matching.sequence_match of zxcvbn 4.4.2 on UTF-16 code
// units. The guesses are set here, as scoring.sequence_guesses and
// estimate_guesses compute them in code units (trustelem counts bytes).
func sequenceMatches(password string) []*match.Match {
	const maxDelta = 5
	units := utf16.Encode([]rune(password))
	if len(units) <= 1 {
		return nil
	}
	// offsets[k] is the byte offset where code unit k starts; -1 inside a
	// surrogate pair. offsets[len(units)] is len(password).
	offsets := make([]int, 0, len(units)+1)
	for i, r := range password {
		offsets = append(offsets, i)
		if utf16.RuneLen(r) == 2 {
			offsets = append(offsets, -1)
		}
	}
	offsets = append(offsets, len(password))

	var matches []*match.Match
	update := func(i, j, delta int) {
		abs := max(delta, -delta)
		if !(j-i > 1 || abs == 1) || abs == 0 || abs > maxDelta {
			return
		}
		if offsets[i] < 0 || offsets[j+1] < 0 {
			return // splits a surrogate pair: cannot be a Go token
		}
		token := password[offsets[i]:offsets[j+1]]
		name, space := "unicode", 26
		switch {
		case allIn(token, 'a', 'z'):
			name = "lower"
		case allIn(token, 'A', 'Z'):
			name = "upper"
		case allIn(token, '0', '9'):
			name, space = "digits", 10
		}
		m := &match.Match{
			Pattern:       "sequence",
			I:             offsets[i],
			J:             offsets[j+1] - 1,
			Token:         token,
			SequenceName:  name,
			SequenceSpace: space,
			Ascending:     delta > 0,
		}
		m.Guesses = sequenceGuesses(m, j-i+1, len(units))
		matches = append(matches, m)
	}
	i, lastDelta := 0, int(units[1])-int(units[0])
	for k := 1; k < len(units); k++ {
		delta := int(units[k]) - int(units[k-1])
		if delta == lastDelta {
			continue
		}
		update(i, k-1, lastDelta)
		i, lastDelta = k-1, delta
	}
	update(i, len(units)-1, lastDelta)
	return matches
}

// sequenceGuesses is scoring.sequence_guesses with estimate_guesses' floor
// for a submatch, lengths in code units.
func sequenceGuesses(m *match.Match, length, passwordLength int) float64 {
	var base float64
	switch c := m.Token[0]; {
	case c == 'a' || c == 'A' || c == 'z' || c == 'Z' || c == '0' || c == '1' || c == '9':
		base = 4
	case c >= '0' && c <= '9':
		base = 10
	default:
		base = 26 // any other letter, and every non-ASCII start
	}
	if !m.Ascending {
		base *= 2
	}
	guesses := base * float64(length)
	if length < passwordLength {
		guesses = max(guesses, scoring.MinSubmatchGuessesMultiChar) // a sequence has at least two units
	}
	return guesses
}

// allIn reports whether s is non-empty and made only of bytes lo..hi.
func allIn(s string, lo, hi byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < lo || s[i] > hi {
			return false
		}
	}
	return s != ""
}

// userInputMatches is dictionary_match and reverse_dictionary_match of zxcvbn
// 4.4.2 for the user_inputs dictionary alone, over whole runes.
func userInputMatches(password string, userInputs []string) []*match.Match {
	ranked := make(map[string]int, len(userInputs))
	longest := 0 // runes; no longer substring can match
	for i, w := range userInputs {
		w = strings.ToLower(w)
		ranked[w] = i + 1 // build_ranked_dict: a repeated word keeps its last rank
		longest = max(longest, utf8.RuneCountInString(w))
	}
	if len(ranked) == 0 {
		return nil
	}
	find := func(s string, reversed bool) []*match.Match {
		var out []*match.Match
		starts := make([]int, 0, len(s)+1)
		for i := range s {
			starts = append(starts, i)
		}
		starts = append(starts, len(s))
		for a := 0; a < len(starts)-1; a++ {
			for b := a + 1; b < len(starts) && b-a <= longest; b++ {
				word := strings.ToLower(s[starts[a]:starts[b]])
				rank, ok := ranked[word]
				if !ok {
					continue
				}
				i, j := starts[a], starts[b]-1
				if reversed {
					// A span of whole runes in the reversed text mirrors
					// the same runes' bytes in the password.
					i, j = len(s)-1-j, len(s)-1-i
				}
				out = append(out, &match.Match{
					Pattern:        "dictionary",
					I:              i,
					J:              j,
					Token:          password[i : j+1],
					MatchedWord:    word,
					Rank:           rank,
					DictionaryName: "user_inputs",
					Reversed:       reversed,
				})
			}
		}
		return out
	}
	matches := find(password, false)
	rev := []rune(password)
	slices.Reverse(rev)
	return append(matches, find(string(rev), true)...)
}
