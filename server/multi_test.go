package server

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"salesplus/internal/runtest"
	"salesplus/internal/smtptest"
)

// Several instances on one PostgreSQL database, in this process: each with
// its own connection pool, listener and outbox worker, as on separate
// machines. (cmd/salesplus-server and TestCrashSafetyTwoInstances run real
// processes.)

// instances opens n instances on one fresh PostgreSQL database.
func instances(t *testing.T, n int, adjust ...func(*Config)) []*env {
	t.Helper()
	first := newPostgresEnv(t, adjust...)
	out := []*env{first}
	for len(out) < n {
		out = append(out, first.sibling())
	}
	return out
}

// Instances that start together on a fresh database apply each migration
// once: the advisory lock makes them take turns.
func TestInstancesMigrateTogether(t *testing.T) {
	url := newPostgresURL(t)
	errs := make([]error, 4)
	runtest.Concurrently(len(errs), func(i int) {
		srv, err := Open(context.Background(), Config{DBPath: url, Dev: true})
		if err == nil {
			err = srv.Seed(context.Background())
			srv.Close()
		}
		errs[i] = err
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
		}
	}
	srv, err := Open(context.Background(), Config{DBPath: url, Dev: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var steps, versions, accounts int
	srv.db.QueryRow(`SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&steps, &versions)
	srv.db.QueryRow(`SELECT count(*) FROM accounts WHERE id != 0`).Scan(&accounts)
	names, _ := migrationFS.ReadDir("migrations/postgres")
	if steps != len(names) || versions != len(names) {
		t.Errorf("schema_migrations has %d rows for %d versions, want %d once each", steps, versions, len(names))
	}
	if accounts != len(DemoAccounts) {
		t.Errorf("%d accounts after four seeds, want %d", accounts, len(DemoAccounts))
	}
}

// 20 concurrent confirms of one code spread over three instances: exactly
// one changes the password.
func TestConfirmsAcrossInstancesSingleUse(t *testing.T) {
	in := instances(t, 3, func(c *Config) { c.Limits.AddressRequests = -1 })
	code := in[0].requestCode(alex.Username)
	const n = 20
	statuses := make([]int, n)
	runtest.Concurrently(n, func(i int) {
		statuses[i] = in[i%len(in)].confirm(alex.Username, code, "Tangerine-Pelican-Orbit-"+strconv.Itoa(10+i)).Status
	})
	winner := -1
	for i, st := range statuses {
		switch st {
		case http.StatusNoContent:
			if winner >= 0 {
				t.Fatalf("confirms %d and %d both succeeded: %v", winner, i, statuses)
			}
			winner = i
		case http.StatusBadRequest, http.StatusGone, http.StatusConflict:
		default:
			t.Fatalf("confirm %d: %d", i, st)
		}
	}
	if winner < 0 {
		t.Fatalf("no confirm succeeded: %v", statuses)
	}
	// The winner's password works on every instance; the others' nowhere.
	for _, e := range in {
		if r := e.login(alex.Username, "Tangerine-Pelican-Orbit-"+strconv.Itoa(10+winner)); r.Status != http.StatusCreated {
			t.Errorf("login with the winning password: %d %s", r.Status, r.Raw)
		}
	}
	loser := (winner + 1) % n
	if r := in[1].login(alex.Username, "Tangerine-Pelican-Orbit-"+strconv.Itoa(10+loser)); r.Status != http.StatusUnauthorized {
		t.Errorf("login with a losing password: %d", r.Status)
	}
}

// Wrong codes count against the code wherever they arrive: five spread
// over two instances burn it, and the right code then fails too.
func TestWrongCodesAcrossInstancesBurnCode(t *testing.T) {
	in := instances(t, 2, func(c *Config) { c.Limits.AddressRequests = -1 })
	code := in[0].requestCode(alex.Username)
	wrong := smtptest.WrongCode(code)
	var last response
	for i := 0; i < 5; i++ {
		last = in[i%2].confirm(alex.Username, wrong, "Tangerine-Pelican-Orbit-88")
	}
	if last.code() != "code_locked" {
		t.Fatalf("fifth wrong code: %d %s", last.Status, last.Raw)
	}
	if r := in[1].confirm(alex.Username, code, "Tangerine-Pelican-Orbit-88"); r.Status == http.StatusNoContent || r.code() != "code_locked" {
		t.Fatalf("the right code after the fifth wrong one: %d %s", r.Status, r.Raw)
	}
}

// The resend cooldown and the hourly cap count the sends of every instance.
func TestSendLimitsAcrossInstances(t *testing.T) {
	in := instances(t, 2, func(c *Config) { c.Limits.AddressRequests = -1 })
	if r := in[0].request(alex.Username); r.Status != http.StatusAccepted {
		t.Fatalf("first request: %d %s", r.Status, r.Raw)
	}
	if r := in[1].request(alex.Username); r.code() != "resend_too_soon" {
		t.Fatalf("a second request at once on the other instance: %d %s", r.Status, r.Raw)
	}
	for i := 1; i < 5; i++ {
		in[0].clock.Advance(61 * time.Second)
		if r := in[i%2].request(alex.Username); r.Status != http.StatusAccepted {
			t.Fatalf("request %d: %d %s", i+1, r.Status, r.Raw)
		}
	}
	in[0].clock.Advance(61 * time.Second)
	for i, e := range in {
		if r := e.request(alex.Username); r.code() != "rate_limited" {
			t.Fatalf("sixth request within the hour on instance %d: %d %s", i, r.Status, r.Raw)
		}
	}
}

// Concurrent requests for one account, spread over the instances, send one
// code: the account's row lock makes the cooldown check and the new code one
// step.
func TestConcurrentRequestsAcrossInstancesSendOnce(t *testing.T) {
	in := instances(t, 2, func(c *Config) { c.Limits.AddressRequests = -1 })
	const n = 12
	statuses := make([]response, n)
	runtest.Concurrently(n, func(i int) {
		statuses[i] = in[i%2].request(alex.Username)
	})
	accepted := 0
	for i, r := range statuses {
		switch {
		case r.Status == http.StatusAccepted:
			accepted++
		case r.code() != "resend_too_soon":
			t.Errorf("request %d: %d %s", i, r.Status, r.Raw)
		}
	}
	if accepted != 1 {
		t.Fatalf("%d of %d concurrent requests were accepted, want 1", accepted, n)
	}
	if codes := in[0].count(`SELECT count(*) FROM reset_codes WHERE account_id = 1`); codes != 1 {
		t.Fatalf("%d codes made, want 1", codes)
	}
}

// One address gets one allowance, however the load balancer spreads its
// requests.
func TestAddressLimitAcrossInstances(t *testing.T) {
	in := instances(t, 2)
	for i := 0; i < 30; i++ {
		if r := in[i%2].lookup("nobody" + strconv.Itoa(i) + "@example.com"); r.Status != http.StatusNotFound {
			t.Fatalf("lookup %d: %d %s", i, r.Status, r.Raw)
		}
	}
	for i, e := range in {
		if r := e.lookup("nobody@example.com"); r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") != "2" {
			t.Fatalf("31st lookup in a minute, on instance %d: %d Retry-After=%q", i, r.Status, r.Header.Get("Retry-After"))
		}
	}
	in[0].clock.Advance(2 * time.Second)
	if r := in[1].lookup("nobody@example.com"); r.Status != http.StatusNotFound {
		t.Fatalf("after Retry-After: %d", r.Status)
	}
}

// Two outbox workers on one database send each mail once, and a mail that
// a killed instance had claimed is sent by the other once the claim runs
// out.
func TestOutboxSendsOnceWithTwoInstances(t *testing.T) {
	in := instances(t, 2, func(c *Config) {
		c.Limits.AddressRequests = -1
		c.MailClaim = time.Second
	})
	const n = 30
	emails := make([]string, n)
	for i := range emails {
		emails[i] = "rep" + strconv.Itoa(i) + "@outbox.example"
		if _, err := in[0].srv.db.Exec(`INSERT INTO accounts(username, username_key, email, display_name, company, password_hash, password_changed_at)
			VALUES (?, ?, ?, 'Rep', 'Outbox Ltd', '!', 0)`, emails[i], emails[i], emails[i]); err != nil {
			t.Fatal(err)
		}
	}
	// An abandoned claim: queued and claimed by an instance that died.
	if _, err := in[0].srv.db.Exec(`INSERT INTO outbox(message_id, to_addr, subject, body, created_at, attempts, next_attempt_at, claimed_until)
		VALUES ('abandoned@salesplus', 'orphan@outbox.example', 'Orphan', 'body', 0, 0, 0, ?)`, time.Now().Add(time.Second).UnixMilli()); err != nil {
		t.Fatal(err)
	}
	runtest.Concurrently(len(emails), func(i int) {
		if r := in[i%2].request(emails[i]); r.Status != http.StatusAccepted {
			t.Errorf("request %d: %d %s", i, r.Status, r.Raw)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := in[1].srv.waitMailIdle(ctx); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, m := range in[0].sink.Messages() {
		seen[m.To[0]]++
	}
	for _, to := range append(emails, "orphan@outbox.example") {
		if seen[to] != 1 {
			t.Errorf("%s got %d mails, want 1", to, seen[to])
		}
	}
}
