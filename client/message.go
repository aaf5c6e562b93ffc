package client

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"salesplus/strength"
)

// Message returns the sentence a sales rep reads for err: what happened and
// what to do next. It accepts any error (the package's own, strength's policy
// errors, anything else) and never returns raw error text, which belongs in
// the log. Message(nil) is "".
func Message(err error) string {
	if err == nil {
		return ""
	}
	var apiErr *APIError
	errors.As(err, &apiErr)
	var callErr *callError
	errors.As(err, &callErr)
	var tooWeak *strength.TooWeakError

	switch {
	case errors.Is(err, context.Canceled):
		return "Cancelled."
	case errors.Is(err, ErrUntrustedServer):
		return "The server's certificate is not trusted, so Sales Plus did not connect. Ask your Sales Plus admin."
	case callErr != nil && callErr.timeout, errors.Is(err, context.DeadlineExceeded):
		return "The server is taking too long to answer. Check your connection and try again."
	case errors.Is(err, ErrUnreachable):
		return "You're offline. Check your connection and try again."

	case errors.Is(err, ErrUnknownUser):
		return "There is no Sales Plus user with this username. Check the spelling."
	case errors.Is(err, ErrUsernameNotEmail):
		return "This username is not an email address. Ask your Sales Plus admin to change it."
	case errors.Is(err, ErrCodeInvalid):
		return codeInvalidMessage(apiErr)
	case errors.Is(err, ErrCodeExpired):
		return "That code has expired. Tap Send new code."
	case errors.Is(err, ErrCodeLocked):
		return "That code was entered wrong too many times. Tap Send new code."
	case errors.Is(err, ErrPasswordTooWeak):
		var r *strength.Result
		if apiErr != nil {
			r = apiErr.Strength
		}
		return tooWeakMessage(r)
	case errors.As(err, &tooWeak):
		return tooWeakMessage(&tooWeak.Result)
	case errors.Is(err, ErrPasswordTooShort), errors.Is(err, strength.ErrTooShort):
		return fmt.Sprintf("That password is too short. Use at least %d characters.", strength.MinLength)
	case errors.Is(err, ErrPasswordTooLong), errors.Is(err, strength.ErrTooLong):
		return fmt.Sprintf("That password is too long. Use at most %d characters.", strength.MaxLength)
	case errors.Is(err, ErrResendTooSoon):
		return "A code was just sent. Check your email, or ask for a new code " + inAWhile(apiErr) + "."
	case errors.Is(err, ErrResetLocked):
		return "Password reset is locked for this account after too many failed tries. Try again " +
			inAWhile(apiErr) + ", or ask your Sales Plus admin."
	case errors.Is(err, ErrRateLimited):
		return "Too many attempts. Try again " + inAWhile(apiErr) + "."
	case errors.Is(err, ErrInvalidCredentials):
		return "Wrong username or password."
	case errors.Is(err, ErrSessionExpired):
		return "Your session has expired. Please log in again."
	case errors.Is(err, ErrNotFound):
		return "The server does not have that data. Sync again to refresh the list."

	case errors.Is(err, ErrServer):
		return "The Sales Plus server had a problem. Try again in a few minutes."
	case errors.Is(err, ErrInsecureURL):
		return "The server address must start with https://. Ask your Sales Plus admin for the right address."
	case errors.Is(err, ErrInvalidURL):
		return "The server address is not valid. Ask your Sales Plus admin for the right address."
	}
	return "Something went wrong. Try again, and ask your Sales Plus admin if it keeps happening."
}

func codeInvalidMessage(e *APIError) string {
	if e == nil || e.AttemptsLeft < 0 {
		return "That code is wrong. Check the email and try again."
	}
	switch e.AttemptsLeft {
	case 0:
		return "That code is wrong and no tries are left. Tap Send new code."
	case 1:
		return "That code is wrong. 1 try left."
	default:
		return fmt.Sprintf("That code is wrong. %d tries left.", e.AttemptsLeft)
	}
}

func tooWeakMessage(r *strength.Result) string {
	msg := "That password is too weak."
	if r != nil {
		msg = fmt.Sprintf("That password is too weak (%s).", r.Level)
		if r.Warning != "" {
			return msg + " " + sentence(r.Warning)
		}
		if len(r.Suggestions) > 0 {
			return msg + " " + sentence(r.Suggestions[0])
		}
	}
	return msg + " Mix letters, numbers and symbols, and avoid sequences and repeats."
}

// sentence makes zxcvbn feedback end like a sentence.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s != "" && !strings.ContainsAny(s[len(s)-1:], ".!?") {
		s += "."
	}
	return s
}

// inAWhile words e's Retry-After: "in 45 seconds", "in 5 minutes", "later".
func inAWhile(e *APIError) string {
	if e == nil || e.RetryAfter <= 0 {
		return "later"
	}
	d := e.RetryAfter
	switch {
	case d < time.Minute:
		n := int((d + time.Second - 1) / time.Second)
		return plural(n, "second")
	case d < time.Hour:
		return plural(int((d+time.Minute-1)/time.Minute), "minute")
	default:
		return plural(int((d+time.Hour-1)/time.Hour), "hour")
	}
}

func plural(n int, unit string) string {
	if n == 1 {
		return "in 1 " + unit
	}
	return fmt.Sprintf("in %d %ss", n, unit)
}
