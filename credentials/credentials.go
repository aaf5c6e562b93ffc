// Package credentials keeps a sales rep's password in the operating system's
// secret store (Keychain, Windows Credential Manager, the Secret Service on
// Linux) so the app can sign in again without asking. It has no UI: callers
// show a notice when a call fails and carry on, because the rep can always
// type the password.
package credentials

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// Store keeps one secret per username.
type Store interface {
	// Get returns the stored password, or an error wrapping ErrNotFound.
	Get(username string) (string, error)
	// Set stores password for username, replacing any earlier one.
	Set(username, password string) error
	// Delete removes the entry; deleting a missing entry is not an error.
	Delete(username string) error
}

var (
	// ErrNotFound means nothing is stored for that username.
	ErrNotFound = errors.New("no saved password")
	// ErrUnsupported means this platform has no secret store the app can use.
	ErrUnsupported = errors.New("this device cannot save passwords")
	// ErrTimeout means the secret store did not answer in time (a locked
	// keyring waiting for a prompt, or a daemon that is gone).
	ErrTimeout = errors.New("the system keyring did not answer")
)

// DefaultTimeout bounds every keyring call. A Secret Service that waits for an
// unlock prompt would otherwise block the caller for ever.
const DefaultTimeout = 5 * time.Second

// Keyring is the Store backed by github.com/zalando/go-keyring.
type Keyring struct {
	// Service names the entries; the app passes its app ID.
	Service string
	// Timeout bounds each call; zero means DefaultTimeout.
	Timeout time.Duration
}

// NewKeyring returns the platform's store for service: the OS keyring on
// desktop, and on Android and iOS a store that keeps nothing and says so.
func NewKeyring(service string) Store { return newPlatformStore(service) }

// key normalises a username the way the server matches it.
func key(username string) string { return strings.ToLower(strings.TrimSpace(username)) }

// Get implements Store.
func (k Keyring) Get(username string) (string, error) {
	var pw string
	err := k.call("read", func() (err error) {
		pw, err = keyring.Get(k.Service, key(username))
		return err
	})
	return pw, err
}

// Set implements Store.
func (k Keyring) Set(username, password string) error {
	return k.call("save", func() error { return keyring.Set(k.Service, key(username), password) })
}

// Delete implements Store.
func (k Keyring) Delete(username string) error {
	err := k.call("delete", func() error { return keyring.Delete(k.Service, key(username)) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// call runs op with a deadline. go-keyring takes no context, so a call that
// times out is left to finish in its goroutine; its result is dropped.
func (k Keyring) call(what string, op func() error) error {
	timeout := k.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	done := make(chan error, 1)
	go func() { done <- op() }()
	select {
	case err := <-done:
		switch {
		case err == nil:
			return nil
		case errors.Is(err, keyring.ErrNotFound):
			return ErrNotFound
		default:
			return fmt.Errorf("keyring %s: %w", what, err)
		}
	case <-time.After(timeout):
		return fmt.Errorf("keyring %s: %w", what, ErrTimeout)
	}
}
