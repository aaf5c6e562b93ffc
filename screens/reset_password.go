package screens

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/mobile"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"salesplus/apierr"
	"salesplus/strength"
)

// CodeLength is the number of digits in a reset code.
const CodeLength = 6

// Resetter is what the reset screen asks the server.
type Resetter interface {
	ResetRequester
	ConfirmReset(ctx context.Context, username, code, newPassword string) error
}

// ResetActions are where the reset screen leads.
type ResetActions struct {
	Saved func(username string) // the new password is set
	Back  func()                // nil hides the back button
}

// ResetPassword takes the emailed code and a new password. Save New Password
// is enabled only when the code has 6 digits, the password is at least
// Acceptable and both passwords match; the server's verdict still decides.
type ResetPassword struct {
	env     Env
	life    lifetime
	r       Resetter
	account Account
	actions ResetActions

	intro         *widget.Label
	expiry        *widget.Label
	code          *codeEntry
	codeError     *widget.Label
	codeInfo      *widget.Label
	resendButton  *keyButton
	newPassword   *escEntry
	meter         *strengthMeter
	passwordError *widget.Label
	confirm       *escEntry
	match         *widget.Label
	formError     *widget.Label
	saveButton    *keyButton
	content       fyne.CanvasObject

	// UI goroutine only.
	expiresAt time.Time // zero when unknown ("I already have a code")
	resendAt  time.Time
	busy      bool
	sending   bool
}

// NewResetPassword builds the reset screen for account. ticket is the answer
// to the request that sent the code, or nil when the rep already had one.
func NewResetPassword(env Env, r Resetter, account Account, ticket *ResetTicket, actions ResetActions) *ResetPassword {
	s := &ResetPassword{
		env: env, life: newLifetime(), r: r, account: account, actions: actions,
		intro:         widget.NewLabel(""),
		expiry:        newMessage(widget.MediumImportance),
		code:          newCodeEntry(),
		codeError:     newMessage(widget.DangerImportance),
		codeInfo:      newMessage(widget.SuccessImportance),
		newPassword:   newEscPasswordEntry(actions.Back),
		passwordError: newMessage(widget.DangerImportance),
		confirm:       newEscPasswordEntry(actions.Back),
		match:         newMessage(widget.MediumImportance),
		formError:     newMessage(widget.DangerImportance),
	}
	s.intro.Wrapping = fyne.TextWrapWord
	s.meter = newStrengthMeter(env, s.life, env.Evaluate, strength.UserInputs(account.Username, account.Email))
	s.meter.onChange = s.updateEnabled

	s.code.onEscape = actions.Back
	s.code.SetPlaceHolder("6-digit code")
	s.code.OnChanged = s.onCodeChanged
	s.code.OnSubmitted = func(string) { s.focus(s.newPassword) }
	s.resendButton = newKeyButton("Send new code", s.onResend, actions.Back)
	s.resendButton.Icon = theme.MailSendIcon()
	s.resendButton.Importance = widget.LowImportance
	s.newPassword.SetPlaceHolder("New password")
	s.newPassword.OnChanged = s.onNewPasswordChanged
	s.newPassword.OnSubmitted = func(string) { s.focus(s.confirm) }
	s.confirm.SetPlaceHolder("Type it again")
	s.confirm.OnChanged = func(string) { s.updateMatch(); s.updateEnabled() }
	s.confirm.OnSubmitted = func(string) { s.onSave() }
	s.saveButton = newKeyButton("Save New Password", s.onSave, actions.Back)
	s.saveButton.Icon = theme.ConfirmIcon()
	s.saveButton.Importance = widget.HighImportance

	s.content = page("Reset Password", actions.Back, container.NewVBox(s.formError, s.saveButton),
		s.intro, s.expiry,
		fieldLabel("Code"),
		s.code, s.codeError, s.codeInfo, s.resendButton,
		fieldLabel("New password"),
		s.newPassword, s.passwordError, s.meter.content,
		fieldLabel("Confirm new password"),
		s.confirm, s.match,
	)
	if ticket != nil {
		s.applyTicket(*ticket)
	} else {
		s.intro.SetText(fmt.Sprintf(msgEnterCodeFor, account.Username))
	}
	s.refreshTimes()
	s.updateEnabled()
	ticker(env, s.life, s.refreshTimes)
	return s
}

// Content is the screen's root object.
func (s *ResetPassword) Content() fyne.CanvasObject { return s.content }

// Focus puts the cursor in the code field.
func (s *ResetPassword) Focus(c fyne.Canvas) { c.Focus(s.code) }

// Escape goes back, as the back arrow does (nothing when there is none).
func (s *ResetPassword) Escape() {
	if s.actions.Back != nil {
		s.actions.Back()
	}
}

// Close stops scoring, countdowns and calls in flight.
func (s *ResetPassword) Close() { s.life.cancel() }

func (s *ResetPassword) focus(f fyne.Focusable) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(s.content); c != nil {
		c.Focus(f)
	}
}

func (s *ResetPassword) applyTicket(t ResetTicket) {
	to := t.SentTo
	if to == "" {
		to = s.account.Email
	}
	s.intro.SetText(fmt.Sprintf(msgEnterCodeSentTo, to))
	s.expiresAt = t.ExpiresAt
	s.resendAt = s.env.now().Add(t.ResendAfter)
}

// refreshTimes redraws the expiry countdown and the resend cooldown.
func (s *ResetPassword) refreshTimes() {
	now := s.env.now()
	switch {
	case s.expiresAt.IsZero():
		setMessage(s.expiry, "")
	case now.Before(s.expiresAt):
		s.expiry.Importance = widget.MediumImportance
		setMessage(s.expiry, fmt.Sprintf(msgCodeExpiresIn, clock(s.expiresAt.Sub(now))))
	default:
		s.expiry.Importance = widget.DangerImportance
		setMessage(s.expiry, msgCodeHasExpired)
	}
	wait := s.resendAt.Sub(now)
	switch {
	case s.sending:
		s.resendButton.SetText("Sending…")
	case wait > 0:
		s.resendButton.SetText("Send new code (wait " + clock(wait) + ")")
	default:
		s.resendButton.SetText("Send new code")
	}
	setEnabled(s.resendButton, !s.sending && wait <= 0)
}

// clock formats a duration as m:ss, rounding up so 0:00 means "now".
func clock(d time.Duration) string {
	secs := int((d + time.Second - 1) / time.Second)
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}

func (s *ResetPassword) onCodeChanged(string) {
	setMessage(s.codeError, "")
	s.updateEnabled()
}

func (s *ResetPassword) onNewPasswordChanged(text string) {
	setMessage(s.passwordError, "")
	s.meter.submit(text)
	s.updateMatch()
	s.updateEnabled()
}

func (s *ResetPassword) updateMatch() {
	switch {
	case s.confirm.Text == "":
		setMessage(s.match, "")
	case s.confirm.Text == s.newPassword.Text:
		s.match.Importance = widget.SuccessImportance
		setMessage(s.match, msgPasswordsMatch)
	default:
		s.match.Importance = widget.DangerImportance
		setMessage(s.match, msgPasswordsDiffer)
	}
}

// canSave is the enabling rule for Save New Password.
func (s *ResetPassword) canSave() bool {
	return !s.busy &&
		len(s.code.Text) == CodeLength &&
		s.meter.acceptable() &&
		s.newPassword.Text == s.meter.text &&
		s.confirm.Text == s.newPassword.Text
}

func (s *ResetPassword) updateEnabled() {
	setEnabled(s.saveButton, s.canSave())
}

func (s *ResetPassword) onSave() {
	if !s.canSave() {
		return
	}
	code, pw := s.code.Text, s.newPassword.Text
	s.busy = true
	s.saveButton.SetText("Saving…")
	for _, l := range []*widget.Label{s.codeError, s.codeInfo, s.passwordError, s.formError} {
		setMessage(l, "")
	}
	s.updateEnabled()
	name := s.account.Username
	run(s.env, s.life, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.r.ConfirmReset(ctx, name, code, pw)
	}, func(_ struct{}, err error) {
		s.busy = false
		s.saveButton.SetText("Save New Password")
		s.updateEnabled()
		if err == nil {
			if s.actions.Saved != nil {
				s.actions.Saved(name)
			}
			return
		}
		switch {
		case errors.Is(err, apierr.CodeInvalid):
			setMessage(s.codeError, Explain(err))
			s.focus(s.code)
		case errors.Is(err, apierr.CodeExpired), errors.Is(err, apierr.CodeLocked):
			setMessage(s.codeError, Explain(err))
			if s.expiresAt.IsZero() || s.env.now().Before(s.expiresAt) {
				s.expiresAt = s.env.now() // the server says it is over
			}
			s.refreshTimes()
		case errors.Is(err, apierr.PasswordTooWeak), errors.Is(err, apierr.PasswordTooShort), errors.Is(err, apierr.PasswordTooLong):
			setMessage(s.passwordError, Explain(err))
		default:
			setMessage(s.formError, Explain(err))
		}
	})
}

func (s *ResetPassword) onResend() {
	if s.sending {
		return
	}
	s.sending = true
	setMessage(s.codeInfo, "")
	setMessage(s.formError, "")
	s.refreshTimes()
	name := s.account.Username
	run(s.env, s.life, func(ctx context.Context) (ResetTicket, error) {
		return s.r.RequestReset(ctx, name)
	}, func(t ResetTicket, err error) {
		s.sending = false
		if err == nil {
			s.applyTicket(t)
			s.code.SetText("")
			setMessage(s.codeError, "")
			setMessage(s.codeInfo, msgNewCodeSent)
			s.focus(s.code)
		} else {
			if wait := retryAfter(err); wait > 0 {
				s.resendAt = s.env.now().Add(wait)
			}
			setMessage(s.codeError, Explain(err))
		}
		s.refreshTimes()
	})
}

// codeEntry is an escEntry that accepts digits only, at most six, and turns
// a pasted "123 456" or "123-456" into 123456.
type codeEntry struct {
	escEntry
}

func newCodeEntry() *codeEntry {
	e := &codeEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// digits keeps the decimal digits of s, at most CodeLength of them.
func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' && b.Len() < CodeLength {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TypedRune drops anything but a digit, and digits beyond six.
func (e *codeEntry) TypedRune(r rune) {
	if r < '0' || r > '9' {
		return
	}
	if len(e.Text) >= CodeLength && e.SelectedText() == "" {
		return
	}
	e.Entry.TypedRune(r)
}

// TypedShortcut normalises pasted codes; a paste holding a whole code
// replaces what was there.
func (e *codeEntry) TypedShortcut(sc fyne.Shortcut) {
	paste, ok := sc.(*fyne.ShortcutPaste)
	if !ok || paste.Clipboard == nil {
		e.Entry.TypedShortcut(sc)
		return
	}
	d := digits(paste.Clipboard.Content())
	if len(d) < CodeLength {
		d = digits(e.Text + d)
	}
	e.SetText(d)
	e.CursorColumn = len(d)
	e.Refresh()
}

// Keyboard asks phones for the number pad.
func (e *codeEntry) Keyboard() mobile.KeyboardType { return mobile.NumberKeyboard }
