package screens

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"salesplus/screens/screenstest"
)

// TestLogOutAsksFirst checks the Log Out question: Escape and Enter on the
// focused Cancel keep the rep signed in, and only its own Log Out logs out.
func TestLogOutAsksFirst(t *testing.T) {
	test.NewTempApp(t)
	clock := newFakeClock()
	s := NewSyncStatus(testEnv(&screenstest.Queue{}, clock), SyncActions{SyncNow: func() {}, ResetPassword: func() {}, LogOut: func() {}})
	w := show(t, s)
	s.SetState(syncedState(clock.Now()))
	c := w.Canvas()
	loggedOut := 0
	d := NewLogOutDialog(c, func() { loggedOut++ })
	for _, dismiss := range []fyne.KeyName{fyne.KeyEscape, fyne.KeyReturn} {
		d.Show()
		screenstest.PressKey(c, dismiss)
		if d.Visible() || loggedOut != 0 {
			t.Errorf("%s: question open %v, logged out %d times", dismiss, d.Visible(), loggedOut)
		}
	}
	d.Show()
	assertMarkup(t, "sync_status/log_out_question.xml", w)
	test.Tap(d.confirm)
	if loggedOut != 1 || d.Visible() || len(c.Overlays().List()) != 0 {
		t.Errorf("confirmed: logged out %d times, question still open %v", loggedOut, d.Visible())
	}
}
