package app

import (
	"net/http"
	"os"
	"strings"

	"fyne.io/fyne/v2"

	"salesplus/credentials"
	"salesplus/screens"
)

// Where the server address comes from, strongest first.
const (
	// EnvServerURL overrides the setting, e.g. for a demo or a test run.
	EnvServerURL = "SALESPLUS_SERVER_URL"
	// PrefServerURL is the preferences key of the server address setting.
	PrefServerURL = "serverURL"
	// DefaultServerURL is the local demo server (`make server`).
	DefaultServerURL = "http://127.0.0.1:8080"
)

// Config is what the app is built from. The zero value is the real app: the
// server address from settings or the environment, the OS keyring, fyne.Do
// and the wall clock. Tests fill in what they control.
type Config struct {
	// ServerURL overrides ServerURLFrom, and cannot be changed in the app.
	ServerURL string
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// Store keeps passwords and session tokens; nil means the OS keyring
	// under the app ID.
	Store credentials.Store
	// Version is the app's version, sent in the User-Agent; empty means
	// the client's "dev".
	Version string
	// HTTPClient carries the API calls; nil means the client's default.
	HTTPClient *http.Client
	// DataDir is where synced datasets are written; empty means the app's
	// storage root.
	DataDir string
	// DeviceName names the session on the server; empty means the host name.
	DeviceName string
	// SuggestedUsername fills Log In's username while nobody has signed in
	// on this device: the demo build's account, so a tester in the emulator
	// (which gets no key presses on X11) can reset by taps alone.
	SuggestedUsername string
	// Env is handed to every screen and the sync engine (when empty: fyne.Do
	// once the app runs, and time.Now).
	Env screens.Env
}

// ServerURLFrom picks the server address, strongest first: the environment
// variable, else the setting, else the local demo server. fixed reports that
// the environment set it, which the setting cannot override; configured
// that anything but the default did.
func ServerURLFrom(prefs fyne.Preferences, getenv func(string) string) (url string, fixed, configured bool) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if v := strings.TrimSpace(getenv(EnvServerURL)); v != "" {
		return v, true, true
	}
	if prefs != nil {
		if v := strings.TrimSpace(prefs.String(PrefServerURL)); v != "" {
			return v, false, true
		}
	}
	return DefaultServerURL, false, false
}

func deviceName() string {
	if h, err := os.Hostname(); err == nil && h != "" {
		return "Sales Plus on " + h
	}
	return "Sales Plus"
}
