package client

// Tests against the real backend (servertest_test.go): every method, every
// problem code the client can meet, and the whole reset as a rep lives it.

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"salesplus/api"
	"salesplus/apierr"
	"salesplus/internal/smtptest"
	"salesplus/server"
)

const newPassword = "Tangerine-Glacier-Orbit-41"

func TestRealServerFullReset(t *testing.T) {
	b := startBackend(t, server.Limits{})
	ctx := context.Background()
	rep := server.DemoAccounts[0]
	c := b.client(t, WithVersion("test"))

	// Logged in before the reset, with data to sync.
	s, err := c.Login(ctx, rep.Username, rep.Password, "old phone")
	if err != nil {
		t.Fatalf("Login before reset: %v", err)
	}
	if c.Token() != s.Token || !s.ExpiresAt.After(b.Clock.Now()) {
		t.Fatalf("session %+v, client token %q", s, c.Token())
	}
	oldToken := s.Token
	st, err := c.SyncStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Account.Username != rep.Username || st.Account.Email != rep.Email ||
		st.Account.DisplayName != rep.DisplayName || st.Account.Company != rep.Company {
		t.Errorf("account = %+v, want %+v", st.Account, rep)
	}
	names := map[string]api.DatasetInfo{}
	for _, d := range st.Datasets {
		names[d.Name] = d
	}
	for _, name := range []string{"customers", "products", "price-list"} {
		info, ok := names[name]
		if !ok {
			t.Errorf("dataset %s missing from %+v", name, st.Datasets)
			continue
		}
		d, err := c.Dataset(ctx, name)
		if err != nil {
			t.Fatalf("Dataset(%s): %v", name, err)
		}
		if d.Name != name || d.Version != info.Version || len(d.Records) != info.Records || len(d.Records) == 0 {
			t.Errorf("Dataset(%s) = %s v%d with %d records; status says v%d with %d",
				name, d.Name, d.Version, len(d.Records), info.Version, info.Records)
		}
	}

	// The reset, as the screens drive it: lookup (typed loosely), request,
	// read the mail, confirm.
	a, err := c.Lookup(ctx, "  "+strings.ToUpper(rep.Username)+" ")
	if err != nil {
		t.Fatalf("Lookup: %v", err)
	}
	if a.Username != rep.Username || a.Email != rep.Email || a.CodeLifetime != server.DefaultCodeLifetime {
		t.Errorf("Lookup = %+v", a)
	}
	rr, err := c.RequestReset(ctx, a.Username)
	if err != nil {
		t.Fatalf("RequestReset: %v", err)
	}
	if rr.SentTo != rep.Email || rr.ResendAfter != time.Minute ||
		!rr.ExpiresAt.Equal(b.Clock.Now().Add(server.DefaultCodeLifetime)) {
		t.Errorf("RequestReset = %+v (now %v)", rr, b.Clock.Now())
	}
	m := b.SMTP.Nth(t, 0)
	if len(m.To) != 1 || m.To[0] != rep.Email {
		t.Errorf("code mail went to %v", m.To)
	}
	code := smtptest.Code(t, m)
	if !strings.Contains(m.Text, b.URL+"/reset#") {
		t.Errorf("the mail has no link to the web reset page:\n%s", m.Text)
	}

	// Wrong code, then policy failures (which do not use the code up).
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	err = c.ConfirmReset(ctx, a.Username, wrong, newPassword)
	var apiErr *apierr.Problem
	if !errors.Is(err, apierr.CodeInvalid) || !errors.As(err, &apiErr) || apiErr.AttemptsLeft != 4 {
		t.Fatalf("wrong code: %v", err)
	}
	err = c.ConfirmReset(ctx, a.Username, code, "password1")
	if !errors.Is(err, apierr.PasswordTooWeak) || !errors.As(err, &apiErr) || apiErr.Strength == nil ||
		apiErr.Strength.Acceptable() || apiErr.Strength.Level.String() == "" {
		t.Fatalf("weak password: %v (%+v)", err, apiErr)
	}
	if err := c.ConfirmReset(ctx, a.Username, code, "Sh0rt!"); !errors.Is(err, apierr.PasswordTooShort) {
		t.Fatalf("short password: %v", err)
	}
	if err := c.ConfirmReset(ctx, a.Username, code, strings.Repeat("Żółw-", 52)); !errors.Is(err, apierr.PasswordTooLong) {
		t.Fatalf("long password: %v", err)
	}
	if err := c.ConfirmReset(ctx, a.Username, code, newPassword); err != nil {
		t.Fatalf("ConfirmReset: %v", err)
	}
	changed := b.SMTP.Nth(t, 1)
	if !strings.Contains(strings.ToLower(changed.Subject), "changed") || changed.To[0] != rep.Email {
		t.Errorf("second mail %q to %v, want the password-changed notice", changed.Subject, changed.To)
	}
	// A code works once.
	if err := c.ConfirmReset(ctx, a.Username, code, "Another-Fine-Passphrase-7"); !errors.Is(err, apierr.CodeExpired) {
		t.Errorf("reused code: %v", err)
	}

	// The old session died with the reset; the client forgets it.
	_, err = c.SyncStatus(ctx)
	if !errors.Is(err, apierr.SessionExpired) {
		t.Fatalf("old session after reset: %v", err)
	}
	if c.Token() != "" {
		t.Errorf("client kept the dead token")
	}

	// Logged in after: the old password is refused, the new one works.
	if _, err := c.Login(ctx, rep.Username, rep.Password, "new phone"); !errors.Is(err, apierr.InvalidCredentials) {
		t.Fatalf("old password after reset: %v", err)
	}
	s2, err := c.Login(ctx, rep.Username, newPassword, "new phone")
	if err != nil {
		t.Fatalf("Login after reset: %v", err)
	}
	if s2.Token == oldToken {
		t.Error("the new session reuses the old token")
	}
	if _, err := c.SyncStatus(ctx); err != nil {
		t.Fatalf("SyncStatus after reset: %v", err)
	}
	c.SetToken(oldToken)
	if _, err := c.Dataset(ctx, "customers"); !errors.Is(err, apierr.SessionExpired) {
		t.Errorf("old token on a dataset: %v", err)
	}

	// Logout ends the session on the server, not only in the client.
	c.SetToken(s2.Token)
	if err := c.Logout(ctx); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	if c.Token() != "" {
		t.Error("token kept after Logout")
	}
	c.SetToken(s2.Token)
	if _, err := c.SyncStatus(ctx); !errors.Is(err, apierr.SessionExpired) {
		t.Errorf("logged-out token: %v", err)
	}
}

func TestRealServerErrorCodes(t *testing.T) {
	b := startBackend(t, server.Limits{SendsPerHour: 2, FailedConfirms: 8})
	ctx := context.Background()
	c := b.client(t)
	alex, john, priya := server.DemoAccounts[0], server.DemoAccounts[1], server.DemoAccounts[2]
	var apiErr *apierr.Problem

	t.Run(string(apierr.UnknownUser), func(t *testing.T) {
		for name, err := range map[string]error{
			"Lookup":       func() error { _, err := c.Lookup(ctx, "nobody@example.com"); return err }(),
			"RequestReset": func() error { _, err := c.RequestReset(ctx, "nobody@example.com"); return err }(),
			"ConfirmReset": c.ConfirmReset(ctx, "nobody@example.com", "123456", newPassword),
		} {
			if !errors.Is(err, apierr.UnknownUser) || !errors.As(err, &apiErr) || apiErr.Status != 404 {
				t.Errorf("%s: %v", name, err)
			}
		}
	})

	t.Run(string(apierr.UsernameNotEmail), func(t *testing.T) {
		_, err := c.Lookup(ctx, john.Username)
		if !errors.Is(err, apierr.UsernameNotEmail) || !errors.As(err, &apiErr) || apiErr.Status != 409 {
			t.Fatalf("Lookup: %v", err)
		}
		if _, err := c.RequestReset(ctx, john.Username); !errors.Is(err, apierr.UsernameNotEmail) {
			t.Errorf("RequestReset: %v", err)
		}
	})

	t.Run("code_expired without a code", func(t *testing.T) {
		err := c.ConfirmReset(ctx, priya.Username, "123456", newPassword)
		if !errors.Is(err, apierr.CodeExpired) || !errors.As(err, &apiErr) || apiErr.Status != 410 {
			t.Fatalf("%v", err)
		}
	})

	mails := 0
	request := func(t *testing.T, username string) string {
		t.Helper()
		if _, err := c.RequestReset(ctx, username); err != nil {
			t.Fatalf("RequestReset: %v", err)
		}
		code := smtptest.Code(t, b.SMTP.Nth(t, mails))
		mails++
		return code
	}

	t.Run("resend_too_soon, then rate_limited", func(t *testing.T) {
		before := b.requests.Load()
		request(t, alex.Username)
		_, err := c.RequestReset(ctx, alex.Username)
		if !errors.Is(err, apierr.ResendTooSoon) || !errors.Is(err, apierr.RateLimited) || !errors.As(err, &apiErr) ||
			apiErr.Status != 429 || apiErr.RetryAfter <= 0 || apiErr.RetryAfter > time.Minute {
			t.Fatalf("second request: %v (%+v)", err, apiErr)
		}
		// The code sent a moment ago still works, and the answer says until when.
		if apiErr.LastCodeGone || !apiErr.LastCodeExpiresAt.Equal(b.Clock.Now().Add(server.DefaultCodeLifetime).Truncate(time.Second)) {
			t.Errorf("the earlier code's state: gone %v, expires %v (now %v)", apiErr.LastCodeGone, apiErr.LastCodeExpiresAt, b.Clock.Now())
		}
		// The wait is far beyond what the client sits out: reported, not retried.
		if n := b.requests.Load() - before; n != 2 {
			t.Errorf("%d requests for 2 calls", n)
		}
		b.Clock.Advance(61 * time.Second)
		request(t, alex.Username)
		b.Clock.Advance(61 * time.Second)
		_, err = c.RequestReset(ctx, alex.Username)
		if !errors.Is(err, apierr.RateLimited) || errors.Is(err, apierr.ResendTooSoon) || !errors.As(err, &apiErr) || apiErr.RetryAfter <= 0 {
			t.Fatalf("third send in an hour: %v", err)
		}
	})

	t.Run("code_expired after its lifetime", func(t *testing.T) {
		b.Clock.Advance(time.Hour) // the hourly send limit passes too
		code := request(t, alex.Username)
		b.Clock.Advance(server.DefaultCodeLifetime + time.Second)
		err := c.ConfirmReset(ctx, alex.Username, code, newPassword)
		if !errors.Is(err, apierr.CodeExpired) {
			t.Fatalf("%v", err)
		}
	})

	t.Run("code_expired superseded", func(t *testing.T) {
		b.Clock.Advance(time.Hour)
		first := request(t, alex.Username)
		b.Clock.Advance(61 * time.Second)
		second := request(t, alex.Username)
		if first == second {
			t.Skip("the two random codes collided (1 in a million)")
		}
		err := c.ConfirmReset(ctx, alex.Username, first, newPassword)
		if !errors.Is(err, apierr.Superseded) || !errors.Is(err, apierr.CodeExpired) || !errors.As(err, &apiErr) ||
			apiErr.Status != 410 || apiErr.Reason != apierr.Superseded {
			t.Fatalf("code replaced by a newer one: %v (%+v)", err, apiErr)
		}
		b.Clock.Advance(server.DefaultCodeLifetime)
		if err := c.ConfirmReset(ctx, alex.Username, second, newPassword); !errors.Is(err, apierr.CodeExpired) || errors.Is(err, apierr.Superseded) {
			t.Fatalf("newest code past its lifetime: %v", err)
		}
	})

	// wrongTries has a fresh code sent to priya and types a wrong one up to 5
	// times, until stop answers; check sees each answer. It returns the right
	// code.
	wrongTries := func(t *testing.T, stop error, check func(try int, err error)) string {
		b.Clock.Advance(time.Hour)
		code := request(t, priya.Username)
		var err error
		for i := 0; i < 5 && !errors.Is(err, stop); i++ {
			err = c.ConfirmReset(ctx, priya.Username, smtptest.WrongCode(code), newPassword)
			check(i, err)
		}
		return code
	}

	t.Run(string(apierr.CodeLocked), func(t *testing.T) {
		code := wrongTries(t, apierr.CodeLocked, func(i int, err error) {
			if errors.As(err, &apiErr) && apiErr.Code == apierr.CodeInvalid && apiErr.AttemptsLeft != 4-i {
				t.Errorf("try %d: attemptsLeft = %d", i+1, apiErr.AttemptsLeft)
			}
		})
		// Burned: even the right code no longer works.
		err := c.ConfirmReset(ctx, priya.Username, code, newPassword)
		if !errors.Is(err, apierr.CodeLocked) || !errors.As(err, &apiErr) || apiErr.Status != 423 {
			t.Fatalf("right code after 5 wrong: %v", err)
		}
	})

	t.Run(string(apierr.ResetLocked), func(t *testing.T) {
		// FailedConfirms is 8 and priya has 5 failures already.
		code := wrongTries(t, apierr.ResetLocked, func(int, error) {})
		err := c.ConfirmReset(ctx, priya.Username, code, newPassword)
		if !errors.Is(err, apierr.ResetLocked) || !errors.Is(err, apierr.RateLimited) || !errors.As(err, &apiErr) ||
			apiErr.Status != 429 || apiErr.RetryAfter < time.Hour {
			t.Fatalf("confirm after the failure limit: %v (%+v)", err, apiErr)
		}
	})

	t.Run(string(apierr.InvalidCredentials), func(t *testing.T) {
		for _, who := range [][2]string{{john.Username, "wrong password"}, {"nobody@example.com", john.Password}} {
			_, err := c.Login(ctx, who[0], who[1], "test")
			if !errors.Is(err, apierr.InvalidCredentials) || !errors.As(err, &apiErr) || apiErr.Status != 401 {
				t.Errorf("Login(%s): %v", who[0], err)
			}
		}
		// A non-email username logs in fine.
		if _, err := c.Login(ctx, john.Username, john.Password, "test"); err != nil {
			t.Errorf("Login(%s): %v", john.Username, err)
		}
	})

	t.Run(string(apierr.NotFound), func(t *testing.T) {
		_, err := c.Dataset(ctx, "invoices")
		if !errors.Is(err, apierr.NotFound) || !errors.As(err, &apiErr) || apiErr.Status != 404 {
			t.Fatalf("%v", err)
		}
	})

	t.Run(string(apierr.SessionExpired), func(t *testing.T) {
		for _, token := range []string{"", "not-a-token", strings.Repeat("A", 43)} {
			c := b.client(t, WithToken(token))
			if _, err := c.SyncStatus(ctx); !errors.Is(err, apierr.SessionExpired) {
				t.Errorf("SyncStatus with %q: %v", token, err)
			}
			if _, err := c.Dataset(ctx, "products"); !errors.Is(err, apierr.SessionExpired) {
				t.Errorf("Dataset with %q: %v", token, err)
			}
		}
	})

	t.Run("bad_request and payload_too_large", func(t *testing.T) {
		// The client cannot send a malformed body, so these reach it only
		// for input the server refuses outright; they read as a generic
		// failure, never as raw text.
		err := c.ConfirmReset(ctx, alex.Username, strings.Repeat("1", 65), newPassword)
		if !errors.As(err, &apiErr) || apiErr.Code != apierr.BadRequest || apiErr.Status != 400 {
			t.Errorf("65-character code: %v", err)
		}
		_, err = c.Lookup(ctx, strings.Repeat("x", 70<<10))
		if !errors.As(err, &apiErr) || apiErr.Code != apierr.PayloadTooLarge || apiErr.Status != 413 {
			t.Errorf("70 KiB username: %v", err)
		}
	})
}

func TestRealServerPerAddressRateLimit(t *testing.T) {
	b := startBackend(t, server.Limits{AddressRequests: 2, AddressWindow: time.Minute})
	c := b.client(t)
	ctx := context.Background()
	var err error
	for range 3 {
		_, err = c.Lookup(ctx, server.DemoAccounts[0].Username)
	}
	var apiErr *apierr.Problem
	if !errors.Is(err, apierr.RateLimited) || !errors.As(err, &apiErr) || apiErr.RetryAfter <= 0 {
		t.Fatalf("third lookup in a window of 2: %v", err)
	}
}

// TestRealServerLostAnswerIsRetriedOnce: the server takes the reset request
// but the answer is lost; the client retries with the same Idempotency-Key
// and the server answers without mailing a second code.
func TestRealServerLostAnswerIsRetriedOnce(t *testing.T) {
	b := startBackend(t, server.Limits{})
	c := b.client(t)
	ctx := context.Background()
	rep := server.DemoAccounts[0]
	isRequest := func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/password-reset/request") }
	b.dropNext.Store(&isRequest)

	before := b.requests.Load()
	rr, err := c.RequestReset(ctx, rep.Username)
	if err != nil {
		t.Fatalf("RequestReset: %v", err)
	}
	if n := b.requests.Load() - before; n != 2 {
		t.Errorf("%d requests, want 2 (one lost answer, one retry)", n)
	}
	if rr.SentTo != rep.Email {
		t.Errorf("RequestReset = %+v", rr)
	}
	first := smtptest.Code(t, b.SMTP.Nth(t, 0))

	// A later, separate request mails a new code; had the retry sent a
	// second mail, it would arrive before this one (the outbox keeps order).
	b.Clock.Advance(61 * time.Second)
	if _, err := c.RequestReset(ctx, rep.Username); err != nil {
		t.Fatal(err)
	}
	second := smtptest.Code(t, b.SMTP.Nth(t, 1))
	if first == second {
		t.Logf("the two codes happen to be equal (%s); still two mails", first)
	}
	if msgs := b.SMTP.Messages(); len(msgs) != 2 {
		t.Errorf("%d mails, want 2", len(msgs))
	}
	// The second code replaced the first.
	if err := c.ConfirmReset(ctx, rep.Username, second, newPassword); err != nil {
		t.Fatalf("ConfirmReset with the newest code: %v", err)
	}

	// A confirm whose answer is lost is NOT retried: it is reported, and the
	// rep sees a server problem rather than a silently doubled attempt.
	isConfirm := func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/password-reset/confirm") }
	b.dropNext.Store(&isConfirm)
	before = b.requests.Load()
	err = c.ConfirmReset(ctx, rep.Username, second, "Yet-Another-Long-Phrase-92")
	if !errors.Is(err, apierr.ErrServer) {
		t.Errorf("lost confirm answer: %v", err)
	}
	if n := b.requests.Load() - before; n != 1 {
		t.Errorf("%d confirm requests, want 1", n)
	}
}
