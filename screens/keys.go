package screens

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Fyne delivers a key to the focused widget only, and no standard widget
// does anything with Escape. So that Escape goes back (or closes a popup)
// whatever has the focus, every focusable widget of such a screen is one of
// the wrappers here, each calling its onEscape. The app's canvas handler
// covers the moment when nothing has the focus.

// escape runs f when ev is Escape, and reports whether it was.
func escape(ev *fyne.KeyEvent, f func()) bool {
	if ev.Name != fyne.KeyEscape {
		return false
	}
	if f != nil {
		f()
	}
	return true
}

// escapeOrEnter runs onEscape on Escape and onEnter on Enter or Return
// (either may be nil), and reports whether ev was one of them.
func escapeOrEnter(ev *fyne.KeyEvent, onEscape, onEnter func()) bool {
	if escape(ev, onEscape) {
		return true
	}
	if ev.Name != fyne.KeyReturn && ev.Name != fyne.KeyEnter {
		return false
	}
	if onEnter != nil {
		onEnter()
	}
	return true
}

// keyButton is a Button that also hears Escape, and Enter while it has the
// focus.
type keyButton struct {
	widget.Button
	onEscape func()
	name     string // what a screen reader says for an icon-only button
	focused  bool   // draws the focus ring (focus.go)
}

func newKeyButton(label string, tapped, escape func()) *keyButton {
	b := &keyButton{Button: widget.Button{Text: label, OnTapped: tapped}, onEscape: escape}
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey runs onEscape on Escape, presses on Enter and otherwise acts as
// a Button.
func (b *keyButton) TypedKey(ev *fyne.KeyEvent) {
	press := func() {
		if !b.Disabled() && b.OnTapped != nil {
			b.OnTapped()
		}
	}
	if !escapeOrEnter(ev, b.onEscape, press) {
		b.Button.TypedKey(ev)
	}
}

// AccessibilityLabel is the button's name when it has no text.
func (b *keyButton) AccessibilityLabel() string {
	if b.Text == "" && b.name != "" {
		return b.name
	}
	return b.Button.AccessibilityLabel()
}

// escEntry is an Entry that hears Escape, and tells when it loses the focus.
type escEntry struct {
	widget.Entry
	onEscape    func()
	onFocusLost func()
	reveal      func() // set by page: scrolls the field into view
}

func (e *escEntry) revealWith(f func()) { e.reveal = f }

// FocusGained acts as an Entry's, then scrolls the field into view, so Tab
// never leaves the cursor in a field below the fold on a phone.
func (e *escEntry) FocusGained() {
	e.Entry.FocusGained()
	if e.reveal != nil {
		e.reveal()
	}
}

// FocusLost acts as an Entry's, then runs onFocusLost.
func (e *escEntry) FocusLost() {
	e.Entry.FocusLost()
	if e.onFocusLost != nil {
		e.onFocusLost()
	}
}

func newEscEntry(escape func()) *escEntry {
	e := &escEntry{onEscape: escape}
	e.ExtendBaseWidget(e)
	return e
}

// newEscPasswordEntry is a password entry that hears Escape. Fyne adds the
// show/hide eye itself when the entry's renderer is made, bound to this
// wrapper (it focuses the extended widget).
func newEscPasswordEntry(escape func()) *escEntry {
	e := &escEntry{onEscape: escape}
	e.Password = true
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey runs onEscape on Escape and otherwise acts as an Entry.
func (e *escEntry) TypedKey(ev *fyne.KeyEvent) {
	if !escape(ev, e.onEscape) {
		e.Entry.TypedKey(ev)
	}
}

// escLink is a hyperlink that hears Escape, and Enter as well as Space (a
// Fyne Hyperlink hears Space only).
type escLink struct {
	widget.Hyperlink
	onEscape func()
}

// newEscLink returns a hyperlink that runs f when tapped (instead of opening
// a URL) and escape on Escape.
func newEscLink(text string, f, escape func()) *escLink {
	h := &escLink{Hyperlink: widget.Hyperlink{Text: text, OnTapped: f}, onEscape: escape}
	h.ExtendBaseWidget(h)
	return h
}

// TypedKey runs onEscape on Escape, follows the link on Enter and otherwise
// acts as a Hyperlink.
func (h *escLink) TypedKey(ev *fyne.KeyEvent) {
	if !escapeOrEnter(ev, h.onEscape, h.OnTapped) {
		h.Hyperlink.TypedKey(ev)
	}
}
