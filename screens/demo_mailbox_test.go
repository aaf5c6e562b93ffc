package screens

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"salesplus/screens/screenstest"
)

func TestDemoMailboxShowsNewestCode(t *testing.T) {
	test.NewTempApp(t)
	m := NewDemoMailbox()
	test.NewTempWindow(t, m.Content())
	if !m.empty.Visible() || m.split.Visible() {
		t.Fatal("an empty mailbox should only say there is no mail yet")
	}
	sent := time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
	m.SetMails([]DemoMail{
		{To: "jordan@example.com", Subject: "Your Sales Plus reset code", Body: "Your code is 111111.", SentAt: sent},
		{To: "jordan@example.com", Subject: "Your Sales Plus reset code", Body: "Your code is 482913.\nIt expires in 15 minutes.", SentAt: sent.Add(time.Minute)},
	})
	if m.empty.Visible() || !m.split.Visible() {
		t.Error("with mail in the box, the list should show and the empty notice hide")
	}
	if got := m.code.Text; got != "Code: 482 913" {
		t.Errorf("code shown = %q, want the newest mail's code, spaced", got)
	}
	if !strings.Contains(m.body.Text, "expires in 15 minutes") {
		t.Errorf("body shown = %q", m.body.Text)
	}
	if got := m.list.Length(); got != 2 {
		t.Errorf("list has %d rows, want 2", got)
	}

	m.list.Select(1) // the older mail
	if got := m.code.Text; got != "Code: 111 111" {
		t.Errorf("after selecting the older mail, code = %q", got)
	}
	m.SetMails([]DemoMail{{To: "a@example.com", Subject: "Your password was changed", Body: "No code here.", SentAt: sent}})
	if m.code.Visible() {
		t.Error("a mail without a code still shows a code")
	}
}

// TestDemoMailboxPopupIsReadable shows the mailbox in a dialog over a phone
// window, as the demo build does on mobile: the message body gets several
// lines, not the one a popup sized to the scroll's minimum would give it.
func TestDemoMailboxPopupIsReadable(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel("app"))
	w.Resize(fyne.NewSize(360, 640))
	m := NewDemoMailbox()
	m.SetMails([]DemoMail{{
		To: "jordan@example.com", Subject: "Your Sales Plus reset code", SentAt: time.Now(),
		Body: "Your code is 482913.\nIt expires in 15 minutes.\nIf you did not ask for it, ignore this email.",
	}})
	d := dialog.NewCustom("Demo Mailbox", "Close", m.PopupContent(w.Canvas()), w)
	d.Show()
	for _, o := range w.Canvas().Overlays().List() {
		screenstest.Relayout(o)
	}
	if h := m.split.Size().Height; h < 640/2 {
		t.Errorf("mailbox is %.0f px tall in a 640 px window, want at least half", h)
	}
	lineHeight := m.body.MinSize().Height / 3
	if h := m.split.Trailing.Size().Height; h < 3*lineHeight {
		t.Errorf("message pane is %.0f px tall, under three lines", h)
	}
}

// TestDemoMailboxShowsANewMail checks that a mail arriving while the newest
// row is selected replaces what the mailbox shows: row 0 stays selected but
// now is another mail.
func TestDemoMailboxShowsANewMail(t *testing.T) {
	test.NewTempApp(t)
	m := NewDemoMailbox()
	test.NewTempWindow(t, m.Content())
	sent := time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
	code := DemoMail{To: "a@example.com", Subject: "Your Sales Plus reset code", Body: "Your code is 222222.", SentAt: sent}
	m.SetMails([]DemoMail{code})
	if m.code.Text != "Code: 222 222" {
		t.Fatalf("first mail: code %q", m.code.Text)
	}
	changed := DemoMail{To: "a@example.com", Subject: "Your password was changed", Body: "No code here.", SentAt: sent.Add(time.Minute)}
	m.SetMails([]DemoMail{code, changed})
	if !strings.Contains(m.heading.Text, changed.Subject) || m.code.Visible() {
		t.Errorf("after a new mail the mailbox shows %q (code shown %v), want the new mail", m.heading.Text, m.code.Visible())
	}
}
