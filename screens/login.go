package screens

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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
//
// A username is judged only when it is complete: on Enter, when the focus
// leaves the field, or after a longer pause (judgeAfter). Before that an
// unknown username gets a neutral hint, not red text, since the rep may be
// mid-word. A username that is not an email address can log in; it gets the
// admin message only when the rep asks to reset (the link or "I already have
// a code"), where it says what to do instead of leading to a dead end.
type Login struct {
	env     Env
	life    lifetime
	auth    Authenticator
	actions LoginActions

	notice        *widget.Label
	username      *usernameEntry
	checkRow      *fyne.Container // the spinner, usernameHint and retryLink
	checking      *widget.Activity
	usernameHint  *widget.Label
	retryLink     *escLink
	usernameError *widget.Label
	resetLink     *escLink
	password      *escEntry
	passwordError *widget.Label
	formError     *widget.Label
	loginButton   *keyButton
	haveCodeLink  *escLink
	content       fyne.CanvasObject

	// UI goroutine only.
	account    *Account // the looked-up account matching the username text
	checked    string   // the username last sent to Lookup
	inFlight   bool     // a Lookup of checked is running
	lookupErr  error    // the answer about checked, when it was an error
	judged     bool     // the username is complete: Enter, focus left, long pause
	resetAsked bool     // the rep asked to reset for this username
	pending    bool     // "I already have a code" waits for the lookup
	lookupSeq  uint64
	debounce   *time.Timer
	judgeTimer *time.Timer
	busy       bool
}

// judgeAfter is the pause after which a username counts as complete.
func (s *Login) judgeAfter() time.Duration { return 4 * s.env.debounce() }

// NewLogin builds the login screen.
func NewLogin(env Env, auth Authenticator, actions LoginActions) *Login {
	s := &Login{
		env: env, life: newLifetime(), auth: auth, actions: actions,
		notice:        newMessage(widget.SuccessImportance),
		username:      newUsernameEntry(),
		checking:      widget.NewActivity(),
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
	s.retryLink = newEscLink(msgRetry, s.onRetry, actions.Back)
	s.checking.Hide()
	s.retryLink.Hide()
	s.checkRow = container.NewBorder(nil, nil, s.checking, s.retryLink, s.usernameHint)
	s.checkRow.Hide()
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
		s.username, s.checkRow, s.usernameError, reserved(s.resetLink),
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
	if s.judgeTimer != nil {
		s.judgeTimer.Stop()
	}
	s.checking.Stop()
}

// SetUsername fills the username and checks it at once.
func (s *Login) SetUsername(name string) {
	s.username.SetText(name)
	s.judged = true
	s.lookup()
}

// SetNotice shows a confirmation above the form, e.g. after a reset.
func (s *Login) SetNotice(text string) { setMessage(s.notice, text) }

func (s *Login) typedUsername() string { return strings.TrimSpace(s.username.Text) }

func (s *Login) onUsernameChanged(string) {
	s.account, s.lookupErr = nil, nil
	s.checked = ""
	s.inFlight, s.judged, s.resetAsked, s.pending = false, false, false, false
	s.lookupSeq++
	setMessage(s.usernameError, "")
	setMessage(s.formError, "")
	s.showCheck()
	s.updateEnabled()
	if s.debounce != nil {
		s.debounce.Stop()
	}
	if s.judgeTimer != nil {
		s.judgeTimer.Stop()
	}
	if s.typedUsername() == "" {
		return
	}
	seq := s.lookupSeq
	later := func(d time.Duration, f func()) *time.Timer {
		return time.AfterFunc(d, func() {
			s.env.Do(func() {
				if !s.life.closed() && seq == s.lookupSeq {
					f()
				}
			})
		})
	}
	s.debounce = later(s.env.debounce(), s.lookup)
	s.judgeTimer = later(s.judgeAfter(), s.judge)
}

// judge takes the username as complete: an unknown one now shows in red.
func (s *Login) judge() {
	s.judged = true
	s.lookup()
	s.showCheck()
}

func (s *Login) onUsernameLeft() {
	if !s.life.closed() && s.typedUsername() != "" {
		s.judge()
	}
}

func (s *Login) onUsernameSubmitted() {
	s.judge()
	if c := fyne.CurrentApp().Driver().CanvasForObject(s.password); c != nil {
		c.Focus(s.password)
	}
}

func (s *Login) onRetry() {
	s.checked = ""
	s.lookup()
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
	s.checked, s.inFlight, s.account, s.lookupErr = name, true, nil, nil
	s.showCheck()
	run(s.env, s.life, func(ctx context.Context) (Account, error) {
		return s.auth.Lookup(ctx, name)
	}, func(acc Account, err error) {
		if name != s.typedUsername() || name != s.checked {
			return // the rep typed on; a newer lookup will answer
		}
		s.inFlight = false
		if err == nil {
			s.account = &acc
		} else {
			s.lookupErr = err
		}
		s.showCheck()
		if s.pending {
			s.pending = false
			s.haveCode()
		}
	})
}

// showCheck shows what is known about the typed username.
func (s *Login) showCheck() {
	hint, problem, retry := "", "", false
	notEmail := errors.Is(s.lookupErr, apierr.UsernameNotEmail)
	switch {
	case s.inFlight:
		hint = msgCheckingUsername
	case s.lookupErr == nil:
	case errors.Is(s.lookupErr, apierr.UnknownUser):
		if s.judged {
			problem = Explain(s.lookupErr)
		} else {
			hint = msgUsernameNotFound
		}
	case notEmail:
		if s.resetAsked {
			problem = Explain(s.lookupErr)
		}
	default:
		hint, retry = msgCannotCheckName+Explain(s.lookupErr), true
	}
	setMessage(s.usernameHint, hint)
	setVisible(s.checkRow, hint != "")
	setVisible(s.retryLink, retry)
	setVisible(s.checking, s.inFlight)
	if s.inFlight {
		s.checking.Start()
	} else {
		s.checking.Stop()
	}
	if problem != "" || s.lookupErr != nil || s.inFlight {
		setMessage(s.usernameError, problem)
	}
	setVisible(s.resetLink, s.account != nil || notEmail)
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

func (s *Login) onResetLink() { s.withAccount(s.actions.RequestReset) }

// withAccount hands the checked account to action (when set); for a
// username that is not an email address it says what to do instead. It
// reports whether the lookup's answer settled it so.
func (s *Login) withAccount(action func(Account)) bool {
	switch {
	case s.account != nil:
		if action != nil {
			action(*s.account)
		}
	case errors.Is(s.lookupErr, apierr.UsernameNotEmail):
		s.resetAsked = true
		s.showCheck()
	default:
		return false
	}
	return true
}

func (s *Login) onHaveCode() {
	name := s.typedUsername()
	if name == "" {
		setMessage(s.usernameError, msgTypeUsernameFirst)
		return
	}
	if name != s.checked || s.inFlight {
		s.pending = true // go on when the server has answered
		s.judged = true
		s.lookup()
		return
	}
	s.haveCode()
}

// haveCode goes to the code screen for a username that can reset; for one
// that cannot, it says why and what to do.
func (s *Login) haveCode() {
	switch {
	case s.withAccount(s.actions.HaveCode):
	case errors.Is(s.lookupErr, apierr.UnknownUser):
		s.judged = true
		s.showCheck()
	default:
		// The username could not be checked: the code screen still works,
		// and the server judges the username with the code.
		if s.actions.HaveCode != nil {
			s.actions.HaveCode(Account{Username: s.typedUsername()})
		}
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
