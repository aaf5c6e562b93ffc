package strength

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// referenceSet is a file written by testdata/gen-reference.js: the verdicts of
// the JavaScript zxcvbn 4.4.2 package. Regenerate with
// `cd strength/testdata && npm ci && node gen-reference.js` (deterministic).
type referenceSet struct {
	ZxcvbnVersion string   `json:"zxcvbnVersion"`
	ReferenceYear int      `json:"referenceYear"`
	Generator     string   `json:"generator"`
	Messages      []string `json:"messages"`
	Cases         []struct {
		Password    string   `json:"password"`
		UserInputs  []string `json:"userInputs"`
		Score       int      `json:"score"`
		Warning     string   `json:"warning"`
		Suggestions []string `json:"suggestions"`
		Guesses     float64  `json:"guesses"`
		Category    string   `json:"category"`
	} `json:"cases"`
}

func loadReference(t *testing.T, name string) referenceSet {
	t.Helper()
	set := readReference(t, name)
	if set.ZxcvbnVersion != "4.4.2" {
		t.Fatalf("%s was made with zxcvbn %s, want 4.4.2", name, set.ZxcvbnVersion)
	}
	if len(set.Cases) < 150 {
		t.Fatalf("%s has %d cases, want at least 150", name, len(set.Cases))
	}
	return set
}

// pinReferenceYear makes Evaluate score dates and recent years against the
// year the reference file was made in, as the generator pins the JavaScript
// side: both otherwise use the current year, and the files would go stale.
// Tests that call it must not run in parallel with other Evaluate callers.
func pinReferenceYear(t *testing.T, year int) {
	t.Helper()
	saved := referenceYear
	referenceYear = func() int { return year }
	t.Cleanup(func() { referenceYear = saved })
}

// checkReference requires Evaluate to give exactly the reference's verdict on
// every case of a reference set: score, warning, suggestions, and guesses
// (log10 within 0.001).
func checkReference(t *testing.T, name string) {
	set := loadReference(t, name)
	pinReferenceYear(t, set.ReferenceYear)
	bad := 0
	for _, c := range set.Cases {
		got := Evaluate(c.Password, c.UserInputs)
		if !agrees(got, c.Score, c.Warning, c.Suggestions, c.Guesses) {
			bad++
			t.Errorf("%s %q (inputs %q): got score %d %q %q guesses %g, reference %d %q %q guesses %g",
				c.Category, c.Password, c.UserInputs, got.Score, got.Warning, got.Suggestions, got.Guesses,
				c.Score, c.Warning, c.Suggestions, c.Guesses)
		}
	}
	t.Logf("%s: %d cases, %d differ", name, len(set.Cases), bad)
}

// agrees compares a verdict with the reference's.
func agrees(got Result, score int, warning string, suggestions []string, guesses float64) bool {
	return got.Score == score && got.Warning == warning && slices.Equal(got.Suggestions, suggestions) &&
		math.Abs(math.Log10(got.Guesses)-math.Log10(guesses)) <= 0.001
}

// TestReferenceMain: hand-picked and templated passwords (generator A).
func TestReferenceMain(t *testing.T) { checkReference(t, "reference-main.json") }

// TestReferenceHeldOut: the held-out set (generator B), committed before the
// first port was tuned.
func TestReferenceHeldOut(t *testing.T) { checkReference(t, "reference-heldout.json") }

// TestReferenceLong: passwords of 65 to 256 UTF-16 units (generator C),
// scored whole.
func TestReferenceLong(t *testing.T) { checkReference(t, "reference-long.json") }

// TestReferenceAstral: 257 to 512 UTF-16 units in at most 256 runes
// (generator D), where bruteforce guesses stop at the largest number.
func TestReferenceAstral(t *testing.T) { checkReference(t, "reference-astral.json") }

// FuzzAgainstReference is a differential fuzz test against the committed
// reference results: its corpus is every case of every set, and an input that
// is a committed case must get the reference's verdict exactly. Inputs the
// fuzzer makes from them are checked for determinism here and, for the l33t
// walk, against the reference's own algorithm in internal/zxcvbn (FuzzL33tWalk).
func FuzzAgainstReference(f *testing.F) {
	type verdict struct {
		score       int
		warning     string
		suggestions []string
		guesses     float64
	}
	known := map[string]verdict{}
	key := func(password string, inputs []string) string { return password + "\x00" + strings.Join(inputs, "\x00") }
	year := 0
	for _, name := range []string{"reference-main.json", "reference-heldout.json", "reference-long.json", "reference-astral.json"} {
		set := readReference(f, name)
		year = set.ReferenceYear
		for _, c := range set.Cases {
			known[key(c.Password, c.UserInputs)] = verdict{c.Score, c.Warning, c.Suggestions, c.Guesses}
			f.Add(c.Password, strings.Join(c.UserInputs, "\x00"))
		}
	}
	saved := referenceYear
	referenceYear = func() int { return year }
	f.Cleanup(func() { referenceYear = saved })
	f.Fuzz(func(t *testing.T, password, joined string) {
		var inputs []string
		if joined != "" {
			inputs = strings.Split(joined, "\x00")
		}
		got := Evaluate(password, inputs)
		if want, ok := known[key(password, inputs)]; ok {
			if !agrees(got, want.score, want.warning, want.suggestions, want.guesses) {
				t.Fatalf("%q (inputs %q): got %d %q %q %g, reference %d %q %q %g", password, inputs,
					got.Score, got.Warning, got.Suggestions, got.Guesses, want.score, want.warning, want.suggestions, want.guesses)
			}
			return
		}
		if again := Evaluate(password, inputs); !sameResult(got, again) || got.Guesses != again.Guesses && got.Guesses == got.Guesses {
			t.Fatalf("%q: two verdicts %+v and %+v", password, got, again)
		}
	})
}

// readReference reads testdata/name; loadReference also checks that it is
// a full set made with zxcvbn 4.4.2.
func readReference(tb testing.TB, name string) referenceSet {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	var set referenceSet
	if err := json.Unmarshal(b, &set); err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return set
}
