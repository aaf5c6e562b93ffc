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
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

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
	// Save is on when there is something to send; pressing it with a
	// password that would be refused says why (see TestResetSaveSaysWhyNot).
	for _, tc := range []struct {
		name              string
		code, pw, confirm string
		want              bool
	}{
		{"all good", "123456", strongPassword, strongPassword, true},
		{"short code", "12345", strongPassword, strongPassword, false},
		{"confirm empty", "123456", strongPassword, "", false},
		{"password empty", "123456", "", "", false},
		{"weak password: Save says why", "123456", "password1", "password1", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.fill(t, tc.code, tc.pw, tc.confirm)
			if got := !f.s.saveButton.Disabled(); got != tc.want {
				t.Errorf("Save enabled = %v, want %v (strength %q, match %q)", got, tc.want, f.s.meter.level.Text, f.s.match.Text)
			}
		})
	}
	f.fill(t, "123456", "password1", "password")
	assertMarkup(t, "reset/weak_mismatch.xml", f.w)
	f.fill(t, "123456", strongPassword, strongPassword)
	assertMarkup(t, "reset/ready.xml", f.w)
	if want := "✓ Passwords match"; f.s.match.Text != want {
		t.Errorf("match label %q, want %q", f.s.match.Text, want)
	}
}

// Pressing Save (or Enter) on a password that would be refused says why,
// beside the field to fix, and sends nothing.
func TestResetSaveSaysWhyNot(t *testing.T) {
	for _, tc := range []struct {
		name              string
		code, pw, confirm string
		where             func(*ResetPassword) string
		want              string
	}{
		{
			"weak", "123456", "password1", "password1",
			func(s *ResetPassword) string { return shown(s.passwordError) },
			"Not saved: this password is Poor. Choose one rated at least Acceptable.",
		},
		{
			"acceptable but under 8 characters", "123456", "Zx9#qL", "Zx9#qL",
			func(s *ResetPassword) string { return shown(s.passwordError) },
			"That password is too short. Use at least 8 characters.",
		},
		{
			"uses the username", "123456", "rep@example.com", "rep@example.com",
			func(s *ResetPassword) string { return shown(s.passwordError) },
			"Not saved: this password is Poor. Choose one rated at least Acceptable.",
		},
		{
			"mismatch", "123456", strongPassword, strongPassword[:5],
			func(s *ResetPassword) string { return s.match.Text },
			"Passwords don't match",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &fakeResetter{}
			f := newTestReset(t, r, nil, nil)
			f.fill(t, tc.code, tc.pw, tc.confirm)
			if got := tc.where(f.s); got == tc.want {
				t.Fatalf("%q shows before Save is pressed", got)
			}
			f.w.Canvas().Focus(f.s.confirm)
			screenstest.PressKey(f.w.Canvas(), fyne.KeyReturn)
			f.q.Drain()
			if got := tc.where(f.s); got != tc.want {
				t.Errorf("after Enter: %q, want %q", got, tc.want)
			}
			test.Tap(f.s.saveButton)
			f.q.Drain()
			if len(r.confirmed) != 0 {
				t.Errorf("sent %d confirms for a password the app knows is refused", len(r.confirmed))
			}
		})
	}
}

// Save pressed before the strength verdict waits for it, then goes ahead.
func TestResetSaveBeforeTheVerdictWaitsForIt(t *testing.T) {
	gate := make(chan struct{})
	slow := func(pw string, in []string) strength.Result { <-gate; return strength.Evaluate(pw, in) }
	r := &fakeResetter{}
	f := newTestReset(t, r, nil, slow)
	test.Type(f.s.code, "123456")
	f.s.newPassword.SetText(strongPassword)
	test.Type(f.s.confirm, strongPassword)
	test.Tap(f.s.saveButton)
	f.q.Drain()
	if len(r.confirmed) != 0 || f.s.busy {
		t.Fatal("sent before the verdict")
	}
	close(gate)
	eventually(t, f.q, "saved after the verdict", func() bool { return f.saved != "" })
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
	if f.s.match.Text != "✓ Passwords match" {
		t.Errorf("match label %q while the scorer is busy", f.s.match.Text)
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
	test.Type(f.s.code, "123456")
	test.Type(f.s.confirm, "x")
	test.Tap(f.s.saveButton)
	if want := "That password is too long. Use at most 256 characters."; shown(f.s.passwordError) != want {
		t.Errorf("Save on a 10 000-character password: %q, want %q", shown(f.s.passwordError), want)
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
		want  string
	}{
		{
			"wrong code", &apierr.Problem{Status: 400, Code: apierr.CodeInvalid, AttemptsLeft: 4},
			func(s *ResetPassword) string { return shown(s.codeError) },
			"That code is wrong. 4 tries left.",
		},
		{
			"superseded", &apierr.Problem{Status: 410, Code: apierr.CodeExpired, AttemptsLeft: -1, Reason: apierr.Superseded},
			func(s *ResetPassword) string { return shown(s.codeError) },
			"A newer code was sent after this one, so this one no longer works. Use the code in the newest email.",
		},
		{
			"expired", &apierr.Problem{Status: 410, Code: apierr.CodeExpired, AttemptsLeft: -1},
			func(s *ResetPassword) string { return shown(s.codeError) },
			"That code has expired or was already used. You can send a new code in 1:00.",
		},
		{
			"locked", &apierr.Problem{Status: 423, Code: apierr.CodeLocked, AttemptsLeft: -1},
			func(s *ResetPassword) string { return shown(s.codeError) },
			"That code was entered wrong too many times, so it no longer works. You can send a new code in 1:00.",
		},
		{
			"too weak", &apierr.Problem{Status: 422, Code: apierr.PasswordTooWeak, AttemptsLeft: -1},
			func(s *ResetPassword) string { return shown(s.passwordError) },
			"That password is too weak. Mix letters, numbers and symbols, and avoid sequences and repeats.",
		},
		{
			"offline", fmt.Errorf("dial: %w", apierr.ErrUnreachable),
			func(s *ResetPassword) string { return shown(s.formError) },
			Explain(apierr.ErrUnreachable),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &fakeResetter{confirmErr: tc.err}
			f := newTestReset(t, r, nil, nil)
			f.s.applyTicket(*f.ticket())
			f.fill(t, "123456", strongPassword, strongPassword)
			test.Tap(f.s.saveButton)
			eventually(t, f.q, "error shown", func() bool { return tc.field(f.s) != "" })
			if got := tc.field(f.s); got != tc.want {
				t.Errorf("shown %q, want %q", got, tc.want)
			}
			all := shown(f.s.codeError) + shown(f.s.passwordError) + shown(f.s.formError)
			if all != tc.want {
				t.Errorf("more than one message: %q", all)
			}
			if f.saved != "" {
				t.Error("Saved after a failure")
			}
			if tc.name == "wrong code" {
				assertMarkup(t, "reset/wrong_code.xml", f.w)
			}
		})
	}
}

// After a wrong code the next digits replace it: the field does not keep
// six wrong digits and drop the new ones (issue 11, item 1).
func TestResetRetypingAfterAWrongCodeReplacesIt(t *testing.T) {
	for _, tc := range []struct {
		name   string
		before func(*resetFixture)
	}{
		{"typing at once", func(*resetFixture) {}},
		{"after a click in the field", func(f *resetFixture) { test.Tap(f.s.code) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &fakeResetter{confirmErr: &apierr.Problem{Status: 400, Code: apierr.CodeInvalid, AttemptsLeft: 4}}
			f := newTestReset(t, r, nil, nil)
			f.fill(t, "111111", strongPassword, strongPassword)
			test.Tap(f.s.saveButton)
			eventually(t, f.q, "wrong code", func() bool { return shown(f.s.codeError) != "" })
			if f.w.Canvas().Focused() != f.s.code {
				t.Errorf("focus on %T after a wrong code, want the code", f.w.Canvas().Focused())
			}
			tc.before(f)
			test.Type(f.s.code, "654321")
			if f.s.code.Text != "654321" {
				t.Errorf("code after retyping = %q, want 654321", f.s.code.Text)
			}
			if shown(f.s.codeError) != "" || f.s.saveButton.Disabled() {
				t.Errorf("after retyping: error %q, Save enabled %v", shown(f.s.codeError), !f.s.saveButton.Disabled())
			}
		})
	}
	// Editing with the keys keeps what is there.
	f := newTestReset(t, &fakeResetter{}, nil, nil)
	test.Type(f.s.code, "12345")
	f.s.code.replaceOnType()
	f.w.Canvas().Focus(f.s.code)
	screenstest.PressKey(f.w.Canvas(), fyne.KeyEnd)
	test.Type(f.s.code, "6")
	if f.s.code.Text != "123456" {
		t.Errorf("code after End and a digit = %q, want 123456", f.s.code.Text)
	}
}

// The fifth wrong try: one state, one message that says what happened and
// when a new code can be sent; Save off; the resend button on when it may
// be used (issue 11, items 2, 3 and 13).
func TestResetLockOutIsOneState(t *testing.T) {
	r := &fakeResetter{confirmErr: &apierr.Problem{Status: 423, Code: apierr.CodeLocked, AttemptsLeft: -1}}
	f := newTestReset(t, r, nil, nil)
	tk := f.ticket()
	tk.ResendAfter = 40 * time.Second
	f.s.applyTicket(*tk)
	f.fill(t, "111111", strongPassword, strongPassword)
	f.clock.Advance(6 * time.Second)
	test.Tap(f.s.saveButton)
	eventually(t, f.q, "locked", func() bool { return f.s.dead != nil })
	want := "That code was entered wrong too many times, so it no longer works. You can send a new code in 0:34."
	if got := shown(f.s.codeError); got != want {
		t.Errorf("code message %q, want %q", got, want)
	}
	if shown(f.s.expiry) != "" || shown(f.s.resendWait) != "" {
		t.Errorf("a second message shows: expiry %q, wait %q", shown(f.s.expiry), shown(f.s.resendWait))
	}
	if !f.s.saveButton.Disabled() || !f.s.resendButton.Disabled() {
		t.Errorf("Save enabled %v, resend enabled %v during the wait", !f.s.saveButton.Disabled(), !f.s.resendButton.Disabled())
	}
	assertMarkup(t, "reset/locked.xml", f.w)
	// Retyping a code does not bring Save back: there is no usable code.
	test.Type(f.s.code, "222222")
	if !f.s.saveButton.Disabled() || shown(f.s.codeError) != want {
		t.Errorf("after retyping: Save enabled %v, message %q", !f.s.saveButton.Disabled(), shown(f.s.codeError))
	}
	f.clock.Advance(34 * time.Second)
	f.s.refreshTimes()
	if got, want := shown(f.s.codeError), "That code was entered wrong too many times, so it no longer works. Send a new code."; got != want {
		t.Errorf("after the wait: %q, want %q", got, want)
	}
	if f.s.resendButton.Disabled() {
		t.Error("resend still disabled after the wait")
	}
	test.Tap(f.s.resendButton)
	eventually(t, f.q, "new code sent", func() bool { return shown(f.s.codeInfo) != "" })
	test.Type(f.s.code, "333333")
	if f.s.dead != nil || shown(f.s.codeError) != "" || f.s.saveButton.Disabled() {
		t.Errorf("after a new code: message %q, Save enabled %v", shown(f.s.codeError), !f.s.saveButton.Disabled())
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
	// The wait is readable text, not only a disabled button's label.
	if got := shown(f.s.resendWait); !f.s.resendButton.Disabled() || got != "You can ask for another code in 1:00." {
		t.Errorf("resend disabled=%v, wait line %q during the cooldown", f.s.resendButton.Disabled(), got)
	}
	f.clock.Advance(61 * time.Second)
	f.s.refreshTimes()
	if got := shown(f.s.expiry); got != "The code expires in 13:59." {
		t.Errorf("expiry %q", got)
	}
	if f.s.resendButton.Disabled() || shown(f.s.resendWait) != "" {
		t.Errorf("after the cooldown: resend disabled %v, wait line %q", f.s.resendButton.Disabled(), shown(f.s.resendWait))
	}
	test.Type(f.s.code, "111111")
	test.Tap(f.s.resendButton)
	eventually(t, f.q, "new code sent", func() bool { return shown(f.s.codeInfo) != "" })
	if f.s.code.Text != "" || !f.s.resendButton.Disabled() {
		t.Errorf("after resend: code %q, resend enabled %v", f.s.code.Text, !f.s.resendButton.Disabled())
	}
	// Run out on screen: one expiry message, under the field, and Save off.
	test.Type(f.s.code, "222222")
	test.Type(f.s.newPassword, strongPassword)
	test.Type(f.s.confirm, strongPassword)
	f.clock.Advance(20 * time.Minute)
	f.s.refreshTimes()
	if got := shown(f.s.codeError); got != "The code has expired. Send a new code." {
		t.Errorf("code message %q", got)
	}
	if shown(f.s.expiry) != "" || !f.s.saveButton.Disabled() {
		t.Errorf("expiry line %q, Save enabled %v", shown(f.s.expiry), !f.s.saveButton.Disabled())
	}
	assertMarkup(t, "reset/expired.xml", f.w)

	// A cooldown answer from the server restarts the wait it names.
	r.fakeRequester.err = &apierr.Problem{Status: 429, Code: apierr.ResendTooSoon, AttemptsLeft: -1, RetryAfter: 45 * time.Second}
	test.Tap(f.s.resendButton)
	eventually(t, f.q, "cooldown", func() bool { return !f.s.sending })
	if got := shown(f.s.codeError); got != "The code has expired. You can send a new code in 0:45." {
		t.Errorf("code message %q after resend_too_soon", got)
	}
}

// A request inside the cooldown sends nothing: the screen says so, and says
// what the server told of the earlier code: it still works (with its
// countdown), or it is used up and a new one can be sent at a given time
// (item 5).
func TestResetNothingSentSaysWhatIsTrue(t *testing.T) {
	const sent = "We sent a code to rep@example.com less than a minute ago, so no new one was sent."
	for _, tc := range []struct {
		name                string
		ticket              func(now time.Time) ResetTicket
		intro, expiry, code string
		wait                string
		saveable            bool
	}{
		{
			"the earlier code works",
			func(now time.Time) ResetTicket {
				return ResetTicket{SentTo: "rep@example.com", ResendAfter: 40 * time.Second, NothingSent: true, ExpiresAt: now.Add(14*time.Minute + 40*time.Second)}
			},
			sent + " That code still works: enter it from that email.", "The code expires in 14:40.", "",
			"You can ask for another code in 0:40.", true,
		},
		{
			"the earlier code is used up",
			func(time.Time) ResetTicket {
				return ResetTicket{SentTo: "rep@example.com", ResendAfter: 40 * time.Second, NothingSent: true, EarlierCodeGone: true}
			},
			sent, "", "The code in that email no longer works: it was used, or entered wrong too many times. You can send a new code in 0:40.",
			"", false,
		},
		{
			"the server did not say",
			func(time.Time) ResetTicket {
				return ResetTicket{SentTo: "rep@example.com", ResendAfter: 40 * time.Second, NothingSent: true}
			},
			sent + " Enter the code from that email.", "", "",
			"You can ask for another code in 0:40.", true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newTestReset(t, &fakeResetter{}, nil, nil)
			f.s.applyTicket(tc.ticket(f.clock.Now()))
			f.s.refreshTimes()
			f.fill(t, "123456", strongPassword, strongPassword)
			if f.s.intro.Text != tc.intro {
				t.Errorf("intro %q, want %q", f.s.intro.Text, tc.intro)
			}
			if got := shown(f.s.expiry); got != tc.expiry {
				t.Errorf("expiry %q, want %q", got, tc.expiry)
			}
			if got := shown(f.s.codeError); got != tc.code {
				t.Errorf("code message %q, want %q", got, tc.code)
			}
			if got := shown(f.s.resendWait); got != tc.wait {
				t.Errorf("wait line %q, want %q", got, tc.wait)
			}
			if got := !f.s.saveButton.Disabled(); got != tc.saveable {
				t.Errorf("Save enabled %v, want %v", got, tc.saveable)
			}
			if tc.name == "the earlier code is used up" {
				assertMarkup(t, "reset/nothing_sent_used_up.xml", f.w)
			}
		})
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

// newResetCountingBacks shows the reset screen for a rep with a Back action
// that counts how often it runs.
func newResetCountingBacks(t *testing.T) (*ResetPassword, fyne.Window, *int) {
	test.NewTempApp(t)
	backs := new(int)
	s := NewResetPassword(testEnv(&screenstest.Queue{}, newFakeClock()), &fakeResetter{},
		Account{Username: "rep@example.com", Email: "rep@example.com"}, nil, ResetActions{Back: func() { *backs++ }})
	return s, show(t, s), backs
}

func TestResetEscapeGoesBackFromEveryField(t *testing.T) {
	s, w, backs := newResetCountingBacks(t)
	visited := escapeEverywhere(t, w.Canvas(), s.code)
	// code, Send new code, new password, confirm, back arrow (Save is off)
	if len(visited) != 5 {
		t.Errorf("Tab cycle has %d widgets, want 5", len(visited))
	}
	if *backs != len(visited) {
		t.Errorf("with nothing typed, Escape went back %d times from %d widgets", *backs, len(visited))
	}
	s.Escape()
	if *backs != len(visited)+1 {
		t.Error("ResetPassword.Escape did not go back")
	}
}

// With a code or a password typed, leaving asks first (item 7).
func TestResetLeavingWithWorkAsks(t *testing.T) {
	for _, tc := range []struct {
		name  string
		typed func(*ResetPassword)
	}{
		{"code", func(s *ResetPassword) { test.Type(s.code, "12") }},
		{"password", func(s *ResetPassword) { test.Type(s.newPassword, "x") }},
		{"confirmation", func(s *ResetPassword) { test.Type(s.confirm, "x") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, w, backs := newResetCountingBacks(t)
			tc.typed(s)
			c := w.Canvas()
			for _, from := range []fyne.Focusable{s.code, s.newPassword, s.confirm, s.saveButton} {
				c.Focus(from)
				screenstest.PressKey(c, fyne.KeyEscape)
				if *backs != 0 || s.leaveDialog == nil || !s.leaveDialog.shown {
					t.Fatalf("Escape from %T: went back %d times, asked %v", from, *backs, s.leaveDialog != nil)
				}
				screenstest.PressKey(c, fyne.KeyEscape) // Escape in the question: stay
				if s.leaveDialog.shown || *backs != 0 {
					t.Fatalf("Escape in the question did not stay")
				}
			}
			s.Escape()
			if tc.name == "code" {
				assertMarkup(t, "reset/leave.xml", w)
			}
			test.Tap(s.leaveButton)
			if *backs != 1 || s.leaveDialog.shown {
				t.Errorf("Leave: went back %d times, question open %v", *backs, s.leaveDialog.shown)
			}
		})
	}
}

// "Passwords don't match" waits until the confirmation is as long as the
// password or loses the focus (item 10).
func TestResetMatchIsJudgedWhenTheConfirmationIsComplete(t *testing.T) {
	f := newTestReset(t, &fakeResetter{}, nil, nil)
	c := f.w.Canvas()
	test.Type(f.s.newPassword, strongPassword)
	c.Focus(f.s.confirm)
	for i, r := range strongPassword[:len(strongPassword)-1] {
		test.Type(f.s.confirm, string(r))
		if f.s.match.Text != "" {
			t.Fatalf("after %d of %d characters: %q", i+1, len(strongPassword), f.s.match.Text)
		}
	}
	test.Type(f.s.confirm, "x") // complete, with a typo at the end
	if f.s.match.Text != "Passwords don't match" {
		t.Errorf("complete and wrong: %q", f.s.match.Text)
	}
	f.s.confirm.SetText("")
	test.Type(f.s.confirm, "corr")
	if f.s.match.Text != "" {
		t.Errorf("retyping from empty: %q", f.s.match.Text)
	}
	c.Focus(f.s.newPassword) // focus leaves: judge what is there
	if f.s.match.Text != "Passwords don't match" {
		t.Errorf("after the focus left: %q", f.s.match.Text)
	}
	f.s.confirm.SetText(strongPassword)
	if f.s.match.Text != "✓ Passwords match" {
		t.Errorf("matching: %q", f.s.match.Text)
	}
}

// The confirm field does not move as tips come and go, nor the Save
// button as the match line fills (item 10).
func TestResetFieldsDoNotJumpAsTipsChange(t *testing.T) {
	f := newTestReset(t, &fakeResetter{}, nil, nil)
	confirmY := func() float32 {
		screenstest.Relayout(f.w.Canvas().Content())
		return fyne.CurrentApp().Driver().AbsolutePositionForObject(f.s.confirm).Y
	}
	start := confirmY()
	var ys []float32
	for _, pw := range []string{"a", "abcdefghijkl", "Jennifer19851985", strongPassword, "x", ""} {
		f.s.newPassword.SetText(pw)
		eventually(t, f.q, "verdict for "+pw, func() bool { return pw == "" || f.s.meter.scored })
		ys = append(ys, confirmY())
	}
	for i, y := range ys {
		if y != start {
			t.Errorf("confirm field at y=%v after step %d, at y=%v when empty (all: %v)", y, i, start, ys)
		}
	}
}

// The minimum is stated beside the meter while the password is below it; a
// warning under a saveable rating reads as advice (item 11); every tip ends
// like a sentence (item 13).
func TestStrengthStatesTheMinimumAndAdvises(t *testing.T) {
	acceptableWithWarning := func(pw string, in []string) strength.Result {
		if pw == "Sunday-lunch" {
			return strength.Result{Score: 2, Level: strength.Acceptable, Warning: "This is similar to a commonly used password"}
		}
		return strength.Evaluate(pw, in)
	}
	f := newTestReset(t, &fakeResetter{}, nil, acceptableWithWarning)
	m := f.s.meter
	if m.need.Text != "Needs at least Acceptable to save." {
		t.Errorf("empty: %q", m.need.Text)
	}
	test.Type(f.s.newPassword, "abcdefghijkl")
	eventually(t, f.q, "verdict", func() bool { return m.scored })
	if m.need.Text != "Needs at least Acceptable to save." || m.warning.Importance != widget.WarningImportance {
		t.Errorf("Poor: need %q, warning importance %v", m.need.Text, m.warning.Importance)
	}
	for _, line := range strings.Split(shown(m.suggestions), "\n") {
		if !strings.HasSuffix(line, ".") {
			t.Errorf("tip %q does not end like the others", line)
		}
	}
	if w := shown(m.warning); !strings.HasSuffix(w, ".") {
		t.Errorf("warning %q does not end like a sentence", w)
	}
	f.s.newPassword.SetText("Sunday-lunch")
	eventually(t, f.q, "verdict", func() bool { return m.scored })
	if m.need.Text != "Strong enough to save." {
		t.Errorf("Acceptable: need %q", m.need.Text)
	}
	if got, want := shown(m.warning), "Could be stronger: this is similar to a commonly used password."; got != want || m.warning.Importance != widget.MediumImportance {
		t.Errorf("Acceptable with a warning: %q (importance %v), want %q as advice", got, m.warning.Importance, want)
	}
}

// A 300-character password scrolls sideways in its one line without a
// scroll bar over the entry's border (item 13); the master shows the
// entry's scroll with no bar drawn.
func TestResetLongPasswordDrawsNoScrollBarOverTheBorder(t *testing.T) {
	f := newTestReset(t, &fakeResetter{}, nil, nil)
	f.w.Canvas().Focus(f.s.newPassword)
	f.s.newPassword.SetText(strings.Repeat("Ab3$xyz-", 40)[:300])
	f.s.newPassword.CursorColumn = 300
	f.s.newPassword.Refresh()
	f.q.Drain()
	assertMarkup(t, "reset/long_password.xml", f.w)
}

// The Reset password link keeps its room while hidden, so the password
// field does not move down when it appears (item 10).
func TestLoginResetLinkDoesNotPushThePasswordDown(t *testing.T) {
	s, w, q := newTestLogin(t, &fakeAuth{}, LoginActions{RequestReset: func(Account) {}})
	passwordY := func() float32 {
		screenstest.Relayout(w.Canvas().Content())
		return fyne.CurrentApp().Driver().AbsolutePositionForObject(s.password).Y
	}
	before := passwordY()
	test.Type(s.username, "rep@example.com")
	eventually(t, q, "reset link", func() bool { return visible(s.resetLink) })
	if after := passwordY(); after != before {
		t.Errorf("password field moved from y=%v to y=%v when the link appeared", before, after)
	}
}

// The server rates the NFKC form of a password, so the meter does too:
// "password123" typed in full-width letters is still Poor, not the Excellent
// its raw code points would score.
func TestStrengthRatesTheNormalisedForm(t *testing.T) {
	f := newTestReset(t, &fakeResetter{}, nil, nil)
	const fullWidth = "ｐａｓｓｗｏｒｄ１２３"
	if raw := strength.Evaluate(fullWidth, nil); raw.Acceptable() {
		t.Logf("raw form rated %v", raw.Level)
	} else {
		t.Fatalf("the raw form is already rated %v: the test cannot tell the forms apart", raw.Level)
	}
	test.Type(f.s.newPassword, fullWidth)
	eventually(t, f.q, "verdict", func() bool { return f.s.meter.scored })
	if got := f.s.meter.result.Level; got != strength.Poor {
		t.Errorf("full-width password123 rated %v, want Poor (the server's verdict)", got)
	}
}

// On a phone the confirm field starts below the fold: Tab to it scrolls it
// into view, so the rep sees what they type.
func TestResetTabScrollsTheFieldIntoView(t *testing.T) {
	f := newTestReset(t, &fakeResetter{}, nil, nil)
	f.w.Resize(fyne.NewSize(360, 480))
	d := fyne.CurrentApp().Driver()
	viewport := func() (top, bottom float32) {
		var scroll *container.Scroll
		screenstest.Walk(f.s.Content(), func(o fyne.CanvasObject) {
			if s, ok := o.(*container.Scroll); ok && scroll == nil {
				scroll = s
			}
		})
		top = d.AbsolutePositionForObject(scroll).Y
		return top, top + scroll.Size().Height
	}
	top, bottom := viewport()
	if y := d.AbsolutePositionForObject(f.s.confirm).Y + f.s.confirm.Size().Height; y <= bottom {
		t.Fatalf("the confirm field ends at %v, inside the viewport (%v..%v): the test cannot tell", y, top, bottom)
	}
	f.w.Canvas().Focus(f.s.confirm)
	y := d.AbsolutePositionForObject(f.s.confirm).Y
	if y < top || y+f.s.confirm.Size().Height > bottom {
		t.Errorf("after the focus moved there the confirm field spans %v..%v, outside the viewport %v..%v", y, y+f.s.confirm.Size().Height, top, bottom)
	}
}
