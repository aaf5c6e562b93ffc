package screens

import (
	"runtime"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"salesplus/internal/testclock"
	"salesplus/screens/screenstest"
)

// init keeps the main thread for the main goroutine, as Fyne's drivers do
// in the app. Otherwise the strength meter's scorer, a locked goroutine,
// could run and end on the main thread, which the runtime then parks for
// ever instead of ending it, and the check in scorer_thread_linux_test.go that
// the scorer's thread ends would fail for no fault of the app.
func init() { runtime.LockOSThread() }

// eventually drains the queue until cond holds, failing after a generous
// deadline.
func eventually(t *testing.T, q *screenstest.Queue, what string, cond func() bool) {
	t.Helper()
	if !screenstest.Eventually(q, 10*time.Second, cond) {
		t.Fatalf("timed out waiting for: %s", what)
	}
}

// newFakeClock is a clock the test sets, so countdowns and masters are
// deterministic.
func newFakeClock() *testclock.Clock {
	return testclock.New(time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC))
}

// testEnv wires a screen to the queue and the clock. Tick is long so the
// background ticker never changes what a test looks at; tests refresh by hand.
func testEnv(q *screenstest.Queue, c *testclock.Clock) Env {
	return Env{Do: q.Do, Now: c.Now, Debounce: 20 * time.Millisecond, Tick: time.Hour}
}

// screen is what every screen offers the app.
type screen interface {
	Content() fyne.CanvasObject
	Close()
}

// show puts s in a phone-sized test window.
func show(t *testing.T, s screen) fyne.Window {
	t.Helper()
	w := test.NewTempWindow(t, s.Content())
	w.Resize(fyne.NewSize(360, 640))
	t.Cleanup(s.Close)
	return w
}

func visible(o fyne.CanvasObject) bool { return o.Visible() }

func shown(l *widget.Label) string {
	if !l.Visible() {
		return ""
	}
	return l.Text
}

// tapLink taps a hyperlink on its text (a tap beside the text does nothing).
func tapLink(h fyne.Tappable) { test.TapAt(h, fyne.NewPos(12, 12)) }

// assertMarkup compares the window with its master after a full layout.
func assertMarkup(t *testing.T, master string, w fyne.Window) {
	t.Helper()
	screenstest.Relayout(w.Canvas().Content())
	for _, o := range w.Canvas().Overlays().List() {
		screenstest.Relayout(o)
	}
	test.AssertRendersToMarkup(t, master, w.Canvas())
}
