package apierr

import (
	"errors"
	"fmt"
	"testing"
)

func TestProblemMatchesItsCode(t *testing.T) {
	for _, code := range Codes() {
		p := &Problem{Status: code.Status(), Code: code}
		if !errors.Is(p, code) || !errors.Is(fmt.Errorf("wrapped: %w", p), code) {
			t.Errorf("%s: errors.Is does not match its own code", code)
		}
		for _, other := range Codes() {
			if other != code && other != RateLimited && errors.Is(p, other) {
				t.Errorf("%s also matches %s", code, other)
			}
		}
		if errors.Is(p, ErrUnreachable) {
			t.Errorf("%s matches ErrUnreachable", code)
		}
		if got, want := errors.Is(p, ErrServer), code.Status() >= 500; got != want {
			t.Errorf("%s (status %d): errors.Is(ErrServer) = %v", code, code.Status(), got)
		}
	}
	// Every 429 is also RateLimited, so a caller can treat them alike.
	for _, code := range []Code{ResendTooSoon, ResetLocked} {
		if !errors.Is(&Problem{Status: 429, Code: code}, RateLimited) {
			t.Errorf("%s does not match RateLimited", code)
		}
	}
	if errors.Is(&Problem{Status: 429, Code: ResendTooSoon}, ResetLocked) {
		t.Error("resend_too_soon matches reset_locked")
	}
}

func TestUnknownCodeIsAnInternalError(t *testing.T) {
	c := Code("teapot")
	if c.Known() || c.Status() != 500 || c.Title() != Internal.Title() {
		t.Errorf("unknown code: known %v, status %d, title %q", c.Known(), c.Status(), c.Title())
	}
	if !CodeInvalid.Known() || CodeInvalid.Status() != 400 {
		t.Errorf("code_invalid: known %v, status %d", CodeInvalid.Known(), CodeInvalid.Status())
	}
}
