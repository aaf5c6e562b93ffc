package screens

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
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
