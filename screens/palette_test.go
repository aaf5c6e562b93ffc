package screens

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"salesplus/screens/screenstest"
	"salesplus/strength"
)

// luminance is the WCAG 2 relative luminance of an opaque colour.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		x := float64(v) / 0xffff
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is the WCAG 2 contrast ratio of two opaque colours (1 to 21).
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// TestTextColoursAreReadable checks every coloured text the screens draw
// against the backgrounds it sits on, in both variants: 4.5:1 (WCAG AA).
func TestTextColoursAreReadable(t *testing.T) {
	if got := contrast(color.White, color.Black); math.Abs(got-21) > 0.01 {
		t.Fatalf("contrast(white, black) = %.2f, want 21", got)
	}
	th := Theme(theme.DefaultTheme())
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		backgrounds := map[string]color.Color{
			"background": th.Color(theme.ColorNameBackground, v),
			"popup":      th.Color(theme.ColorNameOverlayBackground, v),
		}
		texts := map[string]color.Color{
			"success": th.Color(theme.ColorNameSuccess, v),
			"error":   th.Color(theme.ColorNameError, v),
			"warning": th.Color(theme.ColorNameWarning, v),
			"link":    th.Color(theme.ColorNameHyperlink, v),
		}
		for l := strength.Poor; l <= strength.Excellent; l++ {
			texts["level "+l.String()] = levelColour(l, v)
		}
		for bn, bg := range backgrounds {
			for tn, fg := range texts {
				if c := contrast(fg, bg); c < 4.5 {
					t.Errorf("variant %d: %s text on %s has contrast %.2f:1, want ≥ 4.5", v, tn, bn, c)
				}
			}
		}
	}
}

// TestStrengthLabelTakesTheBarColour checks that the label is drawn in the
// colour of the bar's segments for every level.
func TestStrengthLabelTakesTheBarColour(t *testing.T) {
	test.NewTempApp(t)
	q := &screenstest.Queue{}
	life := newLifetime()
	t.Cleanup(life.cancel)
	m := newStrengthMeter(testEnv(q, newFakeClock()), life, nil, nil)
	v := fyne.CurrentApp().Settings().ThemeVariant()
	for l := strength.Poor; l <= strength.Excellent; l++ {
		m.show(strength.Result{Score: int(l), Level: l})
		r := test.WidgetRenderer(m.bar).(*levelBarRenderer)
		bar := r.segments[0].FillColor
		if m.level.Importance != widget.SuccessImportance {
			t.Errorf("%s: label importance %v, want success (drawn in the level colour)", l, m.level.Importance)
		}
		if got := m.level.Theme().Color(theme.ColorNameSuccess, v); got != bar {
			t.Errorf("%s: the label's theme gives %v, the bar is %v", l, got, bar)
		}
		for i, s := range r.segments {
			filled := s.FillColor == bar
			if filled != (i <= int(l)) {
				t.Errorf("%s: segment %d filled = %v", l, i, filled)
			}
		}
	}
}

// TestEyeIconsComeColoured checks that the app's theme hands out the
// password entries' eye icons as plain resources, coloured as Fyne's themed
// ones are, one per icon and colour: an entry refreshes its eye on every
// keystroke, and a themed SVG is coloured anew at each read.
func TestEyeIconsComeColoured(t *testing.T) {
	a := test.NewTempApp(t)
	seen := map[string]bool{}
	for _, base := range []fyne.Theme{test.Theme(), redText{test.Theme()}} {
		th := Theme(base)
		a.Settings().SetTheme(th)
		for _, n := range []fyne.ThemeIconName{theme.IconNameVisibility, theme.IconNameVisibilityOff} {
			got := th.Icon(n)
			if _, themed := got.(fyne.ThemedResource); themed {
				t.Fatalf("%s: still a themed resource, coloured at every read", n)
			}
			if want := base.Icon(n).Content(); string(got.Content()) != string(want) {
				t.Errorf("%s: content differs from the themed icon's in the same theme", n)
			}
			if th.Icon(n) != got {
				t.Errorf("%s: a second call made a new resource", n)
			}
			if seen[got.Name()] {
				t.Errorf("%s: the name %q is taken by another icon or colour", n, got.Name())
			}
			seen[got.Name()] = true
		}
	}
	if th := Theme(test.Theme()); th.Icon(theme.IconNameHome) != test.Theme().Icon(theme.IconNameHome) {
		t.Error("another icon is not the base theme's")
	}
}

// redText is a theme whose text is red.
type redText struct{ fyne.Theme }

func (t redText) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameForeground {
		return color.NRGBA{R: 0xff, A: 0xff}
	}
	return t.Theme.Color(n, v)
}
