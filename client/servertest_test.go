package client

// The real backend for the client's tests: server.Server over httptest, a
// fresh SQLite file per test, a clock the test moves, and a real SMTP
// listener (go-smtp) that keeps every message the outbox delivers.

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"salesplus/server"
)

// testClock is the server's Config.Clock, moved by the test.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// receivedMail is one message the SMTP listener accepted, decoded.
type receivedMail struct {
	From    string
	To      []string
	Subject string
	Text    string // the text/plain body, transfer encoding undone
}

// smtpSink is a real SMTP server on a loopback port that keeps what it is
// sent.
type smtpSink struct {
	addr *net.TCPAddr
	mu   sync.Mutex
	mail []receivedMail
	errs []error
}

func startSMTP(t *testing.T) *smtpSink {
	t.Helper()
	sink := &smtpSink{}
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &smtpSession{sink: sink}, nil
	}))
	s.Domain = "localhost"
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	s.MaxMessageBytes = 1 << 20
	s.ErrorLog = log.New(io.Discard, "", 0)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sink.addr = l.Addr().(*net.TCPAddr)
	go func() { _ = s.Serve(l) }()
	t.Cleanup(func() { _ = s.Close() })
	return sink
}

type smtpSession struct {
	sink *smtpSink
	from string
	to   []string
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }
func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *smtpSession) Reset()        { s.from, s.to = "", nil }
func (s *smtpSession) Logout() error { return nil }

func (s *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := decodeMail(raw)
	s.sink.mu.Lock()
	defer s.sink.mu.Unlock()
	if err != nil {
		s.sink.errs = append(s.sink.errs, err)
		return err
	}
	m.From, m.To = s.from, append([]string(nil), s.to...)
	s.sink.mail = append(s.sink.mail, m)
	return nil
}

// decodeMail reads the subject and the text/plain body of a message.
func decodeMail(raw []byte) (receivedMail, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return receivedMail{}, err
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return receivedMail{}, err
	}
	text, err := textPart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	return receivedMail{Subject: subject, Text: text}, err
}

func textPart(contentType, encoding string, body io.Reader) (string, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = "text/plain"
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				return "", err // io.EOF: no text part
			}
			// multipart undoes quoted-printable itself and hides the header.
			text, err := textPart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p)
			if err == nil && text != "" {
				return text, nil
			}
		}
	}
	if mt != "text/plain" {
		return "", nil
	}
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	return strings.ReplaceAll(string(b), "\r\n", "\n"), err
}

// messages returns a copy of what has arrived so far.
func (s *smtpSink) messages() []receivedMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]receivedMail(nil), s.mail...)
}

// waitMail waits for the n-th message (0-based, in arrival order) and
// returns it; the outbox delivers in queue order.
func (s *smtpSink) waitMail(t *testing.T, n int) receivedMail {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s.mu.Lock()
		if len(s.errs) > 0 {
			s.mu.Unlock()
			t.Fatalf("SMTP listener could not read a message: %v", s.errs)
		}
		if len(s.mail) > n {
			m := s.mail[n]
			s.mu.Unlock()
			return m
		}
		s.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatalf("mail #%d did not arrive (have %d)", n, len(s.messages()))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

var mailCode = regexp.MustCompile(`(?m)^\s+(\d{6})\s*$`)

// resetCode reads the 6-digit code from a reset mail, as a rep would.
func resetCode(t *testing.T, m receivedMail) string {
	t.Helper()
	got := mailCode.FindStringSubmatch(m.Text)
	if got == nil {
		t.Fatalf("no code in the mail %q:\n%s", m.Subject, m.Text)
	}
	return got[1]
}

// backend is a running real server.
type backend struct {
	URL      string
	Server   *server.Server
	Clock    *testClock
	SMTP     *smtpSink
	requests atomic.Int32 // requests that reached the server
	// dropNext, when set, makes the server handle the next request that
	// matches it and then drop the connection instead of answering: the
	// "answer lost on the way" case.
	dropNext atomic.Pointer[func(*http.Request) bool]
}

// startBackend runs a real server with a fresh database and SMTP listener.
// limits overrides the server's abuse limits; the per-address limit is off
// unless set, since every test request comes from 127.0.0.1.
func startBackend(t *testing.T, limits server.Limits) *backend {
	t.Helper()
	if limits.AddressRequests == 0 {
		limits.AddressRequests = -1
	}
	b := &backend{
		Clock: &testClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)},
		SMTP:  startSMTP(t),
	}
	// The listener exists before Start, so the server can be opened with its
	// public URL and be in place before the first request.
	ts := httptest.NewUnstartedServer(http.HandlerFunc(b.serveHTTP))
	b.URL = "http://" + ts.Listener.Addr().String()
	srv, err := server.Open(context.Background(), server.Config{
		PublicURL: b.URL,
		DBPath:    filepath.Join(t.TempDir(), "salesplus.db"),
		SMTP: server.SMTPConfig{
			Host: "127.0.0.1", Port: b.SMTP.addr.Port, TLS: "none",
			From: "Sales Plus <no-reply@salesplus.test>",
		},
		Clock:        b.Clock.Now,
		Limits:       limits,
		MailRetryMin: 10 * time.Millisecond,
		MailRetryMax: 100 * time.Millisecond,
	})
	if err != nil {
		ts.Close()
		t.Fatalf("server.Open: %v", err)
	}
	b.Server = srv
	ts.Start()
	t.Cleanup(func() {
		ts.Close()
		if err := srv.Close(); err != nil {
			t.Errorf("server.Close: %v", err)
		}
	})
	if err := srv.Seed(context.Background()); err != nil {
		t.Fatalf("Seed: %v", err)
	}
	return b
}

func (b *backend) serveHTTP(w http.ResponseWriter, r *http.Request) {
	b.requests.Add(1)
	if drop := b.dropNext.Load(); drop != nil && (*drop)(r) && b.dropNext.CompareAndSwap(drop, nil) {
		b.Server.ServeHTTP(httptest.NewRecorder(), r) // the server does the work...
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = conn.Close() // ...and the answer never arrives
		}
		return
	}
	b.Server.ServeHTTP(w, r)
}

// client returns a client for the backend with fast retry pacing.
func (b *backend) client(t *testing.T, opts ...Option) *Client {
	t.Helper()
	return newFastClient(t, b.URL, opts...)
}
