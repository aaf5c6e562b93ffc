// Package app is the composition root of the Sales Plus client: it builds the
// window, navigates between the screens and runs slow work off the UI goroutine.
package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// ID is the application ID; it matches FyneApp.toml and names the keyring service.
const ID = "com.inzant.salesplus"

// Create fills w with the app's first screen.
func Create(a fyne.App, w fyne.Window) {
	w.SetContent(widget.NewLabel("Sales Plus"))
	w.Resize(fyne.NewSize(360, 640))
}
