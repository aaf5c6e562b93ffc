package server

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// mailer owns the outbox. Requests write mail into the outbox table inside
// their own transaction (so a mail exists exactly when the state it reports
// was committed); one worker goroutine delivers it over SMTP, at least once,
// retrying with exponential backoff, and erases the body once delivered.
// The HTTP answer never waits for SMTP.
//
// The worker claims each mail before sending it (Config.MailClaim), so the
// workers of several instances on one PostgreSQL database send each mail
// once, and a claim left by a killed instance runs out and is taken over.
//
// In dev mode mail goes straight into the dev_mailbox table, in the same
// transaction, and to the log.
type mailer struct {
	db   *db
	cfg  Config
	log  *slog.Logger
	from string
	send func(ctx context.Context, m outboxMail) error

	wake chan struct{}

	stopOnce   sync.Once
	loopCtx    context.Context // canceled by stop: take no new mail
	stopLoop   context.CancelFunc
	sendCtx    context.Context // canceled a grace period after stop
	cancelSend context.CancelFunc
	done       chan struct{}
}

// outboxMail is one queued message.
type outboxMail struct {
	ID        int64
	MessageID string
	To        string
	Subject   string
	Body      string
	Attempts  int
}

// stopGrace is how long a delivery in progress may finish after stop.
const stopGrace = 5 * time.Second

func newMailer(db *db, cfg Config, log *slog.Logger) *mailer {
	m := &mailer{db: db, cfg: cfg, log: log, wake: make(chan struct{}, 1), done: make(chan struct{})}
	m.loopCtx, m.stopLoop = context.WithCancel(context.Background())
	m.sendCtx, m.cancelSend = context.WithCancel(context.Background())
	m.from = cfg.SMTP.From // Open defaults it to no-reply@<public URL host>
	m.send = m.smtpSend
	return m
}

// enqueue queues a mail inside tx: into the outbox, or with Dev into the
// dev mailbox. Call queued after tx commits.
func (m *mailer) enqueue(ctx context.Context, tx *dbTx, to, subject, body string, now time.Time) (outboxMail, error) {
	om := outboxMail{To: to, Subject: subject, Body: body}
	if m.cfg.Dev {
		_, err := tx.ExecContext(ctx, `INSERT INTO dev_mailbox(to_addr, subject, body, sent_at) VALUES (?, ?, ?, ?)`,
			to, subject, body, millis(now))
		return om, err
	}
	id := make([]byte, 12)
	if _, err := rand.Read(id); err != nil {
		return om, err
	}
	om.MessageID = hex.EncodeToString(id) + "@salesplus"
	// next_attempt_at 0: due at once. The worker schedules retries on the
	// wall clock, independent of Config.Clock.
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox(message_id, to_addr, subject, body, created_at, attempts, next_attempt_at)
		VALUES (?, ?, ?, ?, ?, 0, 0)`, om.MessageID, to, subject, body, millis(now))
	return om, err
}

// queued is called after the transaction that queued om committed: it wakes
// the worker, or in dev mode prints the mail.
func (m *mailer) queued(ctx context.Context, om outboxMail) {
	if m.cfg.Dev {
		// Dev mode only: the point of the dev mailbox is to read the code
		// without a mail server, so the body (with the code) is logged.
		m.log.InfoContext(ctx, "mail for "+om.To+": "+om.Subject, "dev", true, "body", om.Body)
		return
	}
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

func (m *mailer) start() {
	if m.cfg.Dev {
		close(m.done)
		return
	}
	go m.run()
}

// stop makes the worker take no new mail, lets a delivery in progress
// finish for up to stopGrace, and waits for it.
func (m *mailer) stop() {
	m.stopOnce.Do(func() {
		m.stopLoop()
		t := time.AfterFunc(stopGrace, m.cancelSend)
		<-m.done
		t.Stop()
		m.cancelSend()
	})
}

func (m *mailer) run() {
	defer close(m.done)
	for {
		next, err := m.deliverDue()
		if err != nil && m.loopCtx.Err() == nil {
			m.log.Error("outbox", "err", err)
			next = time.Now().Add(m.cfg.MailRetryMin)
		}
		if m.loopCtx.Err() != nil {
			return
		}
		wait := time.Hour
		if !next.IsZero() {
			wait = max(time.Until(next), 0)
		}
		if m.db.postgres {
			// Mail another instance queued wakes only that instance's
			// worker; if it died before sending, this one finds it here.
			wait = min(wait, m.poll())
		}
		timer := time.NewTimer(wait)
		select {
		case <-m.loopCtx.Done():
			timer.Stop()
			return
		case <-m.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// poll is how often a worker on a shared database looks for mail that no
// wake-up announced: queued by an instance that died, or whose claim ran out.
func (m *mailer) poll() time.Duration {
	return min(5*time.Second, m.cfg.MailClaim)
}

// deliverDue sends every mail that is due and returns when the next one will
// be (zero if none is waiting).
func (m *mailer) deliverDue() (time.Time, error) {
	for m.loopCtx.Err() == nil {
		om, ok, err := m.claim()
		if err != nil {
			return time.Time{}, err
		}
		if !ok {
			break
		}
		if err := m.deliver(om); err != nil {
			return time.Time{}, err
		}
	}
	var next sql.NullInt64
	if err := m.db.QueryRowContext(m.sendCtx, `SELECT min(CASE WHEN claimed_until > next_attempt_at THEN claimed_until ELSE next_attempt_at END)
		FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL`).Scan(&next); err != nil {
		return time.Time{}, err
	}
	if !next.Valid {
		return time.Time{}, nil
	}
	return time.UnixMilli(next.Int64), nil
}

// claim takes the oldest due mail that no live claim holds and claims it for
// Config.MailClaim. On PostgreSQL, SKIP LOCKED lets concurrent workers each
// take a different mail instead of queueing on the same row.
func (m *mailer) claim() (outboxMail, bool, error) {
	done, err := m.db.write(m.sendCtx)
	if err != nil {
		return outboxMail{}, false, err
	}
	defer done()
	now := time.Now()
	var om outboxMail
	err = m.db.QueryRowContext(m.sendCtx, `UPDATE outbox SET claimed_until = ? WHERE id = (
			SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? AND claimed_until <= ?
			ORDER BY id LIMIT 1`+m.db.skipLocked()+`)
		RETURNING id, message_id, to_addr, subject, body, attempts`,
		now.Add(m.cfg.MailClaim).UnixMilli(), now.UnixMilli(), now.UnixMilli()).
		Scan(&om.ID, &om.MessageID, &om.To, &om.Subject, &om.Body, &om.Attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return outboxMail{}, false, nil
	}
	return om, err == nil, err
}

// deliver sends one mail and records the outcome. A delivery error is not
// returned: it schedules a retry. Only database errors are returned.
func (m *mailer) deliver(om outboxMail) error {
	sendErr := m.send(m.sendCtx, om)
	done, _ := m.db.write(context.WithoutCancel(m.sendCtx)) // cannot fail: no cancel
	defer done()
	if sendErr == nil {
		_, err := m.db.ExecContext(context.WithoutCancel(m.sendCtx), `UPDATE outbox SET sent_at = ?, body = '', last_error = NULL, claimed_until = 0 WHERE id = ?`,
			time.Now().UnixMilli(), om.ID)
		m.log.Info("mail delivered", "outbox_id", om.ID, "attempts", om.Attempts+1)
		return err
	}
	if m.sendCtx.Err() != nil {
		// Shutting down: it stays queued, and its claim is let go so the
		// next start or another instance sends it without waiting.
		m.db.ExecContext(context.WithoutCancel(m.sendCtx), `UPDATE outbox SET claimed_until = 0 WHERE id = ?`, om.ID)
		return nil
	}
	var se *gomail.SendError
	if errors.As(sendErr, &se) && se.ErrorCode() >= 500 {
		// The relay refused this mail for good (e.g. no such mailbox):
		// retrying cannot help, and it must not block the queue.
		m.log.Error("mail refused permanently by the relay", "outbox_id", om.ID, "smtp_code", se.ErrorCode(), "err", sendErr)
		_, err := m.db.ExecContext(m.sendCtx, `UPDATE outbox SET attempts = attempts + 1, failed_at = ?, last_error = ?, claimed_until = 0 WHERE id = ?`,
			time.Now().UnixMilli(), truncate(sendErr.Error(), 500), om.ID)
		return err
	}
	backoff := m.backoff(om.Attempts + 1)
	m.log.Warn("mail delivery failed; will retry", "outbox_id", om.ID, "attempts", om.Attempts+1, "retry_in", backoff.String(), "err", sendErr)
	_, err := m.db.ExecContext(m.sendCtx, `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, claimed_until = 0 WHERE id = ?`,
		time.Now().Add(backoff).UnixMilli(), truncate(sendErr.Error(), 500), om.ID)
	if m.sendCtx.Err() != nil {
		return nil
	}
	return err
}

// backoff doubles from MailRetryMin up to MailRetryMax.
func (m *mailer) backoff(attempts int) time.Duration {
	d := m.cfg.MailRetryMin
	for i := 1; i < attempts && d < m.cfg.MailRetryMax; i++ {
		d *= 2
	}
	return min(d, m.cfg.MailRetryMax)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// smtpSend delivers one mail through the configured relay.
func (m *mailer) smtpSend(ctx context.Context, om outboxMail) error {
	msg := gomail.NewMsg()
	if err := msg.From(m.from); err != nil {
		return fmt.Errorf("sender %q: %w", m.from, err)
	}
	if err := msg.To(om.To); err != nil {
		return fmt.Errorf("recipient: %w", err)
	}
	msg.Subject(om.Subject)
	// A stable Message-ID lets the receiving side drop the duplicate that
	// at-least-once delivery may produce after a crash.
	msg.SetMessageIDWithValue(om.MessageID)
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, om.Body)

	c, err := gomail.NewClient(m.cfg.SMTP.Host, smtpOptions(m.cfg.SMTP)...)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, msg)
}

func smtpOptions(c SMTPConfig) []gomail.Option {
	opts := []gomail.Option{gomail.WithTimeout(15 * time.Second)}
	port := c.Port
	switch strings.ToLower(c.TLS) {
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
		if port == 0 {
			port = 25
		}
	case "implicit":
		opts = append(opts, gomail.WithSSL())
		if port == 0 {
			port = 465
		}
	case "opportunistic":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if port == 0 {
		port = 587
	}
	opts = append(opts, gomail.WithPort(port))
	if c.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(c.Username), gomail.WithPassword(c.Password))
	}
	return opts
}
