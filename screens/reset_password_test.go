package screens

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"salesplus/apierr"
	"salesplus/internal/testclock"
	"salesplus/screens/screenstest"
	"salesplus/strength"
)

const strongPassword = "correct-Horse-battery-9-staple"

// fakeResetter confirms with a scripted error and counts resend requests.
type fakeResetter struct {
	fakeRequester
	confirmErr error
	mu2        sync.Mutex
	confirmed  []string
}

func (f *fakeResetter) ConfirmReset(ctx context.Context, username, code, newPassword string) error {
	f.mu2.Lock()
	defer f.mu2.Unlock()
	f.confirmed = append(f.confirmed, code)
	return f.confirmErr
}

type resetFixture struct {
	s     *ResetPassword
	w     fyne.Window
	q     *screenstest.Queue
	clock *testclock.Clock
	saved string
}

func newTestReset(t *testing.T, r Resetter, ticket *ResetTicket, evaluate func(string, []string) strength.Result) *resetFixture {
	test.NewTempApp(t)
	f := &resetFixture{q: &screenstest.Queue{}, clock: newFakeClock()}
	env := testEnv(f.q, f.clock)
	env.Evaluate = evaluate
	f.s = NewResetPassword(env, r, Account{Username: "rep@example.com", Email: "rep@example.com"}, ticket,
		ResetActions{Saved: func(u string) { f.saved = u }, Back: func() {}})
	f.w = show(t, f.s)
	return f
}

func (f *resetFixture) ticket() *ResetTicket {
	return &ResetTicket{SentTo: "rep@example.com", ExpiresAt: f.clock.Now().Add(15 * time.Minute), ResendAfter: time.Minute}
}

// fill types into the three fields and waits for the strength verdict.
func (f *resetFixture) fill(t *testing.T, code, pw, confirm string) {
	t.Helper()
	s := f.s
	s.code.SetText("")
	s.newPassword.SetText("")
	s.confirm.SetText("")
	test.Type(s.code, code)
	test.Type(s.newPassword, pw)
	test.Type(s.confirm, confirm)
	if pw != "" {
		eventually(t, f.q, "strength verdict", func() bool { return s.meter.scored || len([]rune(pw)) > strength.MaxLength })
	}
}

func TestResetSaveEnablingRules(t *testing.T) {
	r := &fakeResetter{}
	f := newTestReset(t, r, nil, nil)
	f.s.applyTicket(*f.ticket())
	f.s.refreshTimes()
	assertMarkup(t, "reset/empty.xml", f.w)
	for _, tc := range []struct {
		name              string
		code, pw, confirm string
		want              bool
	}{
		{"all good", "123456", strongPassword, strongPassword, true},
		{"short code", "12345", strongPassword, strongPassword, false},
		{"weak password", "123456", "password1", "password1", false},
		{"acceptable but under 8 characters", "123456", "Zx9#qL", "Zx9#qL", false},
		{"mismatch", "123456", strongPassword, strongPassword + "x", false},
		{"confirm empty", "123456", strongPassword, "", false},
		{"password uses the username", "123456", "rep@example.com", "rep@example.com", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.fill(t, tc.code, tc.pw, tc.confirm)
			if got := !f.s.saveButton.Disabled(); got != tc.want {
				t.Errorf("Save enabled = %v, want %v (strength %q, match %q)", got, tc.want, f.s.meter.level.Text, shown(f.s.match))
			}
		})
	}
	f.fill(t, "123456", "password1", "password")
	assertMarkup(t, "reset/weak_mismatch.xml", f.w)
	f.fill(t, "123456", strongPassword, strongPassword)
	assertMarkup(t, "reset/ready.xml", f.w)
	if want := "✓ Passwords match"; shown(f.s.match) != want {
		t.Errorf("match label %q, want %q", shown(f.s.match), want)
	}
}

func TestResetCodeAcceptsDigitsOnly(t *testing.T) {
	f := newTestReset(t, &fakeResetter{}, nil, nil)
	test.Type(f.s.code, "12a 3-4b5678")
	if f.s.code.Text != "123456" {
		t.Errorf("typed code = %q, want 123456", f.s.code.Text)
	}
	f.s.code.SetText("")
	fyne.CurrentApp().Clipboard().SetContent(" 123 456\n")
	f.s.code.TypedShortcut(&fyne.ShortcutPaste{Clipboard: fyne.CurrentApp().Clipboard()})
	if f.s.code.Text != "123456" {
		t.Errorf("pasted code = %q, want 123456", f.s.code.Text)
	}
	f.s.code.SetText("98")
	fyne.CurrentApp().Clipboard().SetContent("7-6")
	f.s.code.TypedShortcut(&fyne.ShortcutPaste{Clipboard: fyne.CurrentApp().Clipboard()})
	if f.s.code.Text != "9876" {
		t.Errorf("partial paste = %q, want 9876", f.s.code.Text)
	}
}

func TestStrengthLabelFollowsTyping(t *testing.T) {
	f := newTestReset(t, &fakeResetter{}, nil, nil)
	inputs := strength.UserInputs("rep@example.com", "rep@example.com")
	const pw = "Tr0ub4dor&3-sales"
	// Keystroke by keystroke, waiting for each verdict: the label tracks the prefix.
	for i, r := range pw {
		test.Type(f.s.newPassword, string(r))
		prefix := pw[:i+len(string(r))]
		want := "Password strength: " + strength.Evaluate(prefix, inputs).Level.String()
		eventually(t, f.q, "label for "+prefix, func() bool { return f.s.meter.scored && f.s.meter.level.Text == want })
	}
	// Typed in one burst: whatever was skipped, the last verdict is for the whole text.
	f.s.newPassword.SetText("")
	const burst = "Zebra-Coffee-71-Lantern"
	for _, r := range burst {
		test.Type(f.s.newPassword, string(r))
	}
	want := strength.Evaluate(burst, inputs)
	eventually(t, f.q, "final label", func() bool { return f.s.meter.scored })
	if got := f.s.meter.level.Text; got != "Password strength: "+want.Level.String() {
		t.Errorf("label = %q, want level %v", got, want.Level)
	}
	if f.s.meter.result.Score != want.Score {
		t.Errorf("score = %d, want %d", f.s.meter.result.Score, want.Score)
	}
}

func TestStrengthNewestTextWinsAndTypingNeverWaits(t *testing.T) {
	gate := make(chan struct{})
	var calls atomic.Int32
	var seen sync.Map
	slow := func(pw string, in []string) strength.Result {
		calls.Add(1)
		seen.Store(pw, true)
		<-gate // a very slow scorer
		return strength.Evaluate(pw, in)
	}
	f := newTestReset(t, &fakeResetter{}, nil, slow)
	defer func() {
		select {
		case <-gate:
		default:
			close(gate)
		}
	}()
	test.Type(f.s.newPassword, "a")
	eventually(t, f.q, "worker busy with the first text", func() bool { return calls.Load() == 1 })
	// The worker is stuck; the UI goroutine must still take every keystroke.
	for _, r := range "bcdefgh-Kite-42" {
		test.Type(f.s.newPassword, string(r))
	}
	test.Type(f.s.confirm, "abcdefgh-Kite-42")
	if shown(f.s.match) != "✓ Passwords match" {
		t.Errorf("match label %q while the scorer is busy", shown(f.s.match))
	}
	if !f.s.saveButton.Disabled() {
		t.Error("Save enabled before the score is known")
	}
	close(gate)
	eventually(t, f.q, "verdict for the final text", func() bool { return f.s.meter.scored })
	if got := calls.Load(); got != 2 {
		t.Errorf("scorer ran %d times, want 2 (the first text and the newest; the ones between are dropped)", got)
	}
	if _, ok := seen.Load("abcdefgh-Kite-42"); !ok {
		t.Error("the newest text was never scored")
	}
	want := strength.Evaluate("abcdefgh-Kite-42", f.s.meter.inputs).Level.String()
	if f.s.meter.level.Text != "Password strength: "+want {
		t.Errorf("label %q, want %s (a stale verdict was applied?)", f.s.meter.level.Text, want)
	}
}

func TestStrengthHugePasteKeepsUIResponsive(t *testing.T) {
	var calls atomic.Int32
	counting := func(pw string, in []string) strength.Result { calls.Add(1); return strength.Evaluate(pw, in) }
	f := newTestReset(t, &fakeResetter{}, nil, counting)
	huge := strings.Repeat("Ab3$", 2500) // 10 000 characters
	fyne.CurrentApp().Clipboard().SetContent(huge)
	f.w.Canvas().Focus(f.s.newPassword)
	f.s.newPassword.TypedShortcut(&fyne.ShortcutPaste{Clipboard: fyne.CurrentApp().Clipboard()})
	if len(f.s.newPassword.Text) != 10000 {
		t.Fatalf("pasted %d characters", len(f.s.newPassword.Text))
	}
	// The verdict is immediate: no scoring of a password that can never be saved.
	if f.s.meter.level.Text != "Too long" {
		t.Errorf("label %q after a 10 000-character paste", f.s.meter.level.Text)
	}
	// Further events are processed at once, on the same goroutine.
	test.Type(f.s.confirm, "x")
	if shown(f.s.match) != "Passwords don't match" {
		t.Errorf("match label %q", shown(f.s.match))
	}
	test.Type(f.s.code, "123456")
	if f.s.code.Text != "123456" || !f.s.saveButton.Disabled() {
		t.Errorf("code %q, save enabled %v", f.s.code.Text, !f.s.saveButton.Disabled())
	}
	q := f.q
	q.Drain()
	if calls.Load() != 0 {
		t.Errorf("a 10 000-character password was scored %d times", calls.Load())
	}
	// Back under the limit, scoring resumes.
	f.s.newPassword.SetText(strongPassword)
	eventually(t, q, "verdict after shortening", func() bool { return f.s.meter.scored })
}

func TestResetServerErrorsGoBesideTheirField(t *testing.T) {
	for _, tc := range []struct {
		name  string
		err   error
		field func(*ResetPassword) string
	}{
		{
			"wrong code", &apierr.Problem{Status: 400, Code: apierr.CodeInvalid, AttemptsLeft: 4},
			func(s *ResetPassword) string { return shown(s.codeError) },
		},
		{
			"expired", &apierr.Problem{Status: 410, Code: apierr.CodeExpired, AttemptsLeft: -1},
			func(s *ResetPassword) string { return shown(s.codeError) },
		},
		{
			"locked", &apierr.Problem{Status: 423, Code: apierr.CodeLocked, AttemptsLeft: -1},
			func(s *ResetPassword) string { return shown(s.codeError) },
		},
		{
			"too weak", &apierr.Problem{Status: 422, Code: apierr.PasswordTooWeak, AttemptsLeft: -1},
			func(s *ResetPassword) string { return shown(s.passwordError) },
		},
		{
			"offline", fmt.Errorf("dial: %w", apierr.ErrUnreachable),
			func(s *ResetPassword) string { return shown(s.formError) },
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &fakeResetter{confirmErr: tc.err}
			f := newTestReset(t, r, nil, nil)
			f.s.applyTicket(*f.ticket())
			f.fill(t, "123456", strongPassword, strongPassword)
			test.Tap(f.s.saveButton)
			eventually(t, f.q, "error shown", func() bool { return tc.field(f.s) != "" })
			if tc.field(f.s) != Explain(tc.err) {
				t.Errorf("shown %q, want %q", tc.field(f.s), Explain(tc.err))
			}
			all := shown(f.s.codeError) + shown(f.s.passwordError) + shown(f.s.formError)
			if all != Explain(tc.err) {
				t.Errorf("the error appears in more than one place: %q", all)
			}
			if f.saved != "" {
				t.Error("Saved after a failure")
			}
			switch tc.name {
			case "wrong code":
				assertMarkup(t, "reset/wrong_code.xml", f.w)
			case "expired":
				f.s.refreshTimes()
				if !strings.Contains(shown(f.s.expiry), "expired") {
					t.Errorf("expiry line %q after code_expired", shown(f.s.expiry))
				}
			}
		})
	}
}

func TestResetSaveSucceeds(t *testing.T) {
	r := &fakeResetter{}
	f := newTestReset(t, r, nil, nil)
	f.fill(t, "123456", strongPassword, strongPassword)
	f.w.Canvas().Focus(f.s.confirm)
	screenstest.PressKey(f.w.Canvas(), fyne.KeyReturn) // Enter saves
	eventually(t, f.q, "saved", func() bool { return f.saved != "" })
	if f.saved != "rep@example.com" || len(r.confirmed) != 1 || r.confirmed[0] != "123456" {
		t.Errorf("saved %q, confirmed %v", f.saved, r.confirmed)
	}
}

func TestResetCountdownAndResendCooldown(t *testing.T) {
	r := &fakeResetter{}
	f := newTestReset(t, r, nil, nil)
	f.s.applyTicket(*f.ticket())
	f.s.refreshTimes()
	if got := shown(f.s.expiry); got != "The code expires in 15:00." {
		t.Errorf("expiry %q", got)
	}
	if !f.s.resendButton.Disabled() || f.s.resendButton.Text != "Send new code (wait 1:00)" {
		t.Errorf("resend %q disabled=%v during the cooldown", f.s.resendButton.Text, f.s.resendButton.Disabled())
	}
	f.clock.Advance(61 * time.Second)
	f.s.refreshTimes()
	if got := shown(f.s.expiry); got != "The code expires in 13:59." {
		t.Errorf("expiry %q", got)
	}
	if f.s.resendButton.Disabled() {
		t.Error("resend still disabled after the cooldown")
	}
	test.Type(f.s.code, "111111")
	test.Tap(f.s.resendButton)
	eventually(t, f.q, "new code sent", func() bool { return shown(f.s.codeInfo) != "" })
	if f.s.code.Text != "" || !f.s.resendButton.Disabled() {
		t.Errorf("after resend: code %q, resend enabled %v", f.s.code.Text, !f.s.resendButton.Disabled())
	}
	f.clock.Advance(20 * time.Minute)
	f.s.refreshTimes()
	if got := shown(f.s.expiry); got != "The code has expired. Send a new code." {
		t.Errorf("expiry %q", got)
	}
	assertMarkup(t, "reset/expired.xml", f.w)

	// A cooldown answer from the server restarts the wait it names.
	r.fakeRequester.err = &apierr.Problem{Status: 429, Code: apierr.ResendTooSoon, AttemptsLeft: -1, RetryAfter: 45 * time.Second}
	test.Tap(f.s.resendButton)
	eventually(t, f.q, "cooldown error", func() bool { return shown(f.s.codeError) != "" })
	if f.s.resendButton.Text != "Send new code (wait 0:45)" {
		t.Errorf("resend button %q", f.s.resendButton.Text)
	}
}

func TestResetKeyboard(t *testing.T) {
	f := newTestReset(t, &fakeResetter{}, nil, nil)
	c := f.w.Canvas()
	f.fill(t, "123456", strongPassword, strongPassword)
	c.Focus(f.s.code)
	for i, want := range []fyne.Focusable{f.s.resendButton, f.s.newPassword, f.s.confirm, f.s.saveButton} {
		c.FocusNext()
		if c.Focused() != want {
			t.Fatalf("Tab #%d focused %T, want %T", i+1, c.Focused(), want)
		}
	}
	c.Focus(f.s.code)
	screenstest.PressKey(c, fyne.KeyReturn)
	if c.Focused() != f.s.newPassword {
		t.Errorf("Enter in the code moved focus to %T", c.Focused())
	}
	screenstest.PressKey(c, fyne.KeyReturn)
	if c.Focused() != f.s.confirm {
		t.Errorf("Enter in the new password moved focus to %T", c.Focused())
	}
}

func TestResetEscapeGoesBackFromEveryField(t *testing.T) {
	test.NewTempApp(t)
	q, clock := &screenstest.Queue{}, newFakeClock()
	backs := 0
	s := NewResetPassword(testEnv(q, clock), &fakeResetter{}, Account{Username: "rep@example.com", Email: "rep@example.com"}, nil,
		ResetActions{Back: func() { backs++ }})
	w := show(t, s)
	test.Type(s.code, "123456")
	test.Type(s.newPassword, strongPassword)
	test.Type(s.confirm, strongPassword)
	eventually(t, q, "Save enabled", func() bool { return !s.saveButton.Disabled() })
	visited := escapeEverywhere(t, w.Canvas(), s.code)
	// code, Send new code, new password, confirm, Save, back arrow
	if len(visited) != 6 {
		t.Errorf("Tab cycle has %d widgets, want 6", len(visited))
	}
	if backs != len(visited) {
		t.Errorf("Escape went back %d times from %d widgets", backs, len(visited))
	}
	if s.code.Text != "123456" || s.newPassword.Text != strongPassword {
		t.Error("Escape changed the fields")
	}
	s.Escape()
	if backs != len(visited)+1 {
		t.Error("ResetPassword.Escape did not go back")
	}
}
