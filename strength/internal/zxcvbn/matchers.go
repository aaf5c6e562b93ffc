package zxcvbn

import (
	"slices"
	"sync"
)

// shifted is the reference's SHIFTED_RX.
func shifted(c uint16) bool {
	if c >= 'A' && c <= 'Z' {
		return true
	}
	switch c {
	case '~', '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', '{', '}', '|', ':', '"', '<', '>', '?':
		return true
	}
	return false
}

// adjacency[graph][a][b] says where key b is next to key a: 0 if it is not,
// else the first direction (its index in graph[a]) whose keys hold b, plus
// one, with adjacentShifted set if b is that direction's shifted key. Built
// at first use, from the graphs.
var adjacency = sync.OnceValue(func() *[len(graphs)][128][128]uint8 {
	var t [len(graphs)][128][128]uint8
	for graph := range graphs {
		for a, directions := range graphs[graph] {
			for direction, keys := range directions {
				for at := range len(keys) {
					b := keys[at]
					if t[graph][a][b] != 0 {
						continue // an earlier direction or index holds b
					}
					t[graph][a][b] = uint8(direction + 1)
					if at == 1 {
						t[graph][a][b] |= adjacentShifted
					}
				}
			}
		}
	}
	return &t
})

const adjacentShifted = 0x80

// spatialMatch is matching.spatial_match over qwerty, dvorak, keypad and
// mac_keypad, in that order.
func (e *engine) spatialMatch(matches []*Match, password []uint16) []*Match {
	n := len(password)
	adjacent := adjacency()
	for graph := range graphs {
		i := 0
		for i < n-1 {
			j := i + 1
			lastDirection, turns, shiftedCount := -1, 0, 0
			if graph <= 1 && shifted(password[i]) {
				shiftedCount = 1
			}
			for {
				found := false
				if j < n && password[j-1] < 128 && password[j] < 128 {
					if a := adjacent[graph][password[j-1]][password[j]]; a != 0 {
						found = true
						if a&adjacentShifted != 0 {
							shiftedCount++
						}
						if direction := int(a&^adjacentShifted) - 1; lastDirection != direction {
							turns++
							lastDirection = direction
						}
					}
				}
				if found {
					j++
					continue
				}
				if j-i > 2 {
					matches = append(matches, e.alloc(Match{
						Pattern: Spatial, I: i, J: j - 1, Token: password[i:j],
						graph: graph, Turns: turns, shiftedCount: shiftedCount,
						order: rankSpatial<<24 | graph,
					}))
				}
				i = j
				break
			}
		}
	}
	return matches
}

func isLineTerminator(c uint16) bool {
	return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029
}

// lineEnds gives, for each unit of s, the first line terminator at or after
// it (len(s): none): "." stops there.
func lineEnds(s []uint16) []int32 {
	ends := make([]int32, len(s))
	end := int32(len(s))
	for i := len(s) - 1; i >= 0; i-- {
		if isLineTerminator(s[i]) {
			end = int32(i)
		}
		ends[i] = end
	}
	return ends
}

// findRepeat is RegExp.exec of /(.+)\1+/g (greedy) or /(.+?)\1+/g from unit
// from (ends: lineEnds(s)): the leftmost start, the base length the
// quantifier settles on, and the number of times the base occurs.
func (e *engine) findRepeat(s []uint16, ends []int32, from int, greedy bool) (start, baseLen, count int, ok bool) {
	for i := from; i < len(s); i++ {
		span := int(ends[i]) - i // units "." can take from i
		if span < 2 {
			continue
		}
		reps := func(l int) int {
			e.steps += l
			n := 1
			for (n+1)*l <= span && slices.Equal(s[i:i+l], s[i+n*l:i+(n+1)*l]) {
				n++
			}
			return n
		}
		if greedy {
			for l := span / 2; l >= 1; l-- {
				if s[i] == s[i+l] {
					if n := reps(l); n >= 2 {
						return i, l, n, true
					}
				}
			}
		} else {
			for l := 1; l <= span/2; l++ {
				if s[i] == s[i+l] {
					if n := reps(l); n >= 2 {
						return i, l, n, true
					}
				}
			}
		}
	}
	return 0, 0, 0, false
}

// shortestPeriod is the length of the capture of /^(.+?)\1+$/ on s, which is
// known to match.
func shortestPeriod(s []uint16) int {
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

// repeatMatch is matching.repeat_match; each base token is scored with the
// same user inputs, as the reference does.
func (e *engine) repeatMatch(matches []*Match, password []uint16) []*Match {
	ends := lineEnds(password)
	for last := 0; last < len(password); {
		start, greedyBase, greedyCount, ok := e.findRepeat(password, ends, last, true)
		if !ok {
			break
		}
		// The lazy regex matches first where the greedy one does (both
		// need a unit run repeated there), so it starts from there.
		_, lazyBase, lazyCount, _ := e.findRepeat(password, ends, start, false)
		length, baseLen := lazyBase*lazyCount, lazyBase
		if greedyBase*greedyCount > length {
			length = greedyBase * greedyCount
			baseLen = shortestPeriod(password[start : start+length])
		}
		base := password[start : start+baseLen]
		// The guesses of a base depend on its text only: a word repeated
		// in several places is scored once.
		key := string(utf16ToBytes(base))
		guesses, ok := e.bases[key]
		if !ok {
			guesses = e.mostGuessable(base, e.omnimatch(nil, base)).Guesses
			if e.bases == nil {
				e.bases = make(map[string]float64)
			}
			e.bases[key] = guesses
		}
		matches = append(matches, e.alloc(Match{
			Pattern: Repeat, I: start, J: start + length - 1, Token: password[start : start+length],
			BaseToken: base, baseGuesses: guesses, repeatCount: float64(length) / float64(baseLen),
			order: rankRepeat << 24,
		}))
		last = start + length
	}
	return matches
}

// sequenceMatch is matching.sequence_match, on code units.
func (e *engine) sequenceMatch(matches []*Match, password []uint16) []*Match {
	const maxDelta = 5
	n := len(password)
	if n <= 1 {
		return matches
	}
	update := func(i, j, delta int) {
		abs := max(delta, -delta)
		if (j-i > 1 || abs == 1) && abs > 0 && abs <= maxDelta {
			matches = append(matches, e.alloc(Match{
				Pattern: Sequence, I: i, J: j, Token: password[i : j+1],
				ascending: delta > 0, order: rankSequence << 24,
			}))
		}
	}
	i, lastDelta := 0, int(password[1])-int(password[0])
	for k := 1; k < n; k++ {
		delta := int(password[k]) - int(password[k-1])
		if delta == lastDelta {
			continue
		}
		update(i, k-1, lastDelta)
		i, lastDelta = k-1, delta
	}
	update(i, n-1, lastDelta)
	return matches
}

func isDigit(c uint16) bool { return c >= '0' && c <= '9' }

// regexMatch is matching.regex_match with the reference's one regex,
// recent_year: /19\d\d|200\d|201\d/g.
func (e *engine) regexMatch(matches []*Match, password []uint16) []*Match {
	s := password
	for i := 0; i+4 <= len(s); {
		ok := s[i] == '1' && s[i+1] == '9' && isDigit(s[i+2]) && isDigit(s[i+3]) ||
			s[i] == '2' && s[i+1] == '0' && (s[i+2] == '0' || s[i+2] == '1') && isDigit(s[i+3])
		if !ok {
			i++
			continue
		}
		year := int(s[i]-'0')*1000 + int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0')
		matches = append(matches, e.alloc(Match{
			Pattern: Regex, I: i, J: i + 3, Token: s[i : i+4], year: year, order: rankRegex << 24,
		}))
		i += 4
	}
	return matches
}

const (
	dateMinYear = 1000
	dateMaxYear = 2050
)

// dateSplits is the reference's DATE_SPLITS, by token length.
var dateSplits = [...][][2]int{
	4: {{1, 2}, {2, 3}},
	5: {{1, 3}, {2, 3}},
	6: {{1, 2}, {2, 4}, {4, 5}},
	7: {{1, 3}, {2, 3}, {4, 5}, {4, 6}},
	8: {{2, 4}, {4, 6}},
}

// isJSSpace is JavaScript's \s.
func isJSSpace(c uint16) bool {
	switch c {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0x00A0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return c >= 0x2000 && c <= 0x200A
}

func isDateSeparator(c uint16) bool {
	return isJSSpace(c) || c == '/' || c == '\\' || c == '_' || c == '.' || c == '-'
}

func digitsValue(s []uint16) int {
	v := 0
	for _, c := range s {
		v = v*10 + int(c-'0')
	}
	return v
}

type dmy struct{ year, month, day int }

// dateMatch is matching.date_match.
// The reference drops every date inside another, so of the dates that start
// at a unit only the longest can stay: it is the one looked for.
func (e *engine) dateMatch(matches []*Match, password []uint16) []*Match {
	n := len(password)
	var dates []dateSpan
	for i := 0; i <= n-4; i++ {
		d, ok := separatedDate(password, i)
		if plain, found := plainDate(password, i, e.year); found && (!ok || plain.j > d.j) {
			d, ok = plain, true
		}
		if ok {
			dates = append(dates, d)
		}
	}
	for _, d := range outermost(dates, n) {
		matches = append(matches, e.alloc(Match{
			Pattern: Date, I: d.i, J: d.j, Token: password[d.i : d.j+1], year: d.year, separator: d.separator, order: rankDate << 24,
		}))
	}
	return matches
}

// plainDate is the longest date without separators that starts at unit i:
// 4 to 8 digits, the year of the split nearest referenceYear.
func plainDate(password []uint16, i, referenceYear int) (dateSpan, bool) {
	digits := 0
	for i+digits < len(password) && digits < 8 && isDigit(password[i+digits]) {
		digits++
	}
	for j := i + digits - 1; j >= i+3; j-- {
		token := password[i : j+1]
		var best dmy
		found := false
		bestDistance := 0
		for _, split := range dateSplits[len(token)] {
			k, l := split[0], split[1]
			middle := digitsValue(token[k:l])
			if middle > 31 || middle <= 0 {
				continue // map_ints_to_dmy's first test
			}
			d, ok := mapIntsToDMY([3]int{digitsValue(token[:k]), middle, digitsValue(token[l:])})
			if !ok {
				continue
			}
			distance := abs(d.year - referenceYear)
			if !found || distance < bestDistance {
				best, bestDistance, found = d, distance, true
			}
		}
		if found {
			return dateSpan{i, j, best.year, false}, true
		}
	}
	return dateSpan{}, false
}

// separatedDate is the longest date with separators that starts at unit i:
// /^(\d{1,4})([\s\/\\_.-])(\d{1,2})\2(\d{1,4})$/ on 6 to 10 units.
func separatedDate(password []uint16, i int) (dateSpan, bool) {
	for j := min(i+9, len(password)-1); j >= i+5; j-- {
		token := password[i : j+1]
		a := 0
		for a < len(token) && a < 5 && isDigit(token[a]) {
			a++
		}
		if a < 1 || a > 4 || a >= len(token) || !isDateSeparator(token[a]) {
			return dateSpan{}, false // the same for every shorter token
		}
		sep := token[a]
		b := a + 1
		for b < len(token) && isDigit(token[b]) {
			b++
		}
		if b-a-1 < 1 || b-a-1 > 2 || b >= len(token) || token[b] != sep {
			continue
		}
		rest := token[b+1:]
		if len(rest) < 1 || len(rest) > 4 || !allDigits(rest) {
			continue
		}
		d, ok := mapIntsToDMY([3]int{digitsValue(token[:a]), digitsValue(token[a+1 : b]), digitsValue(rest)})
		if !ok {
			continue
		}
		return dateSpan{i, j, d.year, true}, true
	}
	return dateSpan{}, false
}

// dateSpan is a date candidate: units i..j, its year, whether it has
// separators.
type dateSpan struct {
	i, j, year int
	separator  bool
}

// outermost drops the dates inside other dates. No two dates have the same
// span, so m is inside another date if one starts before it and ends at or
// after its end, or starts with it and ends after.
func outermost(dates []dateSpan, n int) []dateSpan {
	if len(dates) < 2 {
		return dates
	}
	lastEnd := make([]int, n+1)   // by start, the last end of a date starting there
	endBefore := make([]int, n+1) // by start, the last end of a date starting before it
	for x := range lastEnd {
		lastEnd[x], endBefore[x] = -1, -1
	}
	for _, d := range dates {
		lastEnd[d.i] = max(lastEnd[d.i], d.j)
	}
	for x := 1; x <= n; x++ {
		endBefore[x] = max(endBefore[x-1], lastEnd[x-1])
	}
	out := dates[:0]
	for _, d := range dates {
		if endBefore[d.i] < d.j && lastEnd[d.i] <= d.j {
			out = append(out, d)
		}
	}
	return out
}

func allDigits(s []uint16) bool {
	for _, c := range s {
		if !isDigit(c) {
			return false
		}
	}
	return len(s) > 0
}

func abs(x int) int { return max(x, -x) }

// mapIntsToDMY is matching.map_ints_to_dmy.
func mapIntsToDMY(ints [3]int) (dmy, bool) {
	if ints[1] > 31 || ints[1] <= 0 {
		return dmy{}, false
	}
	over12, over31, under1 := 0, 0, 0
	for _, v := range ints {
		if 99 < v && v < dateMinYear || v > dateMaxYear {
			return dmy{}, false
		}
		if v > 31 {
			over31++
		}
		if v > 12 {
			over12++
		}
		if v <= 0 {
			under1++
		}
	}
	if over31 >= 2 || over12 == 3 || under1 >= 2 {
		return dmy{}, false
	}
	splits := [2]struct {
		y    int
		rest [2]int
	}{{ints[2], [2]int{ints[0], ints[1]}}, {ints[0], [2]int{ints[1], ints[2]}}}
	for _, s := range splits {
		if dateMinYear <= s.y && s.y <= dateMaxYear {
			d, m, ok := mapIntsToDM(s.rest)
			if !ok {
				return dmy{}, false
			}
			return dmy{s.y, m, d}, true
		}
	}
	for _, s := range splits {
		if d, m, ok := mapIntsToDM(s.rest); ok {
			return dmy{twoToFourDigitYear(s.y), m, d}, true
		}
	}
	return dmy{}, false
}

func mapIntsToDM(ints [2]int) (day, month int, ok bool) {
	for _, p := range [2][2]int{ints, {ints[1], ints[0]}} {
		d, m := p[0], p[1]
		if 1 <= d && d <= 31 && 1 <= m && m <= 12 {
			return d, m, true
		}
	}
	return 0, 0, false
}

func twoToFourDigitYear(year int) int {
	switch {
	case year > 99:
		return year
	case year > 50:
		return year + 1900
	default:
		return year + 2000
	}
}
