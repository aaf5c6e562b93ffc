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
	mails   []DemoMail
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
	detail := container.NewVScroll(container.NewVBox(m.heading, m.code, widget.NewSeparator(), m.body))
	m.split = container.NewVSplit(m.list, detail)
	m.split.Offset = 0.35
	m.content = container.NewStack(m.split, container.NewPadded(m.empty))
	m.SetMails(nil)
	return m
}

// Content is the mailbox's canvas object, for a window of its own.
func (m *DemoMailbox) Content() fyne.CanvasObject { return m.content }

// SetMails replaces the messages (oldest first, as the backend lists them)
// and selects the newest. Call it on the UI goroutine.
func (m *DemoMailbox) SetMails(mails []DemoMail) {
	changed := len(mails) != len(m.mails)
	m.mails = mails
	setVisible(m.empty, len(mails) == 0)
	setVisible(m.split, len(mails) > 0)
	m.list.Refresh()
	if len(mails) > 0 && changed {
		m.list.Select(0)
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

func (m *DemoMailbox) show(mail DemoMail) {
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
