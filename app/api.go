package app

import (
	"context"
	"errors"
	"log/slog"

	"salesplus/apierr"
	"salesplus/client"
	"salesplus/screens"
)

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

// with returns another client for the same server holding token.
func (a *api) with(token string) (*client.Client, error) {
	return client.New(a.url, append(a.opts, client.WithToken(token))...)
}

func (a *api) Lookup(ctx context.Context, username string) (screens.Account, error) {
	if a.err != nil {
		return screens.Account{}, a.err
	}
	acc, err := a.c.Lookup(ctx, username)
	return screens.Account{Username: acc.Username, Email: acc.Email}, logged(err)
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
