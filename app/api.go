package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

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
	return screens.Account{Username: acc.Username, Email: acc.Email}, err
}

func (a *api) Login(ctx context.Context, username, password string) error {
	if a.err != nil {
		return a.err
	}
	_, err := a.c.Login(ctx, username, password, a.device)
	return err
}

func (a *api) RequestReset(ctx context.Context, username string) (screens.ResetTicket, error) {
	if a.err != nil {
		return screens.ResetTicket{}, a.err
	}
	r, err := a.c.RequestReset(ctx, username)
	return screens.ResetTicket{SentTo: r.SentTo, ExpiresAt: r.ExpiresAt, ResendAfter: r.ResendAfter}, err
}

func (a *api) ConfirmReset(ctx context.Context, username, code, newPassword string) error {
	if a.err != nil {
		return a.err
	}
	return a.c.ConfirmReset(ctx, username, code, newPassword)
}

// explain turns any error into what a screen shows: the words come from
// client.Message (the one place errors become words), the kind decides which
// field they go beside.
func explain(err error) *screens.Failure {
	f := &screens.Failure{Kind: screens.KindOther, Message: client.Message(err), AttemptsLeft: -1}
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		f.AttemptsLeft = apiErr.AttemptsLeft
		f.RetryAfter = apiErr.RetryAfter
	}
	kinds := []struct {
		err  error
		kind screens.Kind
	}{
		{client.ErrUnreachable, screens.KindUnreachable},
		{client.ErrUnknownUser, screens.KindUnknownUser},
		{client.ErrUsernameNotEmail, screens.KindUsernameNotEmail},
		{client.ErrCodeInvalid, screens.KindCodeInvalid},
		{client.ErrCodeExpired, screens.KindCodeExpired},
		{client.ErrCodeLocked, screens.KindCodeLocked},
		{client.ErrPasswordTooWeak, screens.KindPasswordTooWeak},
		{client.ErrPasswordTooShort, screens.KindPasswordTooShort},
		{client.ErrPasswordTooLong, screens.KindPasswordTooLong},
		{client.ErrResendTooSoon, screens.KindResendTooSoon}, // before ErrRateLimited, which also matches it
		{client.ErrRateLimited, screens.KindRateLimited},
		{client.ErrInvalidCredentials, screens.KindInvalidCredentials},
		{client.ErrSessionExpired, screens.KindSessionExpired},
	}
	for _, k := range kinds {
		if errors.Is(err, k.err) {
			f.Kind = k.kind
			break
		}
	}
	if f.Kind == screens.KindOther || f.Kind == screens.KindUnreachable {
		// The screen shows words; the raw error goes to the log for support.
		// Client errors carry status, code and URL path, never a request body,
		// so no password, code or token reaches the log.
		slog.Warn("request failed", "err", err)
	}
	return f
}

// timeout bounds calls that outlive their screen, such as Log Out.
func (a *api) timeout() time.Duration { return 10 * time.Second }
