// Command salesplus is the Sales Plus client: the Sync Status screen and the
// Reset Password flow of the Inzant Sales Plus app.
package main

import (
	"log"

	"fyne.io/fyne/v2/app"

	spapp "salesplus/app"
)

func main() {
	cleanLocaleEnv() // before Fyne reads the locale
	a := app.NewWithID(spapp.ID)
	// Demo builds (-tags demo) start the backend in-process unless a server
	// is configured; release builds start nothing and return "".
	url, stopDemo, err := startDemo(a)
	if err != nil {
		log.Fatal(err)
	}
	defer stopDemo()
	w := a.NewWindow("Sales Plus")
	spapp.Create(a, w, spapp.Config{ServerURL: url})
	w.ShowAndRun()
}
