package main

import (
	_ "embed"
	"regexp"
)

// fyneApp is the app's metadata, the one place its version is written.
//
//go:embed FyneApp.toml
var fyneApp string

var versionLine = regexp.MustCompile(`(?m)^Version\s*=\s*"([^"]+)"`)

// appVersion is the Version of FyneApp.toml, or "" if it has none.
func appVersion() string {
	if m := versionLine.FindStringSubmatch(fyneApp); m != nil {
		return m[1]
	}
	return ""
}
