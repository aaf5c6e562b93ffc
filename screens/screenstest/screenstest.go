// Package screenstest holds what the screens' and the app's tests share to
// drive real Fyne widgets on the test driver: a queue standing in for the UI
// event loop, waiting on it, key presses as the desktop driver delivers them,
// and the layout pass it does each frame. Only _test.go files import it.
package screenstest

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// Queue stands in for the UI event loop (pass q.Do where the code takes
// fyne.Do). Fyne's test driver runs fyne.Do inline on whatever goroutine
// calls it, which would let a worker touch widgets; queueing, and draining
// on the test goroutine, keeps every widget access on one goroutine, so
// -race checks the code's threading for real.
type Queue struct {
	mu  sync.Mutex
	fns []func()
}

// Do queues f; it is safe from any goroutine.
func (q *Queue) Do(f func()) {
	q.mu.Lock()
	q.fns = append(q.fns, f)
	q.mu.Unlock()
}

// Drain runs everything queued, including what the run functions queue.
// Call it from the test goroutine only.
func (q *Queue) Drain() {
	for {
		q.mu.Lock()
		fns := q.fns
		q.fns = nil
		q.mu.Unlock()
		if len(fns) == 0 {
			return
		}
		for _, f := range fns {
			f()
		}
	}
}

// Relayout lays out o and everything visible in it top-down, as the desktop
// driver does each frame. The test canvas does not, so an object shown
// after the first layout would keep a zero size: it would ignore taps and
// show wrongly in markup.
func Relayout(o fyne.CanvasObject) {
	if !o.Visible() {
		return
	}
	switch x := o.(type) {
	case *fyne.Container:
		if x.Layout != nil {
			x.Layout.Layout(x.Objects, x.Size())
		}
		for _, child := range x.Objects {
			Relayout(child)
		}
	case fyne.Widget:
		r := test.WidgetRenderer(x)
		r.Layout(x.Size())
		for _, child := range r.Objects() {
			Relayout(child)
		}
	}
}

// Eventually drains q until cond holds, and reports false if it still does
// not after timeout. The timeout only bounds a broken test; it asserts
// nothing about speed.
func Eventually(q *Queue, timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		q.Drain()
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// PressKey sends a key to the focused widget, or to the canvas when nothing
// has the focus, as the desktop driver does.
func PressKey(c fyne.Canvas, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
		return
	}
	if h := c.OnTypedKey(); h != nil {
		h(ev)
	}
}

// Walk visits o and the visible objects under it in tree order (the Tab
// order), widgets before what they render.
func Walk(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	visit(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			Walk(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			Walk(c, visit)
		}
	}
}
