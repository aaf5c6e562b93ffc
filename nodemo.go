//go:build !demo

package main

import (
	"fyne.io/fyne/v2"

	spapp "salesplus/app"
)

// startDemo is a no-op in release builds: they talk to a real server only and
// do not link the backend (see demo.go).
func startDemo(fyne.App) (string, func(), error) { return "", func() {}, nil }

// attachDemo is a no-op in release builds.
func attachDemo(*spapp.App) {}

// demoUsername is "": release builds suggest no username.
func demoUsername(string) string { return "" }
