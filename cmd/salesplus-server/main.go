// Command salesplus-server runs the Sales Plus reference reset backend.
//
//	salesplus-server --dev                 # mail goes to /dev/mailbox and the log
//	salesplus-server seed                  # demo accounts + datasets, prints credentials
//	salesplus-server --public-url https://sales.example.com --smtp-host mail.example.com ...
//
// Every flag has an environment variable (SALESPLUS_ADDR, SALESPLUS_PUBLIC_URL,
// SALESPLUS_DB, SALESPLUS_DB_MAX_CONNS, SALESPLUS_MAIL_CLAIM, SALESPLUS_SMTP_HOST, SALESPLUS_SMTP_PORT, SALESPLUS_SMTP_USER,
// SALESPLUS_SMTP_PASSWORD, SALESPLUS_SMTP_FROM, SALESPLUS_SMTP_TLS,
// SALESPLUS_TLS_CERT, SALESPLUS_TLS_KEY, SALESPLUS_CODE_LIFETIME,
// SALESPLUS_DEV, SALESPLUS_TRUST_PROXY, SALESPLUS_LOG_FORMAT); a flag wins
// over its variable.
//
// A whole reset with curl against a dev server:
//
//	go run ./cmd/salesplus-server seed
//	go run ./cmd/salesplus-server --dev &
//	J='Content-Type: application/json'; U=http://127.0.0.1:8080
//	curl -H "$J" -d '{"username":"alex.morgan@example.com"}' $U/api/v1/password-reset/lookup
//	curl -H "$J" -d '{"username":"alex.morgan@example.com"}' $U/api/v1/password-reset/request
//	curl $U/dev/mailbox                      # read the 6-digit code (it is also in the log)
//	curl -H "$J" -d '{"username":"alex.morgan@example.com","code":"123456","newPassword":"Tangerine-Pelican-Orbit-88"}' \
//	     $U/api/v1/password-reset/confirm      # 204
//	curl -H "$J" -d '{"username":"alex.morgan@example.com","password":"Tangerine-Pelican-Orbit-88","deviceName":"curl"}' \
//	     $U/api/v1/sessions                    # 201 {"token": ...}
//	curl -H "Authorization: Bearer <token>" $U/api/v1/sync/status
//
// or open $U/reset#username=...&code=... (the link in the mail) in a browser.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"salesplus/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "salesplus-server:", err)
		os.Exit(1)
	}
}

// options is the parsed configuration.
type options struct {
	addr, publicURL, db string
	dbMaxConns          int
	mailClaim           time.Duration
	smtp                server.SMTPConfig
	tlsCert, tlsKey     string
	codeLifetime        time.Duration
	dev, trustProxy     bool
	logFormat           string
	shutdownTimeout     time.Duration
	publicURLFromAddr   bool // no --public-url: links use the listen address
}

// run is main without the process: args[0] is the program name, getenv
// reads the environment, stdout receives the logs and the seed output. It
// returns when ctx is canceled (after a graceful shutdown) or on error.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 {
		args = []string{"salesplus-server"}
	}
	rest := args[1:]
	cmd := "serve"
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		cmd, rest = rest[0], rest[1:]
	}
	opts, err := parseOptions(args[0], rest, getenv, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil // the usage is printed; asking for it is no error
	}
	if err != nil {
		return err
	}
	logger := newLogger(opts.logFormat, stdout)
	cfg := server.Config{
		PublicURL:    opts.publicURL,
		DBPath:       opts.db,
		DBMaxConns:   opts.dbMaxConns,
		MailClaim:    opts.mailClaim,
		Dev:          opts.dev,
		SMTP:         opts.smtp,
		CodeLifetime: opts.codeLifetime,
		Logger:       logger,
		TrustProxy:   opts.trustProxy,
	}
	switch cmd {
	case "serve":
		if !cfg.Dev && cfg.SMTP.Host == "" {
			return errors.New("no SMTP relay: give --smtp-host (or SALESPLUS_SMTP_HOST), or run with --dev")
		}
		if opts.publicURLFromAddr && !specificHost(opts.addr) {
			// http://0.0.0.0:8080/reset in a reset email reaches nobody.
			return fmt.Errorf("listening on every interface (%s): give --public-url (or SALESPLUS_PUBLIC_URL), the address users reach, for the links in reset emails", opts.addr)
		}
		return serve(ctx, cfg, opts, logger)
	case "seed":
		// Seeding sends no mail, so it needs no SMTP relay.
		cfg.Dev = true
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		return seed(ctx, cfg, stdout)
	default:
		return fmt.Errorf("unknown command %q (want serve or seed)", cmd)
	}
}

func parseOptions(name string, args []string, getenv func(string) string, out io.Writer) (options, error) {
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	envBool := func(key string) bool {
		b, _ := strconv.ParseBool(getenv(key))
		return b
	}
	var o options
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.addr, "addr", env("SALESPLUS_ADDR", "127.0.0.1:8080"), "listen address (SALESPLUS_ADDR)")
	fs.StringVar(&o.publicURL, "public-url", env("SALESPLUS_PUBLIC_URL", ""), "base URL of links in emails; default http://<addr>, required when addr is every interface (SALESPLUS_PUBLIC_URL)")
	fs.StringVar(&o.db, "db", env("SALESPLUS_DB", "salesplus.db"), "SQLite database file, or a postgres:// URL that several instances share (SALESPLUS_DB)")
	maxConns := fs.String("db-max-conns", env("SALESPLUS_DB_MAX_CONNS", strconv.Itoa(server.DefaultPostgresConns)), "PostgreSQL connections per instance at most (SALESPLUS_DB_MAX_CONNS)")
	mailClaim := fs.String("mail-claim", env("SALESPLUS_MAIL_CLAIM", "2m"), "how long an instance holds a mail it sends before another may take it over (SALESPLUS_MAIL_CLAIM)")
	fs.StringVar(&o.smtp.Host, "smtp-host", env("SALESPLUS_SMTP_HOST", ""), "SMTP relay host (SALESPLUS_SMTP_HOST)")
	port := fs.Int("smtp-port", 0, "SMTP relay port; default by TLS mode (SALESPLUS_SMTP_PORT)")
	fs.StringVar(&o.smtp.Username, "smtp-user", env("SALESPLUS_SMTP_USER", ""), "SMTP user (SALESPLUS_SMTP_USER)")
	fs.StringVar(&o.smtp.Password, "smtp-password", "", "SMTP password; prefer SALESPLUS_SMTP_PASSWORD, flags show in ps")
	fs.StringVar(&o.smtp.From, "smtp-from", env("SALESPLUS_SMTP_FROM", ""), "sender address (SALESPLUS_SMTP_FROM)")
	fs.StringVar(&o.smtp.TLS, "smtp-tls", env("SALESPLUS_SMTP_TLS", "mandatory"), "SMTP TLS: mandatory (STARTTLS, verified), opportunistic, implicit or none (SALESPLUS_SMTP_TLS)")
	fs.StringVar(&o.tlsCert, "tls-cert", env("SALESPLUS_TLS_CERT", ""), "serve HTTPS with this certificate (SALESPLUS_TLS_CERT)")
	fs.StringVar(&o.tlsKey, "tls-key", env("SALESPLUS_TLS_KEY", ""), "and this key (SALESPLUS_TLS_KEY)")
	lifetime := fs.String("code-lifetime", env("SALESPLUS_CODE_LIFETIME", "15m"), "how long an emailed code works (SALESPLUS_CODE_LIFETIME)")
	fs.BoolVar(&o.dev, "dev", envBool("SALESPLUS_DEV"), "dev mode: mail goes to /dev/mailbox and the log, not SMTP (SALESPLUS_DEV)")
	fs.BoolVar(&o.trustProxy, "trust-proxy", envBool("SALESPLUS_TRUST_PROXY"), "behind a reverse proxy: client address from X-Forwarded-For (SALESPLUS_TRUST_PROXY)")
	fs.StringVar(&o.logFormat, "log-format", env("SALESPLUS_LOG_FORMAT", "text"), "log format: text or json (SALESPLUS_LOG_FORMAT)")
	fs.DurationVar(&o.shutdownTimeout, "shutdown-timeout", 20*time.Second, "how long in-flight requests may take to finish on shutdown")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	o.smtp.Port = *port
	if o.smtp.Port == 0 {
		if v := getenv("SALESPLUS_SMTP_PORT"); v != "" {
			p, err := strconv.Atoi(v)
			if err != nil || p <= 0 || p > 65535 {
				return o, fmt.Errorf("SALESPLUS_SMTP_PORT %q is not a port", v)
			}
			o.smtp.Port = p
		}
	}
	if o.smtp.Password == "" {
		o.smtp.Password = getenv("SALESPLUS_SMTP_PASSWORD")
	}
	d, err := time.ParseDuration(*lifetime)
	if err != nil || d <= 0 {
		return o, fmt.Errorf("code lifetime %q is not a positive duration", *lifetime)
	}
	if d > 24*time.Hour {
		return o, fmt.Errorf("code lifetime %s is longer than 24 h (NIST 800-63B)", d)
	}
	o.codeLifetime = d
	if o.dbMaxConns, err = strconv.Atoi(*maxConns); err != nil || o.dbMaxConns <= 0 {
		return o, fmt.Errorf("db max conns %q is not a positive number", *maxConns)
	}
	if o.mailClaim, err = time.ParseDuration(*mailClaim); err != nil || o.mailClaim <= 0 {
		return o, fmt.Errorf("mail claim %q is not a positive duration", *mailClaim)
	}
	if (o.tlsCert == "") != (o.tlsKey == "") {
		return o, errors.New("give both --tls-cert and --tls-key, or neither")
	}
	if o.publicURL == "" {
		scheme := "http"
		if o.tlsCert != "" {
			scheme = "https"
		}
		o.publicURL = scheme + "://" + o.addr
		o.publicURLFromAddr = true
	}
	return o, nil
}

// specificHost reports whether the listen address names one host (such as
// 127.0.0.1 or sales.example.com), which can stand in a link, rather than
// every interface (":8080", "0.0.0.0:8080", "[::]:8080").
func specificHost(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsUnspecified()
}

func newLogger(format string, w io.Writer) *slog.Logger {
	if strings.EqualFold(format, "json") {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// serve runs the HTTP(S) server until ctx ends, then shuts down gracefully:
// stop accepting, let in-flight requests finish, stop the mail worker,
// close the database.
func serve(ctx context.Context, cfg server.Config, o options, log *slog.Logger) error {
	srv, err := server.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	httpServer := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() {
		if o.tlsCert != "" {
			errc <- httpServer.ServeTLS(ln, o.tlsCert, o.tlsKey)
		} else {
			errc <- httpServer.Serve(ln)
		}
	}()
	log.Info("listening", "addr", ln.Addr().String(), "public_url", cfg.PublicURL, "https", o.tlsCert != "", "dev", cfg.Dev, "db", redactDB(cfg.DBPath))
	if cfg.Dev {
		log.Warn("dev mode: mail is NOT sent; read it at " + strings.TrimRight(cfg.PublicURL, "/") + "/dev/mailbox or in this log")
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), o.shutdownTimeout)
	defer cancel()
	if err := httpServer.Shutdown(sctx); err != nil {
		log.Warn("shutdown", "err", err)
	}
	if err := srv.Close(); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

// seed creates the demo accounts and datasets and prints the credentials.
func seed(ctx context.Context, cfg server.Config, out io.Writer) error {
	srv, err := server.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := srv.Seed(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "Seeded %s with the demo datasets and these accounts:\n\n", redactDB(cfg.DBPath))
	for _, a := range server.DemoAccounts {
		fmt.Fprintf(out, "  username: %-26s password: %-24s email: %s\n      (%s)\n", a.Username, a.Password, a.Email, a.Note)
	}
	fmt.Fprintln(out, "\nThese passwords are public: never seed a production database.")
	return srv.Close()
}

// redactDB is the database for the log: a PostgreSQL URL without its
// password (in the user part or the query), a SQLite path as it is.
func redactDB(dsn string) string {
	if !strings.Contains(dsn, "://") {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "(a database URL that does not parse)"
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}
