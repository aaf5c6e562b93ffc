package screens

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// modal is a popup over a canvas that closes on Escape. While it is open the
// canvas's key handler hears Escape (when nothing is focused); the popup's
// own keyButtons and escEntries hear it when they have the focus, since a
// focused widget gets keys before the canvas.
type modal struct {
	canvas       fyne.Canvas
	popup        *widget.PopUp
	onEscape     func()
	prevTypedKey func(*fyne.KeyEvent)
	prevFocus    fyne.Focusable
	shown        bool
}

func newModal(c fyne.Canvas, content fyne.CanvasObject, onEscape func()) *modal {
	return &modal{canvas: c, popup: widget.NewModalPopUp(newPopupBox(c, content), c), onEscape: onEscape}
}

// show opens the popup and focuses first.
func (m *modal) show(first fyne.Focusable) {
	m.shown = true
	m.prevTypedKey = m.canvas.OnTypedKey()
	m.prevFocus = m.canvas.Focused()
	m.canvas.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			m.onEscape()
			return
		}
		if m.prevTypedKey != nil {
			m.prevTypedKey(ev)
		}
	})
	m.popup.Show()
	m.canvas.Focus(first)
}

// hide closes the popup and gives the focus back; it reports whether the
// popup was open.
func (m *modal) hide() bool {
	if !m.shown {
		return false
	}
	m.shown = false
	m.popup.Hide()
	m.canvas.SetOnTypedKey(m.prevTypedKey)
	if m.prevFocus != nil {
		m.canvas.Focus(m.prevFocus)
	} else {
		m.canvas.Unfocus()
	}
	return true
}

// popupLayout gives the popup a comfortable width (400 on a desktop, the
// screen less a margin on a phone) and an inner margin on every side: since
// Fyne 2.8 a PopUp adds none, so buttons would touch its edges. The margin
// is InnerPadding, so buttons sit that far from the edge and label text (which
// pads itself) twice that, as in a Material dialog.
type popupLayout struct{ canvas fyne.Canvas }

func popupInset() float32 { return theme.InnerPadding() }

func newPopupBox(c fyne.Canvas, content fyne.CanvasObject) fyne.CanvasObject {
	return &fyne.Container{Layout: popupLayout{canvas: c}, Objects: []fyne.CanvasObject{content}}
}

func (popupLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	in := popupInset()
	for _, o := range objs {
		o.Resize(size.SubtractWidthHeight(2*in, 2*in))
		o.Move(fyne.NewPos(in, in))
	}
}

func (l popupLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	w := float32(400)
	if cw := l.canvas.Size().Width - 4*theme.Padding(); cw > 0 && cw < w {
		w = cw
	}
	in := popupInset()
	return fyne.NewSize(max(s.Width+2*in, w), s.Height+2*in)
}
