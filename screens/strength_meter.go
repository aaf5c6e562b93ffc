package screens

import (
	"fmt"
	"image/color"
	"runtime"
	"strings"
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
// worker never falls behind by more than one text. The worker has an OS
// thread of its own (see work).
type strengthMeter struct {
	env      Env
	life     lifetime
	evaluate func(string, []string) strength.Result
	inputs   []string

	level       *widget.Label
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
		warning:     newMessage(widget.WarningImportance),
		suggestions: newMessage(widget.MediumImportance),
		jobs:        make(chan scoreJob, 1),
	}
	m.bar = newLevelBar()
	m.level.TextStyle.Bold = true
	m.content = container.NewVBox(
		m.bar,
		// The label takes the bar's colour in either theme variant.
		container.NewThemeOverride(m.level, levelTheme{level: &m.shown}),
		m.warning, m.suggestions,
	)
	m.showEmpty()
	go m.work()
	return m
}

// lockScorerThread gives the scorer an OS thread of its own; the keystroke
// benchmark turns it off to measure what it is for.
var lockScorerThread = true

// work scores texts until the screen closes, on an OS thread of its own, so
// that waking it on a keystroke does not take the UI thread's core
// (docs/benchmarks.md, keystroke section). The goroutine never unlocks the
// thread, so the runtime ends the thread with the screen.
func (m *strengthMeter) work() {
	if lockScorerThread {
		runtime.LockOSThread()
	}
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
	setMessage(m.warning, r.Warning)
	tips := r.Suggestions
	if n := utf8.RuneCountInString(m.text); n < strength.MinLength {
		tips = append([]string{fmt.Sprintf(msgUseAtLeast, strength.MinLength)}, tips...)
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
