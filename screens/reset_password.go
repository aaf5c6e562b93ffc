package screens

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/mobile"
	"fyne.io/fyne/v2/layout"
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
// is enabled while there is a usable code of 6 digits and both passwords are
// typed; pressing it with a password below Acceptable, or two that differ,
// says why nothing was sent. The server's verdict still decides.
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
	resendWait    *widget.Label
	newPassword   *escEntry
	meter         *strengthMeter
	passwordError *widget.Label
	confirm       *escEntry
	match         *widget.Label
	formError     *widget.Label
	saveButton    *keyButton
	content       fyne.CanvasObject
	leaveDialog   *modal     // "Leave password reset?", made when first needed
	leaveButton   *keyButton // its Leave

	// UI goroutine only.
	expiresAt   time.Time // zero when unknown ("I already have a code")
	resendAt    time.Time
	dead        error  // why the latest code is unusable (nil: usable); expired or locked
	codeProblem string // what the server said about the typed code, until it changes
	busy        bool
	sending     bool
	saveWhenSet bool // Save was pressed before the strength verdict came
	matchJudged bool // the confirmation was complete once, or lost the focus
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
		resendWait:    newMessage(widget.MediumImportance),
		passwordError: newMessage(widget.DangerImportance),
		match:         widget.NewLabel(""),
		formError:     newMessage(widget.DangerImportance),
	}
	var back func()
	if actions.Back != nil {
		back = s.leave
	}
	s.newPassword = newEscPasswordEntry(back)
	s.confirm = newEscPasswordEntry(back)
	s.intro.Wrapping = fyne.TextWrapWord
	s.match.Wrapping = fyne.TextWrapWord
	s.meter = newStrengthMeter(env, s.life, env.Evaluate, strength.UserInputs(account.Username, account.Email))
	s.meter.onChange = s.onVerdict

	s.code.onEscape = back
	s.code.SetPlaceHolder("6-digit code")
	s.code.OnChanged = s.onCodeChanged
	s.code.OnSubmitted = func(string) { s.focus(s.newPassword) }
	s.resendButton = newKeyButton("Send new code", s.onResend, back)
	s.resendButton.Icon = theme.MailSendIcon()
	s.resendButton.Importance = widget.LowImportance
	s.newPassword.SetPlaceHolder("New password")
	s.newPassword.OnChanged = s.onNewPasswordChanged
	s.newPassword.OnSubmitted = func(string) { s.focus(s.confirm) }
	s.confirm.SetPlaceHolder("Type it again")
	s.confirm.OnChanged = func(string) { s.updateMatch(); s.updateEnabled() }
	s.confirm.OnSubmitted = func(string) { s.onSave() }
	s.confirm.onFocusLost = func() {
		if s.confirm.Text != "" {
			s.matchJudged = true
		}
		s.updateMatch()
	}
	s.saveButton = newKeyButton("Save New Password", s.onSave, back)
	s.saveButton.Icon = theme.ConfirmIcon()
	s.saveButton.Importance = widget.HighImportance

	s.content = page("Reset Password", back, container.NewVBox(s.formError, s.saveButton),
		s.intro, s.expiry,
		fieldLabel("Code"),
		s.code, s.codeError, s.codeInfo, s.resendButton, s.resendWait,
		fieldLabel("New password"),
		oneLine(s.newPassword), s.passwordError, s.meter.content,
		fieldLabel("Confirm new password"),
		oneLine(s.confirm), s.match,
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

// Escape goes back, as the back arrow does (nothing when there is none),
// asking first when a code or a password is typed.
func (s *ResetPassword) Escape() {
	if s.actions.Back != nil {
		s.leave()
	}
}

// Close stops scoring, countdowns and calls in flight.
func (s *ResetPassword) Close() {
	s.life.cancel()
	if s.leaveDialog != nil {
		s.leaveDialog.hide()
	}
}

func (s *ResetPassword) canvas() fyne.Canvas {
	return fyne.CurrentApp().Driver().CanvasForObject(s.content)
}

func (s *ResetPassword) focus(f fyne.Focusable) {
	if c := s.canvas(); c != nil {
		c.Focus(f)
	}
}

// leave goes back at once when nothing is typed, and otherwise asks first:
// the code and the passwords would be lost.
func (s *ResetPassword) leave() {
	if s.leaveDialog != nil && s.leaveDialog.shown {
		return
	}
	c := s.canvas()
	if c == nil || (s.code.Text == "" && s.newPassword.Text == "" && s.confirm.Text == "") {
		s.actions.Back()
		return
	}
	closeDialog := func() { s.leaveDialog.hide() }
	stay := newKeyButton("Stay", closeDialog, closeDialog)
	s.leaveButton = newKeyButton("Leave", func() { s.leaveDialog.hide(); s.actions.Back() }, closeDialog)
	stay.Importance = widget.HighImportance
	title := widget.NewLabelWithStyle(msgLeaveResetTitle, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	body := widget.NewLabel(msgLeaveResetBody)
	body.Wrapping = fyne.TextWrapWord
	buttons := container.NewHBox(layout.NewSpacer(), s.leaveButton, stay)
	s.leaveDialog = newModal(c, container.NewVBox(title, body, buttons), closeDialog)
	s.leaveDialog.show(stay)
}

func (s *ResetPassword) applyTicket(t ResetTicket) {
	to := t.SentTo
	if to == "" {
		to = s.account.Email
	}
	switch {
	case t.NothingSent && t.EarlierCodeGone:
		s.intro.SetText(fmt.Sprintf(msgNothingSentGone, to))
		s.dead = errEarlierCodeGone
	case t.NothingSent && !t.ExpiresAt.IsZero():
		s.intro.SetText(fmt.Sprintf(msgNothingSentWorks, to))
	case t.NothingSent: // the server did not say
		s.intro.SetText(fmt.Sprintf(msgNothingSent, to))
	default:
		s.intro.SetText(fmt.Sprintf(msgEnterCodeSentTo, to))
	}
	s.expiresAt = t.ExpiresAt
	s.resendAt = s.env.now().Add(t.ResendAfter)
}

// refreshTimes redraws what depends on the clock: the expiry countdown, the
// code's state, the resend wait and the buttons. A code that runs out on
// screen is dead as if the server had said so: one message says so, and
// when a new one can be sent.
func (s *ResetPassword) refreshTimes() {
	now := s.env.now()
	if s.dead == nil && !s.expiresAt.IsZero() && !now.Before(s.expiresAt) {
		s.dead = errCodeRanOut
	}
	if s.dead == nil && !s.expiresAt.IsZero() {
		setMessage(s.expiry, fmt.Sprintf(msgCodeExpiresIn, clock(s.expiresAt.Sub(now))))
	} else {
		setMessage(s.expiry, "")
	}
	wait := max(s.resendAt.Sub(now), 0)
	if s.sending {
		s.resendButton.SetText("Sending…")
	} else {
		s.resendButton.SetText("Send new code")
	}
	setEnabled(s.resendButton, !s.sending && wait <= 0)
	switch {
	case s.dead != nil:
		setMessage(s.codeError, deadCodeWords(s.dead, wait))
		setMessage(s.resendWait, "")
	default:
		setMessage(s.codeError, s.codeProblem)
		if wait > 0 {
			setMessage(s.resendWait, fmt.Sprintf(msgResendWait, clock(wait)))
		} else {
			setMessage(s.resendWait, "")
		}
	}
	s.updateEnabled()
}

// The dead states the screen finds itself: a countdown that reached zero,
// and an earlier code the server said is used up when nothing was sent.
var (
	errCodeRanOut      = errors.New("the code's lifetime ran out on screen")
	errEarlierCodeGone = errors.New("the code sent last no longer works")
)

// clock formats a duration as m:ss, rounding up so 0:00 means "now".
func clock(d time.Duration) string {
	secs := int((d + time.Second - 1) / time.Second)
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}

func (s *ResetPassword) onCodeChanged(string) {
	s.codeProblem = ""
	s.refreshTimes()
}

func (s *ResetPassword) onNewPasswordChanged(text string) {
	setMessage(s.passwordError, "")
	s.saveWhenSet = false
	s.meter.submit(text)
	s.updateMatch()
	s.updateEnabled()
}

// onVerdict runs when the strength label changes; a Save pressed while the
// verdict was pending goes ahead now.
func (s *ResetPassword) onVerdict() {
	s.updateEnabled()
	if s.saveWhenSet && s.meter.scored {
		s.saveWhenSet = false
		s.onSave()
	}
}

// updateMatch judges the confirmation once it is as long as the password or
// has lost the focus, so "don't match" never shows while it is being typed.
// The line keeps its room while empty, so the form does not jump.
func (s *ResetPassword) updateMatch() {
	pw, again := []rune(s.newPassword.Text), []rune(s.confirm.Text)
	if len(again) >= len(pw) && len(again) > 0 {
		s.matchJudged = true
	}
	switch {
	case len(again) == 0:
		s.matchJudged = false
		s.match.Importance = widget.MediumImportance
		s.match.SetText("")
	case string(again) == string(pw):
		s.match.Importance = widget.SuccessImportance
		s.match.SetText(msgPasswordsMatch)
	case s.matchJudged:
		s.match.Importance = widget.DangerImportance
		s.match.SetText(msgPasswordsDiffer)
	default:
		s.match.Importance = widget.MediumImportance
		s.match.SetText("")
	}
}

// canSave is the enabling rule for Save New Password: something to send.
// Whether it is good enough is said when it is pressed (see onSave).
func (s *ResetPassword) canSave() bool {
	return !s.busy && s.dead == nil &&
		len(s.code.Text) == CodeLength && s.newPassword.Text != "" && s.confirm.Text != ""
}

func (s *ResetPassword) updateEnabled() {
	setEnabled(s.saveButton, s.canSave())
}

// whyNotSaved checks the form as Save would send it; it says what to fix and
// focuses that field, or returns false when all is ready.
func (s *ResetPassword) whyNotSaved() bool {
	n := utf8.RuneCountInString(s.newPassword.Text)
	switch {
	case s.dead != nil:
		s.focus(s.resendButton)
	case len(s.code.Text) != CodeLength:
		s.codeProblem = msgEnterWholeCode
		s.refreshTimes()
		s.focus(s.code)
	case n == 0:
		setMessage(s.passwordError, msgTypeNewPassword)
		s.focus(s.newPassword)
	case n < strength.MinLength:
		setMessage(s.passwordError, fmt.Sprintf(errTooShort, strength.MinLength))
		s.focus(s.newPassword)
	case n > strength.MaxLength:
		setMessage(s.passwordError, fmt.Sprintf(errTooLong, strength.MaxLength))
		s.focus(s.newPassword)
	case !s.meter.scored || s.meter.text != strength.Normalize(s.newPassword.Text):
		s.saveWhenSet = true // decided when the verdict comes (onVerdict)
	case !s.meter.acceptable():
		setMessage(s.passwordError, fmt.Sprintf(msgTooWeakToSave, s.meter.result.Level))
		s.focus(s.newPassword)
	case s.confirm.Text != s.newPassword.Text:
		s.matchJudged = true
		s.updateMatch()
		s.focus(s.confirm)
	default:
		return false
	}
	return true
}

func (s *ResetPassword) onSave() {
	if s.busy || s.whyNotSaved() {
		return
	}
	code, pw := s.code.Text, s.newPassword.Text
	s.busy = true
	s.saveButton.SetText("Saving…")
	s.codeProblem = ""
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
		if err == nil {
			if s.actions.Saved != nil {
				s.actions.Saved(name)
			}
			return
		}
		switch {
		case errors.Is(err, apierr.CodeInvalid),
			errors.Is(err, apierr.Superseded):
			// The typed code is wrong, or an older one: the latest still works.
			s.codeProblem = Explain(err)
			s.focus(s.code)
			s.code.replaceOnType()
		case errors.Is(err, apierr.CodeExpired), errors.Is(err, apierr.CodeLocked):
			s.dead = err // the server says the latest code is over
		case errors.Is(err, apierr.PasswordTooWeak), errors.Is(err, apierr.PasswordTooShort), errors.Is(err, apierr.PasswordTooLong):
			setMessage(s.passwordError, Explain(err))
		default:
			setMessage(s.formError, Explain(err))
		}
		s.refreshTimes()
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
			s.dead = nil
			s.code.SetText("")
			s.codeProblem = ""
			setMessage(s.codeInfo, msgNewCodeSent)
			s.focus(s.code)
		} else {
			if wait := retryAfter(err); wait > 0 {
				s.resendAt = s.env.now().Add(wait)
			}
			if errors.Is(err, apierr.ResendTooSoon) {
				// The wait line says when; no second message.
				s.codeProblem = ""
			} else {
				setMessage(s.formError, Explain(err))
			}
		}
		s.refreshTimes()
	})
}

// codeEntry is an escEntry that accepts digits only, at most six, and turns
// a pasted "123 456" or "123-456" into 123456.
type codeEntry struct {
	escEntry
	stale bool // the server refused this code: the next digit starts anew
}

// replaceOnType selects the code, so the next digit typed replaces it
// instead of being dropped behind six wrong ones (even after a click has
// cleared the selection).
func (e *codeEntry) replaceOnType() {
	e.TypedShortcut(&fyne.ShortcutSelectAll{})
	e.stale = true
}

// TypedKey: an arrow or Backspace means the rep edits the code, so it stays.
func (e *codeEntry) TypedKey(ev *fyne.KeyEvent) {
	e.stale = false
	e.escEntry.TypedKey(ev)
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
	if e.stale {
		e.stale = false
		if e.SelectedText() == "" { // a click dropped the selection
			e.SetText("")
		}
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
