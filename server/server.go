// Package server is the Sales Plus reference backend: password reset by
// emailed code (lookup, request, confirm, and the web reset page the email
// links to), sessions, and the sync datasets the app's Sync Status screen
// shows. State lives in SQLite, or in PostgreSQL when several instances
// share it; mail goes through a transactional outbox to SMTP (or, in dev
// mode, to a mailbox kept in the database).
//
// A Server is an http.Handler:
//
//	srv, err := server.Open(ctx, server.Config{DBPath: path, PublicURL: url, Dev: true})
//	defer srv.Close()
//	srv.Seed(ctx)
//	http.ListenAndServe(addr, srv)
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Config configures a Server. Only DBPath and PublicURL are required.
type Config struct {
	// PublicURL is the base of every link in emails, e.g.
	// "https://sales.example.com". Links are never built from request
	// headers, so a spoofed Host cannot redirect a reset link.
	PublicURL string
	// DBPath is the SQLite file, created if needed, or the URL of a
	// PostgreSQL database (postgres://user@host/db?sslmode=verify-full),
	// which several instances can share. Either is migrated on Open.
	DBPath string
	// DBMaxConns caps one instance's connections to PostgreSQL; default
	// DefaultPostgresConns. SQLite ignores it.
	DBMaxConns int
	// Dev sends mail to the dev mailbox (Mailbox, GET /dev/mailbox, and the
	// log) instead of SMTP, so a first run needs no mail server.
	Dev bool
	// SMTP is the mail relay used when Dev is false.
	SMTP SMTPConfig
	// CodeLifetime is how long an emailed code works. Default 15 min.
	CodeLifetime time.Duration
	// Clock returns the time for every business rule (code expiry, limits,
	// sessions). Nil means time.Now; tests pass a controllable clock.
	Clock func() time.Time
	// Logger receives structured logs. Nil discards them. Logs never carry
	// a password, a code or a token (except the dev mailbox in Dev mode).
	Logger *slog.Logger
	// TrustProxy takes the client address from the last X-Forwarded-For
	// entry (the one our own reverse proxy appended). Leave it off when the
	// server faces the internet directly.
	TrustProxy bool
	// Limits overrides the abuse limits; zero fields keep the defaults.
	Limits Limits
	// MailRetryMin and MailRetryMax bound the outbox worker's exponential
	// backoff between delivery attempts. Defaults 2 s and 5 min.
	MailRetryMin, MailRetryMax time.Duration
	// MailClaim is how long the outbox worker holds a mail it is sending
	// before another worker (another instance on a shared database) may
	// take it over: longer than one SMTP delivery can take, since a claim
	// that runs out mid-delivery means a second copy. Default 2 min.
	MailClaim time.Duration
}

// SMTPConfig is the mail relay the outbox worker delivers to.
type SMTPConfig struct {
	Host     string
	Port     int // default 587 (25 with TLS "none", 465 with "implicit")
	Username string
	Password string
	From     string // envelope and header sender, e.g. "Sales Plus <no-reply@example.com>"
	// TLS is "mandatory" (default: STARTTLS with a verified certificate,
	// since the mail carries live reset codes), "opportunistic" (STARTTLS
	// when offered: someone on the path can strip it), "implicit" (SMTPS) or
	// "none" (for a relay on the same host).
	TLS string
}

// Limits are the abuse limits of docs/design.md. A zero field means the default.
type Limits struct {
	CodeAttempts   int           // wrong codes before a code is burned; default 5
	ResendCooldown time.Duration // between two sends to one account; default 60 s
	SendsPerHour   int           // code mails per account per hour; default 5
	// FailedConfirms typed wrong codes per account per 24 h lock typing
	// codes for that account for ResetLock; defaults 20 and 24 h. The link
	// in the newest mail (with its token) still works: the lock bounds
	// guessing, it cannot keep the owner out.
	FailedConfirms int
	ResetLock      time.Duration
	// LoginFailures wrong passwords for one account from one source (an
	// IPv4 address or IPv6 /48) within LoginWindow make further logins of
	// that account from that source answer 429 until the oldest of them
	// leaves the window; defaults 10 and 15 min. Other sources are not
	// affected, so strangers cannot keep the owner out. A login in progress
	// counts until it succeeds, so more concurrent logins of one account
	// from one source than LoginFailures are refused too: -1 turns the
	// throttle off (load tests that log one account in from many clients
	// at once).
	LoginFailures int
	LoginWindow   time.Duration
	// AccountLoginFailures wrong passwords for one account within 24 h,
	// from all sources together, put the account under guard: from then on
	// each source may fail at most GuardedLoginFailures times per 24 h for
	// it (a source that has not failed, like the owner's, still gets its
	// tries). Defaults 20 and 3. This bounds a guesser spread over many
	// addresses without refusing anyone whose password is right.
	AccountLoginFailures int
	GuardedLoginFailures int
	// AddressRequests, when > 0, replaces every endpoint's per-client-address
	// allowance with this many requests per AddressWindow (default 1 min);
	// -1 turns the per-address limits off (tests that hammer one endpoint).
	AddressRequests int
	AddressWindow   time.Duration
}

func (l Limits) withDefaults() Limits {
	orDefault(&l.CodeAttempts, 5)
	orDefault(&l.ResendCooldown, 60*time.Second)
	orDefault(&l.SendsPerHour, 5)
	orDefault(&l.FailedConfirms, 20)
	orDefault(&l.ResetLock, 24*time.Hour)
	if l.LoginFailures == 0 { // negative: no limit
		l.LoginFailures = 10
	}
	orDefault(&l.LoginWindow, 15*time.Minute)
	orDefault(&l.AccountLoginFailures, 20)
	orDefault(&l.GuardedLoginFailures, 3)
	orDefault(&l.AddressWindow, time.Minute)
	return l
}

// orDefault sets *v to def unless it is positive.
func orDefault[T int | time.Duration](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}

// DefaultCodeLifetime is how long an emailed code works unless configured.
const DefaultCodeLifetime = 15 * time.Minute

// Mail is one message in the dev mailbox.
type Mail struct {
	ID      int64     `json:"id"`
	To      string    `json:"to"`
	Subject string    `json:"subject"`
	Body    string    `json:"body"`
	SentAt  time.Time `json:"sentAt"`
}

// Server is the backend. It is an http.Handler; Close it when done.
type Server struct {
	cfg       Config
	publicURL *url.URL
	now       func() time.Time
	log       *slog.Logger
	limits    Limits
	db        *db
	macKey    []byte
	hasher    *hasher
	accounts  accountLocks
	limiter   bucketStore
	mailer    *mailer
	handler   http.Handler

	stopPruner context.CancelFunc
	prunerDone chan struct{}
	closeOnce  sync.Once
	closeErr   error
}

// Open opens (creating and migrating) the database, starts the outbox
// worker and returns a ready Server.
func Open(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.DBPath == "" {
		return nil, errors.New("server: Config.DBPath is required")
	}
	pub, err := parsePublicURL(cfg.PublicURL)
	if err != nil {
		return nil, err
	}
	if cfg.CodeLifetime <= 0 {
		cfg.CodeLifetime = DefaultCodeLifetime
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.MailRetryMin <= 0 {
		cfg.MailRetryMin = 2 * time.Second
	}
	if cfg.MailRetryMax <= 0 {
		cfg.MailRetryMax = 5 * time.Minute
	}
	if !cfg.Dev && cfg.SMTP.Host == "" {
		return nil, errors.New("server: Config.SMTP.Host is required unless Dev is set")
	}
	switch strings.ToLower(cfg.SMTP.TLS) {
	case "", "mandatory", "opportunistic", "implicit", "none":
	default:
		return nil, fmt.Errorf("server: SMTP TLS mode %q is not mandatory, opportunistic, implicit or none", cfg.SMTP.TLS)
	}
	if cfg.MailClaim <= 0 {
		cfg.MailClaim = 2 * time.Minute
	}
	d, err := openDB(ctx, cfg.DBPath, cfg.DBMaxConns)
	if err != nil {
		return nil, err
	}
	key, err := loadMACKey(ctx, d)
	if err != nil {
		d.Close()
		return nil, err
	}
	s := &Server{
		cfg:       cfg,
		publicURL: pub,
		now:       cfg.Clock,
		log:       cfg.Logger,
		limits:    cfg.Limits.withDefaults(),
		db:        d,
		macKey:    key,
		hasher:    newHasher(),
	}
	if d.postgres {
		s.limiter = pgBuckets{d: d, now: s.now}
	} else {
		s.limiter = newAddressLimiter(s.now)
	}
	if cfg.SMTP.From == "" {
		cfg.SMTP.From = "Sales Plus <no-reply@" + pub.Hostname() + ">"
		s.cfg.SMTP.From = cfg.SMTP.From
	}
	s.mailer = newMailer(d, cfg, s.log)
	s.handler = s.newHandler()
	s.mailer.start()
	var pctx context.Context
	pctx, s.stopPruner = context.WithCancel(context.Background())
	s.prunerDone = make(chan struct{})
	go s.runPruner(pctx, s.prunerDone)
	return s, nil
}

func parsePublicURL(raw string) (*url.URL, error) {
	if raw == "" {
		raw = "http://127.0.0.1:8080"
	}
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("server: PublicURL %q must be an absolute http(s) URL", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("server: PublicURL %q must not carry a query or fragment", raw)
	}
	return u, nil
}

// ServeHTTP serves the API, the web reset page and /healthz.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// Close stops the outbox worker (an interrupted delivery stays queued and is
// retried on the next start) and closes the database. It is safe to call
// more than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.stopPruner()
		<-s.prunerDone
		s.mailer.stop()
		s.closeErr = s.db.Close()
	})
	return s.closeErr
}

// Mailbox lists the dev mailbox, oldest first (newest last).
func (s *Server) Mailbox(ctx context.Context) ([]Mail, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, to_addr, subject, body, sent_at FROM dev_mailbox ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	mails := []Mail{}
	for rows.Next() {
		var m Mail
		var at int64
		if err := rows.Scan(&m.ID, &m.To, &m.Subject, &m.Body, &at); err != nil {
			return nil, err
		}
		m.SentAt = fromMillis(at)
		mails = append(mails, m)
	}
	return mails, rows.Err()
}

func millis(t time.Time) int64      { return t.UnixMilli() }
func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
