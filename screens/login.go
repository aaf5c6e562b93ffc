package screens

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"salesplus/apierr"
)

// Authenticator is what the login screen asks the server.
type Authenticator interface {
	// Lookup says whether username is a system username and where its reset
	// codes would go.
	Lookup(ctx context.Context, username string) (Account, error)
	// Login signs in; the caller keeps the session.
	Login(ctx context.Context, username, password string) error
}

// LoginActions are where the login screen leads.
type LoginActions struct {
	LoggedIn     func(username, password string) // signed in
	RequestReset func(account Account)           // "Reset password" link
	HaveCode     func(account Account)           // "I already have a code" (Email may be empty)
	Back         func()                          // nil hides the back button
}

// Login asks for username and password. While the username is typed it asks
// the server whether the username exists, and only then offers the reset link.
type Login struct {
	env     Env
	life    lifetime
	auth    Authenticator
	actions LoginActions

	notice        *widget.Label
	username      *usernameEntry
	usernameHint  *widget.Label
	usernameError *widget.Label
	resetLink     *escLink
	password      *escEntry
	passwordError *widget.Label
	formError     *widget.Label
	loginButton   *keyButton
	haveCodeLink  *escLink
	content       fyne.CanvasObject

	// UI goroutine only.
	account   *Account // the looked-up account matching the username text
	checked   string   // the username last sent to Lookup
	lookupSeq uint64
	debounce  *time.Timer
	busy      bool
}

// NewLogin builds the login screen.
func NewLogin(env Env, auth Authenticator, actions LoginActions) *Login {
	s := &Login{
		env: env, life: newLifetime(), auth: auth, actions: actions,
		notice:        newMessage(widget.SuccessImportance),
		username:      newUsernameEntry(),
		usernameHint:  newMessage(widget.MediumImportance),
		usernameError: newMessage(widget.DangerImportance),
		password:      newEscPasswordEntry(actions.Back),
		passwordError: newMessage(widget.DangerImportance),
		formError:     newMessage(widget.DangerImportance),
	}
	s.username.onEscape = actions.Back
	s.username.SetPlaceHolder("name@company.com")
	s.username.OnChanged = s.onUsernameChanged
	s.username.OnSubmitted = func(string) { s.onUsernameSubmitted() }
	s.username.onFocusLost = s.onUsernameLeft
	s.resetLink = newEscLink("Reset password", s.onResetLink, actions.Back)
	s.resetLink.Hide()
	s.password.SetPlaceHolder("Password")
	s.password.OnChanged = func(string) { setMessage(s.passwordError, ""); s.updateEnabled() }
	s.password.OnSubmitted = func(string) { s.onLogin() }
	s.loginButton = newKeyButton("Log In", s.onLogin, actions.Back)
	s.loginButton.Icon = theme.LoginIcon()
	s.loginButton.Importance = widget.HighImportance
	s.haveCodeLink = newEscLink("I already have a code", s.onHaveCode, actions.Back)
	s.content = page("Log In", actions.Back, nil,
		s.notice,
		fieldLabel("Username"),
		s.username, s.usernameHint, s.usernameError, reserved(s.resetLink),
		fieldLabel("Password"),
		s.password, s.passwordError,
		s.formError,
		s.loginButton,
		s.haveCodeLink,
	)
	s.updateEnabled()
	return s
}

// Content is the screen's root object.
func (s *Login) Content() fyne.CanvasObject { return s.content }

// Focus puts the cursor where the rep types next.
func (s *Login) Focus(c fyne.Canvas) {
	if s.username.Text == "" {
		c.Focus(s.username)
	} else {
		c.Focus(s.password)
	}
}

// Escape goes back, as the back arrow does (nothing when there is none).
func (s *Login) Escape() {
	if s.actions.Back != nil {
		s.actions.Back()
	}
}

// Close stops the screen's background work; late answers are dropped.
func (s *Login) Close() {
	s.life.cancel()
	if s.debounce != nil {
		s.debounce.Stop()
	}
}

// SetUsername fills the username and checks it at once.
func (s *Login) SetUsername(name string) {
	s.username.SetText(name)
	s.lookup()
}

// SetNotice shows a confirmation above the form, e.g. after a reset.
func (s *Login) SetNotice(text string) { setMessage(s.notice, text) }

func (s *Login) typedUsername() string { return strings.TrimSpace(s.username.Text) }

func (s *Login) onUsernameChanged(string) {
	s.account = nil
	s.checked = ""
	s.lookupSeq++
	s.resetLink.Hide()
	setMessage(s.usernameHint, "")
	setMessage(s.usernameError, "")
	setMessage(s.formError, "")
	s.updateEnabled()
	if s.debounce != nil {
		s.debounce.Stop()
	}
	if s.typedUsername() == "" {
		return
	}
	seq := s.lookupSeq
	s.debounce = time.AfterFunc(s.env.debounce(), func() {
		s.env.Do(func() {
			if !s.life.closed() && seq == s.lookupSeq {
				s.lookup()
			}
		})
	})
}

func (s *Login) onUsernameLeft() {
	if !s.life.closed() {
		s.lookup()
	}
}

func (s *Login) onUsernameSubmitted() {
	s.lookup()
	if c := fyne.CurrentApp().Driver().CanvasForObject(s.password); c != nil {
		c.Focus(s.password)
	}
}

// lookup asks the server about the typed username unless it already did.
func (s *Login) lookup() {
	name := s.typedUsername()
	if name == "" || name == s.checked {
		return
	}
	if s.debounce != nil {
		s.debounce.Stop()
	}
	s.checked = name
	setMessage(s.usernameHint, msgCheckingUsername)
	run(s.env, s.life, func(ctx context.Context) (Account, error) {
		return s.auth.Lookup(ctx, name)
	}, func(acc Account, err error) {
		if name != s.typedUsername() {
			return // the rep typed on; a newer lookup will answer
		}
		setMessage(s.usernameHint, "")
		if err == nil {
			s.account = &acc
			s.resetLink.Show()
			return
		}
		switch {
		case errors.Is(err, apierr.UnknownUser), errors.Is(err, apierr.UsernameNotEmail):
			setMessage(s.usernameError, Explain(err))
		default:
			s.checked = "" // try again on the next change or when leaving the field
			setMessage(s.usernameHint, msgCannotCheckName+Explain(err))
		}
	})
}

func (s *Login) updateEnabled() {
	setEnabled(s.loginButton, !s.busy && s.typedUsername() != "" && s.password.Text != "")
}

func (s *Login) onLogin() {
	if s.loginButton.Disabled() {
		return
	}
	name, pw := s.typedUsername(), s.password.Text
	s.busy = true
	s.loginButton.SetText("Logging in…")
	setMessage(s.passwordError, "")
	setMessage(s.formError, "")
	s.updateEnabled()
	run(s.env, s.life, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.auth.Login(ctx, name, pw)
	}, func(_ struct{}, err error) {
		s.busy = false
		s.loginButton.SetText("Log In")
		s.updateEnabled()
		if err == nil {
			s.password.SetText("")
			if s.actions.LoggedIn != nil {
				s.actions.LoggedIn(name, pw)
			}
			return
		}
		switch {
		case errors.Is(err, apierr.InvalidCredentials):
			setMessage(s.passwordError, Explain(err))
		case errors.Is(err, apierr.UnknownUser):
			setMessage(s.usernameError, Explain(err))
		default:
			setMessage(s.formError, Explain(err))
		}
	})
}

func (s *Login) onResetLink() {
	if s.account != nil && s.actions.RequestReset != nil {
		s.actions.RequestReset(*s.account)
	}
}

func (s *Login) onHaveCode() {
	name := s.typedUsername()
	if name == "" {
		setMessage(s.usernameError, msgTypeUsernameFirst)
		return
	}
	acc := Account{Username: name}
	if s.account != nil {
		acc = *s.account
	}
	if s.actions.HaveCode != nil {
		s.actions.HaveCode(acc)
	}
}

// usernameEntry is an escEntry that reports leaving the field, so the
// username is checked without waiting for the debounce.
type usernameEntry struct {
	escEntry
	onFocusLost func()
}

func newUsernameEntry() *usernameEntry {
	e := &usernameEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// FocusLost checks the username when the rep moves on.
func (e *usernameEntry) FocusLost() {
	e.Entry.FocusLost()
	if e.onFocusLost != nil {
		e.onFocusLost()
	}
}
