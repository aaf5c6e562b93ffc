package screens

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"salesplus/screens/screenstest"
)

// TestEnterAndSpaceActivateWhatHasFocus presses Enter and Space on every
// button and link of Sync Status and Log In: each runs its action once per
// key, as a tap does.
func TestEnterAndSpaceActivateWhatHasFocus(t *testing.T) {
	test.NewTempApp(t)
	q := &screenstest.Queue{}
	clock := newFakeClock()
	counts := map[string]int{}
	count := func(name string) func() { return func() { counts[name]++ } }
	s := NewSyncStatus(testEnv(q, clock), SyncActions{
		SyncNow: count("sync"), LogIn: count("login"), LogOut: count("logout"),
		ResetPassword: count("reset"), ChangeServer: count("server"),
	})
	w := show(t, s)
	c := w.Canvas()
	press := func(f fyne.Focusable, name string) {
		t.Helper()
		for _, key := range []fyne.KeyName{fyne.KeyReturn, fyne.KeyEnter, fyne.KeySpace} {
			before := counts[name]
			c.Focus(f)
			screenstest.PressKey(c, key)
			if counts[name] != before+1 {
				t.Errorf("%s on %s: action ran %d times, want 1", key, name, counts[name]-before)
			}
		}
	}
	press(s.loginButton, "login")
	press(s.changeServer, "server")
	s.SetState(syncedState(clock.Now()))
	press(s.syncButton, "sync")
	press(s.resetButton, "reset")
	press(s.logoutButton, "logout")

	auth := &fakeAuth{}
	var requested, haveCode int
	l := NewLogin(testEnv(q, clock), auth, LoginActions{
		RequestReset: func(Account) { requested++ },
		HaveCode:     func(Account) { haveCode++ },
	})
	lw := show(t, l)
	l.SetUsername("rep@example.com")
	eventually(t, q, "reset link", func() bool { return visible(l.resetLink) })
	lc := lw.Canvas()
	for _, key := range []fyne.KeyName{fyne.KeyReturn, fyne.KeySpace} {
		lc.Focus(l.resetLink)
		screenstest.PressKey(lc, key)
		lc.Focus(l.haveCodeLink)
		screenstest.PressKey(lc, key)
	}
	if requested != 2 || haveCode != 2 {
		t.Errorf("Enter and Space: Reset password ran %d times, I already have a code %d; want 2 each", requested, haveCode)
	}
}

// TestFocusRingOnBlueButton checks that a focused high-importance button
// draws a ring that stands out from the background around it (3:1, WCAG's
// figure for a focus indicator) in the light and the dark theme, and drops
// it when the focus moves on.
func TestFocusRingOnBlueButton(t *testing.T) {
	test.NewTempApp(t)
	q := &screenstest.Queue{}
	clock := newFakeClock()
	s := NewSyncStatus(testEnv(q, clock), SyncActions{SyncNow: func() {}, LogOut: func() {}, ResetPassword: func() {}})
	w := show(t, s)
	s.SetState(syncedState(clock.Now()))
	w.Canvas().Focus(s.syncButton)
	assertMarkup(t, "sync_status/focus_sync_now.xml", w)
	ring := test.WidgetRenderer(s.syncButton).(*focusRingRenderer).ring
	//lint:ignore SA1019 the variants' fixed themes, to test both whatever the user prefers
	for name, th := range map[string]fyne.Theme{"light": theme.LightTheme(), "dark": theme.DarkTheme()} {
		test.ApplyTheme(t, Theme(th))
		s.syncButton.Refresh()
		if !ring.Visible() {
			t.Fatalf("%s: no focus ring on the focused Sync Now", name)
		}
		bg := th.Color(theme.ColorNameBackground, 0)
		if c := contrast(ring.StrokeColor, bg); c < 3 {
			t.Errorf("%s: ring on background %.2f:1, want ≥ 3", name, c)
		}
	}
	w.Canvas().Focus(s.resetButton)
	if ring.Visible() {
		t.Error("Sync Now keeps its ring after the focus moved on")
	}
	if !test.WidgetRenderer(s.resetButton).(*focusRingRenderer).ring.Visible() {
		t.Error("no ring on Reset Password after Tab moved there")
	}
}
