package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"salesplus/internal/smtptest"
)

// SMTP is down: the request is still accepted at once, and the mail goes
// out when SMTP comes back.
func TestMailWaitsForSMTP(t *testing.T) { eachStore(t, testMailWaitsForSMTP) }

func testMailWaitsForSMTP(t *testing.T, newEnv envMaker) {
	sink := smtptest.Reserve(t)
	e := newEnv(t, func(c *Config) { c.SMTP = sinkConfig(sink) })

	if r := e.request(alex.Username); r.Status != http.StatusAccepted {
		t.Fatalf("request with SMTP down: %d %s", r.Status, r.Raw)
	}
	// Wait until the worker has failed at least twice (it is retrying).
	deadline := time.Now().Add(10 * time.Second)
	for e.count(`SELECT coalesce(max(attempts), 0) FROM outbox WHERE sent_at IS NULL`) < 2 {
		if time.Now().After(deadline) {
			t.Fatal("the worker did not retry")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(sink.Messages()) != 0 {
		t.Fatal("a mail arrived while SMTP was down")
	}

	sink.Listen()
	m, ok := sink.WaitFor(10*time.Second, func(m smtptest.Message) bool { return m.For(alex.Email) })
	if !ok {
		t.Fatal("the mail was not delivered after SMTP came back")
	}
	code := smtptest.Code(t, m)
	if r := e.confirm(alex.Username, code, newStrongPassword); r.Status != http.StatusNoContent {
		t.Fatalf("confirm with the late code: %d %s", r.Status, r.Raw)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.srv.waitMailIdle(ctx); err != nil {
		t.Fatal(err)
	}
	// Delivered mail is not kept: its body (with the code) is erased.
	if n := e.count(`SELECT count(*) FROM outbox WHERE body != ''`); n != 0 {
		t.Fatalf("%d delivered mails still hold their body", n)
	}
}

// Mail queued while SMTP is down survives a server restart.
func TestMailSurvivesRestart(t *testing.T) { eachStore(t, testMailSurvivesRestart) }

func testMailSurvivesRestart(t *testing.T, newEnv envMaker) {
	sink := smtptest.Reserve(t)
	e := newEnv(t, func(c *Config) { c.SMTP = sinkConfig(sink) })
	if r := e.request(alex.Username); r.Status != http.StatusAccepted {
		t.Fatalf("request: %d", r.Status)
	}
	e.restart()
	sink.Listen()
	m, ok := sink.WaitFor(10*time.Second, func(m smtptest.Message) bool { return m.For(alex.Email) })
	if !ok {
		t.Fatal("the queued mail was lost in the restart")
	}
	if !strings.HasPrefix(m.MessageID, "<") || !strings.HasSuffix(m.MessageID, "@salesplus>") {
		t.Errorf("Message-ID %q", m.MessageID)
	}
	if r := e.confirm(alex.Username, smtptest.Code(t, m), newStrongPassword); r.Status != http.StatusNoContent {
		t.Fatalf("confirm after restart: %d %s", r.Status, r.Raw)
	}
}

// Close stops the worker even while SMTP keeps failing.
func TestCloseStopsRetryingWorker(t *testing.T) { eachStore(t, testCloseStopsRetryingWorker) }

func testCloseStopsRetryingWorker(t *testing.T, newEnv envMaker) {
	sink := smtptest.Reserve(t)
	e := newEnv(t, func(c *Config) { c.SMTP = sinkConfig(sink) })
	e.request(alex.Username)
	done := make(chan error, 1)
	go func() { done <- e.srv.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close hangs")
	}
}

func TestBackoffDoublesToMax(t *testing.T) {
	m := &mailer{cfg: Config{MailRetryMin: time.Second, MailRetryMax: 10 * time.Second}}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}
	for i, w := range want {
		if got := m.backoff(i + 1); got != w {
			t.Errorf("attempt %d: %v, want %v", i+1, got, w)
		}
	}
}

// A spoofed Host or X-Forwarded-Host does not change the emailed link.
func TestResetLinkIgnoresHostHeaders(t *testing.T) { eachStore(t, testResetLinkIgnoresHostHeaders) }

func testResetLinkIgnoresHostHeaders(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	r := e.request(alex.Username, "Host: evil.example", "X-Forwarded-Host: evil.example", "X-Forwarded-Proto: http")
	if r.Status != http.StatusAccepted {
		t.Fatalf("request: %d %s", r.Status, r.Raw)
	}
	m, ok := e.sink.WaitFor(10*time.Second, func(m smtptest.Message) bool { return m.For(alex.Email) })
	if !ok {
		t.Fatal("no mail")
	}
	if strings.Contains(m.Text, "evil.example") || !strings.Contains(m.Text, "https://sales.example.com/reset#code=") {
		t.Fatalf("link follows the request headers:\n%s", m.Text)
	}
}

// A mail the relay refuses for good is marked failed, not retried forever,
// and does not hold up the mail behind it.
func TestPermanentlyRefusedMailDoesNotBlockQueue(t *testing.T) {
	eachStore(t, testPermanentlyRefusedMailDoesNotBlockQueue)
}

func testPermanentlyRefusedMailDoesNotBlockQueue(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	e.sink.Reject(func(rcpt string) bool { return rcpt == alex.Email })
	if r := e.request(alex.Username); r.Status != http.StatusAccepted {
		t.Fatal(r.Status)
	}
	if r := e.request(priya.Username); r.Status != http.StatusAccepted {
		t.Fatal(r.Status)
	}
	if _, ok := e.sink.WaitFor(10*time.Second, func(m smtptest.Message) bool { return m.For(priya.Email) }); !ok {
		t.Fatal("the mail behind a refused one was not delivered")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.srv.waitMailIdle(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM outbox WHERE to_addr = ? AND failed_at IS NOT NULL AND attempts = 1 AND last_error LIKE '%550%'`, alex.Email); n != 1 {
		t.Fatalf("refused mail not marked failed after one attempt (%d rows)", n)
	}
}

// Mail carries live reset codes, so by default it goes to the relay only
// over TLS: a relay that offers no STARTTLS (as if someone on the path
// stripped it) gets nothing, and the mail stays queued.
func TestSMTPRequiresTLSByDefault(t *testing.T) { eachStore(t, testSMTPRequiresTLSByDefault) }

func testSMTPRequiresTLSByDefault(t *testing.T, newEnv envMaker) {
	sink := smtptest.Start(t) // plain SMTP, no STARTTLS
	e := newEnv(t, func(c *Config) {
		c.SMTP = sinkConfig(sink)
		c.SMTP.TLS = ""
	})
	if r := e.request(alex.Username); r.Status != http.StatusAccepted {
		t.Fatalf("request: %d %s", r.Status, r.Raw)
	}
	deadline := time.Now().Add(10 * time.Second)
	for e.count(`SELECT count(*) FROM outbox WHERE attempts > 0 OR sent_at IS NOT NULL`) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the worker made no delivery attempt")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := len(sink.Messages()); n != 0 {
		t.Fatalf("%d mails went to a relay without TLS", n)
	}
	if n := e.count(`SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND last_error != ''`); n != 1 {
		t.Errorf("%d mails queued for a retry, want 1", n)
	}
}

// The mail gives the code's lifetime in the unit it is configured in: a
// lifetime under a minute is not "1 minute".
func TestCodeMailSaysLifetimeUnit(t *testing.T) { eachStore(t, testCodeMailSaysLifetimeUnit) }

func testCodeMailSaysLifetimeUnit(t *testing.T, newEnv envMaker) {
	for d, want := range map[time.Duration]string{
		45 * time.Second: "45 seconds", time.Second: "1 second", 90 * time.Second: "90 seconds",
		time.Minute: "1 minute", 15 * time.Minute: "15 minutes", 90 * time.Minute: "90 minutes",
		time.Hour: "1 hour", 24 * time.Hour: "24 hours", 1500 * time.Millisecond: "2 seconds",
	} {
		if got := lifetimeWords(d); got != want {
			t.Errorf("lifetimeWords(%v) = %q, want %q", d, got, want)
		}
	}
	e := newEnv(t, func(c *Config) { c.CodeLifetime = 45 * time.Second })
	m := e.requestMail(alex.Username)
	if !strings.Contains(m.Text, "It works once, for 45 seconds (until 09:00:45 UTC, 2 Mar 2026).") {
		t.Errorf("mail for a 45 s lifetime:\n%s", m.Text)
	}
}
