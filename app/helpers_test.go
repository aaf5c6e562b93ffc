package app

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"salesplus/screens/screenstest"
)

// ui drives the app the way a person does: by the words on the screen.
type ui struct {
	t *testing.T
	q *screenstest.Queue
	w fyne.Window
}

// eventually drains the UI queue until cond holds; the deadline only stops
// a broken test.
func (u *ui) eventually(what string, cond func() bool) {
	u.t.Helper()
	if !screenstest.Eventually(u.q, 20*time.Second, cond) {
		u.t.Fatalf("timed out waiting for %s; the screen shows:\n%s", what, u.text())
	}
}

func (u *ui) roots() []fyne.CanvasObject {
	c := u.w.Canvas()
	return append([]fyne.CanvasObject{c.Content()}, c.Overlays().List()...)
}

// text is everything the screen shows, one line per text object.
func (u *ui) text() string {
	var b strings.Builder
	for _, r := range u.roots() {
		screenstest.Walk(r, func(o fyne.CanvasObject) {
			if t, ok := o.(*canvas.Text); ok && strings.TrimSpace(t.Text) != "" {
				b.WriteString(t.Text)
				b.WriteByte('\n')
			}
		})
	}
	return b.String()
}

// shows reports whether the screen shows s (wrapped lines are joined).
func (u *ui) shows(s string) bool {
	return strings.Contains(strings.ReplaceAll(u.text(), "\n", " "), s)
}

func (u *ui) waitFor(s string) {
	u.t.Helper()
	u.eventually("“"+s+"”", func() bool { return u.shows(s) })
}

// find returns the innermost tappable widget showing label, or nil. It looks
// in the topmost popup first, as only that one takes taps while it is open.
func (u *ui) find(label string) fyne.Tappable {
	var found fyne.Tappable
	roots := u.roots()
	slices.Reverse(roots)
	for _, r := range roots {
		var stack []fyne.Tappable
		var visitTree func(o fyne.CanvasObject)
		visitTree = func(o fyne.CanvasObject) {
			if o == nil || !o.Visible() || found != nil {
				return
			}
			tap, isTap := o.(fyne.Tappable)
			if isTap {
				stack = append(stack, tap)
			}
			if t, ok := o.(*canvas.Text); ok && strings.TrimSpace(t.Text) == label && len(stack) > 0 {
				found = stack[len(stack)-1]
			}
			switch x := o.(type) {
			case *fyne.Container:
				for _, c := range x.Objects {
					visitTree(c)
				}
			case fyne.Widget:
				for _, c := range test.WidgetRenderer(x).Objects() {
					visitTree(c)
				}
			}
			if isTap {
				stack = stack[:len(stack)-1]
			}
		}
		visitTree(r)
		if found != nil {
			return found
		}
	}
	return nil
}

// tap taps what shows label, which must be there and enabled.
func (u *ui) tap(label string) {
	u.t.Helper()
	w := u.find(label)
	if w == nil {
		u.t.Fatalf("nothing to tap labelled %q; the screen shows:\n%s", label, u.text())
	}
	if d, ok := w.(fyne.Disableable); ok && d.Disabled() {
		u.t.Fatalf("%q is disabled", label)
	}
	u.relayout()
	test.TapAt(w, fyne.NewPos(12, 12)) // on the text, for hyperlinks
}

// enabled reports whether the widget labelled label can be used.
func (u *ui) enabled(label string) bool {
	w := u.find(label)
	if w == nil {
		return false
	}
	d, ok := w.(fyne.Disableable)
	return !ok || !d.Disabled()
}

// field returns the entry that follows the field label.
func (u *ui) field(label string) fyne.Focusable {
	u.t.Helper()
	var field fyne.Focusable
	seen := false
	for _, r := range u.roots() {
		screenstest.Walk(r, func(o fyne.CanvasObject) {
			if field != nil {
				return
			}
			if t, ok := o.(*canvas.Text); ok && t.Text == label {
				seen = true
				return
			}
			if f, ok := o.(fyne.Focusable); ok && seen {
				field = f
			}
		})
	}
	if field == nil {
		u.t.Fatalf("no field labelled %q; the screen shows:\n%s", label, u.text())
	}
	return field
}

// typeInto focuses the field and types s, like a person.
func (u *ui) typeInto(label, s string) {
	u.t.Helper()
	f := u.field(label)
	u.w.Canvas().Focus(f)
	test.Type(f, s)
}

// clear empties a field (select all, delete).
func (u *ui) clear(label string) {
	f := u.field(label)
	u.w.Canvas().Focus(f)
	f.(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutSelectAll{})
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
}

// press sends a key as the desktop driver does.
func (u *ui) press(name fyne.KeyName) { screenstest.PressKey(u.w.Canvas(), name) }

// relayout lays the window out top-down, as the desktop driver does each
// frame; the test canvas does not, and a link shown after the first layout
// would keep a zero size and ignore taps.
func (u *ui) relayout() {
	for _, r := range u.roots() {
		screenstest.Relayout(r)
	}
}

// back taps the header's back arrow, found by its accessible name.
func (u *ui) back() {
	u.t.Helper()
	var found fyne.Tappable
	for _, r := range u.roots() {
		screenstest.Walk(r, func(o fyne.CanvasObject) {
			b, ok := o.(fyne.Tappable)
			named, hasName := o.(interface{ AccessibilityLabel() string })
			if ok && hasName && found == nil && named.AccessibilityLabel() == "Back" {
				found = b
			}
		})
	}
	if found == nil {
		u.t.Fatalf("no back button; the screen shows:\n%s", u.text())
	}
	test.Tap(found)
}
