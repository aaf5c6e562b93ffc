package screens

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"salesplus/screens/screenstest"
)

// rendersText reports whether a visible label on c (its content or an
// overlay) reads text.
func rendersText(c fyne.Canvas, text string) bool {
	found := false
	for _, root := range append([]fyne.CanvasObject{c.Content()}, c.Overlays().List()...) {
		screenstest.Walk(root, func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.Label); ok && l.Text == text {
				found = true
			}
		})
	}
	return found
}
