// Package screens holds the Sales Plus screens: Sync Status, Login, the reset
// request popup and Reset Password. Each screen is a struct that keeps its
// widgets as fields and is built from the small interfaces it declares, so
// tests drive the real widgets against ten-line fakes. Screens never block the
// UI goroutine: slow work runs in goroutines and comes back through Env.Do.
package screens

import (
	"context"
	"time"

	"salesplus/strength"
)

// Env is what every screen needs from its surroundings. Do is required; the
// other fields have defaults when zero.
type Env struct {
	// Do runs f on the UI goroutine. The app's (app.afterStart) is fyne.Do
	// held until the app runs, as before that Fyne's mobile driver would run
	// f at once on the caller's goroutine. Tests use a queue they drain on
	// the test goroutine, because Fyne's test driver runs fyne.Do inline on
	// the calling goroutine and would let a background goroutine touch
	// widgets.
	Do func(f func())
	// Now is the clock for countdowns and relative times; nil means time.Now.
	Now func() time.Time
	// Debounce is how long the login screen waits after the last keystroke
	// before it checks the username; zero means 600 ms.
	Debounce time.Duration
	// Evaluate scores a password; nil means strength.Evaluate. Tests slow
	// it down to prove typing never waits for it.
	Evaluate func(password string, userInputs []string) strength.Result
	// Tick is how often countdowns and relative times refresh; zero means 1 s.
	Tick time.Duration
	// CallTimeout bounds every call a screen makes to the server, so a hung
	// server turns into words and a Retry while the rep still waits; zero
	// means DefaultCallTimeout.
	CallTimeout time.Duration
}

// DefaultCallTimeout is how long a screen waits for the server: well under
// the client's own whole-call deadline, which is sized for syncing data.
const DefaultCallTimeout = 8 * time.Second

func (e Env) callTimeout() time.Duration {
	if e.CallTimeout > 0 {
		return e.CallTimeout
	}
	return DefaultCallTimeout
}

func (e Env) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

func (e Env) debounce() time.Duration {
	if e.Debounce > 0 {
		return e.Debounce
	}
	return 600 * time.Millisecond
}

func (e Env) tick() time.Duration {
	if e.Tick > 0 {
		return e.Tick
	}
	return time.Second
}

// Account is a username the server knows, with the address reset codes go to.
type Account struct {
	Username     string
	Email        string
	CodeLifetime time.Duration // how long a code works; 0 when unknown
}

// ResetTicket is the server's answer to a reset request.
type ResetTicket struct {
	SentTo      string
	ExpiresAt   time.Time     // zero when unknown
	ResendAfter time.Duration // until another code may be asked for
	// NothingSent: a code went out moments ago, so this request sent none
	// (the server answered resend_too_soon); the earlier code is the one.
	// ExpiresAt is then that code's, when the server said it still works.
	NothingSent bool
	// EarlierCodeGone: with NothingSent, the server said the earlier code
	// no longer works (used, or burned by wrong tries).
	EarlierCodeGone bool
}

// lifetime is the context of a screen's background work: cancelled when the
// screen closes, so late answers are dropped and calls stop.
type lifetime struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func newLifetime() lifetime {
	ctx, cancel := context.WithCancel(context.Background())
	return lifetime{ctx: ctx, cancel: cancel}
}

func (l lifetime) closed() bool { return l.ctx.Err() != nil }

// run calls work off the UI goroutine, under Env.CallTimeout, and then done
// on it, unless the screen closed in between.
func run[T any](env Env, l lifetime, work func(ctx context.Context) (T, error), done func(T, error)) {
	go func() {
		ctx, cancel := context.WithTimeout(l.ctx, env.callTimeout())
		v, err := work(ctx)
		cancel()
		env.Do(func() {
			if l.closed() {
				return
			}
			done(v, err)
		})
	}()
}

// ticker calls f on the UI goroutine every Env.Tick until the screen closes.
func ticker(env Env, l lifetime, f func()) {
	go func() {
		t := time.NewTicker(env.tick())
		defer t.Stop()
		for {
			select {
			case <-l.ctx.Done():
				return
			case <-t.C:
				env.Do(func() {
					if !l.closed() {
						f()
					}
				})
			}
		}
	}()
}
