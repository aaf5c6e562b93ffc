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

	"salesplus/apierr"
)

// details are the default `detail` of each code, in the words a sales rep
// reads on the web reset page.
var details = map[apierr.Code]string{
	apierr.BadRequest:           "The request could not be read.",
	apierr.UnsupportedMediaType: "Send the request body as application/json.",
	apierr.PayloadTooLarge:      "The request body is larger than 64 KiB.",
	apierr.Internal:             "Something went wrong on the server. Please try again in a moment.",
	apierr.NotFound:             "There is nothing here.",
	apierr.MethodNotAllowed:     "This address does not accept that method.",
	apierr.UnknownUser:          "There is no Sales Plus account with that username.",
	apierr.UsernameNotEmail:     "Password reset works only when your username is an email address. Ask your Sales Plus admin to change your username to your email address.",
	apierr.RateLimited:          "Too many attempts. Please wait a moment and try again.",
	apierr.ResendTooSoon:        "A code was just sent. Please wait before asking for another one.",
	apierr.ResetLocked:          "Too many wrong codes were typed for this account, so typing a code is paused for 24 hours. The link in the newest email still works: ask for a new code if you have none.",
	apierr.CodeInvalid:          "That code is not right.",
	apierr.CodeExpired:          "This code has expired or was already used. Ask for a new code.",
	apierr.CodeLocked:           "Too many wrong tries: this code no longer works. Ask for a new code.",
	apierr.PasswordTooWeak:      "This password is too easy to guess. Choose one rated at least Acceptable.",
	apierr.PasswordTooShort:     "The password must be at least 8 characters long.",
	apierr.PasswordTooLong:      "The password must be at most 256 characters long.",
	apierr.InvalidCredentials:   "The username or password is not right.",
	apierr.SessionExpired:       "Your session has ended. Please log in again.",
	apierr.PasswordsDoNotMatch:  "The two passwords are not the same.",
}

// problemTypeBase prefixes every problem `type` URI.
const problemTypeBase = "https://salesplus.example/problems/"

// apiError is an error the API answers with a problem document.
type apiError struct {
	code       apierr.Code
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

func newError(code apierr.Code, detail string) *apiError {
	return &apiError{code: code, detail: detail}
}

func badRequest(format string, args ...any) *apiError {
	return &apiError{code: apierr.BadRequest, detail: fmt.Sprintf(format, args...)}
}

func tooMany(code apierr.Code, wait time.Duration) *apiError {
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
	return details[e.code]
}

// asAPIError turns any error into an apiError; unknown errors are internal.
func asAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	return &apiError{code: apierr.Internal, cause: err}
}

// writeProblem answers with an RFC 9457 problem document for err. Internal
// errors are logged with their cause; the client only sees the code.
func writeProblem(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	ae := asAPIError(err)
	code := ae.code
	if !code.Known() {
		code = apierr.Internal
	}
	status := code.Status()
	if status >= 500 {
		log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", ae.cause)
	}
	doc := map[string]any{}
	for k, v := range ae.extras {
		doc[k] = v
	}
	doc["type"] = problemTypeBase + string(ae.code)
	doc["title"] = code.Title()
	doc["status"] = status
	doc["detail"] = ae.words()
	doc["code"] = string(ae.code)
	if status == http.StatusTooManyRequests {
		secs := retryAfterSeconds(ae.retryAfter)
		doc["retryAfterSeconds"] = secs
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	body, _ := json.Marshal(doc)
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}
