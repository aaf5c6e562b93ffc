package screens

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"fyne.io/fyne/v2/test"

	"salesplus/screens/screenstest"
	"salesplus/strength"
)

// TestScoringThreadRunsAtBackgroundPriority checks that the strength meter
// scores on a thread at background priority, that the UI goroutine's thread
// keeps normal priority, and that the scoring thread ends with the screen
// instead of going back to the runtime, still at low priority, to run other
// goroutines.
func TestScoringThreadRunsAtBackgroundPriority(t *testing.T) {
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

	// Relative to the process: the tests may run under nice.
	base := threadNice(t, os.Getpid())
	if got, want := threadNice(t, tid), min(base+backgroundNiceStep, 19); got != want {
		t.Errorf("scoring thread %d has nice %d, want %d (the process has %d)", tid, got, want, base)
	}
	if got := threadNice(t, syscall.Gettid()); got != base {
		t.Errorf("the test's own thread has nice %d, want the process's %d", got, base)
	}

	life.cancel()
	eventually(t, q, fmt.Sprintf("scoring thread %d to end", tid), func() bool {
		_, err := os.Stat(fmt.Sprintf("/proc/self/task/%d", tid))
		return os.IsNotExist(err)
	})
}

// threadNice reads a thread's nice value from /proc (field 19 of stat).
func threadNice(t *testing.T, tid int) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/self/task/%d/stat", tid))
	if err != nil {
		t.Fatal(err)
	}
	// The fields after the command name, which is in parentheses, start
	// with field 3 (state).
	fields := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	n, err := strconv.Atoi(fields[19-3])
	if err != nil {
		t.Fatalf("stat of thread %d: %v", tid, err)
	}
	return n
}
