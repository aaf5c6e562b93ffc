package screens

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"salesplus/apierr"
	"salesplus/strength"
)

const genericMessage = "Something went wrong. Try again, and ask your Sales Plus admin if it keeps happening."

func TestExplain(t *testing.T) {
	weak := &strength.Result{
		Score: 1, Level: strength.Weak, Warning: "This is a top-10 common password",
		Suggestions: []string{"Add another word or two. Uncommon words are better."},
	}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{
			"unknown user", &apierr.Problem{Status: 404, Code: apierr.UnknownUser},
			"There is no Sales Plus account with this username. Check the spelling.",
		},
		{
			"username not email", &apierr.Problem{Status: 409, Code: apierr.UsernameNotEmail},
			"Password reset needs a username that is an email address you can read. Ask your Sales Plus admin to change your username.",
		},
		{
			"code invalid, 3 left", &apierr.Problem{Status: 400, Code: apierr.CodeInvalid, AttemptsLeft: 3},
			"That code is wrong. 3 tries left.",
		},
		{
			"code invalid, 1 left", &apierr.Problem{Status: 400, Code: apierr.CodeInvalid, AttemptsLeft: 1},
			"That code is wrong. 1 try left.",
		},
		{
			"code invalid, 0 left", &apierr.Problem{Status: 400, Code: apierr.CodeInvalid, AttemptsLeft: 0},
			"That code is wrong and no tries are left. Send a new code.",
		},
		{
			"code invalid, count unknown", &apierr.Problem{Status: 400, Code: apierr.CodeInvalid, AttemptsLeft: -1},
			"That code is wrong. Check the email and try again.",
		},
		{
			"code expired", &apierr.Problem{Status: 410, Code: apierr.CodeExpired},
			"That code has expired or was already used. Send a new code.",
		},
		{
			"code superseded", &apierr.Problem{Status: 410, Code: apierr.CodeExpired, Reason: apierr.Superseded},
			"A newer code was sent after this one, so this one no longer works. Use the code in the newest email.",
		},
		{
			"code locked", &apierr.Problem{Status: 423, Code: apierr.CodeLocked},
			"That code was entered wrong too many times, so it no longer works. Send a new code.",
		},
		{
			"too weak with warning", &apierr.Problem{Status: 422, Code: apierr.PasswordTooWeak, Strength: weak},
			"That password is too weak (Weak). This is a top-10 common password.",
		},
		{
			"too weak with a suggestion only", &apierr.Problem{
				Status: 422, Code: apierr.PasswordTooWeak,
				Strength: &strength.Result{Level: strength.Poor, Suggestions: []string{"Use a few words, avoid common phrases"}},
			},
			"That password is too weak (Poor). Use a few words, avoid common phrases.",
		},
		{
			"too weak without details", &apierr.Problem{Status: 422, Code: apierr.PasswordTooWeak},
			"That password is too weak. Mix letters, numbers and symbols, and avoid sequences and repeats.",
		},
		{
			"too weak, local check", fmt.Errorf("check: %w", &strength.TooWeakError{Result: *weak}),
			"That password is too weak (Weak). This is a top-10 common password.",
		},
		{
			"too short", &apierr.Problem{Status: 422, Code: apierr.PasswordTooShort},
			"That password is too short. Use at least 8 characters.",
		},
		{"too short, local check", strength.ErrTooShort, "That password is too short. Use at least 8 characters."},
		{
			"too long", &apierr.Problem{Status: 422, Code: apierr.PasswordTooLong},
			"That password is too long. Use at most 256 characters.",
		},
		{"too long, local check", strength.ErrTooLong, "That password is too long. Use at most 256 characters."},
		{
			"rate limited 5 min", &apierr.Problem{Status: 429, Code: apierr.RateLimited, RetryAfter: 5 * time.Minute},
			"Requests are paused for a while to keep accounts safe. Try again in 5 minutes, or ask your Sales Plus admin for help.",
		},
		{
			"rate limited 61 s", &apierr.Problem{Status: 429, Code: apierr.RateLimited, RetryAfter: 61 * time.Second},
			"Requests are paused for a while to keep accounts safe. Try again in 2 minutes, or ask your Sales Plus admin for help.",
		},
		{
			"rate limited 1 s", &apierr.Problem{Status: 429, Code: apierr.RateLimited, RetryAfter: time.Second},
			"Requests are paused for a while to keep accounts safe. Try again in 1 second, or ask your Sales Plus admin for help.",
		},
		{
			"rate limited, no time", &apierr.Problem{Status: 429, Code: apierr.RateLimited},
			"Requests are paused for a while to keep accounts safe. Try again later, or ask your Sales Plus admin for help.",
		},
		{
			"resend too soon", &apierr.Problem{Status: 429, Code: apierr.ResendTooSoon, RetryAfter: 45 * time.Second},
			"A code was just sent. Check your email, or ask for a new code in 45 seconds.",
		},
		{
			"reset locked", &apierr.Problem{Status: 429, Code: apierr.ResetLocked, RetryAfter: 24 * time.Hour},
			"Password reset is paused for this account after many wrong codes, to keep it safe. Try again in 24 hours, or ask your Sales Plus admin for help.",
		},
		{"invalid credentials", &apierr.Problem{Status: 401, Code: apierr.InvalidCredentials}, "Wrong username or password."},
		{"session expired", &apierr.Problem{Status: 401, Code: apierr.SessionExpired}, "Your session has expired. Please log in again."},
		{
			"not found", &apierr.Problem{Status: 404, Code: apierr.NotFound},
			"The server does not have that data. Sync again to refresh the list.",
		},
		{
			"offline", fmt.Errorf("dial: %w", apierr.ErrUnreachable),
			"You're offline. Check your connection and try again.",
		},
		{
			"refused", fmt.Errorf("%w: %w", apierr.ErrUnreachable, apierr.ErrRefused),
			"The Sales Plus server is not answering. Try again in a few minutes, and ask your Sales Plus admin if it keeps happening.",
		},
		{
			"timeout", fmt.Errorf("%w: %w", apierr.ErrUnreachable, apierr.ErrTimeout),
			"The server is taking too long to answer. Check your connection and try again.",
		},
		{
			"untrusted certificate", fmt.Errorf("%w: %w: x509", apierr.ErrUnreachable, apierr.ErrUntrusted),
			"The server's certificate is not trusted, so Sales Plus did not connect. Ask your Sales Plus admin.",
		},
		{
			"server garbage", fmt.Errorf("the answer is not JSON: %w", apierr.ErrServer),
			"The Sales Plus server had a problem. Try again in a few minutes.",
		},
		{
			"server 500", &apierr.Problem{Status: 500, Code: apierr.Internal},
			"The Sales Plus server had a problem. Try again in a few minutes.",
		},
		{
			"server 503 unknown code", &apierr.Problem{Status: 503, Code: "maintenance"},
			"The Sales Plus server had a problem. Try again in a few minutes.",
		},
		{
			"insecure address", fmt.Errorf("%w: http://sales.example.com", apierr.ErrInsecureURL),
			"The server address must start with https://. Ask your Sales Plus admin for the right address.",
		},
		{
			"invalid address", fmt.Errorf("%w: %q", apierr.ErrInvalidURL, "ftp://x"),
			"The server address is not valid. Ask your Sales Plus admin for the right address.",
		},
		{"cancelled", fmt.Errorf("salesplus client: %w", context.Canceled), "Cancelled."},
		{"bad request (a client bug)", &apierr.Problem{Status: 400, Code: apierr.BadRequest, Detail: "unknown field \"x\""}, genericMessage},
		{"unknown 4xx code", &apierr.Problem{Status: 418, Code: "teapot"}, genericMessage},
		{"foreign error", errors.New("sql: token=abc123 secret"), genericMessage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Explain(tc.err)
			if got != tc.want {
				t.Errorf("Explain = %q\nwant      %q", got, tc.want)
			}
			// Raw error text never reaches the rep.
			if tc.err != nil && strings.Contains(got, tc.err.Error()) {
				t.Errorf("Explain leaks the raw error %q", tc.err)
			}
		})
	}
}

// TestExplainCoversEveryFailure guards against a code or failure added
// without its words: each one the app can meet gets a sentence of its own,
// bare and wrapped. (The others are a client bug or a server failure, and
// read as such.)
func TestExplainCoversEveryFailure(t *testing.T) {
	clientBugs := map[apierr.Code]bool{
		apierr.BadRequest: true, apierr.UnsupportedMediaType: true, apierr.PayloadTooLarge: true,
		apierr.MethodNotAllowed: true, apierr.PasswordsDoNotMatch: true, apierr.Internal: true,
	}
	var failures []error
	for _, c := range apierr.Codes() {
		if !clientBugs[c] {
			failures = append(failures, &apierr.Problem{Status: c.Status(), Code: c, AttemptsLeft: -1})
		}
	}
	failures = append(failures, apierr.ErrUnreachable, apierr.ErrTimeout, apierr.ErrUntrusted, apierr.ErrRefused,
		apierr.ErrServer, apierr.ErrInvalidURL, apierr.ErrInsecureURL)
	seen := map[string]error{}
	for _, f := range failures {
		for _, err := range []error{f, fmt.Errorf("context: %w", f)} {
			if got := Explain(err); got == "" || got == genericMessage {
				t.Errorf("Explain(%v) = %q, want words of its own", err, got)
			}
			// The same words serve a phone and a desktop: no "Tap".
			if got := Explain(err); strings.Contains(got, "Tap ") {
				t.Errorf("Explain(%v) = %q says Tap, which is wrong on a desktop", err, got)
			}
		}
		if other, dup := seen[Explain(f)]; dup {
			t.Errorf("%v and %v read the same: %q", f, other, Explain(f))
		}
		seen[Explain(f)] = f
	}
}

// TestTapOnlyOnMobile checks that the sentences say "Tap" on a phone and a
// verb that fits a mouse or keyboard on a desktop. Fyne's test device is a
// phone under -tags mobile; run both ways to check both.
func TestTapOnlyOnMobile(t *testing.T) {
	test.NewTempApp(t)
	want := "Select Sync Now"
	if fyne.CurrentDevice().IsMobile() {
		want = "Tap Sync Now"
	}
	if got := InterruptedReason(); !strings.Contains(got, want) {
		t.Errorf("InterruptedReason() = %q, want it to say %q", got, want)
	}
}
