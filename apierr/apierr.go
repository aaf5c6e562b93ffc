// Package apierr is the Sales Plus API's error vocabulary, in one place for
// the server that answers with it, the client that reads it and the screens
// that word it for the rep: the stable problem codes of api/openapi.yaml with
// their HTTP status and title, the problem as a client reads it, and the
// failures a call meets before any answer. It holds names only: no HTTP, no
// UI, no words for the rep.
package apierr

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"salesplus/strength"
)

// Code is the stable `code` of a problem document. A Code is also an error,
// so errors.Is(err, apierr.CodeInvalid) asks whether err is that answer.
type Code string

func (c Code) Error() string { return string(c) }

// The codes the API answers with; api/openapi.yaml lists the same set.
const (
	BadRequest           Code = "bad_request"
	UnsupportedMediaType Code = "unsupported_media_type"
	PayloadTooLarge      Code = "payload_too_large"
	Internal             Code = "internal"
	NotFound             Code = "not_found"
	MethodNotAllowed     Code = "method_not_allowed"
	UnknownUser          Code = "unknown_user"
	UsernameNotEmail     Code = "username_not_email"
	RateLimited          Code = "rate_limited"
	ResendTooSoon        Code = "resend_too_soon"
	ResetLocked          Code = "reset_locked"
	CodeInvalid          Code = "code_invalid"
	CodeExpired          Code = "code_expired"
	CodeLocked           Code = "code_locked"
	PasswordTooWeak      Code = "password_too_weak"
	PasswordTooShort     Code = "password_too_short"
	PasswordTooLong      Code = "password_too_long"
	InvalidCredentials   Code = "invalid_credentials"
	SessionExpired       Code = "session_expired"
	// PasswordsDoNotMatch is refused by the web reset form only; no problem
	// document carries it.
	PasswordsDoNotMatch Code = "passwords_do_not_match"
)

// Reason refines a code; a problem document carries it as `reason`. A
// Reason is an error too, matched by errors.Is like a Code.
type Reason string

func (r Reason) Error() string { return string(r) }

// Superseded comes with CodeExpired: a newer code was sent since.
const Superseded Reason = "superseded"

type kind struct {
	status int // HTTP status
	title  string
}

var kinds = map[Code]kind{
	BadRequest:           {400, "Bad request"},
	UnsupportedMediaType: {415, "Unsupported media type"},
	PayloadTooLarge:      {413, "Payload too large"},
	Internal:             {500, "Internal error"},
	NotFound:             {404, "Not found"},
	MethodNotAllowed:     {405, "Method not allowed"},
	UnknownUser:          {404, "Unknown user"},
	UsernameNotEmail:     {409, "Username is not an email address"},
	RateLimited:          {429, "Too many requests"},
	ResendTooSoon:        {429, "Resend too soon"},
	ResetLocked:          {429, "Password reset locked"},
	CodeInvalid:          {400, "Wrong code"},
	CodeExpired:          {410, "Code expired"},
	CodeLocked:           {423, "Code locked"},
	PasswordTooWeak:      {422, "Password too weak"},
	PasswordTooShort:     {422, "Password too short"},
	PasswordTooLong:      {422, "Password too long"},
	InvalidCredentials:   {401, "Invalid credentials"},
	SessionExpired:       {401, "Session expired"},
	PasswordsDoNotMatch:  {422, "Passwords do not match"},
}

// Known reports whether c is one of the codes above.
func (c Code) Known() bool { _, ok := kinds[c]; return ok }

// Status is the HTTP status the API answers c with; 500 for an unknown code.
func (c Code) Status() int {
	if k, ok := kinds[c]; ok {
		return k.status
	}
	return 500
}

// Title is the problem document's short English title for c.
func (c Code) Title() string {
	if k, ok := kinds[c]; ok {
		return k.title
	}
	return kinds[Internal].title
}

// Codes returns every code, sorted.
func Codes() []Code {
	cs := make([]Code, 0, len(kinds))
	for c := range kinds {
		cs = append(cs, c)
	}
	slices.Sort(cs)
	return cs
}

// Problem is an error answer (RFC 9457) as a client reads it.
type Problem struct {
	Status       int              // HTTP status
	Code         Code             // stable problem code
	Reason       Reason           // finer cause, when the server gave one
	Title        string           // the server's short summary (English, not for reps)
	Detail       string           // the server's explanation (English, not for reps)
	AttemptsLeft int              // with CodeInvalid; -1 when the server did not say
	Strength     *strength.Result // with PasswordTooWeak, when the server said
	RetryAfter   time.Duration    // with a 429 (and 503): when to try again; 0 if unknown
	// With ResendTooSoon: the code sent last still works until
	// LastCodeExpiresAt, or it is used up (LastCodeGone); both zero when
	// the server did not say.
	LastCodeExpiresAt time.Time
	LastCodeGone      bool
}

func (p *Problem) Error() string {
	msg := fmt.Sprintf("salesplus api: %d %s", p.Status, p.Code)
	if p.Detail != "" {
		msg += ": " + p.Detail
	} else if p.Title != "" {
		msg += ": " + p.Title
	}
	return msg
}

// Is matches p's code and reason; every 429 also matches RateLimited, and
// every 5xx ErrServer.
func (p *Problem) Is(target error) bool {
	switch target {
	case p.Code:
		return true
	case p.Reason:
		return p.Reason != ""
	case RateLimited:
		return p.Status == 429
	case ErrServer:
		return p.Status >= 500
	}
	return false
}

// Failures of a call that are not an answer in the API's vocabulary.
var (
	ErrUnreachable = errors.New("server unreachable")             // offline, DNS, refused, TLS, timeout
	ErrTimeout     = errors.New("no answer before the deadline")  // also ErrUnreachable
	ErrUntrusted   = errors.New("server certificate not trusted") // also ErrUnreachable
	ErrRefused     = errors.New("server refused the connection")  // also ErrUnreachable: the network works, the server is not answering
	ErrServer      = errors.New("server failed")                  // 5xx, or an answer that is not the promised JSON
	ErrInvalidURL  = errors.New("invalid server address")
	ErrInsecureURL = errors.New("plain http is allowed only to this machine; use https")
)
