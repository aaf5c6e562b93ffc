package screens

import (
	"fmt"
	"image/color"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"salesplus/strength"
)

// Fyne's stock success (#43f436), warning (#ff9800) and error (#f44336)
// colours are bright: as text on the light theme's white they reach contrast
// ratios of 1.5, 2.2 and 3.7, below the 4.5:1 WCAG asks for text. The
// colours here reach at least 4.5:1 on the theme's background (and on the
// popup background) in both variants; palette_test.go checks the numbers.

// levelColours colour the strength bar and its label by level, per theme
// variant: darker shades on light, lighter ones on dark, the same hue order
// red → orange → amber → lime → green in both.
var levelColours = map[fyne.ThemeVariant][5]color.NRGBA{
	theme.VariantLight: {
		strength.Poor:       {R: 0xc6, G: 0x28, B: 0x28, A: 0xff}, // 5.6:1 on white
		strength.Weak:       {R: 0xc2, G: 0x41, B: 0x0c, A: 0xff}, // 5.2
		strength.Acceptable: {R: 0xa1, G: 0x62, B: 0x07, A: 0xff}, // 4.9
		strength.Good:       {R: 0x4d, G: 0x7c, B: 0x0f, A: 0xff}, // 5.0
		strength.Excellent:  {R: 0x2e, G: 0x7d, B: 0x32, A: 0xff}, // 5.1
	},
	theme.VariantDark: {
		strength.Poor:       {R: 0xef, G: 0x53, B: 0x50, A: 0xff}, // 5.1:1 on #171718
		strength.Weak:       {R: 0xff, G: 0x8a, B: 0x50, A: 0xff}, // 7.7
		strength.Acceptable: {R: 0xff, G: 0xd5, B: 0x4f, A: 0xff}, // 12.7
		strength.Good:       {R: 0xae, G: 0xd5, B: 0x81, A: 0xff}, // 10.8
		strength.Excellent:  {R: 0x66, G: 0xbb, B: 0x6a, A: 0xff}, // 7.6
	},
}

// levelColour is the colour of level in variant.
func levelColour(level strength.Level, v fyne.ThemeVariant) color.NRGBA {
	p, ok := levelColours[v]
	if !ok {
		p = levelColours[theme.VariantLight]
	}
	if level < strength.Poor || level > strength.Excellent {
		level = strength.Poor
	}
	return p[level]
}

// warningColours are for warnings in words (the zxcvbn warning): orange,
// readable on either background.
var warningColours = map[fyne.ThemeVariant]color.NRGBA{
	theme.VariantLight: {R: 0xb4, G: 0x53, B: 0x09, A: 0xff}, // 5.0:1
	theme.VariantDark:  {R: 0xff, G: 0xa7, B: 0x26, A: 0xff}, // 9.2
}

// hyperlinkColours replace Fyne's link blue (#296ff6, the primary colour),
// which reaches 4.0:1 on the dark background and 4.5 only just on white.
var hyperlinkColours = map[fyne.ThemeVariant]color.NRGBA{
	theme.VariantLight: {R: 0x1a, G: 0x5f, B: 0xd6, A: 0xff}, // 5.7:1 on white
	theme.VariantDark:  {R: 0x5c, G: 0x9d, B: 0xff, A: 0xff}, // 6.6 on #171718, 6.2 on the popup's #181d25
}

// Theme wraps base so that success, warning, error and link text is readable
// in both variants. Success is the Excellent colour and error the Poor colour,
// so "Passwords match" and "Passwords don't match" read like the two ends of
// the strength bar. The app installs it; everything else comes from base.
func Theme(base fyne.Theme) fyne.Theme { return readableTheme{base} }

type readableTheme struct{ fyne.Theme }

func (t readableTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameSuccess:
		return levelColour(strength.Excellent, v)
	case theme.ColorNameError:
		return levelColour(strength.Poor, v)
	case theme.ColorNameWarning:
		if c, ok := warningColours[v]; ok {
			return c
		}
	case theme.ColorNameHyperlink:
		if c, ok := hyperlinkColours[v]; ok {
			return c
		}
	}
	return t.Theme.Color(n, v)
}

// Icon is base's icon, except that the password entries' eye icons come
// already coloured. An entry refreshes its eye icon on every keystroke, and
// Fyne colours a themed SVG anew each time it reads one: 27 KB of garbage
// a key on the UI goroutine (42 KB for the icon's refresh, 15 KB without
// the colouring), which then waited on the garbage collector
// (docs/benchmarks.md, the keystroke benchmark). A plain resource is drawn
// from Fyne's SVG cache. Its name holds the colour, so a change of variant
// draws the icon afresh.
func (t readableTheme) Icon(n fyne.ThemeIconName) fyne.Resource {
	res := t.Theme.Icon(n)
	themed, ok := res.(fyne.ThemedResource)
	if !ok || n != theme.IconNameVisibility && n != theme.IconNameVisibilityOff {
		return res
	}
	// Content colours it as theme.Color does: the app's theme, its variant.
	r, g, b, a := theme.Color(themed.ThemeColorName()).RGBA()
	name := fmt.Sprintf("%s-%04x%04x%04x%04x.svg", strings.TrimSuffix(res.Name(), ".svg"), r, g, b, a)
	if c, ok := colouredIcons.Load(name); ok {
		return c.(fyne.Resource)
	}
	c, _ := colouredIcons.LoadOrStore(name, fyne.NewStaticResource(name, res.Content()))
	return c.(fyne.Resource)
}

// colouredIcons holds the eye icons Icon has coloured, by name.
var colouredIcons sync.Map

// levelTheme colours "success" text with the colour of the level the meter
// shows, so the label always has the bar's colour; the rest is the app's
// theme at the time of drawing.
type levelTheme struct{ level *strength.Level }

func appTheme() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

func (t levelTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameSuccess {
		return levelColour(*t.level, v)
	}
	return appTheme().Color(n, v)
}

func (levelTheme) Font(s fyne.TextStyle) fyne.Resource     { return appTheme().Font(s) }
func (levelTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return appTheme().Icon(n) }
func (levelTheme) Size(n fyne.ThemeSizeName) float32       { return appTheme().Size(n) }
