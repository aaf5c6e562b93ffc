// Command salesplus is the Sales Plus client: the Sync Status screen and the
// Reset Password flow of the Inzant Sales Plus app.
package main

import (
	"log"

	"fyne.io/fyne/v2/app"

	spapp "salesplus/app"
	"salesplus/screens"
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
	// Fyne parses each text style's fonts when it first measures text in
	// that style. Do that on a second core while NewWindow starts the window
	// system, and wait for it before building any screen: Fyne's text
	// shaper is not safe for concurrent use.
	fonts := screens.WarmFonts()
	w := a.NewWindow("Sales Plus")
	<-fonts
	attachDemo(spapp.Create(a, w, spapp.Config{ServerURL: url, Version: appVersion(), SuggestedUsername: demoUsername(url)}))
	w.ShowAndRun()
}
