// Package servertest opens the real Sales Plus backend for the client's and
// the app's tests: server.Server on a fresh SQLite file in t.TempDir(),
// seeded with the demo accounts, mailing a real SMTP sink, on a clock the
// test moves. How it is served (httptest, a port that goes down, a handler
// that drops answers) stays with each test, since that is what differs.
//
// Only _test.go files import it. server's own tests cannot (they are in
// package server, and this package imports server).
package servertest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"salesplus/internal/smtptest"
	"salesplus/internal/testclock"
	"salesplus/server"
)

// Options are what the tests choose; the zero value of a field means the
// default named on it.
type Options struct {
	PublicURL string    // the URL in the mails; default "http://127.0.0.1"
	Start     time.Time // where the clock starts; default 2026-03-02 09:00 UTC
	// Limits are the server's abuse limits. The per-address limit is off
	// unless set, since every test request comes from 127.0.0.1.
	Limits server.Limits
	// The outbox's retry pacing; default 10 ms growing to 100 ms, so a test
	// that plays an SMTP outage does not wait long.
	MailRetryMin, MailRetryMax time.Duration
}

// Backend is an open, seeded server and its parts.
type Backend struct {
	Server *server.Server
	SMTP   *smtptest.Sink
	Clock  *testclock.Clock
}

// Open opens and seeds the server; it is closed when the test ends (after
// the test's own later cleanups, such as closing an httptest server).
func Open(t testing.TB, o Options) *Backend {
	t.Helper()
	if o.PublicURL == "" {
		o.PublicURL = "http://127.0.0.1"
	}
	if o.Start.IsZero() {
		o.Start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	}
	if o.Limits.AddressRequests == 0 {
		o.Limits.AddressRequests = -1
	}
	if o.MailRetryMin == 0 {
		o.MailRetryMin = 10 * time.Millisecond
	}
	if o.MailRetryMax == 0 {
		o.MailRetryMax = 100 * time.Millisecond
	}
	b := &Backend{SMTP: smtptest.Start(t), Clock: testclock.New(o.Start)}
	srv, err := server.Open(context.Background(), server.Config{
		PublicURL: o.PublicURL,
		DBPath:    filepath.Join(t.TempDir(), "salesplus.db"),
		SMTP: server.SMTPConfig{
			Host: b.SMTP.Host(), Port: b.SMTP.Port(), TLS: "none", From: smtptest.From,
		},
		Clock:        b.Clock.Now,
		Limits:       o.Limits,
		MailRetryMin: o.MailRetryMin,
		MailRetryMax: o.MailRetryMax,
	})
	if err != nil {
		t.Fatalf("server.Open: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("server.Close: %v", err)
		}
	})
	if err := srv.Seed(context.Background()); err != nil {
		t.Fatalf("Seed: %v", err)
	}
	b.Server = srv
	return b
}
