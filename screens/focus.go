package screens

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
)

// Fyne shows a focused button by blending the theme's focus colour (a
// translucent blue) into its background. On a blue high-importance button
// that blend is invisible, so a rep moving with Tab cannot tell that Log In or
// Sync Now has the focus. keyButton therefore draws a ring just outside its
// edge while it has the focus, in the foreground colour: dark on the light
// theme, light on the dark one, and so readable against the background around
// the button whatever the button's own colour.

// focusRingWidth is the ring's stroke; the ring sits that far outside the
// button, in the padding every layout leaves between widgets.
const focusRingWidth = 2

// newIconButton is a keyButton with an icon and no Escape action.
func newIconButton(label string, icon fyne.Resource, tapped func()) *keyButton {
	b := newKeyButton(label, tapped, nil)
	b.Icon = icon
	return b
}

// FocusGained shows the ring.
func (b *keyButton) FocusGained() {
	b.focused = true
	b.Button.FocusGained()
}

// FocusLost hides the ring.
func (b *keyButton) FocusLost() {
	b.focused = false
	b.Button.FocusLost()
}

// CreateRenderer adds the focus ring to the Button's renderer.
func (b *keyButton) CreateRenderer() fyne.WidgetRenderer {
	ring := canvas.NewRectangle(nil)
	ring.StrokeWidth = focusRingWidth
	ring.Hide()
	return &focusRingRenderer{WidgetRenderer: b.Button.CreateRenderer(), ring: ring, button: b}
}

type focusRingRenderer struct {
	fyne.WidgetRenderer
	ring   *canvas.Rectangle
	button *keyButton
}

func (r *focusRingRenderer) Objects() []fyne.CanvasObject {
	return append(r.WidgetRenderer.Objects(), r.ring)
}

func (r *focusRingRenderer) Layout(size fyne.Size) {
	r.WidgetRenderer.Layout(size)
	r.ring.Move(fyne.NewPos(-focusRingWidth, -focusRingWidth))
	r.ring.Resize(size.AddWidthHeight(2*focusRingWidth, 2*focusRingWidth))
}

func (r *focusRingRenderer) Refresh() {
	r.WidgetRenderer.Refresh()
	th := r.button.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.ring.StrokeColor = th.Color(theme.ColorNameForeground, v)
	r.ring.CornerRadius = th.Size(theme.SizeNameButtonRadius) + focusRingWidth
	setVisible(r.ring, r.button.focused && !r.button.Disabled())
	r.ring.Refresh()
}
