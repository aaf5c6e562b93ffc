package screens

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// DemoMail is one message the embedded demo backend "sent".
type DemoMail struct {
	To, Subject, Body string
	SentAt            time.Time
}

// DemoMailbox shows the mail captured by the demo backend, so a first-time
// user can walk the reset without a mail server. The newest message is
// selected and its code shown large.
type DemoMailbox struct {
	// OnFill, when set, puts a code or a password into the reset screen:
	// the demo build's testers walk the reset by taps alone, as Fyne's
	// mobile emulator on X11 gets no key presses. The mailbox then offers
	// the shown code and DemoPassword as buttons.
	OnFill       func(code, password string)
	DemoPassword string

	mails   []DemoMail
	current string // the shown mail's code
	fill    *fyne.Container
	list    *widget.List
	empty   *widget.Label
	code    *widget.Label
	heading *widget.Label
	body    *widget.Label
	split   *container.Split
	content fyne.CanvasObject
}

// codePattern finds the 6-digit code in a mail body.
var codePattern = regexp.MustCompile(`\b\d{6}\b`)

// NewDemoMailbox builds an empty mailbox; feed it with SetMails.
func NewDemoMailbox() *DemoMailbox {
	m := &DemoMailbox{}
	m.empty = widget.NewLabel(msgMailboxEmpty)
	m.empty.Wrapping = fyne.TextWrapWord
	m.code = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	m.code.SizeName = theme.SizeNameHeadingText
	m.heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	m.heading.Wrapping = fyne.TextWrapWord
	m.body = widget.NewLabel("")
	m.body.Wrapping = fyne.TextWrapWord
	m.list = widget.NewList(
		func() int { return len(m.mails) },
		func() fyne.CanvasObject {
			subject := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			subject.Truncation = fyne.TextTruncateEllipsis
			meta := widget.NewLabel("")
			meta.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(subject, meta)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			mail := m.mails[len(m.mails)-1-id] // newest first
			rows := o.(*fyne.Container).Objects
			rows[0].(*widget.Label).SetText(mail.Subject)
			rows[1].(*widget.Label).SetText(mail.To + " · " + mail.SentAt.Local().Format("15:04:05"))
		},
	)
	m.list.OnSelected = m.onSelected
	useCode := widget.NewButton("Use this code", func() { m.fillWith(m.current, "") })
	usePassword := widget.NewButton("Use a demo password", func() { m.fillWith("", m.DemoPassword) })
	m.fill = container.NewGridWithColumns(1, useCode, usePassword)
	m.fill.Hide()
	detail := container.NewVScroll(container.NewVBox(m.heading, m.code, m.fill, widget.NewSeparator(), m.body))
	m.split = container.NewVSplit(m.list, detail)
	m.split.Offset = 0.35
	m.content = container.NewStack(m.split, container.NewPadded(m.empty))
	m.SetMails(nil)
	return m
}

// Content is the mailbox's canvas object, for a window of its own.
func (m *DemoMailbox) Content() fyne.CanvasObject { return m.content }

// PopupContent is the mailbox for a popup over canvas c (a phone has one
// window). A popup sizes itself to its content's minimum, which for the
// list and the scrolling message is one line; this asks for most of the
// canvas instead, so the message is readable.
func (m *DemoMailbox) PopupContent(c fyne.Canvas) fyne.CanvasObject {
	return &fyne.Container{Layout: canvasShare{canvas: c}, Objects: []fyne.CanvasObject{m.content}}
}

// canvasShare lays its children over each other at a minimum of most of the
// canvas: the width less margins, two thirds of the height.
type canvasShare struct{ canvas fyne.Canvas }

func (canvasShare) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (l canvasShare) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	cs := l.canvas.Size()
	return s.Max(fyne.NewSize(cs.Width-8*theme.Padding(), cs.Height*2/3))
}

// SetMails replaces the messages (oldest first, as the backend lists them)
// and selects the newest. Call it on the UI goroutine.
func (m *DemoMailbox) SetMails(mails []DemoMail) {
	changed := len(mails) != len(m.mails)
	m.mails = mails
	setVisible(m.empty, len(mails) == 0)
	setVisible(m.split, len(mails) > 0)
	m.list.Refresh()
	if len(mails) > 0 && changed {
		// Select does nothing when row 0 was already selected, and row 0
		// is now another mail: show the newest one in any case.
		m.list.Select(0)
		m.show(mails[len(mails)-1])
	}
	if len(mails) == 0 {
		m.show(DemoMail{})
	}
}

func (m *DemoMailbox) onSelected(id widget.ListItemID) {
	if id >= 0 && id < len(m.mails) {
		m.show(m.mails[len(m.mails)-1-id])
	}
}

func (m *DemoMailbox) fillWith(code, password string) {
	if m.OnFill != nil {
		m.OnFill(code, password)
	}
}

func (m *DemoMailbox) show(mail DemoMail) {
	m.current = codePattern.FindString(mail.Body)
	setVisible(m.fill, m.OnFill != nil && m.current != "")
	if mail.Subject == "" {
		m.heading.SetText("")
		m.code.SetText("")
		m.body.SetText("")
		return
	}
	m.heading.SetText(fmt.Sprintf("%s\nTo: %s\n%s", mail.Subject, mail.To, mail.SentAt.Local().Format("Mon 2 Jan 15:04:05")))
	if c := codePattern.FindString(mail.Body); c != "" {
		m.code.SetText("Code: " + c[:3] + " " + c[3:])
		m.code.Show()
	} else {
		m.code.Hide()
	}
	m.body.SetText(strings.TrimSpace(mail.Body))
}
