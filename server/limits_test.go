package server

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"salesplus/internal/runtest"
	"salesplus/internal/smtptest"
)

func TestCodeExpires(t *testing.T) { eachStore(t, testCodeExpires) }

func testCodeExpires(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	code := e.requestCode(alex.Username)
	e.clock.Advance(15*time.Minute - time.Second)
	if r := e.confirm(alex.Username, "000000", newStrongPassword); r.Status != 400 {
		t.Fatalf("just before expiry a wrong code: %d %s", r.Status, r.Raw) // still alive
	}
	e.clock.Advance(time.Second)
	if r := e.confirm(alex.Username, code, newStrongPassword); r.Status != http.StatusGone || r.code() != "code_expired" {
		t.Fatalf("after 15 min: %d %s", r.Status, r.Raw)
	}
	if r := e.login(alex.Username, alex.Password); r.Status != 201 {
		t.Fatalf("the password changed with an expired code: %d", r.Status)
	}
}

func TestCodeLifetimeConfigurable(t *testing.T) { eachStore(t, testCodeLifetimeConfigurable) }

func testCodeLifetimeConfigurable(t *testing.T, newEnv envMaker) {
	e := newEnv(t, func(c *Config) { c.CodeLifetime = 2 * time.Minute })
	// The lookup tells the app the lifetime before it asks for a code.
	if r := e.lookup(alex.Username); r.Status != http.StatusOK || r.Body["codeLifetimeSeconds"] != float64(120) {
		t.Fatalf("lookup: %d %s", r.Status, r.Raw)
	}
	code := e.requestCode(alex.Username)
	e.clock.Advance(2 * time.Minute)
	if r := e.confirm(alex.Username, code, newStrongPassword); r.Status != http.StatusGone {
		t.Fatalf("after the configured 2 min: %d %s", r.Status, r.Raw)
	}
}

func TestNoActiveCodeIsExpired(t *testing.T) { eachStore(t, testNoActiveCodeIsExpired) }

func testNoActiveCodeIsExpired(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	if r := e.confirm(alex.Username, "123456", newStrongPassword); r.Status != http.StatusGone || r.code() != "code_expired" {
		t.Fatalf("confirm without a code: %d %s", r.Status, r.Raw)
	}
	if r := e.confirm("nobody@example.com", "123456", newStrongPassword); r.Status != 404 || r.code() != "unknown_user" {
		t.Fatalf("confirm for an unknown user: %d %s", r.Status, r.Raw)
	}
}

func TestCodeBurnedAfterFiveWrongTries(t *testing.T) { eachStore(t, testCodeBurnedAfterFiveWrongTries) }

func testCodeBurnedAfterFiveWrongTries(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	code := e.requestCode(alex.Username)
	wrong := smtptest.WrongCode(code)
	for left := 4; left >= 1; left-- {
		r := e.confirm(alex.Username, wrong, newStrongPassword)
		if r.Status != 400 || r.code() != "code_invalid" || r.Body["attemptsLeft"] != float64(left) {
			t.Fatalf("wrong try with %d left: %d %s", left, r.Status, r.Raw)
		}
	}
	if r := e.confirm(alex.Username, wrong, newStrongPassword); r.Status != http.StatusLocked || r.code() != "code_locked" {
		t.Fatalf("fifth wrong try: %d %s", r.Status, r.Raw)
	}
	// Burned: even the right code no longer works.
	if r := e.confirm(alex.Username, code, newStrongPassword); r.Status != http.StatusLocked || r.code() != "code_locked" {
		t.Fatalf("right code after burning: %d %s", r.Status, r.Raw)
	}
	// A malformed code is not a guess and costs no try.
	e.clock.Advance(time.Minute)
	code = e.requestCode(alex.Username)
	if r := e.confirm(alex.Username, "12ab", newStrongPassword); r.Status != 400 || r.Body["attemptsLeft"] != float64(5) {
		t.Fatalf("malformed code: %d %s", r.Status, r.Raw)
	}
	if r := e.confirm(alex.Username, " "+code+" ", newStrongPassword); r.Status != http.StatusNoContent {
		t.Fatalf("new code with spaces around it: %d %s", r.Status, r.Raw)
	}
}

// A weak password is refused before the code is looked at, and the code
// stays usable.
func TestPasswordPolicyKeepsCode(t *testing.T) { eachStore(t, testPasswordPolicyKeepsCode) }

func testPasswordPolicyKeepsCode(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	code := e.requestCode(alex.Username)
	cases := []struct {
		password, code string
	}{
		{"short1!", "password_too_short"},
		{string(make([]rune, 300)), ""}, // NULs: refused as bad input
		{"password123", "password_too_weak"},
		{"alexmorgan", "password_too_weak"}, // the user's own name
	}
	for _, c := range cases {
		r := e.confirm(alex.Username, code, c.password)
		if c.code == "" {
			if r.Status != 400 {
				t.Errorf("control characters: %d %s", r.Status, r.Raw)
			}
			continue
		}
		if r.Status != 422 || r.code() != c.code {
			t.Errorf("password %q: %d %s", c.password, r.Status, r.Raw)
		}
		if c.code == "password_too_weak" {
			if _, ok := r.Body["score"].(float64); !ok || r.Body["level"] == nil || r.Body["suggestions"] == nil {
				t.Errorf("too weak without score/level/suggestions: %s", r.Raw)
			}
		}
	}
	long := ""
	for i := 0; i < 300; i++ {
		long += "é"
	}
	if r := e.confirm(alex.Username, code, long); r.Status != 422 || r.code() != "password_too_long" {
		t.Errorf("300 runes: %d %s", r.Status, r.Raw)
	}
	if r := e.confirm(alex.Username, code, newStrongPassword); r.Status != http.StatusNoContent {
		t.Fatalf("the code was used up by policy failures: %d %s", r.Status, r.Raw)
	}
}

func TestNewRequestInvalidatesOlderCodes(t *testing.T) {
	eachStore(t, testNewRequestInvalidatesOlderCodes)
}

func testNewRequestInvalidatesOlderCodes(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	first, second := e.twoCodes(alex.Username)
	if r := e.confirm(alex.Username, first, newStrongPassword); r.Status == http.StatusNoContent {
		t.Fatal("an older code still works")
	}
	if r := e.confirm(alex.Username, second, newStrongPassword); r.Status != http.StatusNoContent {
		t.Fatalf("the newest code: %d %s", r.Status, r.Raw)
	}
}

func TestResendCooldown(t *testing.T) { eachStore(t, testResendCooldown) }

func testResendCooldown(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	if r := e.request(alex.Username); r.Status != 202 {
		t.Fatal(r.Status)
	}
	e.clock.Advance(45 * time.Second)
	r := e.request(alex.Username)
	if r.Status != 429 || r.code() != "resend_too_soon" || r.Header.Get("Retry-After") != "15" || r.Body["retryAfterSeconds"] != float64(15) {
		t.Fatalf("resend after 45 s: %d %s Retry-After=%q", r.Status, r.Raw, r.Header.Get("Retry-After"))
	}
	// It says that the code sent 45 s ago still works, and until when.
	if r.Body["lastCodeUsable"] != true || r.Body["lastCodeExpiresAt"] != e.clock.Now().Add(-45*time.Second).Add(DefaultCodeLifetime).UTC().Format(time.RFC3339) {
		t.Errorf("the earlier code's state: %s", r.Raw)
	}
	e.clock.Advance(15 * time.Second)
	if r := e.request(alex.Username); r.Status != 202 {
		t.Fatalf("resend after 60 s: %d %s", r.Status, r.Raw)
	}
	// The cooldown is per account.
	if r := e.request(priya.Username); r.Status != 202 {
		t.Fatalf("another account: %d %s", r.Status, r.Raw)
	}
}

// Inside the cooldown, a code already used up is said to be so: the app
// then says when a new one can be sent instead of "enter the code".
func TestResendCooldownSaysTheLastCodeIsUsedUp(t *testing.T) {
	eachStore(t, testResendCooldownSaysTheLastCodeIsUsedUp)
}

func testResendCooldownSaysTheLastCodeIsUsedUp(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	code := e.requestCode(alex.Username)
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	for i := 0; i < 5; i++ {
		e.confirm(alex.Username, wrong, newStrongPassword)
	}
	e.clock.Advance(10 * time.Second)
	r := e.request(alex.Username)
	if r.Status != 429 || r.code() != "resend_too_soon" || r.Body["lastCodeUsable"] != false || r.Body["lastCodeExpiresAt"] != nil {
		t.Fatalf("after the code was burned: %d %s", r.Status, r.Raw)
	}
}

func TestHourlySendCap(t *testing.T) { eachStore(t, testHourlySendCap) }

func testHourlySendCap(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	for i := 0; i < 5; i++ {
		if r := e.request(alex.Username); r.Status != 202 {
			t.Fatalf("send %d: %d %s", i+1, r.Status, r.Raw)
		}
		e.clock.Advance(61 * time.Second)
	}
	// 5 sends in the last 5 min 5 s: the sixth waits until the first is an hour old.
	r := e.request(alex.Username)
	wantWait := time.Hour - 5*61*time.Second
	if r.Status != 429 || r.code() != "rate_limited" || r.Header.Get("Retry-After") != strconv.Itoa(int(wantWait.Seconds())) {
		t.Fatalf("sixth send: %d %s Retry-After=%q", r.Status, r.Raw, r.Header.Get("Retry-After"))
	}
	e.clock.Advance(wantWait)
	if r := e.request(alex.Username); r.Status != 202 {
		t.Fatalf("after the hour: %d %s", r.Status, r.Raw)
	}
}

// 20 wrong codes in 24 h lock the account's reset for 24 h.
func TestDailyResetLock(t *testing.T) { eachStore(t, testDailyResetLock) }

func testDailyResetLock(t *testing.T, newEnv envMaker) {
	e := newEnv(t, func(c *Config) { c.Limits.AddressRequests = -1 })
	wrongs := 0
	for round := 0; round < 4; round++ {
		code := e.requestCode(alex.Username)
		for i := 0; i < 5; i++ {
			wrongs++
			r := e.confirm(alex.Username, smtptest.WrongCode(code), newStrongPassword)
			switch {
			case wrongs == 20:
				if r.Status != 429 || r.code() != "reset_locked" || r.Header.Get("Retry-After") != "86400" {
					t.Fatalf("20th wrong code: %d %s", r.Status, r.Raw)
				}
			case i == 4:
				if r.Status != 423 {
					t.Fatalf("wrong code %d: %d %s", wrongs, r.Status, r.Raw)
				}
			default:
				if r.Status != 400 {
					t.Fatalf("wrong code %d: %d %s", wrongs, r.Status, r.Raw)
				}
			}
		}
		e.clock.Advance(61 * time.Minute) // past the hourly cap
	}
	// Locked: typed codes are refused, even the right one...
	code := e.requestCode(alex.Username) // ...but the owner still gets mail
	if r := e.confirm(alex.Username, code, newStrongPassword); r.Status != 429 || r.code() != "reset_locked" {
		t.Fatalf("typed confirm while locked: %d %s", r.Status, r.Raw)
	}
	// Other accounts are not affected.
	if r := e.request(priya.Username); r.Status != 202 {
		t.Fatalf("another account: %d %s", r.Status, r.Raw)
	}
	// The lock ends 24 h after the 20th failure (61 min have passed since).
	e.clock.Advance(24*time.Hour - 61*time.Minute - time.Second)
	r := e.confirm(alex.Username, "123456", newStrongPassword)
	if r.Status != 429 || r.code() != "reset_locked" || r.Header.Get("Retry-After") != "1" {
		t.Fatalf("a second before the lock ends: %d %s", r.Status, r.Raw)
	}
	e.clock.Advance(time.Second)
	code = e.requestCode(alex.Username)
	if r := e.confirm(alex.Username, code, newStrongPassword); r.Status != http.StatusNoContent {
		t.Fatalf("after the lock: %d %s", r.Status, r.Raw)
	}
}

// Every endpoint is limited per client address; a 429 says how long to wait.
func TestPerAddressLimit(t *testing.T) { eachStore(t, testPerAddressLimit) }

func testPerAddressLimit(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	for i := 0; i < 30; i++ {
		if r := e.lookup("nobody" + strconv.Itoa(i) + "@example.com"); r.Status != 404 {
			t.Fatalf("lookup %d: %d", i, r.Status)
		}
	}
	r := e.lookup("nobody@example.com")
	if r.Status != 429 || r.code() != "rate_limited" || r.Header.Get("Retry-After") != "2" || r.Body["retryAfterSeconds"] != float64(2) {
		t.Fatalf("31st lookup in a minute: %d %s Retry-After=%q", r.Status, r.Raw, r.Header.Get("Retry-After"))
	}
	e.clock.Advance(2 * time.Second)
	if r := e.lookup("nobody@example.com"); r.Status != 404 {
		t.Fatalf("after Retry-After: %d", r.Status)
	}

	// Every route has an allowance, including the web page and health check.
	for _, route := range []struct{ method, path, body string }{
		{"POST", "/api/v1/password-reset/request", `{"username":"x@example.com"}`},
		{"POST", "/api/v1/password-reset/confirm", `{"username":"x@example.com","code":"1","newPassword":"x"}`},
		{"POST", "/api/v1/sessions", `{"username":"x@example.com","password":""}`},
		{"DELETE", "/api/v1/sessions/current", ""},
		{"GET", "/api/v1/sync/status", ""},
		{"GET", "/api/v1/sync/datasets/customers", ""},
		{"GET", "/reset", ""},
		{"GET", "/healthz", ""},
	} {
		limited := false
		for i := 0; i < 200 && !limited; i++ {
			var body any
			if route.body != "" {
				body = route.body
			}
			r := e.call(route.method, route.path, body)
			limited = r.Status == 429 && r.Header.Get("Retry-After") != ""
		}
		if !limited {
			t.Errorf("%s %s: no 429 with Retry-After after 200 calls", route.method, route.path)
		}
	}
}

// Behind a trusted proxy the limit follows the address the proxy saw, not
// what the client wrote in front of it; without TrustProxy the header is
// ignored.
func TestClientAddress(t *testing.T) {
	mk := func(remote string, xff ...string) *http.Request {
		r, _ := http.NewRequest("GET", "/", nil)
		r.RemoteAddr = remote
		for _, v := range xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		return r
	}
	cases := []struct {
		req   *http.Request
		trust bool
		want  string
	}{
		{mk("10.0.0.1:5555"), false, "10.0.0.1"},
		{mk("10.0.0.1:5555", "1.2.3.4"), false, "10.0.0.1"},
		{mk("10.0.0.1:5555", "6.6.6.6, 1.2.3.4"), true, "1.2.3.4"},
		{mk("10.0.0.1:5555", "6.6.6.6", "1.2.3.4"), true, "1.2.3.4"},
		{mk("10.0.0.1:5555", "garbage"), true, "10.0.0.1"},
		{mk("[::1]:5555"), true, "::1"},
	}
	for i, c := range cases {
		if got := clientAddress(c.req, c.trust); got != c.want {
			t.Errorf("case %d: %q, want %q", i, got, c.want)
		}
	}
}

func TestLimitKeyGroupsIPv6Networks(t *testing.T) {
	cases := map[string]string{
		"192.0.2.7":                 "192.0.2.7",
		"2001:db8:1:2:aaaa::1":      "2001:db8:1:2::/64",
		"2001:db8:1:2:bbbb:cccc::9": "2001:db8:1:2::/64",
		"2001:db8:1:3::1":           "2001:db8:1:3::/64",
		"::ffff:192.0.2.7":          "::ffff:192.0.2.7",
		"not-an-ip":                 "not-an-ip",
	}
	for in, want := range cases {
		if got := limitKey(in); got != want {
			t.Errorf("limitKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// Wrong passwords are counted per account and source: after 10 within 15
// minutes the account's logins from that source answer 429, even with the
// right password, until the oldest of them is 15 minutes old. Other
// accounts are not affected, and a password reset lifts the throttle.
// (TestStrangersCannotLockOwnerOutOfLogin: other sources are not affected.)
func TestLoginThrottledPerSource(t *testing.T) { eachStore(t, testLoginThrottledPerSource) }

func testLoginThrottledPerSource(t *testing.T, newEnv envMaker) {
	e := newEnv(t, func(c *Config) { c.Limits.AddressRequests = -1 }) // only the per-account rule
	for i := 1; i <= 10; i++ {
		if r := e.login(alex.Username, "Wrong-Guess-"+strconv.Itoa(i)); r.Status != 401 || r.code() != "invalid_credentials" {
			t.Fatalf("wrong password %d: %d %s", i, r.Status, r.Raw)
		}
		e.clock.Advance(time.Minute)
	}
	// The first failure was 10 minutes ago: 5 minutes to wait.
	r := e.login(alex.Username, alex.Password)
	if r.Status != 429 || r.code() != "rate_limited" || r.Header.Get("Retry-After") != "300" {
		t.Fatalf("right password after 10 wrong ones: %d %s Retry-After=%q", r.Status, r.Raw, r.Header.Get("Retry-After"))
	}
	if r := e.login(priya.Username, priya.Password); r.Status != 201 {
		t.Fatalf("another account: %d %s", r.Status, r.Raw)
	}
	e.clock.Advance(5*time.Minute - time.Second)
	if r := e.login(alex.Username, alex.Password); r.Status != 429 || r.Header.Get("Retry-After") != "1" {
		t.Fatalf("a second before the oldest failure leaves the window: %d %s", r.Status, r.Raw)
	}
	e.clock.Advance(time.Second)
	if r := e.login(alex.Username, alex.Password); r.Status != 201 {
		t.Fatalf("after the window: %d %s", r.Status, r.Raw)
	}

	// Throttled again, then the owner resets the password by email: the
	// new password works at once.
	// The good login cleared the count: ten more wrong ones are each
	// answered 401, not 429.
	for i := 1; i <= 10; i++ {
		if r := e.login(alex.Username, "Wrong-Again-"+strconv.Itoa(i)); r.Status != 401 {
			t.Fatalf("wrong password %d after a good login: %d %s", i, r.Status, r.Raw)
		}
	}
	if r := e.login(alex.Username, alex.Password); r.Status != 429 {
		t.Fatalf("throttled again: %d %s", r.Status, r.Raw)
	}
	code := e.requestCode(alex.Username)
	if r := e.confirm(alex.Username, code, newStrongPassword); r.Status != http.StatusNoContent {
		t.Fatalf("reset: %d %s", r.Status, r.Raw)
	}
	if r := e.login(alex.Username, newStrongPassword); r.Status != 201 {
		t.Fatalf("new password right after the reset: %d %s", r.Status, r.Raw)
	}
}

// The per-address limiter forgets an address once its bucket is full again,
// so an attacker rotating through many addresses (a /48 holds 65 536 IPv6
// /64s) cannot grow it without bound, while a drained bucket is kept.
func TestAddressLimiterForgetsFullBuckets(t *testing.T) {
	clock := newFakeClock()
	l := newAddressLimiter(clock.Now)
	r := rate{Requests: 3, Per: time.Minute} // a token back every 20 s
	for i := 0; i < 1000; i++ {
		l.allow("login|198.51.100."+strconv.Itoa(i), r) // full again after 20 s
	}
	clock.Advance(30 * time.Second)
	for i := 0; i < 3; i++ {
		l.allow("login|192.0.2.1", r) // full again after 60 s
	}
	if ok, _ := l.allow("login|192.0.2.1", r); ok {
		t.Fatal("a fourth request within the minute was allowed")
	}
	clock.Advance(30 * time.Second)
	l.allow("login|203.0.113.9", r)
	if n := len(l.buckets); n != 2 {
		t.Fatalf("%d buckets a minute on, want the drained one and the new one", n)
	}
	// The drained bucket kept its state: 30 s after draining, one token.
	if ok, _ := l.allow("login|192.0.2.1", r); !ok {
		t.Fatal("no token came back")
	}
	if ok, _ := l.allow("login|192.0.2.1", r); ok {
		t.Fatal("a drained bucket was forgotten and started full")
	}
}

// A burst of concurrent guesses gets no more password checks than the
// throttle allows: each attempt is counted before argon2 runs, not after.
func TestLoginThrottleHoldsUnderConcurrentGuesses(t *testing.T) {
	eachStore(t, testLoginThrottleHoldsUnderConcurrentGuesses)
}

func testLoginThrottleHoldsUnderConcurrentGuesses(t *testing.T, newEnv envMaker) {
	e := newEnv(t, func(c *Config) {
		c.Limits.AddressRequests = -1
		c.Limits.LoginFailures = 3
	})
	const guesses = 12
	statuses := make(chan int, guesses)
	runtest.Concurrently(guesses, func(i int) {
		statuses <- e.login(alex.Username, "Concurrent-Guess-"+strconv.Itoa(i)).Status
	})
	close(statuses)
	got := map[int]int{}
	for st := range statuses {
		got[st]++
	}
	if got[401] != 3 || got[429] != guesses-3 {
		t.Errorf("%d concurrent wrong passwords with a limit of 3: %v, want 3 × 401 and %d × 429", guesses, got, guesses-3)
	}
}

// LoginFailures -1 turns the throttle off, for load tests that log one
// account in from many clients at once.
func TestLoginThrottleCanBeTurnedOff(t *testing.T) { eachStore(t, testLoginThrottleCanBeTurnedOff) }

func testLoginThrottleCanBeTurnedOff(t *testing.T, newEnv envMaker) {
	e := newEnv(t, func(c *Config) {
		c.Limits.AddressRequests = -1
		c.Limits.LoginFailures = -1
	})
	for i := 1; i <= 11; i++ {
		if r := e.login(alex.Username, "Wrong-Guess-"+strconv.Itoa(i)); r.Status != 401 {
			t.Fatalf("wrong password %d with the throttle off: %d %s", i, r.Status, r.Raw)
		}
	}
	if r := e.login(alex.Username, alex.Password); r.Status != 201 {
		t.Fatalf("right password with the throttle off: %d %s", r.Status, r.Raw)
	}
}
