package main

import (
	"os"
	"strings"

	"golang.org/x/text/language"
)

// localeVars are the variables Fyne reads the user's language from, in the
// order it reads them.
var localeVars = []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"}

// cleanLocaleEnv makes the locale variables parseable before Fyne reads them,
// so an unusual locale starts cleanly instead of logging errors at launch.
// "C" and "POSIX" are left alone (Fyne treats them as English); a modifier
// such as "@latin" or "@euro" is dropped; anything still unparseable is unset,
// which makes Fyne fall back to English. Only this process is affected.
func cleanLocaleEnv() {
	for _, name := range localeVars {
		value, ok := os.LookupEnv(name)
		if !ok || value == "" {
			continue
		}
		if clean, ok := cleanLocale(value); !ok {
			os.Unsetenv(name)
		} else if clean != value {
			os.Setenv(name, clean)
		}
	}
}

// cleanLocale returns the form of one locale value that parses, and false if
// there is none. LANGUAGE may hold a colon-separated list.
func cleanLocale(value string) (string, bool) {
	var kept []string
	for _, loc := range strings.Split(value, ":") {
		loc, _, _ = strings.Cut(loc, "@")
		base, encoding, hasEncoding := strings.Cut(loc, ".")
		if base == "C" || base == "POSIX" {
			kept = append(kept, loc)
			continue
		}
		if _, err := language.Parse(strings.ReplaceAll(base, "_", "-")); err != nil || base == "" {
			continue
		}
		if hasEncoding {
			base += "." + encoding
		}
		kept = append(kept, base)
	}
	if len(kept) == 0 {
		return "", false
	}
	return strings.Join(kept, ":"), true
}
