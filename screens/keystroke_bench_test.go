package screens

import (
	"runtime"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"salesplus/strength"
)

// The texts typed one character at a time: 64 runes each.
const (
	// benchMixed is a realistic long passphrase: words, digits, symbols.
	benchMixed = "Kite-Harbor-42!blue Otter sings 7 times; Mango&Pepper#2026 rocks"
	// benchLeet is dense in l33t symbols, the expensive case for zxcvbn.
	benchLeet = "p@55w0rd!1337h4x0r$3cur3+l0g1n@dm1n#5@l35|p1u5!7r0ub4d0r&3=k33p!"
)

// uiLoop stands in for Fyne's event loop in the benchmark: Env.Do sends to
// it and the benchmark goroutine (the "UI goroutine") runs what arrives,
// timing each callback.
type uiLoop struct{ ch chan func() }

func (l *uiLoop) Do(f func()) { l.ch <- f }

// BenchmarkKeystrokeToLabel types 64 characters one at a time into the Reset
// Password screen's new-password entry, with the real scoring worker and
// strength.Evaluate, waiting after each key until the strength label shows
// the verdict for the text typed so far (a rep typing no faster than the
// scorer). It reports, over every keystroke of every iteration:
//
//   - p50-ms, p99-ms: time from the key event until the label is final;
//   - max-ui-block-ms: the longest single stretch the UI goroutine spent in
//     the key handler (TypedRune, which runs OnChanged) or in one Env.Do
//     callback, wall clock (max-key-ms and max-do-ms split it); the test
//     driver does not paint, so drawing is not included;
//   - max-ui-cpu-ms: the same stretches in CPU time of the UI thread (Linux),
//     which leaves out the time the thread waited for a core;
//   - ui-preempted: how many times, over all those stretches, the kernel
//     took the UI thread's core away (involuntary context switches, Linux).
//
// As in the app, the app's theme is installed, and the screens before this
// one have measured text (loading the fonts): a first screen is typed into
// before the timing, and its garbage collected.
//
// Goal (issue 10): p99 at most 2 ms, no block over 2 ms, with the scorer on
// the runtime's shared threads as the app runs it.
func BenchmarkKeystrokeToLabel(b *testing.B) {
	for _, tc := range []struct{ name, text string }{{"mixed", benchMixed}, {"leet", benchLeet}} {
		b.Run(tc.name, func(b *testing.B) { benchmarkKeystrokes(b, tc.name, tc.text) })
	}
}

// benchmarkKeystrokes types text (64 runes) and reports the metrics above.
func benchmarkKeystrokes(b *testing.B, name, text string) {
	if n := len([]rune(text)); n != 64 {
		b.Fatalf("%s has %d runes, want 64", name, n)
	}
	a := test.NewTempApp(b)
	a.Settings().SetTheme(Theme(a.Settings().Theme()))
	strength.Evaluate("warm up the dictionaries", nil)
	typeAndWait(b, "the fonts load as the screens before this one measure text", &uiMeasure{})
	runtime.GC()
	var latencies []time.Duration
	var m uiMeasure
	runtime.LockOSThread() // the UI thread, so its CPU time can be read
	defer runtime.UnlockOSThread()
	for b.Loop() {
		latencies = append(latencies, typeAndWait(b, text, &m)...)
	}
	slices.Sort(latencies)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(percentile(latencies, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(latencies, 99)), "p99-ms")
	b.ReportMetric(ms(latencies[len(latencies)-1]), "max-ms")
	b.ReportMetric(ms(max(m.maxKey, m.maxDo)), "max-ui-block-ms")
	b.ReportMetric(ms(m.maxKey), "max-key-ms")
	b.ReportMetric(ms(m.maxDo), "max-do-ms")
	if _, _, ok := threadUsage(); ok {
		b.ReportMetric(ms(m.maxCPU), "max-ui-cpu-ms")
		b.ReportMetric(float64(m.preempted), "ui-preempted")
	}
}

// uiMeasure keeps the longest UI-goroutine stretches seen, and counts the
// times the UI thread lost its core during them.
type uiMeasure struct {
	maxKey, maxDo, maxCPU time.Duration
	preempted             int64
}

// onUI runs f as the UI goroutine would and records how long it took, wall
// clock into *wall and CPU time into maxCPU.
func (m *uiMeasure) onUI(wall *time.Duration, f func()) {
	c0, p0, _ := threadUsage()
	t0 := time.Now()
	f()
	*wall = max(*wall, time.Since(t0))
	c1, p1, _ := threadUsage()
	m.maxCPU = max(m.maxCPU, time.Duration(c1-c0))
	m.preempted += p1 - p0
}

// typeAndWait builds a reset screen, types text into the new password one
// rune at a time and returns each keystroke's latency; m records the UI
// goroutine's longest stretches.
func typeAndWait(b *testing.B, text string, m *uiMeasure) (lat []time.Duration) {
	loop := &uiLoop{ch: make(chan func(), 64)}
	env := Env{Do: loop.Do, Tick: time.Hour}
	s := NewResetPassword(env, &fakeResetter{}, Account{Username: "rep@example.com", Email: "rep@example.com"}, nil, ResetActions{})
	defer s.Close()
	w := test.NewTempWindow(b, s.Content())
	w.Resize(fyne.NewSize(360, 640))
	w.Canvas().Focus(s.newPassword)

	typed := []rune{}
	for _, r := range text {
		typed = append(typed, r)
		want := "Password strength: " // the level is whatever Evaluate says for typed
		start := time.Now()
		m.onUI(&m.maxKey, func() { s.newPassword.TypedRune(r) })
		if s.newPassword.Text != string(typed) {
			b.Fatalf("entry holds %q, want %q", s.newPassword.Text, string(typed))
		}
		for !(s.meter.scored && s.meter.text == string(typed)) {
			m.onUI(&m.maxDo, <-loop.ch)
		}
		lat = append(lat, time.Since(start))
		if got := s.meter.level.Text; len(got) <= len(want) || got[:len(want)] != want {
			b.Fatalf("label %q after %q", got, string(typed))
		}
	}
	// The final label is the verdict for the whole text.
	if want := "Password strength: " + strength.Evaluate(text, s.meter.inputs).Level.String(); s.meter.level.Text != want {
		b.Fatalf("final label %q, want %q", s.meter.level.Text, want)
	}
	return lat
}

// percentile of sorted durations, nearest rank.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (p*len(sorted)+99)/100 - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
