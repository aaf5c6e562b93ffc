package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// fakeClock is the controllable clock tests pass as Config.Clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// receivedMail is one message the SMTP sink accepted.
type receivedMail struct {
	From, To, Subject, Body, MessageID string
}

// smtpSink is a real SMTP server (github.com/emersion/go-smtp) on
// 127.0.0.1 that keeps what it receives. It can be stopped and started
// again on the same port to play an SMTP outage.
type smtpSink struct {
	t    testing.TB
	mu   sync.Mutex
	got  []receivedMail
	addr string
	srv  *smtp.Server
	more chan struct{} // closed and replaced on every new mail
	// reject, when set, refuses recipients for which it returns true with
	// 550 (a permanent failure).
	reject func(rcpt string) bool
}

func newSMTPSink(t testing.TB) *smtpSink {
	s := &smtpSink{t: t, more: make(chan struct{})}
	s.start("127.0.0.1:0")
	t.Cleanup(s.stop)
	return s
}

// reservedSMTPSink returns a sink that is not listening yet, on a port that
// was free a moment ago: mail sent to it fails until start.
func reservedSMTPSink(t testing.TB) *smtpSink {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	s := &smtpSink{t: t, addr: addr, more: make(chan struct{})}
	t.Cleanup(s.stop)
	return s
}

func (s *smtpSink) start(addr string) {
	if addr == "" {
		addr = s.addr
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		s.t.Fatalf("smtp sink: %v", err)
	}
	srv := smtp.NewServer(smtpBackend{s})
	srv.Domain = "sink.test"
	srv.ErrorLog = log.New(io.Discard, "", 0) // a killed client's reset connection is expected
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	s.mu.Lock()
	s.addr = l.Addr().String()
	s.srv = srv
	s.mu.Unlock()
	go srv.Serve(l)
}

func (s *smtpSink) stop() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

func (s *smtpSink) hostPort() (string, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	host, port, _ := net.SplitHostPort(s.addr)
	p := 0
	for _, c := range port {
		p = p*10 + int(c-'0')
	}
	return host, p
}

func (s *smtpSink) config() SMTPConfig {
	host, port := s.hostPort()
	return SMTPConfig{Host: host, Port: port, From: "Sales Plus <no-reply@salesplus.test>", TLS: "none"}
}

func (s *smtpSink) mails() []receivedMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]receivedMail(nil), s.got...)
}

// waitFor waits until a mail matching match has arrived and returns it.
func (s *smtpSink) waitFor(timeout time.Duration, match func(receivedMail) bool) (receivedMail, bool) {
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		for _, m := range s.got {
			if match(m) {
				s.mu.Unlock()
				return m, true
			}
		}
		more := s.more
		s.mu.Unlock()
		select {
		case <-more:
		case <-deadline:
			return receivedMail{}, false
		}
	}
}

func (s *smtpSink) add(m receivedMail) {
	s.mu.Lock()
	s.got = append(s.got, m)
	close(s.more)
	s.more = make(chan struct{})
	s.mu.Unlock()
}

type smtpBackend struct{ sink *smtpSink }

func (b smtpBackend) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &smtpSession{sink: b.sink}, nil
}

type smtpSession struct {
	sink     *smtpSink
	from, to string
}

func (s *smtpSession) Reset()                                      {}
func (s *smtpSession) Logout() error                               { return nil }
func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }
func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.sink.mu.Lock()
	reject := s.sink.reject
	s.sink.mu.Unlock()
	if reject != nil && reject(to) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
	}
	s.to = to
	return nil
}
func (s *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	var body io.Reader = msg.Body
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(msg.Body)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	s.sink.add(receivedMail{From: s.from, To: s.to, Subject: subject, Body: string(text), MessageID: msg.Header.Get("Message-Id")})
	return nil
}

var codeInMail = regexp.MustCompile(`(?m)^\s+([0-9]{6})\s*$`)

// codeFrom extracts the 6-digit code from a reset mail body.
func codeFrom(t testing.TB, body string) string {
	t.Helper()
	m := codeInMail.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no code in mail:\n%s", body)
	}
	return m[1]
}

// env is a server under test with its parts.
type env struct {
	t     testing.TB
	srv   *Server
	ts    *httptest.Server
	clock *fakeClock
	sink  *smtpSink
	cfg   Config
	logs  *syncBuffer
}

// newEnv opens a seeded server on a fresh database in t.TempDir, mailing to
// a real SMTP sink, with a fake clock, served over httptest. adjust may
// change the config first.
func newEnv(t testing.TB, adjust ...func(*Config)) *env {
	t.Helper()
	e := &env{t: t, clock: newFakeClock(), logs: &syncBuffer{}}
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
		e.sink = newSMTPSink(t)
		e.cfg.SMTP = e.sink.config()
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
	if len(raw) > 0 && (strings.Contains(res.Header.Get("Content-Type"), "json")) {
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

// requestCode asks for a code and reads it from the mail the sink receives.
func (e *env) requestCode(username string) string {
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
		return codeFrom(e.t, mails[len(mails)-1].Body)
	}
	var got receivedMail
	ok := false
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := e.codeMails(username); len(m) > before {
			got, ok = m[len(m)-1], true
			break
		}
		e.sink.waitFor(100*time.Millisecond, func(receivedMail) bool { return false })
	}
	if !ok {
		e.t.Fatalf("no code mail for %s", username)
	}
	return codeFrom(e.t, got.Body)
}

func (e *env) codeMails(to string) []receivedMail {
	var out []receivedMail
	for _, m := range e.sink.mails() {
		if m.To == to && strings.Contains(m.Subject, "reset code") {
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

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
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
