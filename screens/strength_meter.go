package screens

import (
	"fmt"
	"image/color"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"salesplus/strength"
)

// scoreJob is one text to score; seq tells a stale answer from the newest.
type scoreJob struct {
	seq  uint64
	text string
}

// strengthMeter shows the strength of the new password while it is typed.
// Scoring runs in one worker goroutine fed by a one-slot channel: a keystroke
// replaces any text still waiting, so typing never waits for zxcvbn and the
// worker never falls behind by more than one text.
type strengthMeter struct {
	env      Env
	life     lifetime
	evaluate func(string, []string) strength.Result
	inputs   []string

	level       *widget.Label
	need        *widget.Label // the minimum, beside the label
	bar         *levelBar
	shown       strength.Level // the level whose colour the label takes
	warning     *widget.Label
	suggestions *widget.Label
	content     fyne.CanvasObject

	jobs chan scoreJob

	// UI goroutine only.
	seq      uint64
	text     string
	result   strength.Result
	scored   bool
	onChange func()
}

func newStrengthMeter(env Env, life lifetime, evaluate func(string, []string) strength.Result, inputs []string) *strengthMeter {
	if evaluate == nil {
		evaluate = strength.Evaluate
	}
	m := &strengthMeter{
		env: env, life: life, evaluate: evaluate, inputs: inputs,
		level:       widget.NewLabel(""),
		need:        widget.NewLabel(""),
		warning:     newMessage(widget.WarningImportance),
		suggestions: newMessage(widget.MediumImportance),
		jobs:        make(chan scoreJob, 1),
	}
	m.bar = newLevelBar()
	m.level.TextStyle.Bold = true
	m.need.SizeName = theme.SizeNameCaptionText
	m.content = container.NewVBox(
		m.bar,
		// The level takes the bar's colour in either theme variant; the
		// minimum is said under it.
		container.NewThemeOverride(m.level, levelTheme{level: &m.shown}),
		m.need,
		container.New(&highWater{reserve: adviceRoom()}, container.NewVBox(m.warning, m.suggestions)),
	)
	m.showEmpty()
	go m.work()
	return m
}

// work scores texts until the screen closes.
func (m *strengthMeter) work() {
	for {
		select {
		case <-m.life.ctx.Done():
			return
		case j := <-m.jobs:
			r := m.evaluate(j.text, m.inputs)
			m.env.Do(func() {
				if m.life.closed() || j.seq != m.seq {
					return // a newer text is pending or shown
				}
				m.show(r)
			})
		}
	}
}

// submit asks for text to be scored; the label changes when the answer comes.
func (m *strengthMeter) submit(text string) {
	// The server rates and counts the normalised form (strength.Normalize),
	// so the meter does too: a ligature or a decomposed accent gets the
	// server's verdict.
	text = strength.Normalize(text)
	m.seq++
	m.text = text
	m.scored = false
	n := utf8.RuneCountInString(text)
	switch {
	case text == "":
		m.showEmpty()
		return
	case n > strength.MaxLength:
		// Never saved, so not worth scoring: say why at once.
		m.showTooLong()
		return
	}
	select {
	case <-m.jobs: // drop the text nobody will see
	default:
	}
	m.jobs <- scoreJob{seq: m.seq, text: text} // never blocks: only this goroutine sends
	m.changed()
}

// acceptable reports whether the current text may be saved.
func (m *strengthMeter) acceptable() bool {
	n := utf8.RuneCountInString(m.text)
	return m.scored && m.result.Acceptable() && n >= strength.MinLength && n <= strength.MaxLength
}

func (m *strengthMeter) showEmpty() {
	m.showUnscored("Password strength", widget.MediumImportance, "",
		fmt.Sprintf(msgPasswordHint, strength.MinLength))
}

func (m *strengthMeter) showTooLong() {
	m.showUnscored("Too long", widget.DangerImportance, fmt.Sprintf(msgUseAtMost, strength.MaxLength), "")
}

// showUnscored shows a state that needs no score: an empty bar, label, and
// warning or advice.
func (m *strengthMeter) showUnscored(label string, importance widget.Importance, warning, advice string) {
	m.paint(-1)
	m.level.SetText(label)
	m.level.Importance = importance
	m.level.Refresh()
	m.need.SetText(msgNeedAcceptable)
	m.warning.Importance = widget.WarningImportance
	setMessage(m.warning, warning)
	setMessage(m.suggestions, advice)
	m.changed()
}

func (m *strengthMeter) show(r strength.Result) {
	m.result, m.scored = r, true
	m.paint(r.Level)
	m.shown = r.Level
	m.level.SetText("Password strength: " + r.Level.String())
	m.level.Importance = widget.SuccessImportance // drawn in the level's colour by levelTheme
	m.level.Refresh()
	ok := m.acceptable()
	switch {
	case ok:
		m.need.SetText(msgStrongEnough)
	default:
		m.need.SetText(msgNeedAcceptable)
	}
	// Under a rating that may be saved, zxcvbn's warning is advice.
	if ok && r.Warning != "" {
		m.warning.Importance = widget.MediumImportance
		setMessage(m.warning, fmt.Sprintf(msgCouldBeStronger, lowerFirst(sentence(r.Warning))))
	} else {
		m.warning.Importance = widget.WarningImportance
		setMessage(m.warning, sentence(r.Warning))
	}
	var tips []string
	if n := utf8.RuneCountInString(m.text); n < strength.MinLength {
		tips = append(tips, fmt.Sprintf(msgUseAtLeast, strength.MinLength))
	}
	for _, t := range r.Suggestions {
		tips = append(tips, sentence(t))
	}
	if len(tips) > 0 {
		setMessage(m.suggestions, "• "+strings.Join(tips, "\n• "))
	} else {
		setMessage(m.suggestions, "")
	}
	m.changed()
}

// paint fills level+1 segments with the level's colour; -1 empties the bar.
func (m *strengthMeter) paint(level strength.Level) { m.bar.SetLevel(level) }

// levelBar is the strength bar: five segments, the first level+1 of them in
// the level's colour for the current theme variant, the rest empty. It is a
// widget so that a change of theme repaints it.
type levelBar struct {
	widget.BaseWidget
	level strength.Level // -1: empty
}

func newLevelBar() *levelBar {
	b := &levelBar{level: -1}
	b.ExtendBaseWidget(b)
	return b
}

// SetLevel shows level; -1 empties the bar.
func (b *levelBar) SetLevel(level strength.Level) {
	b.level = level
	b.Refresh()
}

// CreateRenderer draws the segments in a row.
func (b *levelBar) CreateRenderer() fyne.WidgetRenderer {
	r := &levelBarRenderer{bar: b}
	objs := make([]fyne.CanvasObject, len(r.segments))
	for i := range r.segments {
		s := canvas.NewRectangle(color.Transparent)
		s.CornerRadius = 3
		r.segments[i] = s
		objs[i] = s
	}
	r.grid = container.NewGridWithColumns(len(objs), objs...)
	r.Refresh()
	return r
}

type levelBarRenderer struct {
	bar      *levelBar
	segments [5]*canvas.Rectangle
	grid     *fyne.Container
}

func (r *levelBarRenderer) Layout(size fyne.Size)        { r.grid.Resize(size) }
func (r *levelBarRenderer) MinSize() fyne.Size           { return fyne.NewSize(r.grid.MinSize().Width, 6) }
func (r *levelBarRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.grid} }
func (r *levelBarRenderer) Destroy()                     {}

func (r *levelBarRenderer) Refresh() {
	v := fyne.CurrentApp().Settings().ThemeVariant()
	empty := r.bar.Theme().Color(theme.ColorNameInputBorder, v)
	for i, s := range r.segments {
		if int(r.bar.level) >= i {
			s.FillColor = levelColour(r.bar.level, v)
		} else {
			s.FillColor = empty
		}
		s.Refresh()
	}
}

func (m *strengthMeter) changed() {
	if m.onChange != nil {
		m.onChange()
	}
}

// lowerFirst lowers the first letter, to continue a sentence with s.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || (n < len(s) && unicode.IsUpper(rune(s[n]))) {
		return s // empty, or an acronym
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// adviceRoom is the height the warning and the tips get from the start:
// four lines of text, enough for most verdicts at phone width, so the first
// tips do not push the fields below down.
func adviceRoom() float32 {
	line := fyne.MeasureText("Ag", theme.TextSize(), fyne.TextStyle{}).Height
	return 4*line + 4*theme.InnerPadding() + theme.Padding()
}

// highWater lays out its one child at full size and asks for the tallest
// height the child has asked for at the current width (at least reserve):
// the advice keeps its room as tips come and go, so the fields below stay
// put. A new width starts afresh, since wrapped text changes height with it.
type highWater struct {
	reserve, height, width float32
}

func (h *highWater) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if size.Width != h.width {
		h.width, h.height = size.Width, 0
	}
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (h *highWater) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	h.height = max(h.height, h.reserve, s.Height)
	return fyne.NewSize(s.Width, h.height)
}

// noScrollBarTheme hides the scroll bar of what it wraps: a one-line entry
// scrolls sideways under a long text, and Fyne draws that bar over the
// entry's bottom border. The caret, the keys and the wheel still scroll it,
// and the scroll's edge shadow still shows that there is more.
type noScrollBarTheme struct{}

func (noScrollBarTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return appTheme().Color(n, v)
}
func (noScrollBarTheme) Font(s fyne.TextStyle) fyne.Resource     { return appTheme().Font(s) }
func (noScrollBarTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return appTheme().Icon(n) }
func (noScrollBarTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameScrollBar || n == theme.SizeNameScrollBarSmall {
		return 0
	}
	return appTheme().Size(n)
}

// oneLine wraps a one-line entry so a long text does not draw a scroll bar
// over its border.
func oneLine(e fyne.CanvasObject) fyne.CanvasObject {
	return container.NewThemeOverride(e, noScrollBarTheme{})
}
