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
	loginErr  error
	lookupErr error
}

func (f *fakeAuth) Lookup(ctx context.Context, username string) (Account, error) {
	f.mu.Lock()
	f.lookups = append(f.lookups, username)
	hold, lookupErr := f.hold, f.lookupErr
	f.mu.Unlock()
	if hold != nil {
		<-hold
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

func TestLoginExplainsUnknownAndNonEmailUsernames(t *testing.T) {
	for _, tc := range []struct {
		name, username, want, master string
	}{
		{"unknown", "nobody@example.com", "no Sales Plus account", "login/unknown_user.xml"},
		{"not email", "jsmith", "Ask your Sales Plus admin", "login/username_not_email.xml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, w, q := newTestLogin(t, &fakeAuth{}, LoginActions{})
			test.Type(s.username, tc.username)
			eventually(t, q, "username error", func() bool { return shown(s.usernameError) != "" })
			if !strings.Contains(shown(s.usernameError), tc.want) {
				t.Errorf("username error = %q, want it to contain %q", shown(s.usernameError), tc.want)
			}
			if visible(s.resetLink) {
				t.Error("reset link visible")
			}
			assertMarkup(t, tc.master, w)
		})
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
	eventually(t, q, "second lookup answered", func() bool { return shown(s.usernameError) != "" })
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
	s, _, _ := newTestLogin(t, &fakeAuth{}, LoginActions{HaveCode: func(a Account) { got = a }})
	tapLink(s.haveCodeLink)
	if shown(s.usernameError) == "" || got.Username != "" {
		t.Fatalf("no username: error %q, HaveCode(%+v)", shown(s.usernameError), got)
	}
	test.Type(s.username, "rep@example.com")
	tapLink(s.haveCodeLink)
	if got.Username != "rep@example.com" {
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
