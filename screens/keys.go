package screens

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Fyne delivers a key to the focused widget only, and no standard widget
// does anything with Escape. So that Escape goes back on a screen with a back
// arrow whatever has the focus, every focusable widget of such a screen is
// one of the small wrappers here (or keyButton / escEntry / usernameEntry /
// codeEntry), each calling its onEscape. The app's canvas handler covers the
// moment when nothing has the focus.

// escLink is a hyperlink that hears Escape, and Enter as well as Space (a
// Fyne Hyperlink hears Space only).
type escLink struct {
	widget.Hyperlink
	onEscape func()
}

// newEscLink returns a hyperlink that runs f when tapped (instead of opening
// a URL) and escape on Escape.
func newEscLink(text string, f, escape func()) *escLink {
	h := &escLink{onEscape: escape}
	h.Text = text
	h.OnTapped = f
	h.ExtendBaseWidget(h)
	return h
}

// TypedKey runs onEscape on Escape, follows the link on Enter and otherwise
// acts as a Hyperlink.
func (h *escLink) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyEscape:
		if h.onEscape != nil {
			h.onEscape()
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		if h.OnTapped != nil {
			h.OnTapped()
		}
	default:
		h.Hyperlink.TypedKey(ev)
	}
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
