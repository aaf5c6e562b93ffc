package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"salesplus/internal/pgtest"
	"salesplus/internal/runtest"
	"salesplus/internal/smtptest"
	"salesplus/internal/testclock"
)

// newFakeClock is the clock tests pass as Config.Clock.
func newFakeClock() *testclock.Clock {
	return testclock.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
}

// sinkConfig points the server's mailer at a test SMTP sink.
func sinkConfig(s *smtptest.Sink) SMTPConfig {
	return SMTPConfig{Host: s.Host(), Port: s.Port(), From: smtptest.From, TLS: "none"}
}

// env is a server under test with its parts.
type env struct {
	t     testing.TB
	srv   *Server
	ts    *httptest.Server
	clock *testclock.Clock
	sink  *smtptest.Sink
	cfg   Config
	logs  *runtest.LogBuffer
}

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// envMaker is newEnv's signature: a test given one by eachStore opens its
// servers on that store.
type envMaker func(t testing.TB, adjust ...func(*Config)) *env

// eachStore runs a test on both stores, as the subtests sqlite and
// postgres, so the two keep the same behaviour. The test's newEnv parameter
// stands in for the package's newEnv.
func eachStore(t *testing.T, test func(t *testing.T, newEnv envMaker)) {
	t.Run("sqlite", func(t *testing.T) { test(t, newEnv) })
	t.Run("postgres", func(t *testing.T) { test(t, newPostgresEnv) })
}

// newPostgresURL is a fresh PostgreSQL database on the test cluster.
func newPostgresURL(t testing.TB) string {
	t.Helper()
	return pgtest.URL(t)
}

// newPostgresEnv is newEnv on a fresh PostgreSQL database.
func newPostgresEnv(t testing.TB, adjust ...func(*Config)) *env {
	t.Helper()
	url := newPostgresURL(t)
	return newEnv(t, append([]func(*Config){func(c *Config) { c.DBPath = url }}, adjust...)...)
}

// newEnv opens a seeded server on a fresh database in t.TempDir, mailing to
// a real SMTP sink, with a fake clock, served over httptest. adjust may
// change the config first.
func newEnv(t testing.TB, adjust ...func(*Config)) *env {
	t.Helper()
	e := &env{t: t, clock: newFakeClock(), logs: &runtest.LogBuffer{}}
	e.cfg = Config{
		DBPath:       filepath.Join(t.TempDir(), "salesplus.db"),
		PublicURL:    "https://sales.example.com",
		Clock:        e.clock.Now,
		Logger:       slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		MailRetryMin: 50 * time.Millisecond,
		MailRetryMax: 200 * time.Millisecond,
	}
	for _, f := range adjust {
		f(&e.cfg)
	}
	if !e.cfg.Dev && e.cfg.SMTP.Host == "" {
		e.sink = smtptest.Start(t)
		e.cfg.SMTP = sinkConfig(e.sink)
	}
	e.open()
	if err := e.srv.Seed(context.Background()); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) open() {
	e.t.Helper()
	srv, err := Open(context.Background(), e.cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	e.srv = srv
	e.ts = httptest.NewServer(srv)
	e.t.Cleanup(func() {
		e.ts.Close()
		srv.Close()
	})
}

// sibling opens another instance on e's database, as a second machine
// behind a load balancer would: its own connection pool and listener, the
// same clock and SMTP sink.
func (e *env) sibling() *env {
	e.t.Helper()
	s := &env{t: e.t, clock: e.clock, sink: e.sink, cfg: e.cfg, logs: e.logs}
	s.open()
	return s
}

// restart closes the server and opens a new one on the same database.
func (e *env) restart() {
	e.t.Helper()
	e.ts.Close()
	if err := e.srv.Close(); err != nil {
		e.t.Fatal(err)
	}
	e.open()
}

// response is a decoded answer.
type response struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    []byte
}

func (r response) code() string {
	c, _ := r.Body["code"].(string)
	return c
}

// call sends a JSON body (a string is sent as is) with optional headers
// given as "Name: value" strings.
func (e *env) call(method, path string, body any, headers ...string) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.ts.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	if host := req.Header.Get("Host"); host != "" {
		req.Host = host
	}
	res, err := e.ts.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := response{Status: res.StatusCode, Header: res.Header, Raw: raw}
	if len(raw) > 0 && strings.Contains(res.Header.Get("Content-Type"), "json") {
		var m map[string]any
		if json.Unmarshal(raw, &m) == nil {
			out.Body = m
		}
	}
	return out
}

func (e *env) lookup(username string) response {
	return e.call("POST", "/api/v1/password-reset/lookup", map[string]string{"username": username})
}

func (e *env) request(username string, headers ...string) response {
	return e.call("POST", "/api/v1/password-reset/request", map[string]string{"username": username}, headers...)
}

func (e *env) confirm(username, code, password string) response {
	return e.call("POST", "/api/v1/password-reset/confirm", map[string]string{"username": username, "code": code, "newPassword": password})
}

func (e *env) login(username, password string) response {
	return e.call("POST", "/api/v1/sessions", map[string]string{"username": username, "password": password, "deviceName": "test"})
}

// twoCodes asks for a code for username, and for another once the resend
// cooldown is over. It skips the test in the rare case the two random codes
// are the same, which would make "the older code is dead" untestable.
func (e *env) twoCodes(username string) (first, second string) {
	e.t.Helper()
	first = e.requestCode(username)
	e.clock.Advance(61 * time.Second)
	second = e.requestCode(username)
	if first == second {
		e.t.Skip("the two random codes collided (1 in a million)")
	}
	return first, second
}

// requestCode asks for a code and reads it from the mail the sink receives.
func (e *env) requestCode(username string) string {
	e.t.Helper()
	return smtptest.Code(e.t, e.requestMail(username))
}

// requestLink asks for a code and returns it with the token of the mail's link.
func (e *env) requestLink(username string) (code, token string) {
	e.t.Helper()
	m := e.requestMail(username)
	return smtptest.Code(e.t, m), smtptest.LinkToken(e.t, m)
}

// confirmLink confirms with the mail link's token beside the code.
func (e *env) confirmLink(username, code, token, password string, headers ...string) response {
	return e.call("POST", "/api/v1/password-reset/confirm",
		map[string]string{"username": username, "code": code, "linkToken": token, "newPassword": password}, headers...)
}

// loginFrom logs in as if from client address addr (the env must trust the
// proxy header).
func (e *env) loginFrom(addr, username, password string) response {
	return e.call("POST", "/api/v1/sessions", map[string]string{"username": username, "password": password, "deviceName": "test"},
		"X-Forwarded-For: "+addr)
}

// requestMail asks for a code and returns the mail that carries it.
func (e *env) requestMail(username string) smtptest.Message {
	e.t.Helper()
	before := 0
	if !e.cfg.Dev {
		before = len(e.codeMails(username))
	}
	if r := e.request(username); r.Status != http.StatusAccepted {
		e.t.Fatalf("request %s: %d %s", username, r.Status, r.Raw)
	}
	if e.cfg.Dev {
		mails, err := e.srv.Mailbox(context.Background())
		if err != nil {
			e.t.Fatal(err)
		}
		return smtptest.Message{Subject: mails[len(mails)-1].Subject, Text: mails[len(mails)-1].Body}
	}
	var got smtptest.Message
	ok := false
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := e.codeMails(username); len(m) > before {
			got, ok = m[len(m)-1], true
			break
		}
		// A short wait that ends early when any mail arrives.
		e.sink.WaitFor(100*time.Millisecond, func(smtptest.Message) bool { return false })
	}
	if !ok {
		e.t.Fatalf("no code mail for %s", username)
	}
	return got
}

func (e *env) codeMails(to string) []smtptest.Message {
	var out []smtptest.Message
	for _, m := range e.sink.Messages() {
		if m.For(to) && strings.Contains(m.Subject, "reset code") {
			out = append(out, m)
		}
	}
	return out
}

// count returns a single integer from the database.
func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.srv.db.QueryRow(query, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// waitMailIdle blocks until no mail is waiting in the outbox, or ctx ends.
func (s *Server) waitMailIdle(ctx context.Context) error {
	for {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL`).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.Join(ctx.Err(), fmt.Errorf("%d mails still queued", n))
		case <-time.After(20 * time.Millisecond):
		}
	}
}
