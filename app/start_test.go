package app

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// TestBackgroundWorkWaitsForTheAppToRun checks the real app's Env.Do: a
// callback sent before the app runs waits (Fyne's mobile driver would run it
// at once on the sender's goroutine, beside the main goroutine still
// building the screens) and runs once Fyne says the app has started.
func TestBackgroundWorkWaitsForTheAppToRun(t *testing.T) {
	a := test.NewTempApp(t)
	do := afterStart(a)
	ran := make(chan struct{})
	go do(func() { close(ran) })

	select {
	case <-ran:
		t.Fatal("the callback ran before the app started")
	case <-time.After(100 * time.Millisecond): // long enough for a goroutine to run it
	}

	// What the drivers call when the app runs; the test app never does.
	a.Lifecycle().(interface{ OnStarted() func() }).OnStarted()()
	select {
	case <-ran:
	case <-time.After(10 * time.Second):
		t.Fatal("the callback did not run after the app started")
	}
}
