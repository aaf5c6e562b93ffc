package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"salesplus/internal/smtptest"
)

// Lock-out abuse, login side. A stranger who knows the username and types
// wrong passwords from one address is held back at that address; the owner
// at another address logs in with the right password. Strangers spread over
// many addresses put the account under guard, which holds each address to
// 3 wrong passwords a day, and the owner still logs in.
func TestStrangersCannotLockOwnerOutOfLogin(t *testing.T) {
	eachStore(t, testStrangersCannotLockOwnerOutOfLogin)
}

func testStrangersCannotLockOwnerOutOfLogin(t *testing.T, newEnv envMaker) {
	e := newEnv(t, func(c *Config) {
		c.Limits.AddressRequests = -1 // only the per-account rules
		c.TrustProxy = true           // the tests pick the client address
	})
	const owner, stranger = "192.0.2.10", "198.51.100.1"

	// One stranger: 10 wrong passwords, then that address waits, even with
	// the right password, which it does not get to try.
	for i := 1; i <= 10; i++ {
		if r := e.loginFrom(stranger, alex.Username, "Wrong-Guess-"+strconv.Itoa(i)); r.Status != 401 {
			t.Fatalf("stranger's wrong password %d: %d %s", i, r.Status, r.Raw)
		}
	}
	if r := e.loginFrom(stranger, alex.Username, alex.Password); r.Status != 429 || r.Header.Get("Retry-After") != "900" {
		t.Fatalf("stranger's 11th try: %d %s Retry-After=%q", r.Status, r.Raw, r.Header.Get("Retry-After"))
	}
	if r := e.loginFrom(owner, alex.Username, alex.Password); r.Status != 201 {
		t.Fatalf("owner after a stranger's 10 wrong passwords: %d %s", r.Status, r.Raw)
	}

	// Strangers at many addresses: 10 more wrong passwords, 2 per address,
	// bring the account to 20 in 24 h: it is under guard.
	for i := 0; i < 10; i++ {
		addr := "203.0.113." + strconv.Itoa(i/2+1)
		if r := e.loginFrom(addr, alex.Username, "Spread-Guess-"+strconv.Itoa(i)); r.Status != 401 {
			t.Fatalf("spread guess %d from %s: %d %s", i, addr, r.Status, r.Raw)
		}
	}
	// Under guard, a fresh address gets 3 tries a day; one that has failed
	// twice gets one more.
	for i := 1; i <= 3; i++ {
		if r := e.loginFrom("203.0.113.99", alex.Username, "Fresh-Guess-"+strconv.Itoa(i)); r.Status != 401 {
			t.Fatalf("fresh address's try %d under guard: %d %s", i, r.Status, r.Raw)
		}
	}
	if r := e.loginFrom("203.0.113.99", alex.Username, "Fresh-Guess-4"); r.Status != 429 || r.code() != "rate_limited" || r.Header.Get("Retry-After") != "86400" {
		t.Fatalf("fresh address's 4th try under guard: %d %s Retry-After=%q", r.Status, r.Raw, r.Header.Get("Retry-After"))
	}
	if r := e.loginFrom("203.0.113.1", alex.Username, "Spread-Guess-x"); r.Status != 401 {
		t.Fatalf("3rd try of an address that failed twice: %d %s", r.Status, r.Raw)
	}
	if r := e.loginFrom("203.0.113.1", alex.Username, alex.Password); r.Status != 429 {
		t.Fatalf("4th try of an address that failed twice: %d %s", r.Status, r.Raw)
	}
	// The owner, even after two typos of their own, gets in.
	for i := 1; i <= 2; i++ {
		if r := e.loginFrom(owner, alex.Username, "Owner-Typo-"+strconv.Itoa(i)); r.Status != 401 {
			t.Fatalf("owner's typo %d: %d %s", i, r.Status, r.Raw)
		}
	}
	if r := e.loginFrom(owner, alex.Username, alex.Password); r.Status != 201 {
		t.Fatalf("owner under guard: %d %s", r.Status, r.Raw)
	}
	// So does the owner from a new address (a hotel, a phone network).
	if r := e.loginFrom("2001:db8:77::5", alex.Username, alex.Password); r.Status != 201 {
		t.Fatalf("owner from a new address under guard: %d %s", r.Status, r.Raw)
	}
	// An IPv6 guesser counts by its /48, not by each address in it.
	for i := 1; i <= 3; i++ {
		if r := e.loginFrom("2001:db8:66:"+strconv.Itoa(i)+"::1", alex.Username, "V6-Guess-"+strconv.Itoa(i)); r.Status != 401 {
			t.Fatalf("IPv6 guess %d: %d %s", i, r.Status, r.Raw)
		}
	}
	if r := e.loginFrom("2001:db8:66:ffff::1", alex.Username, "V6-Guess-4"); r.Status != 429 {
		t.Fatalf("4th guess from the same /48: %d %s", r.Status, r.Raw)
	}
	// Other accounts are not under guard.
	if r := e.loginFrom("203.0.113.99", priya.Username, priya.Password); r.Status != 201 {
		t.Fatalf("another account from a held address: %d %s", r.Status, r.Raw)
	}
}

// The guessing bound that remains, for docs/security.md: an attacker
// trying wrong passwords on one account from n addresses, each address
// trying again a second after each answer, or as soon as Retry-After says,
// for 3 days, gets at most 20 + 3·n password checks a day. It drives the
// throttle's own decision (reserveLoginAttempt, the same call a login
// makes) without argon2, since only the count matters.
func TestLoginGuessBound(t *testing.T) { eachStore(t, testLoginGuessBound) }

func testLoginGuessBound(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	ctx := context.Background()
	acct, err := findAccount(ctx, e.srv.db, alex.Username)
	if err != nil {
		t.Fatal(err)
	}
	const days = 3
	for _, n := range []int{1, 10, 100} {
		if _, err := e.srv.db.Exec(`DELETE FROM login_failures`); err != nil {
			t.Fatal(err)
		}
		start := e.clock.Now()
		next := make([]time.Time, n) // when each address tries next
		for i := range next {
			next[i] = start
		}
		perDay := make([]int, days)
		for {
			i := 0
			for j := range next {
				if next[j].Before(next[i]) {
					i = j
				}
			}
			now := next[i]
			day := int(now.Sub(start) / (24 * time.Hour))
			if day >= days {
				break
			}
			wait, err := e.srv.reserveLoginAttempt(ctx, acct.ID, loginSource(fmt.Sprintf("10.0.%d.%d", i/250, i%250+1)), now)
			if err != nil {
				t.Fatal(err)
			}
			if wait == 0 {
				perDay[day]++
				wait = time.Second
			}
			next[i] = now.Add(wait)
		}
		worst := 0
		for _, c := range perDay {
			worst = max(worst, c)
		}
		t.Logf("%3d addresses for %d days: password checks per day %v; worst day %d, so a year %d: %.2f%% of 10^6 guesses (zxcvbn score 2), %.4f%% of 10^8 (score 3)",
			n, days, perDay, worst, 365*worst, 100*float64(worst)*365/1e6, 100*float64(worst)*365/1e8)
		if bound := 20 + 3*n; worst > bound {
			t.Errorf("%d addresses: %d checks in a day, over the bound 20 + 3·%d = %d", n, worst, n, bound)
		}
		e.clock.Advance(time.Duration(days+1) * 24 * time.Hour)
	}
}

// Lock-out abuse, reset side. Strangers who type wrong codes burn the code
// and lock typing codes for the account; the owner, who has the mail, resets
// through its link, whose token no stranger can guess.
func TestStrangersCannotLockOwnerOutOfReset(t *testing.T) {
	eachStore(t, testStrangersCannotLockOwnerOutOfReset)
}

func testStrangersCannotLockOwnerOutOfReset(t *testing.T, newEnv envMaker) {
	e := newEnv(t, func(c *Config) { c.Limits.AddressRequests = -1 })

	// A stranger burns the owner's code with 5 wrong tries.
	code, token := e.requestLink(alex.Username)
	for i := 0; i < 5; i++ {
		e.confirm(alex.Username, smtptest.WrongCode(code), newStrongPassword)
	}
	if r := e.confirm(alex.Username, code, newStrongPassword); r.Status != http.StatusLocked {
		t.Fatalf("typed right code after 5 wrong tries: %d %s", r.Status, r.Raw)
	}
	// The owner mistypes the code beside the link: no try, no failure counted.
	failures := e.count(`SELECT count(*) FROM confirm_failures`)
	if r := e.confirmLink(alex.Username, smtptest.WrongCode(code), token, newStrongPassword); r.Status != 400 || r.code() != "code_invalid" || r.Body["attemptsLeft"] != nil {
		t.Fatalf("wrong code beside the link: %d %s", r.Status, r.Raw)
	}
	if n := e.count(`SELECT count(*) FROM confirm_failures`); n != failures {
		t.Fatalf("a wrong code beside the link was counted: %d failures, was %d", n, failures)
	}
	if r := e.confirmLink(alex.Username, code, token, newStrongPassword); r.Status != http.StatusNoContent {
		t.Fatalf("owner's link after a stranger burned the code: %d %s", r.Status, r.Raw)
	}
	if r := e.login(alex.Username, newStrongPassword); r.Status != 201 {
		t.Fatalf("login with the password set through the link: %d %s", r.Status, r.Raw)
	}
	// Single use still holds for the link.
	if r := e.confirmLink(alex.Username, code, token, newStrongPassword+"2"); r.Status != http.StatusGone {
		t.Fatalf("link used twice: %d %s", r.Status, r.Raw)
	}

	// Strangers lock typing codes: 20 wrong codes over 4 requests.
	e.clock.Advance(time.Hour)
	for round := 0; round < 4; round++ {
		code := e.requestCode(alex.Username)
		for i := 0; i < 5; i++ {
			e.confirm(alex.Username, smtptest.WrongCode(code), newStrongPassword)
		}
		e.clock.Advance(61 * time.Minute)
	}
	if r := e.confirm(alex.Username, "123456", newStrongPassword); r.code() != "reset_locked" {
		t.Fatalf("typing after 20 wrong codes: %d %s", r.Status, r.Raw)
	}
	// The owner asks for a new code: the mail comes, says typing is paused,
	// and its link works.
	m := e.requestMail(alex.Username)
	if !strings.Contains(m.Text, "typing a code is paused until") {
		t.Errorf("the mail sent while typing is locked does not say so:\n%s", m.Text)
	}
	code, token = smtptest.Code(t, m), smtptest.LinkToken(t, m)
	if r := e.confirm(alex.Username, code, "Another-Strong-Pass-62"); r.Status != 429 || r.code() != "reset_locked" {
		t.Fatalf("typed right code while locked: %d %s", r.Status, r.Raw)
	}
	// A made-up token is no way round the lock: the confirm counts as typed.
	if r := e.confirmLink(alex.Username, code, strings.Repeat("A", 43), "Another-Strong-Pass-62"); r.Status != 429 || r.code() != "reset_locked" {
		t.Fatalf("made-up token while locked: %d %s", r.Status, r.Raw)
	}
	// Nor is another account's token.
	_, priyaToken := e.requestLink(priya.Username)
	if r := e.confirmLink(alex.Username, code, priyaToken, "Another-Strong-Pass-62"); r.Status != 429 {
		t.Fatalf("another account's token while locked: %d %s", r.Status, r.Raw)
	}
	// The owner's link, on the web page as the mail opens it.
	status, _, page := e.postForm(url.Values{
		"username": {alex.Username}, "code": {code}, "token": {token},
		"newPassword": {"Another-Strong-Pass-62"}, "confirmPassword": {"Another-Strong-Pass-62"},
	})
	if status != 200 || !strings.Contains(page, "Your password was changed") {
		t.Fatalf("owner's link on the web page while locked: %d\n%s", status, page)
	}
	if r := e.login(alex.Username, "Another-Strong-Pass-62"); r.Status != 201 {
		t.Fatalf("login after the reset through the link: %d %s", r.Status, r.Raw)
	}
}

// A code replaced by a newer request is dead: 410 code_expired with reason
// "superseded", and it costs no try of the new code nor counts toward the
// daily lock. Once its own lifetime is over it is an ordinary wrong code.
func TestSupersededCodeAnswersExpired(t *testing.T) { eachStore(t, testSupersededCodeAnswersExpired) }

func testSupersededCodeAnswersExpired(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	first, second := e.twoCodes(alex.Username)
	for i := 0; i < 3; i++ { // repeated, as a rep trying again would
		r := e.confirm(alex.Username, first, newStrongPassword)
		if r.Status != http.StatusGone || r.code() != "code_expired" || r.Body["reason"] != "superseded" {
			t.Fatalf("superseded code: %d %s", r.Status, r.Raw)
		}
	}
	if n := e.count(`SELECT count(*) FROM confirm_failures`); n != 0 {
		t.Fatalf("the superseded code counted %d failures toward the lock", n)
	}
	wrong := smtptest.WrongCode(second)
	if wrong == first {
		wrong = "000002"
	}
	if r := e.confirm(alex.Username, wrong, newStrongPassword); r.Status != 400 || r.Body["attemptsLeft"] != float64(4) {
		t.Fatalf("first wrong try of the new code after the superseded ones: %d %s", r.Status, r.Raw)
	}
	// An expired code that nothing replaced has no reason.
	e.clock.Advance(15 * time.Minute)
	r := e.confirm(alex.Username, second, newStrongPassword)
	if r.Status != http.StatusGone || r.Body["reason"] != nil {
		t.Fatalf("expired newest code: %d %s", r.Status, r.Raw)
	}
	// Its link says superseded too, while it lives.
	e.clock.Advance(time.Minute)
	c1, t1 := e.requestLink(alex.Username)
	e.clock.Advance(61 * time.Second)
	c2, t2 := e.requestLink(alex.Username)
	if r := e.confirmLink(alex.Username, c1, t1, newStrongPassword); r.Status != http.StatusGone || r.Body["reason"] != "superseded" {
		t.Fatalf("superseded link: %d %s", r.Status, r.Raw)
	}
	if r := e.confirmLink(alex.Username, c2, t2, newStrongPassword); r.Status != http.StatusNoContent {
		t.Fatalf("newest link: %d %s", r.Status, r.Raw)
	}
}
