package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"salesplus/strength"
)

const genericMessage = "Something went wrong. Try again, and ask your Sales Plus admin if it keeps happening."

func TestMessage(t *testing.T) {
	weak := &strength.Result{Score: 1, Level: strength.Weak, Warning: "This is a top-10 common password",
		Suggestions: []string{"Add another word or two. Uncommon words are better."}}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"unknown user", &APIError{Status: 404, Code: "unknown_user"},
			"There is no Sales Plus user with this username. Check the spelling."},
		{"username not email", &APIError{Status: 409, Code: "username_not_email"},
			"This username is not an email address. Ask your Sales Plus admin to change it."},
		{"code invalid, 3 left", &APIError{Status: 400, Code: "code_invalid", AttemptsLeft: 3},
			"That code is wrong. 3 tries left."},
		{"code invalid, 1 left", &APIError{Status: 400, Code: "code_invalid", AttemptsLeft: 1},
			"That code is wrong. 1 try left."},
		{"code invalid, 0 left", &APIError{Status: 400, Code: "code_invalid", AttemptsLeft: 0},
			"That code is wrong and no tries are left. Tap Send new code."},
		{"code invalid, count unknown", &APIError{Status: 400, Code: "code_invalid", AttemptsLeft: -1},
			"That code is wrong. Check the email and try again."},
		{"code expired", &APIError{Status: 410, Code: "code_expired"},
			"That code has expired. Tap Send new code."},
		{"code locked", &APIError{Status: 423, Code: "code_locked"},
			"That code was entered wrong too many times. Tap Send new code."},
		{"too weak with warning", &APIError{Status: 422, Code: "password_too_weak", Strength: weak},
			"That password is too weak (Weak). This is a top-10 common password."},
		{"too weak with a suggestion only", &APIError{Status: 422, Code: "password_too_weak",
			Strength: &strength.Result{Level: strength.Poor, Suggestions: []string{"Use a few words, avoid common phrases"}}},
			"That password is too weak (Poor). Use a few words, avoid common phrases."},
		{"too weak without details", &APIError{Status: 422, Code: "password_too_weak"},
			"That password is too weak. Mix letters, numbers and symbols, and avoid sequences and repeats."},
		{"too weak, local check", fmt.Errorf("check: %w", &strength.TooWeakError{Result: *weak}),
			"That password is too weak (Weak). This is a top-10 common password."},
		{"too short", &APIError{Status: 422, Code: "password_too_short"},
			"That password is too short. Use at least 8 characters."},
		{"too short, local check", strength.ErrTooShort, "That password is too short. Use at least 8 characters."},
		{"too long", &APIError{Status: 422, Code: "password_too_long"},
			"That password is too long. Use at most 256 characters."},
		{"too long, local check", strength.ErrTooLong, "That password is too long. Use at most 256 characters."},
		{"rate limited 5 min", &APIError{Status: 429, Code: "rate_limited", RetryAfter: 5 * time.Minute},
			"Too many attempts. Try again in 5 minutes."},
		{"rate limited 61 s", &APIError{Status: 429, Code: "rate_limited", RetryAfter: 61 * time.Second},
			"Too many attempts. Try again in 2 minutes."},
		{"rate limited 1 s", &APIError{Status: 429, Code: "rate_limited", RetryAfter: time.Second},
			"Too many attempts. Try again in 1 second."},
		{"rate limited, no time", &APIError{Status: 429, Code: "rate_limited"},
			"Too many attempts. Try again later."},
		{"resend too soon", &APIError{Status: 429, Code: "resend_too_soon", RetryAfter: 45 * time.Second},
			"A code was just sent. Check your email, or ask for a new code in 45 seconds."},
		{"reset locked", &APIError{Status: 429, Code: "reset_locked", RetryAfter: 24 * time.Hour},
			"Password reset is locked for this account after too many failed tries. Try again in 24 hours, or ask your Sales Plus admin."},
		{"invalid credentials", &APIError{Status: 401, Code: "invalid_credentials"}, "Wrong username or password."},
		{"session expired", &APIError{Status: 401, Code: "session_expired"}, "Your session has expired. Please log in again."},
		{"not found", &APIError{Status: 404, Code: "not_found"},
			"The server does not have that data. Sync again to refresh the list."},
		{"offline", &callError{kind: ErrUnreachable, reason: "cannot reach the server"},
			"You're offline. Check your connection and try again."},
		{"timeout", &callError{kind: ErrUnreachable, timeout: true, reason: "no answer before the deadline"},
			"The server is taking too long to answer. Check your connection and try again."},
		{"untrusted certificate", &callError{kind: ErrUnreachable, untrusted: true, reason: "x509"},
			"The server's certificate is not trusted, so Sales Plus did not connect. Ask your Sales Plus admin."},
		{"server garbage", serverError("the answer is not JSON", nil),
			"The Sales Plus server had a problem. Try again in a few minutes."},
		{"server 500", &APIError{Status: 500, Code: "internal"},
			"The Sales Plus server had a problem. Try again in a few minutes."},
		{"server 503 unknown code", &APIError{Status: 503, Code: "maintenance"},
			"The Sales Plus server had a problem. Try again in a few minutes."},
		{"insecure address", fmt.Errorf("%w: http://sales.example.com", ErrInsecureURL),
			"The server address must start with https://. Ask your Sales Plus admin for the right address."},
		{"invalid address", fmt.Errorf("%w: %q", ErrInvalidURL, "ftp://x"),
			"The server address is not valid. Ask your Sales Plus admin for the right address."},
		{"cancelled", fmt.Errorf("salesplus client: %w", context.Canceled), "Cancelled."},
		{"bad request (a client bug)", &APIError{Status: 400, Code: "bad_request", Detail: "unknown field \"x\""}, genericMessage},
		{"unknown 4xx code", &APIError{Status: 418, Code: "teapot"}, genericMessage},
		{"foreign error", errors.New("sql: token=abc123 secret"), genericMessage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Message(tc.err)
			if got != tc.want {
				t.Errorf("Message = %q\nwant      %q", got, tc.want)
			}
			// Raw error text never reaches the rep.
			if tc.err != nil && strings.Contains(got, tc.err.Error()) {
				t.Errorf("Message leaks the raw error %q", tc.err)
			}
		})
	}
}

// TestMessageCoversEverySentinel guards against a sentinel added without its
// words: each must get a sentence of its own, bare and wrapped.
func TestMessageCoversEverySentinel(t *testing.T) {
	sentinels := []error{
		ErrUnknownUser, ErrUsernameNotEmail, ErrCodeInvalid, ErrCodeExpired, ErrCodeLocked,
		ErrPasswordTooWeak, ErrPasswordTooShort, ErrPasswordTooLong, ErrRateLimited, ErrResendTooSoon,
		ErrResetLocked, ErrInvalidCredentials, ErrSessionExpired, ErrNotFound, ErrUnreachable,
		ErrUntrustedServer, ErrServer, ErrInvalidURL, ErrInsecureURL,
	}
	seen := map[string]error{}
	for _, s := range sentinels {
		for _, err := range []error{s, fmt.Errorf("context: %w", s)} {
			got := Message(err)
			if got == "" || got == genericMessage {
				t.Errorf("Message(%v) = %q, want words of its own", err, got)
			}
		}
		if other, dup := seen[Message(s)]; dup {
			t.Errorf("%v and %v read the same: %q", s, other, Message(s))
		}
		seen[Message(s)] = s
	}
	// Every code in the table of codes has a sentinel on that list.
	for code, ss := range codeSentinels {
		for _, s := range ss {
			found := false
			for _, want := range sentinels {
				found = found || s == want
			}
			if !found {
				t.Errorf("code %s maps to %v, which TestMessageCoversEverySentinel does not know", code, s)
			}
		}
	}
}

func TestAPIErrorIs(t *testing.T) {
	for code, want := range codeSentinels {
		e := &APIError{Status: 400, Code: code}
		for _, s := range want {
			if !errors.Is(e, s) {
				t.Errorf("%s: not %v", code, s)
			}
		}
		if errors.Is(e, ErrServer) || errors.Is(e, ErrUnreachable) {
			t.Errorf("%s with status 400 matches a transport sentinel", code)
		}
	}
	if e := (&APIError{Status: 429, Code: "resend_too_soon"}); !errors.Is(e, ErrRateLimited) || errors.Is(e, ErrResetLocked) {
		t.Error("resend_too_soon must match ErrRateLimited and not ErrResetLocked")
	}
	if e := (&APIError{Status: 502, Code: "internal"}); !errors.Is(e, ErrServer) {
		t.Error("a 5xx problem must match ErrServer")
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"":                              0,
		"0":                             0,
		"-5":                            0,
		"120":                           2 * time.Minute,
		" 7 ":                           7 * time.Second,
		"soon":                          0,
		"Fri, 02 Jan 2026 03:05:05 GMT": time.Minute,
		"Fri, 02 Jan 2026 03:00:00 GMT": 0, // in the past
	} {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

// FuzzParseProblem feeds hostile bodies to the error decoder: it must never
// panic and must always give an *APIError or ErrServer.
func FuzzParseProblem(f *testing.F) {
	f.Add(400, "application/problem+json", []byte(`{"code":"code_invalid","attemptsLeft":2}`))
	f.Add(422, "application/problem+json", []byte(`{"code":"password_too_weak","score":9,"level":"Mega","suggestions":[null]}`))
	f.Add(429, "text/html", []byte(`<html>slow down</html>`))
	f.Add(502, "", []byte{0xff, 0x00})
	f.Add(418, "application/json", []byte(`{"code":`))
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {contentType}}}
		err := parseProblem(resp, body)
		var apiErr *APIError
		if !errors.As(err, &apiErr) && !errors.Is(err, ErrServer) {
			t.Fatalf("parseProblem = %v", err)
		}
		if apiErr != nil && apiErr.Strength != nil && (apiErr.Strength.Level < strength.Poor || apiErr.Strength.Level > strength.Excellent) {
			t.Fatalf("level out of range: %v", apiErr.Strength.Level)
		}
		_ = Message(err)
	})
}
