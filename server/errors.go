package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"
)

// errorCode is the stable `code` of a problem; clients switch on it.
type errorCode string

// Every error code the API answers with. The table below gives each its HTTP
// status and title, once; api/openapi.yaml lists the same set.
const (
	codeBadRequest          errorCode = "bad_request"
	codeUnsupportedMedia    errorCode = "unsupported_media_type"
	codePayloadTooLarge     errorCode = "payload_too_large"
	codeInternal            errorCode = "internal"
	codeNotFound            errorCode = "not_found"
	codeMethodNotAllowed    errorCode = "method_not_allowed"
	codeUnknownUser         errorCode = "unknown_user"
	codeUsernameNotEmail    errorCode = "username_not_email"
	codeRateLimited         errorCode = "rate_limited"
	codeResendTooSoon       errorCode = "resend_too_soon"
	codeResetLocked         errorCode = "reset_locked"
	codeCodeInvalid         errorCode = "code_invalid"
	codeCodeExpired         errorCode = "code_expired"
	codeCodeLocked          errorCode = "code_locked"
	codePasswordTooWeak     errorCode = "password_too_weak"
	codePasswordTooShort    errorCode = "password_too_short"
	codePasswordTooLong     errorCode = "password_too_long"
	codeInvalidCredentials  errorCode = "invalid_credentials"
	codeSessionExpired      errorCode = "session_expired"
	codePasswordsDoNotMatch errorCode = "passwords_do_not_match" // web form only
)

type problemKind struct {
	status int
	title  string
	words  string // default detail, in the words a sales rep reads
}

var problemKinds = map[errorCode]problemKind{
	codeBadRequest:          {http.StatusBadRequest, "Bad request", "The request could not be read."},
	codeUnsupportedMedia:    {http.StatusUnsupportedMediaType, "Unsupported media type", "Send the request body as application/json."},
	codePayloadTooLarge:     {http.StatusRequestEntityTooLarge, "Payload too large", "The request body is larger than 64 KiB."},
	codeInternal:            {http.StatusInternalServerError, "Internal error", "Something went wrong on the server. Please try again in a moment."},
	codeNotFound:            {http.StatusNotFound, "Not found", "There is nothing here."},
	codeMethodNotAllowed:    {http.StatusMethodNotAllowed, "Method not allowed", "This address does not accept that method."},
	codeUnknownUser:         {http.StatusNotFound, "Unknown user", "There is no Sales Plus account with that username."},
	codeUsernameNotEmail:    {http.StatusConflict, "Username is not an email address", "Password reset works only when your username is an email address. Ask your Sales Plus admin to change your username to your email address."},
	codeRateLimited:         {http.StatusTooManyRequests, "Too many requests", "Too many attempts. Please wait a moment and try again."},
	codeResendTooSoon:       {http.StatusTooManyRequests, "Resend too soon", "A code was just sent. Please wait before asking for another one."},
	codeResetLocked:         {http.StatusTooManyRequests, "Password reset locked", "Too many wrong codes were typed for this account, so typing a code is paused for 24 hours. The link in the newest email still works: ask for a new code if you have none."},
	codeCodeInvalid:         {http.StatusBadRequest, "Wrong code", "That code is not right."},
	codeCodeExpired:         {http.StatusGone, "Code expired", "This code has expired or was already used. Ask for a new code."},
	codeCodeLocked:          {http.StatusLocked, "Code locked", "Too many wrong tries: this code no longer works. Ask for a new code."},
	codePasswordTooWeak:     {http.StatusUnprocessableEntity, "Password too weak", "This password is too easy to guess. Choose one rated at least Acceptable."},
	codePasswordTooShort:    {http.StatusUnprocessableEntity, "Password too short", "The password must be at least 8 characters long."},
	codePasswordTooLong:     {http.StatusUnprocessableEntity, "Password too long", "The password must be at most 256 characters long."},
	codeInvalidCredentials:  {http.StatusUnauthorized, "Invalid credentials", "The username or password is not right."},
	codeSessionExpired:      {http.StatusUnauthorized, "Session expired", "Your session has ended. Please log in again."},
	codePasswordsDoNotMatch: {http.StatusUnprocessableEntity, "Passwords do not match", "The two passwords are not the same."},
}

// problemTypeBase prefixes every problem `type` URI.
const problemTypeBase = "https://salesplus.example/problems/"

// apiError is an error the API answers with a problem document.
type apiError struct {
	code       errorCode
	detail     string         // overrides the default words
	retryAfter time.Duration  // > 0 for 429s
	extras     map[string]any // attemptsLeft, score, level, ...
	cause      error          // logged, never sent
}

func (e *apiError) Error() string {
	if e.cause != nil {
		return string(e.code) + ": " + e.cause.Error()
	}
	return string(e.code)
}

func (e *apiError) Unwrap() error { return e.cause }

func newError(code errorCode, detail string) *apiError {
	return &apiError{code: code, detail: detail}
}

func badRequest(format string, args ...any) *apiError {
	return &apiError{code: codeBadRequest, detail: fmt.Sprintf(format, args...)}
}

func tooMany(code errorCode, wait time.Duration) *apiError {
	return &apiError{code: code, retryAfter: wait}
}

// retryAfterSeconds rounds up to whole seconds, at least 1.
func retryAfterSeconds(d time.Duration) int {
	s := int(math.Ceil(d.Seconds()))
	if s < 1 {
		s = 1
	}
	return s
}

// words returns the detail a person reads for err.
func (e *apiError) words() string {
	if e.detail != "" {
		return e.detail
	}
	return problemKinds[e.code].words
}

// asAPIError turns any error into an apiError; unknown errors are internal.
func asAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	return &apiError{code: codeInternal, cause: err}
}

// writeProblem answers with an RFC 9457 problem document for err. Internal
// errors are logged with their cause; the client only sees the code.
func writeProblem(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	ae := asAPIError(err)
	kind, ok := problemKinds[ae.code]
	if !ok {
		kind = problemKinds[codeInternal]
	}
	if kind.status >= 500 {
		log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", ae.cause)
	}
	doc := map[string]any{}
	for k, v := range ae.extras {
		doc[k] = v
	}
	doc["type"] = problemTypeBase + string(ae.code)
	doc["title"] = kind.title
	doc["status"] = kind.status
	doc["detail"] = ae.words()
	doc["code"] = string(ae.code)
	if kind.status == http.StatusTooManyRequests {
		secs := retryAfterSeconds(ae.retryAfter)
		doc["retryAfterSeconds"] = secs
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	body, _ := json.Marshal(doc)
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(kind.status)
	w.Write(body)
}
