package screens

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// maxContentWidth keeps forms readable on a desktop window; on a phone the
// column simply takes the whole width.
const maxContentWidth = 480

// columnLayout centres its single child and caps its width.
type columnLayout struct{}

func (columnLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		w := min(size.Width, maxContentWidth)
		o.Resize(fyne.NewSize(w, size.Height))
		o.Move(fyne.NewPos((size.Width-w)/2, 0))
	}
}

func (columnLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// page lays a screen out: a header with the title (and an optional back
// button), the body in a scrolling, width-capped column, and an optional
// footer pinned under it so the main action stays in reach on a phone.
// The back button also goes back on Escape while it has the focus.
func page(title string, back func(), footer fyne.CanvasObject, body ...fyne.CanvasObject) fyne.CanvasObject {
	heading := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	heading.SizeName = theme.SizeNameSubHeadingText
	var header fyne.CanvasObject = heading
	if back != nil {
		b := newKeyButton("", back, back)
		b.Icon = theme.NavigateBackIcon()
		b.Importance = widget.LowImportance
		b.name = "Back"
		header = container.NewBorder(nil, nil, b, nil, heading)
	}
	column := container.NewVBox(body...)
	scroll := container.NewVScroll(container.NewPadded(column))
	revealOnFocus(scroll, column)
	top := container.NewVBox(container.New(columnLayout{}, container.NewPadded(header)), widget.NewSeparator())
	center := container.New(columnLayout{}, scroll)
	if footer == nil {
		return container.New(layout.NewBorderLayout(top, nil, nil, nil), center, top)
	}
	bottom := container.NewVBox(widget.NewSeparator(), container.New(columnLayout{}, container.NewPadded(footer)))
	// Children in Tab order: the form, then its main action, then the header.
	return container.New(layout.NewBorderLayout(top, bottom, nil, nil), center, bottom, top)
}

// newMessage returns a wrapping label for feedback; it is hidden while empty so
// it takes no room.
func newMessage(importance widget.Importance) *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Importance = importance
	l.Hide()
	return l
}

// setMessage shows text in l, or hides l when text is empty.
func setMessage(l *widget.Label, text string) {
	if text == "" {
		l.SetText("")
		l.Hide()
		return
	}
	l.SetText(text)
	l.Show()
}

// setVisible shows or hides o.
func setVisible(o fyne.CanvasObject, visible bool) {
	if visible {
		o.Show()
	} else {
		o.Hide()
	}
}

// setEnabled enables or disables d.
func setEnabled(d fyne.Disableable, enabled bool) {
	if enabled {
		d.Enable()
	} else {
		d.Disable()
	}
}

// caption is a small line of secondary text. It keeps the normal colour:
// LowImportance is the disabled colour, too faint to read on the dark theme.
func caption(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// fieldLabel names the field below it.
func fieldLabel(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// link is a hyperlink that runs f instead of opening a URL, on a tap, Enter
// or Space.
func link(text string, f func()) *escLink { return newEscLink(text, f, nil) }

// equalRow shares its width between the visible children, so a row of two
// buttons becomes one full-width button when the other is hidden.
type equalRow struct{}

func (equalRow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	var shown []fyne.CanvasObject
	for _, o := range objs {
		if o.Visible() {
			shown = append(shown, o)
		}
	}
	if len(shown) == 0 {
		return
	}
	pad := theme.Padding()
	w := (size.Width - pad*float32(len(shown)-1)) / float32(len(shown))
	for i, o := range shown {
		o.Resize(fyne.NewSize(w, size.Height))
		o.Move(fyne.NewPos(float32(i)*(w+pad), 0))
	}
}

func (equalRow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	n := 0
	for _, o := range objs {
		if o.Visible() {
			m := o.MinSize()
			s.Width += m.Width
			s.Height = max(s.Height, m.Height)
			n++
		}
	}
	if n > 1 {
		s.Width += theme.Padding() * float32(n-1)
	}
	return s
}

// reserved keeps o's room while o is hidden, so what comes below does not
// move when o comes and goes.
func reserved(o fyne.CanvasObject) fyne.CanvasObject {
	room := canvas.NewRectangle(color.Transparent)
	room.SetMinSize(o.MinSize())
	return container.NewStack(room, o)
}

// revealOnFocus makes every text field below o scroll itself into view in
// scroll when it gets the focus.
func revealOnFocus(scroll *container.Scroll, o fyne.CanvasObject) {
	switch o := o.(type) {
	case interface{ revealWith(func()) }: // escEntry, and codeEntry through it
		o.revealWith(func() { reveal(scroll, o.(fyne.CanvasObject)) })
	case *container.ThemeOverride:
		revealOnFocus(scroll, o.Content)
	case *fyne.Container:
		for _, child := range o.Objects {
			revealOnFocus(scroll, child)
		}
	}
}

// reveal scrolls the least that shows all of o in scroll's viewport, with a
// label's room below it for the message under a field (a mismatch, a
// refusal).
func reveal(scroll *container.Scroll, o fyne.CanvasObject) {
	d := fyne.CurrentApp().Driver()
	pad := theme.Padding()
	line := widget.NewLabel("").MinSize().Height
	top := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(scroll).Y - pad
	bottom := top + o.Size().Height + 2*pad + line
	switch {
	case top < 0:
		scroll.ScrollToOffset(fyne.NewPos(scroll.Offset.X, scroll.Offset.Y+top))
	case bottom > scroll.Size().Height:
		scroll.ScrollToOffset(fyne.NewPos(scroll.Offset.X, scroll.Offset.Y+min(top, bottom-scroll.Size().Height)))
	}
}
