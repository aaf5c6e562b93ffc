package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"salesplus/apierr"
	"salesplus/client"
	"salesplus/screens"
)

// logoutTimeout bounds ending a session on the server, which outlives the
// screen that asked for it.
const logoutTimeout = 10 * time.Second

// api adapts the HTTP client to the small interfaces the screens declare.
// When the configured server address is unusable, every call answers with
// that error, so the screens show it where the rep is looking.
type api struct {
	c      *client.Client
	err    error // from client.New
	device string
	url    string
	opts   []client.Option
}

func newAPI(url string, cfg Config) *api {
	var opts []client.Option
	if cfg.Version != "" {
		opts = append(opts, client.WithVersion(cfg.Version))
	}
	if cfg.HTTPClient != nil {
		opts = append(opts, client.WithHTTPClient(cfg.HTTPClient))
	}
	c, err := client.New(url, opts...)
	device := cfg.DeviceName
	if device == "" {
		device = deviceName()
	}
	return &api{c: c, err: err, device: device, url: url, opts: opts}
}

// token is the session the client holds, "" when none.
func (a *api) token() string {
	if a.c == nil {
		return ""
	}
	return a.c.Token()
}

// endSession forgets the session and ends it on the server in the
// background, with a client of its own, so a quick log in afterwards cannot
// have its new session revoked by this call.
func (a *api) endSession() {
	token := a.token()
	if token == "" {
		return
	}
	a.c.SetToken("")
	end, err := client.New(a.url, append(a.opts, client.WithToken(token))...)
	if err != nil {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), logoutTimeout)
		defer cancel()
		_ = end.Logout(ctx)
	}()
}

func (a *api) Lookup(ctx context.Context, username string) (screens.Account, error) {
	if a.err != nil {
		return screens.Account{}, a.err
	}
	acc, err := a.c.Lookup(ctx, username)
	return screens.Account{Username: acc.Username, Email: acc.Email, CodeLifetime: acc.CodeLifetime}, logged(err)
}

func (a *api) Login(ctx context.Context, username, password string) error {
	if a.err != nil {
		return a.err
	}
	_, err := a.c.Login(ctx, username, password, a.device)
	return logged(err)
}

func (a *api) RequestReset(ctx context.Context, username string) (screens.ResetTicket, error) {
	if a.err != nil {
		return screens.ResetTicket{}, a.err
	}
	r, err := a.c.RequestReset(ctx, username)
	return screens.ResetTicket{SentTo: r.SentTo, ExpiresAt: r.ExpiresAt, ResendAfter: r.ResendAfter}, logged(err)
}

func (a *api) ConfirmReset(ctx context.Context, username, code, newPassword string) error {
	if a.err != nil {
		return a.err
	}
	return logged(a.c.ConfirmReset(ctx, username, code, newPassword))
}

// logged sends a failure the rep cannot act on to the log, with the raw
// error for support: the screens show words only. Client errors carry status,
// code and URL path, never a request body, so no password, code or token
// reaches the log. Answers in the API's vocabulary (a wrong code, a weak
// password) are expected and not logged.
func logged(err error) error {
	var p *apierr.Problem
	if err != nil && !errors.Is(err, context.Canceled) && (!errors.As(err, &p) || p.Status >= 500) {
		slog.Warn("request failed", "err", err)
	}
	return err
}
