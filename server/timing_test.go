package server

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// Lookup and request take as long for an unknown user as for a known one,
// so timing tells an attacker nothing the status does not; and the mail
// worker (delivering to a real SMTP server meanwhile) does not slow known
// users down. Medians of 200 interleaved calls in one run, compared with a
// tolerance of a few milliseconds (generous for -race on a shared box).
func TestTimingKnownVsUnknown(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Limits.AddressRequests = -1 })
	const rounds = 200
	const tolerance = 3 * time.Millisecond

	call := func(path, username string) (time.Duration, int) {
		req := httptest.NewRequest("POST", path, strings.NewReader(`{"username":"`+username+`"}`))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = "192.0.2.1:1234"
		rec := httptest.NewRecorder()
		start := time.Now()
		e.srv.ServeHTTP(rec, req)
		return time.Since(start), rec.Code
	}
	for _, ep := range []struct {
		path         string
		known, unkwn int
	}{
		{"/api/v1/password-reset/lookup", http.StatusOK, http.StatusNotFound},
		{"/api/v1/password-reset/request", http.StatusAccepted, http.StatusNotFound},
	} {
		var known, unknown []time.Duration
		for i := 0; i < rounds+10; i++ {
			// A new hour each round, so the known user is never refused by
			// the cooldown or the hourly cap and always gets a mail.
			e.clock.Advance(61 * time.Minute)
			first, second := alex.Username, "nobody@example.com"
			if i%2 == 1 {
				first, second = second, first
			}
			for _, u := range []string{first, second} {
				d, status := call(ep.path, u)
				want := ep.unkwn
				if u == alex.Username {
					want = ep.known
				}
				if status != want {
					t.Fatalf("%s %s: %d, want %d", ep.path, u, status, want)
				}
				if i < 10 {
					continue // warm-up
				}
				if u == alex.Username {
					known = append(known, d)
				} else {
					unknown = append(unknown, d)
				}
			}
		}
		mk, mu := median(known), median(unknown)
		t.Logf("%s: median known %v, unknown %v", ep.path, mk, mu)
		if diff := mk - mu; diff > tolerance || diff < -tolerance {
			t.Errorf("%s: known %v vs unknown %v differ by more than %v", ep.path, mk, mu, tolerance)
		}
	}
	if n := len(e.sink.mails()); n == 0 {
		t.Error("the worker delivered nothing during the timing run")
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
