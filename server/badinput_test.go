package server

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

// dbSnapshot is everything a request could wrongly store.
type dbSnapshot struct {
	codes, attempts, failures, outbox, sessions, changed int
	hash                                                 string
	lockedUntil                                          int64
}

func (e *env) snapshot() dbSnapshot {
	e.t.Helper()
	var s dbSnapshot
	s.codes = e.count(`SELECT count(*) FROM reset_codes`)
	s.attempts = e.count(`SELECT coalesce(sum(attempts), 0) FROM reset_codes`)
	s.failures = e.count(`SELECT count(*) FROM confirm_failures`)
	s.outbox = e.count(`SELECT count(*) FROM outbox`)
	s.sessions = e.count(`SELECT count(*) FROM sessions`)
	s.changed = e.count(`SELECT count(*) FROM reset_codes WHERE state != 'active'`)
	if err := e.srv.db.QueryRow(`SELECT password_hash, reset_locked_until FROM accounts WHERE username = ?`, alex.Username).
		Scan(&s.hash, &s.lockedUntil); err != nil {
		e.t.Fatal(err)
	}
	return s
}

// Hostile or broken input gets a 4xx problem and changes nothing.
func TestBadInput(t *testing.T) { eachStore(t, testBadInput) }

func testBadInput(t *testing.T, newEnv envMaker) {
	e := newEnv(t, func(c *Config) { c.Limits.AddressRequests = -1 })
	e.requestCode(alex.Username) // an active code a bug could burn
	before := e.snapshot()

	long := strings.Repeat("a", 10_000) + "@example.com"
	rune300 := strings.Repeat("é", 300)
	mb := strings.Repeat("x", 1<<20)
	const (
		lookup  = "/api/v1/password-reset/lookup"
		request = "/api/v1/password-reset/request"
		confirm = "/api/v1/password-reset/confirm"
		login   = "/api/v1/sessions"
	)
	confirmBody := func(user, code, pw string) string {
		return `{"username":` + quote(user) + `,"code":` + quote(code) + `,"newPassword":` + quote(pw) + `}`
	}
	cases := []struct {
		name        string
		path        string
		contentType string
		body        string
		status      int
		code        string
	}{
		{"malformed JSON", lookup, "application/json", `{"username":`, 400, "bad_request"},
		{"malformed JSON confirm", confirm, "application/json", `{"username":"a","code":"1"`, 400, "bad_request"},
		{"not an object", request, "application/json", `["alex.morgan@example.com"]`, 400, "bad_request"},
		{"trailing data", request, "application/json", `{"username":"alex.morgan@example.com"} {"username":"x"}`, 400, "bad_request"},
		{"unknown field", request, "application/json", `{"username":"alex.morgan@example.com","admin":true}`, 400, "bad_request"},
		{"unknown field confirm", confirm, "application/json", `{"username":"alex.morgan@example.com","code":"123456","newPassword":"Tangerine-Pelican-Orbit-88","role":"admin"}`, 400, "bad_request"},
		{"wrong type", request, "application/json", `{"username":42}`, 400, "bad_request"},
		{"wrong type code", confirm, "application/json", `{"username":"alex.morgan@example.com","code":123456,"newPassword":"Tangerine-Pelican-Orbit-88"}`, 400, "bad_request"},
		{"null body", request, "application/json", `null`, 400, "bad_request"},
		{"empty body", request, "application/json", ``, 400, "bad_request"},
		{"empty username", request, "application/json", `{"username":""}`, 400, "bad_request"},
		{"blank username", lookup, "application/json", `{"username":"   "}`, 400, "bad_request"},
		{"10 000-char username", request, "application/json", `{"username":"` + long + `"}`, 400, "bad_request"},
		{"10 000-char username confirm", confirm, "application/json", confirmBody(long, "123456", newStrongPassword), 400, "bad_request"},
		{"300-rune password", confirm, "application/json", confirmBody(alex.Username, "123456", rune300), 422, "password_too_long"},
		{"1 MB password", confirm, "application/json", confirmBody(alex.Username, "123456", mb), 413, "payload_too_large"},
		{"1 MB password login", login, "application/json", `{"username":"alex.morgan@example.com","password":"` + mb + `"}`, 413, "payload_too_large"},
		{"invalid UTF-8", request, "application/json", "{\"username\":\"alex\xff\xfe@example.com\"}", 400, "bad_request"},
		{"invalid UTF-8 password", confirm, "application/json", confirmBody(alex.Username, "123456", "Tangerine-\xc3\x28-Orbit-88"), 400, "bad_request"},
		{"lone surrogate", request, "application/json", `{"username":"alex\ud800@example.com"}`, 400, "bad_request"},
		{"NUL in username", request, "application/json", `{"username":"alex.morgan@example.com\u0000"}`, 400, "bad_request"},
		{"NUL in password", confirm, "application/json", confirmBody(alex.Username, "123456", "Tangerine-Pelican\x00-Orbit-88"), 400, "bad_request"},
		{"body over 64 KiB", request, "application/json", `{"username":"alex.morgan@example.com","x":"` + strings.Repeat("y", 70_000) + `"}`, 413, "payload_too_large"},
		{"wrong content type", request, "text/plain", `{"username":"alex.morgan@example.com"}`, 415, "unsupported_media_type"},
		{"form content type", confirm, "application/x-www-form-urlencoded", `username=alex.morgan%40example.com`, 415, "unsupported_media_type"},
		{"no content type", request, "", `{"username":"alex.morgan@example.com"}`, 415, "unsupported_media_type"},
		{"malformed code", confirm, "application/json", confirmBody(alex.Username, "12345678901234567890123456789012345678901234567890123456789012345", newStrongPassword), 400, "bad_request"},
		{"weak password", confirm, "application/json", confirmBody(alex.Username, "000000", "password"), 422, "password_too_weak"},
		{"short password", confirm, "application/json", confirmBody(alex.Username, "000000", "Ab1!"), 422, "password_too_short"},
		{"long device name", login, "application/json", `{"username":"alex.morgan@example.com","password":"x","deviceName":"` + strings.Repeat("d", 101) + `"}`, 400, "bad_request"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", e.ts.URL+c.path, strings.NewReader(c.body))
			if c.contentType != "" {
				req.Header.Set("Content-Type", c.contentType)
			}
			res, err := e.ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != c.status || !bytes.Contains(raw, []byte(`"code":"`+c.code+`"`)) {
				t.Fatalf("%d %s, want %d %s", res.StatusCode, raw, c.status, c.code)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("content type %q", ct)
			}
		})
	}
	if after := e.snapshot(); after != before {
		t.Fatalf("bad input changed the database:\nbefore %+v\nafter  %+v", before, after)
	}
}

func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ { // bytewise: invalid UTF-8 must reach the server as is
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}
