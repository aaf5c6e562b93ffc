//go:build demo

package screens

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"salesplus/screens/screenstest"
)

// TestDemoMailboxFillsTheResetScreenByTaps walks the reset as a tester in
// the emulator does, without a key: the mailbox's two buttons fill the code
// and both passwords, and Save New Password comes on.
func TestDemoMailboxFillsTheResetScreenByTaps(t *testing.T) {
	f := newTestReset(t, &fakeResetter{}, nil, nil)
	m := NewDemoMailbox()
	m.DemoPassword = strongPassword
	m.OnFill = f.s.DemoFill
	test.NewTempWindow(t, m.Content())
	m.SetMails([]DemoMail{{To: "rep@example.com", Subject: "Your Sales Plus reset code", Body: "Your code is 482913.", SentAt: time.Now()}})
	if !m.fill.Visible() {
		t.Fatal("no fill buttons beside a mail with a code")
	}
	screenstest.Relayout(m.Content())
	test.Tap(m.fill.Objects[0].(*widget.Button)) // Use this code
	test.Tap(m.fill.Objects[1].(*widget.Button)) // Use a demo password
	if f.s.code.Text != "482913" || f.s.newPassword.Text != strongPassword || f.s.confirm.Text != strongPassword {
		t.Errorf("filled: code %q, passwords %q / %q", f.s.code.Text, f.s.newPassword.Text, f.s.confirm.Text)
	}
	eventually(t, f.q, "Save enabled", func() bool { return !f.s.saveButton.Disabled() })
}
