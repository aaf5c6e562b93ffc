// Package client is the Sales Plus app's only way to talk to the backend: one
// method per call of api/openapi.yaml (password reset, sessions, sync), built
// on resty.
//
// Every method takes a context first and runs under one deadline for the
// whole call, retries included. Only calls that cannot change anything twice
// are retried: GETs, and RequestReset, which carries an Idempotency-Key that
// the server uses to answer a repeat without sending a second email. Confirm,
// login and logout are never repeated.
//
// Failures come back as errors of package apierr that errors.Is can sort: the
// problem codes of the API (an *apierr.Problem carries the details),
// apierr.ErrUnreachable when the server cannot be reached and apierr.ErrServer
// when it answered with a failure or with something that is not the JSON it
// promised. The client words nothing: the screens do.
//
// The client never logs request or response bodies: they hold passwords,
// reset codes and session tokens.
package client

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/go-resty/resty/v2"

	"salesplus/api"
	"salesplus/apierr"
)

// Defaults for the options.
const (
	DefaultTimeout = 20 * time.Second // whole call, retries included
	DefaultRetries = 2                // extra attempts after the first, for retryable calls
	DefaultVersion = "dev"            // app version in the User-Agent
)

const (
	apiBase = "/api/v1"
	// maxResponseBytes bounds what a (possibly hostile) server can make us
	// buffer; the largest real answer is a dataset of a few thousand records.
	maxResponseBytes = 32 << 20
)

// Client calls the Sales Plus API. It is safe for concurrent use.
type Client struct {
	rc        *resty.Client
	timeout   time.Duration
	userAgent string

	// Retry pacing; tests shorten them.
	backoffBase   time.Duration // first wait between attempts without Retry-After
	backoffMax    time.Duration // longest wait between attempts without Retry-After
	maxRetryAfter time.Duration // longest Retry-After we sit out instead of reporting it

	mu    sync.Mutex
	token string
}

// Option configures a Client in New.
type Option func(*settings)

type settings struct {
	httpClient *http.Client
	timeout    time.Duration
	userAgent  string
	version    string
	token      string
	retries    int
}

// WithHTTPClient makes the client send through hc (for its transport, TLS
// roots or proxy). hc is copied, never modified.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) { s.httpClient = hc }
}

// WithTimeout sets the deadline of a whole call, every retry and wait
// included (default DefaultTimeout). d <= 0 leaves only the caller's context.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) { s.timeout = d }
}

// WithUserAgent replaces the whole User-Agent header. Most callers want
// WithVersion instead.
func WithUserAgent(ua string) Option {
	return func(s *settings) { s.userAgent = ua }
}

// WithVersion sets the app version sent in the User-Agent
// "SalesPlus/<version> (<GOOS>)", so the server can tell old apps apart.
func WithVersion(version string) Option {
	return func(s *settings) { s.version = version }
}

// WithToken starts the client with a session token from an earlier Login.
func WithToken(token string) Option {
	return func(s *settings) { s.token = token }
}

// WithRetries sets how many extra attempts a retryable call may make
// (default DefaultRetries; 0 disables retries).
func WithRetries(n int) Option {
	return func(s *settings) {
		if n < 0 {
			n = 0
		}
		s.retries = n
	}
}

// New returns a client for the server at baseURL, e.g.
// "https://sales.example.com" (a path prefix is kept). It refuses a URL that
// is not absolute http(s), and plain http:// to anything but a loopback
// address, because reset codes and passwords travel in the bodies.
func New(baseURL string, opts ...Option) (*Client, error) {
	base, err := checkBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	s := settings{timeout: DefaultTimeout, version: DefaultVersion, retries: DefaultRetries}
	for _, o := range opts {
		o(&s)
	}
	ua := s.userAgent
	if ua == "" {
		ua = fmt.Sprintf("SalesPlus/%s (%s)", s.version, runtime.GOOS)
	}

	var hc http.Client
	if s.httpClient != nil {
		hc = *s.httpClient // a copy: we set CheckRedirect and resty may set a transport
	} else {
		hc.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	// A redirect must not downgrade the connection to plain http.
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("too many redirects")
		}
		if err := checkScheme(req.URL); err != nil {
			return err
		}
		return nil
	}

	c := &Client{
		timeout:       s.timeout,
		userAgent:     ua,
		backoffBase:   200 * time.Millisecond,
		backoffMax:    2 * time.Second,
		maxRetryAfter: 10 * time.Second,
		token:         s.token,
	}
	c.rc = resty.NewWithClient(&hc).
		SetBaseURL(base).
		SetHeader("User-Agent", ua).
		SetHeader("Accept", "application/json, application/problem+json").
		// Bodies hold passwords, codes and tokens: never dump them, and keep
		// resty's own warnings (which name URLs and transport errors only)
		// out of the app's stderr; the caller gets every error returned.
		SetDebug(false).
		SetLogger(discardLogger{}).
		SetDisableWarn(true).
		SetResponseBodyLimit(maxResponseBytes).
		SetRetryCount(s.retries).
		SetRetryWaitTime(0).
		SetRetryMaxWaitTime(24 * time.Hour). // waits are bounded by retryWait, not here
		AddRetryCondition(c.shouldRetry).
		SetRetryAfter(c.retryWait)
	return c, nil
}

func checkBaseURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("%w: %q is not an http(s) address", apierr.ErrInvalidURL, raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%w: %q must not carry user info, a query or a fragment", apierr.ErrInvalidURL, raw)
	}
	if err := checkScheme(u); err != nil {
		return "", err
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// checkScheme allows https anywhere and http only to this machine (the demo
// server); anywhere else the traffic could be read on the way.
func checkScheme(u *url.URL) error {
	if u.Scheme == "https" {
		return nil
	}
	if u.Scheme == "http" && isLoopback(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("%w: %s://%s", apierr.ErrInsecureURL, u.Scheme, u.Host)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// SetToken replaces the session token sent as "Authorization: Bearer";
// "" means no session.
func (c *Client) SetToken(token string) {
	c.mu.Lock()
	c.token = token
	c.mu.Unlock()
}

// Token returns the current session token ("" when logged out).
func (c *Client) Token() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token
}

// dropToken forgets token if it is still the current one; a concurrent Login
// may already have replaced it.
func (c *Client) dropToken(token string) {
	c.mu.Lock()
	if c.token == token {
		c.token = ""
	}
	c.mu.Unlock()
}

// Account is what Lookup learns about a username.
type Account struct {
	Username     string        // canonical spelling
	Email        string        // where a reset code would go
	CodeLifetime time.Duration // how long an emailed code works; 0 when the server did not say
}

// ResetRequest tells where the reset code went and how long it lives.
type ResetRequest struct {
	SentTo      string
	ExpiresAt   time.Time
	ResendAfter time.Duration // when "Send new code" may be offered again
}

// Session is a login: the token the client now holds, and when it ends.
type Session struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// Dataset is one dataset with its records, left as raw JSON for the caller.
type Dataset struct {
	Name      string            `json:"name"`
	Version   int64             `json:"version"`
	UpdatedAt time.Time         `json:"updatedAt"`
	Records   []json.RawMessage `json:"records"`
}

// Lookup checks that username exists and can reset its password, and returns
// the address the code would be sent to. Errors: apierr.UnknownUser,
// UsernameNotEmail, RateLimited.
func (c *Client) Lookup(ctx context.Context, username string) (Account, error) {
	var out struct {
		Username            string `json:"username"`
		Email               string `json:"email"`
		CodeLifetimeSeconds int    `json:"codeLifetimeSeconds"`
	}
	err := c.call(ctx, call{
		method: http.MethodPost, path: "/password-reset/lookup",
		body: map[string]string{"username": username}, out: &out,
	})
	if err == nil && (out.Username == "" || out.Email == "") {
		err = serverError("the lookup answer has no username or email", nil)
	}
	a := Account{Username: out.Username, Email: out.Email}
	if out.CodeLifetimeSeconds > 0 {
		a.CodeLifetime = time.Duration(out.CodeLifetimeSeconds) * time.Second
	}
	return a, err
}

// RequestReset asks the server to email a 6-digit code for username. It is
// retried on failures because each call carries its own Idempotency-Key: the
// server answers a repeat without sending a second email. Errors:
// apierr.UnknownUser, UsernameNotEmail, ResendTooSoon, RateLimited.
func (c *Client) RequestReset(ctx context.Context, username string) (ResetRequest, error) {
	var out struct {
		SentTo             string    `json:"sentTo"`
		ExpiresAt          time.Time `json:"expiresAt"`
		ResendAfterSeconds int       `json:"resendAfterSeconds"`
	}
	err := c.call(ctx, call{
		method: http.MethodPost, path: "/password-reset/request",
		body: map[string]string{"username": username}, out: &out,
		idempotencyKey: newUUID(),
	})
	if err == nil && out.SentTo == "" {
		err = serverError("the reset answer has no address", nil)
	}
	if err != nil {
		return ResetRequest{}, err
	}
	return ResetRequest{
		SentTo:      out.SentTo,
		ExpiresAt:   out.ExpiresAt,
		ResendAfter: time.Duration(out.ResendAfterSeconds) * time.Second,
	}, nil
}

// ConfirmReset sets newPassword for username if code is the active reset
// code. It is sent once, never retried: a repeat would burn an attempt.
// Errors: apierr.CodeInvalid (see Problem.AttemptsLeft), CodeExpired (and
// Superseded when a newer code was sent),
// CodeLocked, PasswordTooWeak (see Problem.Strength), PasswordTooShort,
// PasswordTooLong, UnknownUser, ResetLocked, RateLimited.
func (c *Client) ConfirmReset(ctx context.Context, username, code, newPassword string) error {
	return c.call(ctx, call{
		method: http.MethodPost, path: "/password-reset/confirm",
		body: map[string]string{"username": username, "code": code, "newPassword": newPassword},
	})
}

// Login opens a session; the client keeps its token and sends it with later
// calls. Errors: apierr.InvalidCredentials, RateLimited.
func (c *Client) Login(ctx context.Context, username, password, deviceName string) (Session, error) {
	var s Session
	err := c.call(ctx, call{
		method: http.MethodPost, path: "/sessions",
		body: map[string]string{"username": username, "password": password, "deviceName": deviceName},
		out:  &s,
	})
	if err == nil && s.Token == "" {
		err = serverError("the login answer has no token", nil)
	}
	if err != nil {
		return Session{}, err
	}
	c.SetToken(s.Token)
	return s, nil
}

// Logout ends the session on the server and forgets the token. The token is
// forgotten even when the server cannot be reached (the error says so), since
// the rep asked to be logged out of this device. A session the server already
// ended counts as logged out.
func (c *Client) Logout(ctx context.Context) error {
	token := c.Token()
	if token == "" {
		return nil
	}
	defer c.dropToken(token)
	err := c.call(ctx, call{method: http.MethodDelete, path: "/sessions/current", token: token})
	if errors.Is(err, apierr.SessionExpired) {
		return nil
	}
	return err
}

// SyncStatus returns the account and the datasets on the server. Errors:
// apierr.SessionExpired (log in again; the client has then forgotten the dead
// token).
func (c *Client) SyncStatus(ctx context.Context) (api.SyncStatus, error) {
	var s api.SyncStatus
	err := c.call(ctx, call{method: http.MethodGet, path: "/sync/status", token: c.Token(), out: &s})
	if err == nil && s.Account.Username == "" {
		err = serverError("the sync status has no account", nil)
	}
	return s, err
}

// Dataset downloads one dataset by name (customers, products, price-list).
// Errors: apierr.SessionExpired (the token is then forgotten), NotFound.
func (c *Client) Dataset(ctx context.Context, name string) (Dataset, error) {
	var d Dataset
	err := c.call(ctx, call{
		method: http.MethodGet, path: "/sync/datasets/" + url.PathEscape(name),
		token: c.Token(), out: &d,
	})
	if err == nil && d.Name == "" {
		err = serverError("the dataset answer has no name", nil)
	}
	return d, err
}

// call is one API call as the methods describe it.
type call struct {
	method, path   string
	body           any    // marshalled as JSON when non-nil
	out            any    // decoded from a 2xx answer when non-nil
	token          string // sent as Bearer when non-empty
	idempotencyKey string // makes a POST retryable
}

// call runs c under the whole-call deadline and turns every outcome into
// either nil (out filled in) or one of the package's errors.
func (c *Client) call(ctx context.Context, cl call) error {
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	req := c.rc.R().SetContext(ctx)
	if cl.body != nil {
		b, err := json.Marshal(cl.body)
		if err != nil {
			return fmt.Errorf("salesplus client: encode request: %w", err)
		}
		req.SetHeader("Content-Type", "application/json").SetBody(b)
	}
	if cl.token != "" {
		req.SetAuthToken(cl.token)
	}
	if cl.idempotencyKey != "" {
		req.SetHeader("Idempotency-Key", cl.idempotencyKey)
	}

	resp, err := req.Execute(cl.method, apiBase+cl.path)
	if errors.Is(err, errStopRetrying) {
		err = nil // the last answer stands; it is judged below
	}
	if err != nil {
		return transportError(ctx, resp, err)
	}
	if resp == nil || resp.RawResponse == nil {
		return serverError("no answer", nil)
	}
	status := resp.StatusCode()
	if status < 200 || status > 299 {
		apiErr := parseProblem(resp.RawResponse, resp.Body())
		if errors.Is(apiErr, apierr.SessionExpired) && cl.token != "" {
			c.dropToken(cl.token)
		}
		return apiErr
	}
	if cl.out == nil || status == http.StatusNoContent {
		return nil
	}
	if err := json.Unmarshal(resp.Body(), cl.out); err != nil {
		return serverError(fmt.Sprintf("the answer to %s %s is not the expected JSON (%s)",
			cl.method, cl.path, describeBody(resp.RawResponse, resp.Body())), err)
	}
	return nil
}

// newUUID returns a random (version 4) UUID for the Idempotency-Key header.
func newUUID() string {
	var b [16]byte
	_, _ = io.ReadFull(rand.Reader, b[:]) // crypto/rand never fails on supported platforms
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// discardLogger silences resty's logger.
type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Debugf(string, ...any) {}
