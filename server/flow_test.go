package server

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"salesplus/apierr"
	"salesplus/internal/smtptest"
)

var (
	alex   = DemoAccounts[0] // email username
	jsmith = DemoAccounts[1] // not an email
	priya  = DemoAccounts[2]
)

const newStrongPassword = "Tangerine-Pelican-Orbit-88"

// The whole reset as a user lives it, over HTTP, with the code read out of
// the mail a real SMTP server received.
func TestResetFlowThroughHTTP(t *testing.T) { eachStore(t, testResetFlowThroughHTTP) }

func testResetFlowThroughHTTP(t *testing.T, newEnv envMaker) {
	e := newEnv(t)

	old := e.login(alex.Username, alex.Password)
	if old.Status != http.StatusCreated {
		t.Fatalf("login with the seeded password: %d %s", old.Status, old.Raw)
	}
	oldToken := old.Body["token"].(string)
	if r := e.call("GET", "/api/v1/sync/status", nil, "Authorization: Bearer "+oldToken); r.Status != http.StatusOK {
		t.Fatalf("sync status before reset: %d", r.Status)
	}

	// Usernames match case-insensitively after trimming.
	lk := e.lookup("  ALEX.Morgan@Example.com ")
	if lk.Status != http.StatusOK || lk.Body["username"] != alex.Username || lk.Body["email"] != alex.Email {
		t.Fatalf("lookup: %d %s", lk.Status, lk.Raw)
	}

	rq := e.request(alex.Username)
	if rq.Status != http.StatusAccepted || rq.Body["sentTo"] != alex.Email || rq.Body["resendAfterSeconds"] != float64(60) {
		t.Fatalf("request: %d %s", rq.Status, rq.Raw)
	}
	expires, err := time.Parse(time.RFC3339, rq.Body["expiresAt"].(string))
	if err != nil || !expires.Equal(e.clock.Now().Add(15*time.Minute)) {
		t.Fatalf("expiresAt %v, want now+15m", rq.Body["expiresAt"])
	}

	m, ok := e.sink.WaitFor(10*time.Second, func(m smtptest.Message) bool { return m.For(alex.Email) })
	if !ok {
		t.Fatal("no reset mail arrived")
	}
	code := smtptest.Code(t, m)
	wantLink := "https://sales.example.com/reset#code=" + code + "&token=" + smtptest.LinkToken(t, m) + "&username=alex.morgan%40example.com"
	if !strings.Contains(m.Text, wantLink) || !strings.Contains(m.Text, "15 minutes") {
		t.Fatalf("mail lacks the link %s or the lifetime:\n%s", wantLink, m.Text)
	}

	if r := e.confirm(alex.Username, code, newStrongPassword); r.Status != http.StatusNoContent {
		t.Fatalf("confirm: %d %s", r.Status, r.Raw)
	}
	if _, ok := e.sink.WaitFor(10*time.Second, func(m smtptest.Message) bool {
		return m.For(alex.Email) && m.Subject == "Your Sales Plus password was changed"
	}); !ok {
		t.Fatal(`no "password was changed" mail`)
	}

	// No automatic login, the old session and the old password are dead, the
	// code is used up.
	if r := e.call("GET", "/api/v1/sync/status", nil, "Authorization: Bearer "+oldToken); r.Status != http.StatusUnauthorized || r.code() != "session_expired" {
		t.Fatalf("old session after reset: %d %s", r.Status, r.Raw)
	}
	if r := e.login(alex.Username, alex.Password); r.Status != http.StatusUnauthorized || r.code() != "invalid_credentials" {
		t.Fatalf("old password after reset: %d %s", r.Status, r.Raw)
	}
	if r := e.confirm(alex.Username, code, "Another-Fresh-Password-42"); r.Status != http.StatusGone {
		t.Fatalf("second use of the code: %d %s", r.Status, r.Raw)
	}

	in := e.login(alex.Username, newStrongPassword)
	if in.Status != http.StatusCreated {
		t.Fatalf("login with the new password: %d %s", in.Status, in.Raw)
	}
	token := in.Body["token"].(string)
	if len(token) != 43 {
		t.Errorf("token %d chars, want 43 (32 bytes base64url)", len(token))
	}
	st := e.call("GET", "/api/v1/sync/status", nil, "Authorization: Bearer "+token)
	if st.Status != http.StatusOK {
		t.Fatalf("sync status: %d %s", st.Status, st.Raw)
	}
	datasets := st.Body["datasets"].([]any)
	want := map[string]float64{"customers": 200, "products": 120, "price-list": 120}
	for _, d := range datasets {
		d := d.(map[string]any)
		if want[d["name"].(string)] != d["records"] {
			t.Errorf("dataset %v has %v records", d["name"], d["records"])
		}
		delete(want, d["name"].(string))
	}
	if len(want) != 0 {
		t.Errorf("missing datasets %v", want)
	}
	ds := e.call("GET", "/api/v1/sync/datasets/customers", nil, "Authorization: Bearer "+token)
	if ds.Status != http.StatusOK || len(ds.Body["records"].([]any)) != 200 {
		t.Fatalf("customers dataset: %d", ds.Status)
	}

	if r := e.call("DELETE", "/api/v1/sessions/current", nil, "Authorization: Bearer "+token); r.Status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", r.Status, r.Raw)
	}
	if r := e.call("GET", "/api/v1/sync/status", nil, "Authorization: Bearer "+token); r.Status != http.StatusUnauthorized {
		t.Fatalf("token after logout: %d", r.Status)
	}

	// Production logs carry neither the code, nor a password, nor a token.
	logs := e.logs.String()
	for _, secret := range []string{code, alex.Password, newStrongPassword, oldToken, token} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains a secret %q", secret)
		}
	}
}

func TestLookupAnswers(t *testing.T) { eachStore(t, testLookupAnswers) }

func testLookupAnswers(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	cases := []struct {
		username string
		status   int
		code     string
	}{
		{alex.Username, 200, ""},
		{strings.ToUpper(priya.Username), 200, ""},
		{"nobody@example.com", 404, "unknown_user"},
		{jsmith.Username, 409, "username_not_email"},
		{" JSMITH ", 409, "username_not_email"},
	}
	for _, c := range cases {
		r := e.lookup(c.username)
		if r.Status != c.status || r.code() != c.code {
			t.Errorf("lookup %q: %d %q, want %d %q", c.username, r.Status, r.code(), c.status, c.code)
		}
		if c.status != 200 && r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("lookup %q: content type %q", c.username, r.Header.Get("Content-Type"))
		}
	}
	// The non-email account cannot get a code either.
	if r := e.request(jsmith.Username); r.Status != 409 || r.code() != "username_not_email" {
		t.Errorf("request for a non-email username: %d %s", r.Status, r.Raw)
	}
	if r := e.request("nobody@example.com"); r.Status != 404 || r.code() != "unknown_user" {
		t.Errorf("request for an unknown user: %d %s", r.Status, r.Raw)
	}
	if n := e.count(`SELECT count(*) FROM reset_codes`); n != 0 {
		t.Errorf("%d codes stored for refused requests", n)
	}
}

// 100 confirms race with the one valid code: exactly one wins, and the
// password that won is the one that works.
func TestConcurrentConfirmsSingleUse(t *testing.T) { eachStore(t, testConcurrentConfirmsSingleUse) }

func testConcurrentConfirmsSingleUse(t *testing.T, newEnv envMaker) {
	e := newEnv(t, func(c *Config) { c.Limits.AddressRequests = -1 })
	code := e.requestCode(alex.Username)

	const n = 100
	statuses := make([]int, n)
	codes := make([]string, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			r := e.confirm(alex.Username, code, passwordFor(i))
			statuses[i], codes[i] = r.Status, r.code()
		}(i)
	}
	close(start)
	wg.Wait()

	winner := -1
	for i, s := range statuses {
		switch {
		case s == http.StatusNoContent && winner == -1:
			winner = i
		case s == http.StatusNoContent:
			t.Fatalf("confirms %d and %d both succeeded", winner, i)
		case s != http.StatusGone || codes[i] != "code_expired":
			t.Errorf("confirm %d: %d %s, want 410 code_expired", i, s, codes[i])
		}
	}
	if winner == -1 {
		t.Fatal("no confirm succeeded")
	}
	if r := e.login(alex.Username, passwordFor(winner)); r.Status != http.StatusCreated {
		t.Fatalf("the winning password does not work: %d", r.Status)
	}
	loser := (winner + 1) % n
	if r := e.login(alex.Username, passwordFor(loser)); r.Status != http.StatusUnauthorized {
		t.Fatalf("a losing password works: %d", r.Status)
	}
	if got := e.count(`SELECT count(*) FROM outbox WHERE subject = 'Your Sales Plus password was changed'`); got != 1 {
		t.Errorf("%d changed-password mails queued, want 1", got)
	}
}

func passwordFor(i int) string {
	return "Quartz-Harbor-Falcon-" + string(rune('A'+i%26)) + string(rune('a'+i/26)) + "-71"
}

// A repeat with the same Idempotency-Key answers the same 202 and sends
// nothing new; a new key within the cooldown is refused.
func TestRequestIdempotencyKey(t *testing.T) { eachStore(t, testRequestIdempotencyKey) }

func testRequestIdempotencyKey(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	key := "Idempotency-Key: 8e0f6a53-0b5e-4c1e-9a43-3e1d6f0c2b11"
	first := e.request(alex.Username, key)
	e.clock.Advance(5 * time.Second)
	again := e.request(alex.Username, key)
	if first.Status != 202 || again.Status != 202 || first.Body["expiresAt"] != again.Body["expiresAt"] {
		t.Fatalf("repeat with the same key: %d %s / %d %s", first.Status, first.Raw, again.Status, again.Raw)
	}
	if n := e.count(`SELECT count(*) FROM outbox`); n != 1 {
		t.Fatalf("%d mails queued, want 1", n)
	}
	other := e.request(alex.Username, "Idempotency-Key: 11111111-2222-3333-4444-555555555555")
	if other.Status != 429 || other.code() != "resend_too_soon" {
		t.Fatalf("new key within the cooldown: %d %s", other.Status, other.Raw)
	}
}

func TestDevMailbox(t *testing.T) { eachStore(t, testDevMailbox) }

func testDevMailbox(t *testing.T, newEnv envMaker) {
	e := newEnv(t, func(c *Config) { c.Dev = true })
	code := e.requestCode(alex.Username)
	r := e.call("GET", "/dev/mailbox", nil)
	if r.Status != 200 || !strings.Contains(string(r.Raw), code) || !strings.Contains(string(r.Raw), "#code="+code+"&token=") {
		t.Fatalf("dev mailbox: %d %s", r.Status, r.Raw)
	}
	// The dev log shows the mail, since that is what dev mode is for.
	if !strings.Contains(e.logs.String(), "mail for "+alex.Email+": Your Sales Plus password reset code") {
		t.Errorf("dev log lacks the mail line:\n%s", e.logs.String())
	}
	if n := e.count(`SELECT count(*) FROM outbox`); n != 0 {
		t.Errorf("dev mode queued %d mails for SMTP", n)
	}

	prod := newEnv(t)
	if r := prod.call("GET", "/dev/mailbox", nil); r.Status != 404 {
		t.Fatalf("dev mailbox without dev mode: %d", r.Status)
	}
}

func TestSessions(t *testing.T) { eachStore(t, testSessions) }

func testSessions(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	if r := e.login("nobody@example.com", "whatever-password"); r.Status != 401 || r.code() != "invalid_credentials" {
		t.Errorf("unknown user: %d %s", r.Status, r.Raw)
	}
	if r := e.login(alex.Username, "wrong-password-123"); r.Status != 401 || r.code() != "invalid_credentials" {
		t.Errorf("wrong password: %d %s", r.Status, r.Raw)
	}
	in := e.login(" "+strings.ToUpper(alex.Username), alex.Password)
	if in.Status != 201 {
		t.Fatalf("login: %d %s", in.Status, in.Raw)
	}
	token := in.Body["token"].(string)
	for _, auth := range []string{"", "Bearer", "Bearer nope", "Basic " + token, "Bearer " + token + "x"} {
		r := e.call("GET", "/api/v1/sync/status", nil, "Authorization: "+auth)
		if r.Status != 401 || r.code() != "session_expired" {
			t.Errorf("Authorization %q: %d %s", auth, r.Status, r.Raw)
		}
	}
	if r := e.call("GET", "/api/v1/sync/datasets/invoices", nil, "Authorization: Bearer "+token); r.Status != 404 || r.code() != "not_found" {
		t.Errorf("unknown dataset: %d %s", r.Status, r.Raw)
	}
	// Sessions last 30 days.
	e.clock.Advance(30*24*time.Hour - time.Minute)
	if r := e.call("GET", "/api/v1/sync/status", nil, "Authorization: Bearer "+token); r.Status != 200 {
		t.Errorf("session after 29.99 days: %d", r.Status)
	}
	e.clock.Advance(2 * time.Minute)
	if r := e.call("GET", "/api/v1/sync/status", nil, "Authorization: Bearer "+token); r.Status != 401 {
		t.Errorf("session after 30 days: %d", r.Status)
	}
	// Only the hash of a token is stored.
	if n := e.count(`SELECT count(*) FROM sessions WHERE token_hash = ?`, []byte(token)); n != 0 {
		t.Error("a raw token is stored")
	}
	if n := e.count(`SELECT count(*) FROM sessions WHERE token_hash = ?`, tokenHash(token)); n != 1 {
		t.Error("the token's hash is not stored")
	}
}

func TestHealthAndUnknownRoutes(t *testing.T) { eachStore(t, testHealthAndUnknownRoutes) }

func testHealthAndUnknownRoutes(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	if r := e.call("GET", "/healthz", nil); r.Status != 200 || r.Body["status"] != "ok" {
		t.Errorf("healthz: %d %s", r.Status, r.Raw)
	}
	if r := e.call("GET", "/api/v1/nothing", nil); r.Status != 404 || r.code() != "not_found" {
		t.Errorf("unknown route: %d %s", r.Status, r.Raw)
	}
	if r := e.call("GET", "/api/v1/password-reset/lookup", nil); r.Status != 405 || r.code() != "method_not_allowed" {
		t.Errorf("wrong method: %d %s", r.Status, r.Raw)
	}
}

// The password is stored as argon2id with the OWASP parameters and a salt.
func TestPasswordHashFormat(t *testing.T) { eachStore(t, testPasswordHashFormat) }

func testPasswordHashFormat(t *testing.T, newEnv envMaker) {
	e := newEnv(t, func(c *Config) { c.Dev = true })
	var h1, h2 string
	e.srv.db.QueryRow(`SELECT password_hash FROM accounts WHERE username = ?`, alex.Username).Scan(&h1)
	e.srv.db.QueryRow(`SELECT password_hash FROM accounts WHERE username = ?`, priya.Username).Scan(&h2)
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(h1, alex.Password) {
		t.Fatalf("hash %q", h1)
	}
	ok, err := e.srv.hasher.verify(context.Background(), alex.Password, h1)
	if err != nil || !ok {
		t.Fatalf("verify: %v %v", ok, err)
	}
	if ok, _ := e.srv.hasher.verify(context.Background(), priya.Password, h1); ok {
		t.Fatal("another password verifies")
	}
	if strings.Split(h1, "$")[4] == strings.Split(h2, "$")[4] {
		t.Fatal("two hashes share a salt")
	}
}

// A login with the old password whose argon2 check finishes just before a
// reset commits must not open a session after the reset revoked them all.
// The race is replayed step by step: the password check, then the reset,
// then the session the login would open.
func TestLoginRacingResetGetsNoSession(t *testing.T) { eachStore(t, testLoginRacingResetGetsNoSession) }

func testLoginRacingResetGetsNoSession(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	ctx := context.Background()
	a, _, err := e.srv.checkPassword(ctx, alex.Username, alex.Password, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	code := e.requestCode(alex.Username)
	if r := e.confirm(alex.Username, code, newStrongPassword); r.Status != http.StatusNoContent {
		t.Fatalf("reset: %d %s", r.Status, r.Raw)
	}
	token, _, err := e.srv.openSession(ctx, a, "racing device", "127.0.0.1", "")
	if asAPIError(err).code != apierr.InvalidCredentials {
		t.Fatalf("session after the reset with the old password: token %t, err %v", token != "", err)
	}
	if n := e.count(`SELECT count(*) FROM sessions WHERE revoked_at IS NULL`); n != 0 {
		t.Errorf("%d live sessions after the reset", n)
	}
}
