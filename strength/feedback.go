package strength

import (
	"math"
	"regexp"
	"strings"
	"unicode/utf16"

	"github.com/trustelem/zxcvbn/match"
)

// The feedback texts, word for word as zxcvbn 4.4.2 writes them
// (src/feedback.coffee), so that the Go verdict and the JavaScript one read the
// same, and so that a translation table can key on them: Result.Warning and
// Result.Suggestions only ever hold these strings. TestMessagesMatchReference
// checks this list against the strings of the installed reference package.
const (
	WarningStraightRow       = "Straight rows of keys are easy to guess"
	WarningShortKeyboard     = "Short keyboard patterns are easy to guess"
	WarningRepeatedChar      = `Repeats like "aaa" are easy to guess`
	WarningRepeatedPattern   = `Repeats like "abcabcabc" are only slightly harder to guess than "abc"`
	WarningSequence          = "Sequences like abc or 6543 are easy to guess"
	WarningRecentYear        = "Recent years are easy to guess"
	WarningDate              = "Dates are often easy to guess"
	WarningTop10             = "This is a top-10 common password"
	WarningTop100            = "This is a top-100 common password"
	WarningVeryCommon        = "This is a very common password"
	WarningSimilarToCommon   = "This is similar to a commonly used password"
	WarningWordByItself      = "A word by itself is easy to guess"
	WarningNamesByThemselves = "Names and surnames by themselves are easy to guess"
	WarningCommonNames       = "Common names and surnames are easy to guess"

	SuggestionFewWords          = "Use a few words, avoid common phrases"
	SuggestionNoNeedForSymbols  = "No need for symbols, digits, or uppercase letters"
	SuggestionAddWord           = "Add another word or two. Uncommon words are better."
	SuggestionLongerKeyboard    = "Use a longer keyboard pattern with more turns"
	SuggestionAvoidRepeats      = "Avoid repeated words and characters"
	SuggestionAvoidSequences    = "Avoid sequences"
	SuggestionAvoidRecentYears  = "Avoid recent years"
	SuggestionAvoidYoursYears   = "Avoid years that are associated with you"
	SuggestionAvoidYoursDates   = "Avoid dates and years that are associated with you"
	SuggestionCapitalization    = "Capitalization doesn't help very much"
	SuggestionAllUppercase      = "All-uppercase is almost as easy to guess as all-lowercase"
	SuggestionReversedWords     = "Reversed words aren't much harder to guess"
	SuggestionPredictableSubsts = "Predictable substitutions like '@' instead of 'a' don't help very much"
)

// Messages lists every text Evaluate can put in a Result, warnings first, for
// translators and for tests.
var Messages = []string{
	WarningStraightRow, WarningShortKeyboard, WarningRepeatedChar, WarningRepeatedPattern,
	WarningSequence, WarningRecentYear, WarningDate, WarningTop10, WarningTop100,
	WarningVeryCommon, WarningSimilarToCommon, WarningWordByItself,
	WarningNamesByThemselves, WarningCommonNames,
	SuggestionFewWords, SuggestionNoNeedForSymbols, SuggestionAddWord,
	SuggestionLongerKeyboard, SuggestionAvoidRepeats, SuggestionAvoidSequences,
	SuggestionAvoidRecentYears, SuggestionAvoidYoursYears, SuggestionAvoidYoursDates,
	SuggestionCapitalization, SuggestionAllUppercase, SuggestionReversedWords,
	SuggestionPredictableSubsts,
}

// The reference's scoring.START_UPPER and scoring.ALL_UPPER. They are ASCII
// classes, and a negated class matches any code point in both JavaScript and
// Go, so they behave the same on UTF-16 and on UTF-8 text.
var (
	startUpper = regexp.MustCompile(`^[A-Z][^A-Z]+$`)
	allUpper   = regexp.MustCompile(`^[^a-z]+$`)
)

// feedback ports get_feedback of zxcvbn 4.4.2 onto trustelem's match
// sequence: the warning and suggestions come from the longest match; a score
// above 2 gets none; an empty sequence (the empty password) gets the default
// advice. Suggestions is never nil, so it encodes as [] in JSON.
func feedback(score int, sequence []*match.Match) (warning string, suggestions []string) {
	if len(sequence) == 0 {
		return "", []string{SuggestionFewWords, SuggestionNoNeedForSymbols}
	}
	if score > 2 {
		return "", []string{}
	}
	// The first of the longest wins ties, as in the reference's strict ">".
	// Lengths are counted in UTF-16 code units, as JavaScript's .length does.
	longest := sequence[0]
	for _, m := range sequence[1:] {
		if jsLength(m.Token) > jsLength(longest.Token) {
			longest = m
		}
	}
	warning, extra, known := matchFeedback(longest, len(sequence) == 1)
	suggestions = []string{SuggestionAddWord}
	if known {
		suggestions = append(suggestions, extra...)
	}
	return warning, suggestions
}

// matchFeedback is get_match_feedback: known is false where the reference
// returns undefined (a bruteforce stretch, an unknown regex).
func matchFeedback(m *match.Match, soleMatch bool) (warning string, suggestions []string, known bool) {
	switch m.Pattern {
	case "dictionary":
		warning, suggestions = dictionaryFeedback(m, soleMatch)
		return warning, suggestions, true
	case "spatial":
		warning = WarningShortKeyboard
		if m.Turns == 1 {
			warning = WarningStraightRow
		}
		return warning, []string{SuggestionLongerKeyboard}, true
	case "repeat":
		warning = WarningRepeatedPattern
		if jsLength(m.BaseToken) == 1 {
			warning = WarningRepeatedChar
		}
		return warning, []string{SuggestionAvoidRepeats}, true
	case "sequence":
		return WarningSequence, []string{SuggestionAvoidSequences}, true
	case "regex":
		if m.RegexName == "recent_year" {
			return WarningRecentYear, []string{SuggestionAvoidRecentYears, SuggestionAvoidYoursYears}, true
		}
	case "date":
		return WarningDate, []string{SuggestionAvoidYoursDates}, true
	}
	return "", nil, false
}

// dictionaryFeedback is get_dictionary_match_feedback.
func dictionaryFeedback(m *match.Match, soleMatch bool) (warning string, suggestions []string) {
	switch m.DictionaryName {
	case "passwords":
		switch {
		case soleMatch && !m.L33t && !m.Reversed:
			switch {
			case m.Rank <= 10:
				warning = WarningTop10
			case m.Rank <= 100:
				warning = WarningTop100
			default:
				warning = WarningVeryCommon
			}
		case guessesLog10(m.Guesses) <= 4:
			warning = WarningSimilarToCommon
		}
	case "english_wikipedia":
		if soleMatch {
			warning = WarningWordByItself
		}
	case "surnames", "male_names", "female_names":
		warning = WarningCommonNames
		if soleMatch {
			warning = WarningNamesByThemselves
		}
	}

	suggestions = []string{}
	word := m.Token
	if startUpper.MatchString(word) {
		suggestions = append(suggestions, SuggestionCapitalization)
	} else if allUpper.MatchString(word) && strings.ToLower(word) != word {
		suggestions = append(suggestions, SuggestionAllUppercase)
	}
	if m.Reversed && jsLength(word) >= 4 {
		suggestions = append(suggestions, SuggestionReversedWords)
	}
	if m.L33t {
		suggestions = append(suggestions, SuggestionPredictableSubsts)
	}
	return warning, suggestions
}

// guessesLog10 is the reference's scoring.log10, Math.log(n) / Math.log(10),
// kept in that form so values at powers of ten round the same way.
func guessesLog10(n float64) float64 { return math.Log(n) / math.Log(10) }

// jsLength is JavaScript's String.prototype.length of s: UTF-16 code units.
func jsLength(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r) // 2 for a surrogate pair; invalid bytes decode as U+FFFD, 1
	}
	return n
}
