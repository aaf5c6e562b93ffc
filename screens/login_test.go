package screens

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"salesplus/apierr"
	"salesplus/screens/screenstest"
)

// fakeAuth knows a few accounts; Lookup can be held to test stale answers.
type fakeAuth struct {
	mu        sync.Mutex
	lookups   []string
	logins    []string
	hold      chan struct{} // when set, Lookup waits for it
	hang      bool          // when set, every call waits for its context to end, as with a hung server
	loginErr  error
	lookupErr error
}

func (f *fakeAuth) hung(ctx context.Context) error {
	f.mu.Lock()
	hang := f.hang
	f.mu.Unlock()
	if !hang {
		return nil
	}
	<-ctx.Done()
	return fmt.Errorf("lookup: %w: %w", apierr.ErrUnreachable, apierr.ErrTimeout)
}

func (f *fakeAuth) Lookup(ctx context.Context, username string) (Account, error) {
	f.mu.Lock()
	f.lookups = append(f.lookups, username)
	hold, lookupErr := f.hold, f.lookupErr
	f.mu.Unlock()
	if hold != nil {
		<-hold
	}
	if err := f.hung(ctx); err != nil {
		return Account{}, err
	}
	switch {
	case lookupErr != nil:
		return Account{}, lookupErr
	case username == "rep@example.com" || username == "first@example.com":
		return Account{Username: username, Email: username}, nil
	case username == "jsmith":
		return Account{}, &apierr.Problem{Status: 409, Code: apierr.UsernameNotEmail, AttemptsLeft: -1}
	default:
		return Account{}, &apierr.Problem{Status: 404, Code: apierr.UnknownUser, AttemptsLeft: -1}
	}
}

func (f *fakeAuth) Login(ctx context.Context, username, password string) error {
	if err := f.hung(ctx); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.logins = append(f.logins, username)
	return f.loginErr
}

func (f *fakeAuth) lookupCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.lookups)
}

func newTestLogin(t *testing.T, auth *fakeAuth, actions LoginActions) (*Login, fyne.Window, *screenstest.Queue) {
	test.NewTempApp(t)
	q := &screenstest.Queue{}
	s := NewLogin(testEnv(q, newFakeClock()), auth, actions)
	w := show(t, s)
	return s, w, q
}

func TestLoginResetLinkAppearsOnlyForValidUsername(t *testing.T) {
	auth := &fakeAuth{}
	var requested Account
	s, w, q := newTestLogin(t, auth, LoginActions{RequestReset: func(a Account) { requested = a }})
	if visible(s.resetLink) {
		t.Fatal("reset link visible before any username")
	}
	assertMarkup(t, "login/empty.xml", w)

	test.Type(s.username, "rep@example.com")
	eventually(t, q, "reset link after a valid username", func() bool { return visible(s.resetLink) })
	if got := auth.lookupCount(); got != 1 {
		t.Errorf("lookups = %d, want 1 (debounced)", got)
	}
	if shown(s.usernameError) != "" {
		t.Errorf("username error %q for a valid username", shown(s.usernameError))
	}
	assertMarkup(t, "login/valid_username.xml", w)

	tapLink(s.resetLink)
	if requested.Email != "rep@example.com" {
		t.Errorf("RequestReset got %+v", requested)
	}

	// Editing the username hides the link until the new name is checked.
	test.Type(s.username, "x")
	if visible(s.resetLink) {
		t.Error("reset link still visible after the username changed")
	}
	eventually(t, q, "unknown-user message", func() bool { return shown(s.usernameError) != "" })
	if visible(s.resetLink) {
		t.Error("reset link visible for an unknown username")
	}
}

// newPatientLogin is a login screen whose timers never fire, so the test
// decides when the username is checked and judged.
func newPatientLogin(t *testing.T, auth *fakeAuth, actions LoginActions) (*Login, fyne.Window, *screenstest.Queue) {
	test.NewTempApp(t)
	q := &screenstest.Queue{}
	env := testEnv(q, newFakeClock())
	env.Debounce = time.Hour
	s := NewLogin(env, auth, actions)
	return s, show(t, s), q
}

func TestLoginJudgesAnUnknownUsernameOnlyWhenComplete(t *testing.T) {
	for _, tc := range []struct {
		name     string
		complete func(s *Login, w fyne.Window)
	}{
		{"long pause", func(s *Login, _ fyne.Window) { s.judge() }}, // what the judge timer runs
		{"Enter", func(s *Login, w fyne.Window) { screenstest.PressKey(w.Canvas(), fyne.KeyReturn) }},
		{"focus leaves", func(s *Login, w fyne.Window) { w.Canvas().Focus(s.password) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, w, q := newPatientLogin(t, &fakeAuth{}, LoginActions{})
			w.Canvas().Focus(s.username)
			test.Type(s.username, "nobody@example.com")
			s.lookup() // what the short debounce runs
			if !visible(s.checking) || shown(s.usernameHint) != msgCheckingUsername {
				t.Errorf("while checking: spinner %v, hint %q", visible(s.checking), shown(s.usernameHint))
			}
			eventually(t, q, "the lookup's answer", func() bool { return !s.inFlight })
			if shown(s.usernameError) != "" || shown(s.usernameHint) != msgUsernameNotFound {
				t.Errorf("mid-word: error %q, hint %q; want no error and the neutral hint", shown(s.usernameError), shown(s.usernameHint))
			}
			if visible(s.checking) {
				t.Error("spinner still turning after the answer")
			}
			tc.complete(s, w)
			q.Drain()
			if !strings.Contains(shown(s.usernameError), "no Sales Plus account") || shown(s.usernameHint) != "" {
				t.Errorf("complete: error %q, hint %q", shown(s.usernameError), shown(s.usernameHint))
			}
			if tc.name == "long pause" {
				assertMarkup(t, "login/unknown_user.xml", w)
			}
		})
	}
}

func TestLoginJudgesAfterALongerPause(t *testing.T) {
	s, _, q := newTestLogin(t, &fakeAuth{}, LoginActions{})
	test.Type(s.username, "nobody@example.com")
	eventually(t, q, "red after the pause", func() bool { return shown(s.usernameError) != "" })
	if s.judgeAfter() <= s.env.debounce() {
		t.Errorf("judged after %v, not longer than the lookup's debounce %v", s.judgeAfter(), s.env.debounce())
	}
}

func TestLoginNonEmailUsernameHearsAboutTheAdminOnlyWhenResetting(t *testing.T) {
	var requested, haveCode int
	s, w, q := newPatientLogin(t, &fakeAuth{}, LoginActions{
		RequestReset: func(Account) { requested++ },
		HaveCode:     func(Account) { haveCode++ },
	})
	w.Canvas().Focus(s.username)
	test.Type(s.username, "jsmith")
	screenstest.PressKey(w.Canvas(), fyne.KeyReturn)
	eventually(t, q, "the lookup's answer", func() bool { return !s.inFlight })
	if shown(s.usernameError) != "" || shown(s.usernameHint) != "" {
		t.Errorf("logging in: error %q, hint %q; want nothing (jsmith can log in)", shown(s.usernameError), shown(s.usernameHint))
	}
	if !visible(s.resetLink) {
		t.Fatal("no Reset password link for jsmith")
	}
	screenstest.Relayout(w.Canvas().Content())
	tapLink(s.resetLink)
	if !strings.Contains(shown(s.usernameError), "Ask your Sales Plus admin") || requested != 0 {
		t.Errorf("Reset password: error %q, RequestReset ran %d times", shown(s.usernameError), requested)
	}
	assertMarkup(t, "login/username_not_email.xml", w)

	// "I already have a code" says the same instead of opening a code
	// screen where no code can ever work.
	s.username.SetText("jsmith")
	tapLink(s.haveCodeLink)
	eventually(t, q, "the admin message", func() bool { return shown(s.usernameError) != "" })
	if !strings.Contains(shown(s.usernameError), "Ask your Sales Plus admin") || haveCode != 0 {
		t.Errorf("I already have a code: error %q, HaveCode ran %d times", shown(s.usernameError), haveCode)
	}
}

func TestLoginHungServerGivesUpWithRetry(t *testing.T) {
	test.NewTempApp(t)
	q := &screenstest.Queue{}
	env := testEnv(q, newFakeClock())
	env.CallTimeout = 50 * time.Millisecond
	auth := &fakeAuth{hang: true}
	s := NewLogin(env, auth, LoginActions{LoggedIn: func(string, string) {}})
	w := show(t, s)
	s.SetUsername("rep@example.com")
	if !visible(s.checking) || shown(s.usernameHint) != msgCheckingUsername {
		t.Errorf("at once: spinner %v, hint %q", visible(s.checking), shown(s.usernameHint))
	}
	eventually(t, q, "giving up", func() bool { return visible(s.retryLink) })
	if want := msgCannotCheckName + errTimeout; shown(s.usernameHint) != want || visible(s.checking) {
		t.Errorf("after the deadline: hint %q (want %q), spinner %v", shown(s.usernameHint), want, visible(s.checking))
	}
	assertMarkup(t, "login/lookup_timed_out.xml", w)

	test.Type(s.password, "pw")
	test.Tap(s.loginButton)
	eventually(t, q, "login gives up", func() bool { return shown(s.formError) != "" })
	if shown(s.formError) != errTimeout || s.loginButton.Disabled() {
		t.Errorf("login: %q, button disabled %v", shown(s.formError), s.loginButton.Disabled())
	}

	auth.mu.Lock()
	auth.hang = false
	auth.mu.Unlock()
	screenstest.Relayout(w.Canvas().Content())
	tapLink(s.retryLink)
	eventually(t, q, "reset link after Retry", func() bool { return visible(s.resetLink) })
	if visible(s.checkRow) {
		t.Errorf("hint row still shown: %q", shown(s.usernameHint))
	}
}

func TestLoginChecksUsernameWhenLeavingField(t *testing.T) {
	test.NewTempApp(t)
	q := &screenstest.Queue{}
	env := testEnv(q, newFakeClock())
	env.Debounce = time.Hour // only leaving the field can trigger the lookup
	auth := &fakeAuth{}
	s := NewLogin(env, auth, LoginActions{})
	w := show(t, s)
	w.Canvas().Focus(s.username)
	test.Type(s.username, "rep@example.com")
	w.Canvas().Focus(s.password)
	eventually(t, q, "reset link after leaving the field", func() bool { return visible(s.resetLink) })
}

func TestLoginIgnoresStaleLookup(t *testing.T) {
	hold := make(chan struct{})
	auth := &fakeAuth{hold: hold}
	s, _, q := newTestLogin(t, auth, LoginActions{})
	s.SetUsername("rep@example.com") // lookup now, held
	test.Type(s.username, "zz")      // the answer for the old name is stale
	close(hold)
	eventually(t, q, "second lookup answered", func() bool {
		// The neutral hint, or the red sentence once the pause judged it.
		return shown(s.usernameHint) == msgUsernameNotFound || shown(s.usernameError) != ""
	})
	if visible(s.resetLink) {
		t.Error("the stale answer for rep@example.com showed the reset link for rep@example.comzz")
	}
}

func TestLoginEnterSubmitsAndErrorsGoBesideTheirField(t *testing.T) {
	for _, tc := range []struct {
		name      string
		err       error
		field     func(*Login) string
		elseWhere func(*Login) string
	}{
		{
			"wrong password", &apierr.Problem{Status: 401, Code: apierr.InvalidCredentials, AttemptsLeft: -1},
			func(s *Login) string { return shown(s.passwordError) }, func(s *Login) string { return shown(s.formError) },
		},
		{
			"server down", fmt.Errorf("dial: %w", apierr.ErrUnreachable),
			func(s *Login) string { return shown(s.formError) }, func(s *Login) string { return shown(s.passwordError) },
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			auth := &fakeAuth{loginErr: tc.err}
			s, w, q := newTestLogin(t, auth, LoginActions{LoggedIn: func(string, string) { t.Error("LoggedIn after a failure") }})
			test.Type(s.username, "rep@example.com")
			eventually(t, q, "username checked", func() bool { return visible(s.resetLink) })
			w.Canvas().Focus(s.password)
			test.Type(s.password, "secret-pass")
			screenstest.PressKey(w.Canvas(), fyne.KeyReturn)
			if !s.loginButton.Disabled() {
				t.Error("Log In enabled while logging in")
			}
			eventually(t, q, "login error", func() bool { return tc.field(s) != "" })
			if tc.field(s) != Explain(tc.err) {
				t.Errorf("error = %q, want %q", tc.field(s), Explain(tc.err))
			}
			if tc.elseWhere(s) != "" {
				t.Errorf("error also shown in the wrong place: %q", tc.elseWhere(s))
			}
			if s.loginButton.Disabled() {
				t.Error("Log In still disabled after the failure")
			}
			if tc.name == "wrong password" {
				assertMarkup(t, "login/wrong_password.xml", w)
			}
		})
	}
}

func TestLoginSuccessHandsOverCredentials(t *testing.T) {
	var gotUser, gotPass string
	s, w, q := newTestLogin(t, &fakeAuth{}, LoginActions{LoggedIn: func(u, p string) { gotUser, gotPass = u, p }})
	if !s.loginButton.Disabled() {
		t.Error("Log In enabled with empty fields")
	}
	s.SetUsername("rep@example.com")
	s.SetNotice(NoticePasswordChanged)
	eventually(t, q, "username checked", func() bool { return visible(s.resetLink) })
	assertMarkup(t, "login/after_reset.xml", w)
	test.Type(s.password, "n3w-Passw0rd!")
	test.Tap(s.loginButton)
	eventually(t, q, "logged in", func() bool { return gotUser != "" })
	if gotUser != "rep@example.com" || gotPass != "n3w-Passw0rd!" {
		t.Errorf("LoggedIn(%q, %q)", gotUser, gotPass)
	}
	if s.password.Text != "" {
		t.Error("password left in the entry after login")
	}
}

func TestLoginTabOrder(t *testing.T) {
	s, w, q := newTestLogin(t, &fakeAuth{}, LoginActions{Back: func() {}})
	c := w.Canvas()
	test.Type(s.username, "rep@example.com")
	eventually(t, q, "reset link", func() bool { return visible(s.resetLink) })
	test.Type(s.password, "pw")
	c.Focus(s.username)
	want := []fyne.Focusable{s.resetLink, s.password, s.loginButton, s.haveCodeLink}
	for i, f := range want {
		c.FocusNext()
		if c.Focused() != f {
			t.Fatalf("Tab #%d focused %T, want %T", i+1, c.Focused(), f)
		}
	}
	// Enter in the username field moves on to the password.
	c.Focus(s.username)
	screenstest.PressKey(c, fyne.KeyReturn)
	if c.Focused() != s.password {
		t.Errorf("Enter in username focused %T, want the password", c.Focused())
	}
}

func TestLoginHaveCodeNeedsUsername(t *testing.T) {
	var got Account
	s, _, q := newTestLogin(t, &fakeAuth{}, LoginActions{HaveCode: func(a Account) { got = a }})
	tapLink(s.haveCodeLink)
	if shown(s.usernameError) == "" || got.Username != "" {
		t.Fatalf("no username: error %q, HaveCode(%+v)", shown(s.usernameError), got)
	}
	test.Type(s.username, "rep@example.com")
	tapLink(s.haveCodeLink) // waits for the lookup, then goes on
	eventually(t, q, "HaveCode", func() bool { return got.Username != "" })
	if got.Username != "rep@example.com" || got.Email != "rep@example.com" {
		t.Errorf("HaveCode(%+v)", got)
	}
}

// escapeEverywhere focuses each focusable widget of c in Tab order, starting
// at first, and presses Escape on it; it returns the widgets it visited.
func escapeEverywhere(t *testing.T, c fyne.Canvas, first fyne.Focusable) []fyne.Focusable {
	t.Helper()
	var visited []fyne.Focusable
	c.Focus(first)
	for f := c.Focused(); f != nil; f = c.Focused() {
		if len(visited) > 0 && f == visited[0] {
			break
		}
		if len(visited) > 20 {
			t.Fatal("focus never came back to the first field")
		}
		visited = append(visited, f)
		screenstest.PressKey(c, fyne.KeyEscape)
		c.Focus(f) // Escape may have moved nothing, but be sure
		c.FocusNext()
	}
	return visited
}

func TestLoginEscapeGoesBackFromEveryField(t *testing.T) {
	backs := 0
	s, w, q := newTestLogin(t, &fakeAuth{}, LoginActions{Back: func() { backs++ }})
	test.Type(s.username, "rep@example.com")
	eventually(t, q, "reset link", func() bool { return visible(s.resetLink) })
	test.Type(s.password, "pw")
	visited := escapeEverywhere(t, w.Canvas(), s.username)
	// username, reset link, password, Log In, I already have a code, back arrow
	if len(visited) != 6 {
		t.Errorf("Tab cycle has %d widgets, want 6", len(visited))
	}
	if backs != len(visited) {
		t.Errorf("Escape went back %d times from %d widgets", backs, len(visited))
	}
	if s.username.Text != "rep@example.com" || s.password.Text != "pw" {
		t.Errorf("Escape changed the fields: %q, %q", s.username.Text, s.password.Text)
	}
	s.Escape() // what the app calls when nothing has the focus
	if backs != len(visited)+1 {
		t.Errorf("Login.Escape did not go back")
	}
}

func TestLoginWithoutBackIgnoresEscape(t *testing.T) {
	s, w, _ := newTestLogin(t, &fakeAuth{}, LoginActions{})
	w.Canvas().Focus(s.username)
	screenstest.PressKey(w.Canvas(), fyne.KeyEscape) // must not panic
	s.Escape()
	if w.Canvas().Focused() != s.username {
		t.Error("Escape moved the focus")
	}
}
