package smtptest

import (
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

const qpMail = "From: a@example.com\r\n" +
	"To: rep@example.com\r\n" +
	"Subject: =?UTF-8?Q?Your_code_=E2=80=93_Sales_Plus?=\r\n" +
	"Message-Id: <1@salesplus>\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/alternative; boundary=b\r\n" +
	"\r\n" +
	"--b\r\n" +
	"Content-Type: text/plain; charset=UTF-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"Your code:\r\n" +
	"\r\n" +
	"        123456\r\n" +
	"\r\n" +
	"https://sales.example.com/reset#code=3D123456&a-very-long-line-that-is-=\r\n" +
	"wrapped\r\n" +
	"--b\r\n" +
	"Content-Type: text/html\r\n" +
	"\r\n" +
	"<p>654321</p>\r\n" +
	"--b--\r\n"

// send mails qpMail in plain SMTP, as the server does with TLS "none".
func send(s *Sink, to string) error {
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.SendMail("no-reply@salesplus.test", []string{to}, strings.NewReader(qpMail)); err != nil {
		return err
	}
	return c.Quit()
}

func TestSinkDecodesWhatARepReads(t *testing.T) {
	s := Start(t)
	if err := send(s, "rep@example.com"); err != nil {
		t.Fatal(err)
	}
	m := s.Nth(t, 0)
	if m.Subject != "Your code – Sales Plus" || m.MessageID != "<1@salesplus>" || m.From != "no-reply@salesplus.test" {
		t.Errorf("header decoded as %+v", m)
	}
	if !m.For("rep@example.com") || m.For("other@example.com") {
		t.Errorf("recipients %v", m.To)
	}
	if !strings.Contains(m.Text, "reset#code=123456&a-very-long-line-that-is-wrapped") || strings.Contains(m.Text, "\r") {
		t.Errorf("text part not decoded:\n%q", m.Text)
	}
	if got := Code(t, m); got != "123456" {
		t.Errorf("Code = %q, want the one in the text part", got)
	}
}

func TestSinkRejectsAndPlaysAnOutage(t *testing.T) {
	s := Reserve(t)
	if err := send(s, "rep@example.com"); err == nil {
		t.Fatal("a reserved sink accepted mail before Listen")
	}
	s.Listen()
	port := s.Port()
	s.Reject(func(rcpt string) bool { return rcpt == "gone@example.com" })
	err := send(s, "gone@example.com")
	if se, ok := err.(*smtp.SMTPError); !ok || se.Code != 550 {
		t.Fatalf("rejected recipient: %v, want 550", err)
	}
	s.Stop()
	if err := send(s, "rep@example.com"); err == nil {
		t.Fatal("a stopped sink accepted mail")
	}
	s.Listen()
	if s.Port() != port {
		t.Fatalf("port %d after Listen, want %d", s.Port(), port)
	}
	if err := send(s, "rep@example.com"); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.WaitFor(10*time.Second, func(m Message) bool { return m.For("rep@example.com") }); !ok {
		t.Fatal("no mail after the outage")
	}
	if n := len(s.Messages()); n != 1 {
		t.Errorf("%d messages kept, want 1 (the refused one is not)", n)
	}
	if m := s.NextTo(t, 0, "rep@example.com"); !m.For("rep@example.com") {
		t.Errorf("NextTo returned %v", m.To)
	}
}
