// Package zxcvbn computes what the JavaScript library zxcvbn 4.4.2 computes
// for a password: the same matches, guess estimates and search, so the same
// guesses and the same match sequence, including which of two equally good
// matches is kept. It works on UTF-16 code units, as JavaScript does.
//
// Its tables (data.go) are generated from the npm package by gen/gen-data.js
// and need no work at start-up (an index of the word list by its first two
// bytes and a table of the keyboards' adjacent keys are built at the first
// evaluation). The engine finds dictionary words by walking a sorted word
// list from each position, and l33t words by the same walk with each l33t
// symbol's choices, checked against the reference's substitution tables,
// instead of one dictionary pass per table (when a password has l33t
// symbols, that walk finds the plain words too).
//
// The search fills the reference's table cell for cell, ties included, but
// skips the candidates it can show the reference refuses: a match's
// candidates stop at a bound, a match of the same span as an earlier one of
// no more guesses is refused whole, and the bruteforce runs after earlier
// matches (nearly all of the reference's work) are tried level by level,
// each level's runs kept only where their cost can beat the earlier ones',
// with a Fenwick tree of the lower levels' cells (see bruteforceAfter). A
// word whose rank is not a number (constructor, __proto__) makes NaN
// candidates, which the reference always takes; then the bruteforce runs
// are tried as the reference tries them.
package zxcvbn

//go:generate sh -c "cd gen && node gen-data.js && gofmt -w ../data.go"

import (
	"slices"
	"sync"
	"unicode/utf16"
)

// Pattern is the kind of a match.
type Pattern uint8

// The reference's patterns.
const (
	Bruteforce Pattern = iota
	Dictionary
	Spatial
	Repeat
	Sequence
	Regex
	Date
)

// UserInputs is the index of the user inputs' dictionary (see DictName).
const UserInputs = 6

// DictName is the reference's name of dictionary d: passwords,
// english_wikipedia, female_names, surnames, us_tv_and_film, male_names,
// user_inputs.
func DictName(d int) string { return dictNames[d] }

// Match is one match of the reference, with the fields its scoring and
// feedback read.
type Match struct {
	Pattern Pattern
	I, J    int      // code units, inclusive
	Token   []uint16 // the password's code units I..J

	// dictionary
	Dict     int     // index of the dictionary (DictName)
	Rank     float64 // NaN where the reference's rank is not a number
	Reversed bool
	L33t     bool
	sub      []l33tPair // the substitutions the token uses

	// spatial
	graph        int
	Turns        int
	shiftedCount int

	// repeat
	BaseToken   []uint16
	baseGuesses float64
	repeatCount float64

	// sequence
	ascending bool

	// regex (recent_year) and date
	year      int
	separator bool

	guesses    float64
	guessesSet bool
	order      int // the reference's order among matches of the same span
}

// Guesses is the match's guess estimate as the search computed it.
func (m *Match) Guesses() float64 { return m.guesses }

// IsRecentYear reports whether m is the regex match recent_year (the only
// regex of the reference).
func (m *Match) IsRecentYear() bool { return m.Pattern == Regex }

// Result is most_guessable_match_sequence's answer.
type Result struct {
	Guesses  float64
	Sequence []*Match
}

// MostGuessable runs omnimatch and most_guessable_match_sequence of the
// reference on password (UTF-16 code units) with the user inputs, as
// zxcvbn(password, userInputs) does, with referenceYear as the reference's
// scoring.REFERENCE_YEAR.
func MostGuessable(password []uint16, userInputs []string, referenceYear int) Result {
	e := &engine{year: referenceYear, user: userDictionary(userInputs)}
	buf, _ := matchLists.Get().(*[]*Match)
	if buf == nil {
		buf = new([]*Match)
	}
	matches := e.omnimatch((*buf)[:0], password)
	r := e.mostGuessable(password, matches)
	e.release(r.Sequence)
	clear(matches)
	*buf = matches[:0]
	matchLists.Put(buf)
	return r
}

// matchLists holds the match lists of finished evaluations for the next
// ones (cleared: the matches are in released chunks).
var matchLists sync.Pool // of *[]*Match

// engine holds what one evaluation shares: the user inputs' dictionary and
// the reference year.
type engine struct {
	year int
	user *userDict
	// referenceL33t makes l33t matching run the reference's algorithm (one
	// dictionary pass per substitution table); tests compare the two.
	referenceL33t bool
	// steps counts the engine's unit steps (word-list narrowings, search
	// updates, repeat comparisons), so tests can bound its work without a
	// clock.
	steps int
	// bases holds the guesses of the repeat matches' base tokens scored
	// so far, by their units (two bytes each).
	bases map[string]float64
	// Matches are allocated from chunks, the last one slab.
	chunks []*[chunkSize]Match
	slab   []Match
}

// chunkSize is the number of matches in a chunk. A long password can make
// thousands of matches: chunks are reused from one evaluation to the next
// (spare), so that scoring each keystroke of one does not keep the garbage
// collector busy.
const chunkSize = 64

var spare sync.Pool // of *[chunkSize]Match, cleared

// next returns a new zero match in the engine's slab.
func (e *engine) next() *Match {
	if len(e.slab) == cap(e.slab) {
		c, _ := spare.Get().(*[chunkSize]Match)
		if c == nil {
			c = new([chunkSize]Match)
		}
		e.chunks = append(e.chunks, c)
		e.slab = c[:0]
	}
	e.slab = e.slab[:len(e.slab)+1]
	return &e.slab[len(e.slab)-1]
}

// alloc returns a pointer to a copy of m in the engine's slab.
func (e *engine) alloc(m Match) *Match {
	p := e.next()
	*p = m
	return p
}

// release copies the matches of sequence out of the engine's chunks and
// gives the chunks back for reuse, cleared (the matches hold slices of the
// password).
func (e *engine) release(sequence []*Match) {
	kept := make([]Match, len(sequence))
	for x, m := range sequence {
		kept[x] = *m
		sequence[x] = &kept[x]
	}
	for _, c := range e.chunks {
		clear(c[:])
		spare.Put(c)
	}
	e.chunks, e.slab = nil, nil
}

// Matcher ranks in omnimatch's order; a match's order is rank<<24 | detail.
const (
	rankDictionary = iota
	rankReverse
	rankL33t
	rankSpatial
	rankRepeat
	rankSequence
	rankRegex
	rankDate
)

// omnimatch is matching.omnimatch: every match, unsorted (the search
// orders them as the reference's sort would, see byEnd), appended to
// matches.
func (e *engine) omnimatch(matches []*Match, password []uint16) []*Match {
	lower := jsLower(password)
	// The l33t walk, where it runs, walks every path dictionary_match
	// does (each symbol standing for itself), and makes those matches too.
	// (The order of the matchers' matches is the search's to make.)
	matches, walked := e.l33tMatch(matches, password, lower)
	if !walked {
		matches = e.dictionaryMatch(matches, password, lower, false)
	}
	reversed := slices.Clone(password)
	slices.Reverse(reversed)
	matches = e.dictionaryMatch(matches, password, jsLower(reversed), true)
	matches = e.spatialMatch(matches, password)
	matches = e.repeatMatch(matches, password)
	matches = e.sequenceMatch(matches, password)
	matches = e.regexMatch(matches, password)
	matches = e.dateMatch(matches, password)
	return matches
}

// UTF16 returns s as JavaScript holds it: UTF-16 code units, each byte of
// invalid UTF-8 as U+FFFD (the user inputs are read the same way).
func UTF16(s string) []uint16 {
	u := make([]uint16, 0, len(s)) // a rune takes no more units than bytes
	for _, r := range s {
		u = utf16.AppendRune(u, r)
	}
	return u
}
