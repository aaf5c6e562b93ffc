package screens

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// WarmFonts parses, on another goroutine, the fonts the screens draw text
// with, and returns a channel closed when it is done. Fyne parses a text
// style's font files (the text, emoji and symbol fonts, and a scan of the
// system's fonts) the first time text in that style is measured. Started
// before the first window, that runs on a second core while the main
// goroutine starts the window system, instead of inside the first layout of
// Sync Status (docs/benchmarks.md, cold start).
//
// Nothing may measure text, which includes building or showing widgets,
// until the channel is closed: Fyne's text shaper is shared and not safe for
// concurrent use.
func WarmFonts() <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		// Sync Status, like every screen, uses the regular and bold styles
		// (headings and field labels are bold: page and fieldLabel).
		for _, style := range []fyne.TextStyle{{}, {Bold: true}} {
			fyne.MeasureText("Sales Plus", theme.TextSize(), style)
		}
	}()
	return done
}
