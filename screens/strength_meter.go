package screens

import (
	"image/color"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"salesplus/strength"
)

// levelColours colour the meter by level. They are fixed rather than taken
// from the theme because they must read as red→green in light and dark alike.
var levelColours = [...]color.NRGBA{
	strength.Poor:       {R: 0xd3, G: 0x2f, B: 0x2f, A: 0xff},
	strength.Weak:       {R: 0xf5, G: 0x7c, B: 0x00, A: 0xff},
	strength.Acceptable: {R: 0xf9, G: 0xa8, B: 0x25, A: 0xff},
	strength.Good:       {R: 0x7c, G: 0xb3, B: 0x42, A: 0xff},
	strength.Excellent:  {R: 0x2e, G: 0x7d, B: 0x32, A: 0xff},
}

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
	segments    [5]*canvas.Rectangle
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
	bars := make([]fyne.CanvasObject, len(m.segments))
	for i := range m.segments {
		r := canvas.NewRectangle(theme.Color(theme.ColorNameInputBorder))
		r.SetMinSize(fyne.NewSize(8, 6))
		r.CornerRadius = 3
		m.segments[i] = r
		bars[i] = r
	}
	m.level.TextStyle.Bold = true
	m.content = container.NewVBox(
		container.NewGridWithColumns(len(bars), bars...),
		m.level, m.warning, m.suggestions,
	)
	m.showEmpty()
	go m.work()
	return m
}

func (m *strengthMeter) work() {
	for {
		select {
		case <-m.life.ctx.Done():
			return
		case j := <-m.jobs:
			r := m.evaluate(j.text, m.inputs)
			m.env.do(func() {
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
	m.paint(-1)
	m.level.SetText("Password strength")
	m.level.Importance = widget.MediumImportance
	m.level.Refresh()
	setMessage(m.warning, "")
	setMessage(m.suggestions, "Use at least 8 characters. Mix letters, numbers and symbols; avoid sequences and repeats.")
	m.changed()
}

func (m *strengthMeter) showTooLong() {
	m.paint(-1)
	m.level.SetText("Too long")
	m.level.Importance = widget.DangerImportance
	m.level.Refresh()
	setMessage(m.warning, "Use at most 256 characters.")
	setMessage(m.suggestions, "")
	m.changed()
}

func (m *strengthMeter) show(r strength.Result) {
	m.result, m.scored = r, true
	m.paint(r.Level)
	m.level.SetText("Password strength: " + r.Level.String())
	switch {
	case r.Level >= strength.Good:
		m.level.Importance = widget.SuccessImportance
	case r.Level == strength.Acceptable:
		m.level.Importance = widget.WarningImportance
	default:
		m.level.Importance = widget.DangerImportance
	}
	m.level.Refresh()
	setMessage(m.warning, r.Warning)
	tips := r.Suggestions
	if n := utf8.RuneCountInString(m.text); n < strength.MinLength {
		tips = append([]string{"Use at least 8 characters."}, tips...)
	}
	if len(tips) > 0 {
		setMessage(m.suggestions, "• "+strings.Join(tips, "\n• "))
	} else {
		setMessage(m.suggestions, "")
	}
	m.changed()
}

// paint fills level+1 segments with the level's colour; -1 empties the bar.
func (m *strengthMeter) paint(level strength.Level) {
	empty := theme.Color(theme.ColorNameInputBorder)
	for i, r := range m.segments {
		if int(level) >= i {
			r.FillColor = levelColours[level]
		} else {
			r.FillColor = empty
		}
		r.Refresh()
	}
}

func (m *strengthMeter) changed() {
	if m.onChange != nil {
		m.onChange()
	}
}
