package strength

import (
	"math"

	"salesplus/strength/internal/zxcvbn"
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

// feedback ports get_feedback of zxcvbn 4.4.2 onto the match sequence: the
// warning and suggestions come from the longest match; a score above 2 gets
// none; an empty sequence (the empty password) gets the default advice.
// Suggestions is never nil, so it encodes as [] in JSON.
func feedback(score int, sequence []*zxcvbn.Match) (warning string, suggestions []string) {
	if len(sequence) == 0 {
		return "", []string{SuggestionFewWords, SuggestionNoNeedForSymbols}
	}
	if score > 2 {
		return "", []string{}
	}
	// The first of the longest wins ties, as in the reference's strict ">";
	// lengths are in UTF-16 code units, as JavaScript's .length.
	longest := sequence[0]
	for _, m := range sequence[1:] {
		if len(m.Token) > len(longest.Token) {
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
// returns undefined (a bruteforce stretch).
func matchFeedback(m *zxcvbn.Match, soleMatch bool) (warning string, suggestions []string, known bool) {
	switch m.Pattern {
	case zxcvbn.Dictionary:
		warning, suggestions = dictionaryFeedback(m, soleMatch)
		return warning, suggestions, true
	case zxcvbn.Spatial:
		warning = WarningShortKeyboard
		if m.Turns == 1 {
			warning = WarningStraightRow
		}
		return warning, []string{SuggestionLongerKeyboard}, true
	case zxcvbn.Repeat:
		warning = WarningRepeatedPattern
		if len(m.BaseToken) == 1 {
			warning = WarningRepeatedChar
		}
		return warning, []string{SuggestionAvoidRepeats}, true
	case zxcvbn.Sequence:
		return WarningSequence, []string{SuggestionAvoidSequences}, true
	case zxcvbn.Regex: // recent_year, the reference's only regex
		return WarningRecentYear, []string{SuggestionAvoidRecentYears, SuggestionAvoidYoursYears}, true
	case zxcvbn.Date:
		return WarningDate, []string{SuggestionAvoidYoursDates}, true
	}
	return "", nil, false
}

// dictionaryFeedback is get_dictionary_match_feedback.
func dictionaryFeedback(m *zxcvbn.Match, soleMatch bool) (warning string, suggestions []string) {
	switch zxcvbn.DictName(m.Dict) {
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
		case guessesLog10(m.Guesses()) <= 4:
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
	if startUpper(word) {
		suggestions = append(suggestions, SuggestionCapitalization)
	} else if allUpper(word) && zxcvbn.LowerChanges(word) {
		suggestions = append(suggestions, SuggestionAllUppercase)
	}
	if m.Reversed && len(word) >= 4 {
		suggestions = append(suggestions, SuggestionReversedWords)
	}
	if m.L33t {
		suggestions = append(suggestions, SuggestionPredictableSubsts)
	}
	return warning, suggestions
}

// startUpper is the reference's START_UPPER, /^[A-Z][^A-Z]+$/, on code units.
func startUpper(word []uint16) bool {
	if len(word) < 2 || word[0] < 'A' || word[0] > 'Z' {
		return false
	}
	for _, c := range word[1:] {
		if c >= 'A' && c <= 'Z' {
			return false
		}
	}
	return true
}

// allUpper is the reference's ALL_UPPER, /^[^a-z]+$/, on code units.
func allUpper(word []uint16) bool {
	for _, c := range word {
		if c >= 'a' && c <= 'z' {
			return false
		}
	}
	return len(word) > 0
}

// guessesLog10 is the reference's scoring.log10, Math.log(n) / Math.log(10),
// kept in that form so values at powers of ten round the same way.
func guessesLog10(n float64) float64 { return math.Log(n) / math.Log(10) }
