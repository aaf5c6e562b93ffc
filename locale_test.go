package main

import (
	"bytes"
	"log"
	"os"
	"testing"

	"fyne.io/fyne/v2/lang"
)

func TestCleanLocale(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"C", "C", true},
		{"POSIX", "POSIX", true},
		{"C.UTF-8", "C.UTF-8", true},
		{"en_US.UTF-8", "en_US.UTF-8", true},
		{"sr_RS.UTF-8@latin", "sr_RS.UTF-8", true},
		{"de_DE@euro", "de_DE", true},
		{"xx_YYY_zz!", "", false},
		{"garbage@@", "", false},
		{"fr_FR:bogus!:en", "fr_FR:en", true},
	} {
		got, ok := cleanLocale(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("cleanLocale(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestUnusualLocalesStartCleanly checks what Fyne does with the cleaned
// environment: it finds a locale without logging an error.
func TestUnusualLocalesStartCleanly(t *testing.T) {
	for _, value := range []string{"C", "POSIX", "sr_RS.UTF-8@latin", "xx_YYY_zz!", "de_DE@euro"} {
		t.Run(value, func(t *testing.T) {
			for _, name := range localeVars {
				t.Setenv(name, "")
				os.Unsetenv(name)
			}
			t.Setenv("LANG", value)
			cleanLocaleEnv()
			var logged bytes.Buffer
			log.SetOutput(&logged) // fyne.LogError writes through the standard logger
			defer log.SetOutput(os.Stderr)
			loc := lang.SystemLocale()
			if logged.Len() > 0 {
				t.Errorf("LANG=%q: Fyne logged %q", value, logged.String())
			}
			if loc == "" {
				t.Errorf("LANG=%q: no locale", value)
			}
		})
	}
}
