// Command hello is the baseline for the GUI benchmarks (scripts/bench-gui.sh):
// the smallest Fyne app, one window with one label, built exactly like Sales
// Plus so start time, binary size and memory can be compared side by side.
// It imports Fyne outside app/ and screens/ because it is not part of the app.
// Its window has the size Sales Plus opens at (app.Create), so both paint as
// many pixels.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("com.inzant.salesplus.hello")
	w := a.NewWindow("Hello")
	w.SetContent(widget.NewLabel("Hello, Fyne"))
	w.Resize(fyne.NewSize(420, 720)) // the size Sales Plus opens at: painting cost grows with pixels
	w.ShowAndRun()
}
