// Package smtptest is a real SMTP server for tests: a go-smtp listener on
// loopback that keeps every message it is sent, decoded, so a test can read
// the reset code or link the way a person reads the mail. It can be stopped
// and started again on the same port to play an SMTP outage.
//
// Only _test.go files import it; it holds no Sales Plus logic, so server,
// client and app tests can all use it without an import cycle.
package smtptest

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"salesplus/internal/runtest"
)

// From is the sender address tests configure the server with.
const From = "Sales Plus <no-reply@salesplus.test>"

// Message is one message the sink accepted.
type Message struct {
	From      string   // the envelope sender
	To        []string // the envelope recipients
	Subject   string   // decoded
	Text      string   // the text/plain body, transfer encoding undone, "\n" line ends
	MessageID string
}

// For reports whether addr is one of the message's envelope recipients.
func (m Message) For(addr string) bool { return slices.Contains(m.To, addr) }

// Sink is the SMTP server and what it has received.
type Sink struct {
	t    testing.TB
	mu   sync.Mutex
	addr string
	srv  *smtp.Server
	got  []Message
	errs []error       // messages that could not be decoded
	more chan struct{} // closed and replaced on every new message
	// reject, when set, refuses recipients for which it returns true.
	reject func(rcpt string) bool
}

// Start runs a sink on a free loopback port until the test ends. The test
// fails at its end if any message could not be decoded.
func Start(t testing.TB) *Sink {
	t.Helper()
	s := newSink(t, "")
	s.Listen()
	return s
}

// Reserve returns a sink that is not listening yet, on a port that was free
// a moment ago: mail sent to it fails until Listen.
func Reserve(t testing.TB) *Sink {
	t.Helper()
	return newSink(t, runtest.FreeAddr(t))
}

func newSink(t testing.TB, addr string) *Sink {
	s := &Sink{t: t, addr: addr, more: make(chan struct{})}
	t.Cleanup(func() {
		s.Stop()
		s.mu.Lock()
		defer s.mu.Unlock()
		if len(s.errs) > 0 {
			t.Errorf("SMTP sink could not read a message: %v", errors.Join(s.errs...))
		}
	})
	return s
}

// Listen starts serving, on the sink's port if it has had one (the old
// socket may linger a moment after Stop; runtest.Listen waits for it).
func (s *Sink) Listen() {
	s.t.Helper()
	s.mu.Lock()
	addr := s.addr
	s.mu.Unlock()
	l, err := runtest.Listen(addr)
	if err != nil {
		s.t.Fatalf("smtp sink: %v", err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{sink: s}, nil
	}))
	srv.Domain = "sink.test"
	srv.ErrorLog = log.New(io.Discard, "", 0) // a killed client's reset connection is expected
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = 1 << 20
	s.mu.Lock()
	s.addr = l.Addr().String()
	s.srv = srv
	s.mu.Unlock()
	go func() { _ = srv.Serve(l) }()
}

// Stop closes the listener and its connections; Listen starts it again.
func (s *Sink) Stop() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
	}
}

// Addr is the sink's host:port.
func (s *Sink) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Host is the sink's IP address.
func (s *Sink) Host() string {
	host, _, _ := net.SplitHostPort(s.Addr())
	return host
}

// Port is the sink's TCP port.
func (s *Sink) Port() int {
	_, port, _ := net.SplitHostPort(s.Addr())
	p, _ := strconv.Atoi(port)
	return p
}

// Reject makes the sink refuse, with a permanent 550, the recipients for
// which f returns true (nil accepts all again).
func (s *Sink) Reject(f func(rcpt string) bool) {
	s.mu.Lock()
	s.reject = f
	s.mu.Unlock()
}

// Messages returns a copy of what has arrived so far, in arrival order.
func (s *Sink) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.got...)
}

// WaitFor waits up to timeout for a message matching match and returns the
// first one; false if none came. It is safe to call from any goroutine.
func (s *Sink) WaitFor(timeout time.Duration, match func(Message) bool) (Message, bool) {
	return s.waitFor(timeout, func(_ int, m Message) bool { return match(m) })
}

// waitFor is WaitFor with each message's place in arrival order.
func (s *Sink) waitFor(timeout time.Duration, match func(i int, m Message) bool) (Message, bool) {
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		for i, m := range s.got {
			if match(i, m) {
				s.mu.Unlock()
				return m, true
			}
		}
		more := s.more
		s.mu.Unlock()
		select {
		case <-more:
		case <-deadline:
			return Message{}, false
		}
	}
}

// Nth waits for the n-th message (0-based, in arrival order) and returns
// it; the deadline only stops a broken test. It fails the test at once if a
// message could not be decoded.
func (s *Sink) Nth(t testing.TB, n int) Message {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		s.mu.Lock()
		if len(s.errs) > 0 {
			errs := errors.Join(s.errs...)
			s.mu.Unlock()
			t.Fatalf("SMTP sink could not read a message: %v", errs)
		}
		if len(s.got) > n {
			m := s.got[n]
			s.mu.Unlock()
			return m
		}
		have, more := len(s.got), s.more
		s.mu.Unlock()
		select {
		case <-more:
		case <-deadline:
			t.Fatalf("mail #%d did not arrive (have %d)", n, have)
		}
	}
}

// NextTo waits for the first message to addr after the first after
// messages (after is len(Messages()) taken before the action that mails);
// the deadline only stops a broken test.
func (s *Sink) NextTo(t testing.TB, after int, addr string) Message {
	t.Helper()
	m, ok := s.waitFor(20*time.Second, func(i int, m Message) bool { return i >= after && m.For(addr) })
	if !ok {
		t.Fatalf("no mail to %s", addr)
	}
	return m
}

func (s *Sink) add(m Message) {
	s.mu.Lock()
	s.got = append(s.got, m)
	close(s.more)
	s.more = make(chan struct{})
	s.mu.Unlock()
}

func (s *Sink) fail(err error) {
	s.mu.Lock()
	s.errs = append(s.errs, err)
	s.mu.Unlock()
}

var codeLine = regexp.MustCompile(`(?m)^\s+([0-9]{6})\s*$`)

// Code reads the 6-digit code from a reset mail, as a rep would: the code
// stands indented on a line of its own.
func Code(t testing.TB, m Message) string {
	t.Helper()
	return find(t, m, codeLine, "code")
}

// linkTokenParam is the link token in the reset link's fragment.
var linkTokenParam = regexp.MustCompile(`[#&]token=([A-Za-z0-9_-]{43})(?:&|\s)`)

// LinkToken returns the token of the reset link in m, failing t if there
// is none.
func LinkToken(t testing.TB, m Message) string {
	t.Helper()
	return find(t, m, linkTokenParam, "link token")
}

// find returns the first group of re in m's text, failing t if there is none.
func find(t testing.TB, m Message, re *regexp.Regexp, what string) string {
	t.Helper()
	got := re.FindStringSubmatch(m.Text)
	if got == nil {
		t.Fatalf("no %s in the mail %q:\n%s", what, m.Subject, m.Text)
	}
	return got[1]
}

// WrongCode returns a well-formed code that is not code, for tests that
// need a wrong try.
func WrongCode(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

type session struct {
	sink *Sink
	from string
	to   []string
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.sink.mu.Lock()
	reject := s.sink.reject
	s.sink.mu.Unlock()
	if reject != nil && reject(to) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := decode(raw)
	if err != nil {
		s.sink.fail(err)
		return err
	}
	m.From, m.To = s.from, append([]string(nil), s.to...)
	s.sink.add(m)
	return nil
}

// decode reads the subject, Message-ID and text/plain body of a message.
func decode(raw []byte) (Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return Message{}, err
	}
	text, err := textPart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	return Message{Subject: subject, Text: text, MessageID: msg.Header.Get("Message-Id")}, err
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
