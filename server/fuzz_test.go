package server

import (
	"bytes"
	"net/http/httptest"
	"testing"
)

var fuzzEndpoints = []string{
	"/api/v1/password-reset/lookup",
	"/api/v1/password-reset/request",
	"/api/v1/password-reset/confirm",
	"/api/v1/sessions",
}

// Whatever arrives at the JSON endpoints, the answer is never a 5xx and
// the server never panics (the recover middleware would turn a panic into a
// 500, so "no 5xx" covers both).
func FuzzJSONHandlers(f *testing.F) {
	seeds := []string{
		`{"username":"alex.morgan@example.com"}`,
		`{"username":"jsmith"}`,
		`{"username":"alex.morgan@example.com","code":"123456","newPassword":"Tangerine-Pelican-Orbit-88"}`,
		`{"username":"alex.morgan@example.com","code":"12345","newPassword":"x"}`,
		`{"username":"alex.morgan@example.com","password":"wrong","deviceName":"fuzz"}`,
		`{"username":"\u0000"}`, `{"username":"\ud800"}`, `{"username":1e999}`, `{"username":null}`,
		`{"username":"a","username":"b"}`, `[]`, `""`, `{`, "\xff\xfe", `{"USERNAME":"alex.morgan@example.com"}`,
	}
	for i, s := range seeds {
		for ep := range fuzzEndpoints {
			f.Add(uint8(ep+i), []byte(s))
		}
	}
	e := newEnv(f, func(c *Config) { c.Limits.AddressRequests = -1; c.Dev = true })
	f.Fuzz(func(t *testing.T, ep uint8, body []byte) {
		req := httptest.NewRequest("POST", fuzzEndpoints[int(ep)%len(fuzzEndpoints)], bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %q: %d %s", req.URL.Path, body, rec.Code, rec.Body)
		}
		if rec.Code >= 400 && rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Fatalf("%s %q: %d without a problem document", req.URL.Path, body, rec.Code)
		}
	})
}
