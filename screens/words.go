package screens

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"salesplus/apierr"
	"salesplus/strength"
)

// Every sentence the rep reads is here, once, so the wording is reviewed in
// one place and can be translated in one place. Widget labels (button and
// field names, titles) stay beside their widgets.

// Sentences the app shows through the screens.
const (
	NoticePasswordChanged    = "Password changed. Log in with your new password."
	NoticeKeyringUnsupported = "This device can't save passwords, so you'll type yours when you next log in."
	NoticeKeyringFailed      = "Sales Plus couldn't save your password in the system keyring, so you'll type it when you next log in."

	ReasonLoggedOut     = "You logged out. Log in to sync again."
	ReasonChangedServer = "You changed the server. Log in to sync with it."
	ReasonSessionEnded  = "Your session has ended. Log in again."
	ReasonPasswordStale = "Your session has ended and your saved password no longer works. Was it changed on another device? Log in again."
	StepConnecting      = "Connecting…"
	StepCheckingForData = "Checking for new data…"
)

// Sentences the screens show themselves, and the parts the functions below
// put together.
const (
	reasonServerMoved    = "The server address changed. Log in to sync with %s."
	reasonSomeNotSynced  = "Some data could not be synced. "
	reasonDataStillHere  = " Your data from the last sync is still on this device."
	stepDataset          = "%s (%d of %d)"
	msgCheckingUsername  = "Checking username…"
	msgCannotCheckName   = "Couldn't check the username: "
	msgTypeUsernameFirst = "Type your username first."
	msgTypeServer        = "Type the server address."
	msgNewCodeSent       = "We sent a new code. Codes sent earlier no longer work."
	msgPasswordsMatch    = "✓ Passwords match"
	msgPasswordsDiffer   = "Passwords don't match"
	msgCodeExpiresIn     = "The code expires in %s."
	msgEnterCodeSentTo   = "Enter the 6-digit code we sent to %s."
	msgEnterCodeFor      = "Enter the 6-digit code from the email we sent for %s."
	msgWeWillSendTo      = "We'll send a 6-digit code to %s."
	msgServerHelp        = "Use the address your Sales Plus admin gave you. Changing it signs you out on this device."
	msgNothingSynced     = "Nothing synced to this device yet."
	msgNeverSynced       = "Never synced on this device"
	msgNotSyncedYet      = "Not synced yet"
	msgPasswordHint      = "Use at least %d characters. Mix letters, numbers and symbols; avoid sequences and repeats."
	msgUseAtLeast        = "Use at least %d characters."
	msgUseAtMost         = "Use at most %d characters."
	msgMailboxEmpty      = "No mail yet. Ask for a reset code in the app and it appears here."
)

// Sentences for errors that carry numbers or must be told apart first.
const (
	errCodeWrong         = "That code is wrong. Check the email and try again."
	errCodeWrongNoneLeft = "That code is wrong and no tries are left. Send a new code."
	errCodeWrongOneLeft  = "That code is wrong. 1 try left."
	errCodeWrongLeft     = "That code is wrong. %d tries left."
	errTooWeak           = "That password is too weak."
	errTooWeakLevel      = "That password is too weak (%s)."
	errTooWeakAdvice     = " Mix letters, numbers and symbols, and avoid sequences and repeats."
	errTooShort          = "That password is too short. Use at least %d characters."
	errTooLong           = "That password is too long. Use at most %d characters."
	errResendTooSoon     = "A code was just sent. Check your email, or ask for a new code %s."
	errResetLocked       = "Password reset is paused for this account after many wrong codes, to keep it safe. Try again %s, or ask your Sales Plus admin for help."
	errRateLimited       = "Requests are paused for a while to keep accounts safe. Try again %s, or ask your Sales Plus admin for help."
	errCodeExpired       = "That code has expired or was already used."
	errCodeLocked        = "That code was entered wrong too many times, so it no longer works."
	errSendNewCode       = " Send a new code."
	errCancelled         = "Cancelled."
	errUntrusted         = "The server's certificate is not trusted, so Sales Plus did not connect. Ask your Sales Plus admin."
	errTimeout           = "The server is taking too long to answer. Check your connection and try again."
	errOffline           = "You're offline. Check your connection and try again."
	errOther             = "Something went wrong. Try again, and ask your Sales Plus admin if it keeps happening."
)

// Sentences about the network, the Log In screen's username check and Log
// Out (issue 11's items 8, 9 and 13).
const (
	errNotAnswering     = "The Sales Plus server is not answering. Try again in a few minutes, and ask your Sales Plus admin if it keeps happening."
	msgRetry            = "Retry"
	msgUsernameNotFound = "No account with this username yet. Finish typing, or check the spelling."
	reasonInterrupted   = "The last sync was interrupted. %s Sync Now."
	msgLogOutWarning    = "Logging out removes the synced data and your saved password from this device. To sync again, you'll log in with your password."
)

// InterruptedReason is Sync Status's reason after a sync that did not end.
func InterruptedReason() string { return fmt.Sprintf(reasonInterrupted, tapVerb()) }

// tapVerb is how a sentence asks the rep to press a button: "Tap" on a
// phone, "Select" with a mouse or keyboard, where nothing is tapped.
func tapVerb() string {
	if fyne.CurrentDevice().IsMobile() {
		return "Tap"
	}
	return "Select"
}

// The Reset Password screen and its popup: the code's state, the resend
// wait, the strength minimum, and leaving with work typed.
const (
	msgCodeExpiredNow      = "The code has expired."
	msgSendNewCodeIn       = " You can send a new code in %s."
	msgResendWait          = "You can ask for another code in %s."
	msgCodeSuperseded      = "A newer code was sent after this one, so this one no longer works. Use the code in the newest email."
	msgNothingSent         = "We sent a code to %s less than a minute ago, so no new one was sent. Enter the code from that email."
	msgNothingSentWorks    = "We sent a code to %s less than a minute ago, so no new one was sent. That code still works: enter it from that email."
	msgNothingSentGone     = "We sent a code to %s less than a minute ago, so no new one was sent."
	msgEarlierCodeGone     = "The code in that email no longer works: it was used, or entered wrong too many times."
	msgCodeLifetimeIs      = "The code works for %s. Check your spam folder if it doesn't arrive."
	msgCodeLifetimeUnknown = "The email says how long the code works. Check your spam folder if it doesn't arrive."
	msgEnterWholeCode      = "Enter the 6-digit code from the email."
	msgTypeNewPassword     = "Type a new password."
	msgNeedAcceptable      = "Needs at least Acceptable to save."
	msgStrongEnough        = "Strong enough to save."
	msgTooWeakToSave       = "Not saved: this password is %s. Choose one rated at least Acceptable."
	msgCouldBeStronger     = "Could be stronger: %s"
	msgLeaveResetTitle     = "Leave password reset?"
	msgLeaveResetBody      = "The code and password you typed will be lost."
)

// codeLifetimeWords is the popup's line on how long the code works.
func codeLifetimeWords(d time.Duration) string {
	if d <= 0 {
		return msgCodeLifetimeUnknown
	}
	return fmt.Sprintf(msgCodeLifetimeIs, duration(d))
}

// duration words a lifetime: "15 minutes", "70 seconds", "1 hour".
func duration(d time.Duration) string {
	switch {
	case d < 2*time.Minute && d%time.Minute != 0:
		return plural(int((d+time.Second-1)/time.Second), "second")
	case d < 2*time.Hour && d%time.Hour != 0:
		return plural(int((d+time.Minute-1)/time.Minute), "minute")
	default:
		return plural(int((d+time.Hour-1)/time.Hour), "hour")
	}
}

// deadCodeWords says why the latest code is unusable and when a new one can
// be sent (wait <= 0: now).
func deadCodeWords(why error, wait time.Duration) string {
	msg := msgCodeExpiredNow
	switch {
	case errors.Is(why, errEarlierCodeGone):
		msg = msgEarlierCodeGone
	case errors.Is(why, apierr.CodeLocked):
		msg = errCodeLocked
	case errors.Is(why, apierr.CodeExpired):
		msg = errCodeExpired
	}
	if wait > 0 {
		return msg + fmt.Sprintf(msgSendNewCodeIn, clock(wait))
	}
	return msg + errSendNewCode
}

// plainWords are the sentences of the failures that need no numbers, tried
// in order (a superseded code is also an expired one).
var plainWords = []struct {
	err   error
	words string
}{
	// The username.
	{apierr.UnknownUser, "There is no Sales Plus account with this username. Check the spelling."},
	{apierr.UsernameNotEmail, "Password reset needs a username that is an email address you can read. Ask your Sales Plus admin to change your username."},
	// The code.
	{apierr.Superseded, msgCodeSuperseded},
	{apierr.CodeExpired, errCodeExpired + errSendNewCode},
	{apierr.CodeLocked, errCodeLocked + errSendNewCode},
	// The session and the data.
	{apierr.InvalidCredentials, "Wrong username or password."},
	{apierr.SessionExpired, "Your session has expired. Please log in again."},
	{apierr.NotFound, "The server does not have that data. Sync again to refresh the list."},
	// The server and its address.
	{apierr.ErrServer, "The Sales Plus server had a problem. Try again in a few minutes."},
	{apierr.ErrInsecureURL, "The server address must start with https://. Ask your Sales Plus admin for the right address."},
	{apierr.ErrInvalidURL, "The server address is not valid. Ask your Sales Plus admin for the right address."},
}

// Explain returns the sentence the rep reads for err: what happened and what
// to do next. It never returns raw error text, which belongs in the log.
// Explain(nil) is "".
func Explain(err error) string {
	if err == nil {
		return ""
	}
	p := problem(err)
	var tooWeak *strength.TooWeakError
	switch {
	case errors.Is(err, context.Canceled):
		return errCancelled
	case errors.Is(err, apierr.ErrUntrusted): // also ErrUnreachable
		return errUntrusted
	case errors.Is(err, apierr.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return errTimeout
	case errors.Is(err, apierr.ErrRefused): // also ErrUnreachable
		return errNotAnswering
	case errors.Is(err, apierr.ErrUnreachable):
		return errOffline
	case errors.Is(err, apierr.CodeInvalid):
		return codeInvalidWords(p)
	case errors.Is(err, apierr.PasswordTooWeak):
		if p != nil {
			return tooWeakWords(p.Strength)
		}
		return tooWeakWords(nil)
	case errors.As(err, &tooWeak):
		return tooWeakWords(&tooWeak.Result)
	case errors.Is(err, apierr.PasswordTooShort), errors.Is(err, strength.ErrTooShort):
		return fmt.Sprintf(errTooShort, strength.MinLength)
	case errors.Is(err, apierr.PasswordTooLong), errors.Is(err, strength.ErrTooLong):
		return fmt.Sprintf(errTooLong, strength.MaxLength)
	case errors.Is(err, apierr.ResendTooSoon):
		return fmt.Sprintf(errResendTooSoon, inAWhile(p))
	case errors.Is(err, apierr.ResetLocked):
		return fmt.Sprintf(errResetLocked, inAWhile(p))
	case errors.Is(err, apierr.RateLimited):
		return fmt.Sprintf(errRateLimited, inAWhile(p))
	}
	for _, w := range plainWords {
		if errors.Is(err, w.err) {
			return w.words
		}
	}
	return errOther
}

// OfflineReason is Sync Status's reason when the server cannot be reached.
func OfflineReason(err error) string { return Explain(err) + reasonDataStillHere }

// PartlySyncedReason is Sync Status's reason when some datasets failed.
func PartlySyncedReason(err error) string { return reasonSomeNotSynced + Explain(err) }

// ServerMovedReason is Sync Status's reason when the app starts against
// another server than the one its data came from.
func ServerMovedReason(server string) string { return fmt.Sprintf(reasonServerMoved, server) }

// DatasetStep is the progress line while dataset i (from 0) of n syncs.
func DatasetStep(title string, i, n int) string { return fmt.Sprintf(stepDataset, title, i+1, n) }

// problem returns the API's answer inside err, or nil.
func problem(err error) *apierr.Problem {
	var p *apierr.Problem
	if errors.As(err, &p) {
		return p
	}
	return nil
}

// retryAfter is how long the server asked to wait; 0 when it did not say.
func retryAfter(err error) time.Duration {
	if p := problem(err); p != nil {
		return p.RetryAfter
	}
	return 0
}

func codeInvalidWords(p *apierr.Problem) string {
	if p == nil || p.AttemptsLeft < 0 {
		return errCodeWrong
	}
	switch p.AttemptsLeft {
	case 0:
		return errCodeWrongNoneLeft
	case 1:
		return errCodeWrongOneLeft
	default:
		return fmt.Sprintf(errCodeWrongLeft, p.AttemptsLeft)
	}
}

func tooWeakWords(r *strength.Result) string {
	if r == nil {
		return errTooWeak + errTooWeakAdvice
	}
	msg := fmt.Sprintf(errTooWeakLevel, r.Level)
	switch {
	case r.Warning != "":
		return msg + " " + sentence(r.Warning)
	case len(r.Suggestions) > 0:
		return msg + " " + sentence(r.Suggestions[0])
	}
	return msg + errTooWeakAdvice
}

// sentence makes zxcvbn feedback end like a sentence.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s != "" && !strings.ContainsAny(s[len(s)-1:], ".!?") {
		s += "."
	}
	return s
}

// inAWhile words p's Retry-After: "in 45 seconds", "in 5 minutes", "later".
func inAWhile(p *apierr.Problem) string {
	if p == nil || p.RetryAfter <= 0 {
		return "later"
	}
	d := p.RetryAfter
	switch {
	case d < time.Minute:
		return "in " + plural(int((d+time.Second-1)/time.Second), "second")
	case d < time.Hour:
		return "in " + plural(int((d+time.Minute-1)/time.Minute), "minute")
	default:
		return "in " + plural(int((d+time.Hour-1)/time.Hour), "hour")
	}
}

// relative says how long ago t was, in the words a person would use.
func relative(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute") + " ago"
	case d < 24*time.Hour:
		return plural(int(d/time.Hour), "hour") + " ago"
	case d < 7*24*time.Hour:
		return plural(int(d/(24*time.Hour)), "day") + " ago"
	default:
		return "on " + t.Format("2 Jan 2006")
	}
}

// plural counts a unit: "1 minute", "5 minutes".
func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
