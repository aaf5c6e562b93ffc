// Command salesplus is the Sales Plus client: the Sync Status screen and the
// Reset Password flow of the Inzant Sales Plus app.
package main

import (
	"fyne.io/fyne/v2/app"

	spapp "salesplus/app"
)

func main() {
	a := app.NewWithID(spapp.ID)
	w := a.NewWindow("Sales Plus")
	spapp.Create(a, w, spapp.Config{})
	w.ShowAndRun()
}
