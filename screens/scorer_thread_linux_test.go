package screens

import (
	"fmt"
	"os"
	"syscall"
	"testing"

	"fyne.io/fyne/v2/test"

	"salesplus/screens/screenstest"
	"salesplus/strength"
)

// TestScoringThreadEndsWithTheScreen checks that the strength meter scores
// on an OS thread of its own, away from the test's (the UI's) thread, and
// that the thread ends when the screen closes instead of going back to the
// runtime.
func TestScoringThreadEndsWithTheScreen(t *testing.T) {
	test.NewTempApp(t)
	q := &screenstest.Queue{}
	life := newLifetime()
	t.Cleanup(life.cancel)
	scorer := make(chan int, 1)
	evaluate := func(text string, inputs []string) strength.Result {
		select {
		case scorer <- syscall.Gettid():
		default:
		}
		return strength.Evaluate(text, inputs)
	}
	m := newStrengthMeter(testEnv(q, newFakeClock()), life, evaluate, nil)
	m.submit("Harbor-Lantern")
	tid := <-scorer
	eventually(t, q, "the label shows a score", func() bool { return m.scored })
	if tid == syscall.Gettid() {
		t.Fatalf("scored on the test's own thread %d", tid)
	}

	life.cancel()
	eventually(t, q, fmt.Sprintf("scoring thread %d to end", tid), func() bool {
		_, err := os.Stat(fmt.Sprintf("/proc/self/task/%d", tid))
		return os.IsNotExist(err)
	})
}
