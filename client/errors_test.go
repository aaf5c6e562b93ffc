package client

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"salesplus/apierr"
	"salesplus/strength"
)

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
// panic and must always give an *apierr.Problem or apierr.ErrServer.
func FuzzParseProblem(f *testing.F) {
	f.Add(400, "application/problem+json", []byte(`{"code":"code_invalid","attemptsLeft":2}`))
	f.Add(422, "application/problem+json", []byte(`{"code":"password_too_weak","score":9,"level":"Mega","suggestions":[null]}`))
	f.Add(429, "text/html", []byte(`<html>slow down</html>`))
	f.Add(502, "", []byte{0xff, 0x00})
	f.Add(418, "application/json", []byte(`{"code":`))
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {contentType}}}
		err := parseProblem(resp, body)
		var apiErr *apierr.Problem
		if !errors.As(err, &apiErr) && !errors.Is(err, apierr.ErrServer) {
			t.Fatalf("parseProblem = %v", err)
		}
		if apiErr != nil && apiErr.Strength != nil && (apiErr.Strength.Level < strength.Poor || apiErr.Strength.Level > strength.Excellent) {
			t.Fatalf("level out of range: %v", apiErr.Strength.Level)
		}
	})
}
