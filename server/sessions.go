package server

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// sessionLifetime is how long a login lasts.
const sessionLifetime = 30 * 24 * time.Hour

// maxLoginPasswordRunes bounds what is fed to argon2 at login; no stored
// password can be longer than strength.MaxLength anyway.
const maxLoginPasswordRunes = 1024

var (
	dummyHashOnce sync.Once
	dummyHash     string
)

// login checks username and password and opens a 30-day session. An unknown
// username costs the same argon2 verification as a wrong password, and both
// get the same answer.
func (s *Server) login(ctx context.Context, username, password, device string) (string, time.Time, error) {
	username, err := cleanUsername(username)
	if err != nil {
		return "", time.Time{}, err
	}
	if err := checkText("device name", device, 100); err != nil {
		return "", time.Time{}, err
	}
	device = strings.TrimSpace(device)
	if device == "" {
		device = "unnamed device"
	}
	a, err := s.checkPassword(ctx, username, password)
	if err != nil {
		return "", time.Time{}, err
	}
	return s.openSession(ctx, a, device)
}

// checkPassword returns the account whose password this is, applying the
// per-account login throttle.
func (s *Server) checkPassword(ctx context.Context, username, password string) (account, error) {
	if utf8.RuneCountInString(password) > maxLoginPasswordRunes || password == "" {
		return account{}, newError(codeInvalidCredentials, "")
	}
	a, err := findAccount(ctx, s.db, username)
	if err != nil && !errors.Is(err, errNoAccount) {
		return account{}, err
	}
	known := err == nil
	stored := a.PasswordHash
	if !known {
		stored = s.dummyPasswordHash(ctx)
	}
	if known && s.limits.LoginFailures > 0 {
		// Before argon2: a throttled account costs no hashing, and even the
		// right password waits, so guesses spread over many addresses get
		// no answer either.
		wait, err := s.reserveLoginAttempt(ctx, a.ID, s.now())
		if err != nil {
			return account{}, err
		}
		if wait > 0 {
			return account{}, tooMany(codeRateLimited, wait)
		}
	}
	ok, err := s.hasher.verify(ctx, password, stored)
	if err != nil {
		return account{}, err
	}
	if !known || !ok {
		return account{}, newError(codeInvalidCredentials, "")
	}
	return a, nil
}

// openSession opens a session for a, whose password checkPassword has just
// verified, unless that password was changed meanwhile: a reset that
// commits while argon2 runs (tens of milliseconds) revokes every session,
// and a login with the old password must not slip in after it.
func (s *Server) openSession(ctx context.Context, a account, device string) (string, time.Time, error) {
	token, hash, err := newToken()
	if err != nil {
		return "", time.Time{}, err
	}
	now := s.now()
	expires := now.Add(sessionLifetime)
	err = inTx(ctx, s.db, func(tx *dbTx) error {
		// Under the account's lock: a reset either committed before (the
		// hash differs) or waits for this session and then revokes it.
		cur, err := lockAccount(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		if cur.PasswordHash != a.PasswordHash {
			return newError(codeInvalidCredentials, "")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions(token_hash, account_id, device_name, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?)`, hash, a.ID, device, millis(now), millis(expires)); err != nil {
			return err
		}
		// The owner got in: earlier typos no longer count against them.
		_, err = tx.ExecContext(ctx, `DELETE FROM login_failures WHERE account_id = ?`, a.ID)
		return err
	})
	if err != nil {
		return "", time.Time{}, err
	}
	s.log.InfoContext(ctx, "login", "account", a.ID)
	return token, expires, nil
}

// reserveLoginAttempt counts a login of account id as failed before its
// password is checked (openSession clears the count when it was right), so
// a burst of concurrent guesses cannot all pass the check before the first
// failure is written. It returns a wait instead, and counts nothing, when the
// account already has LoginFailures failures within LoginWindow: until the
// oldest of its latest LoginFailures leaves the window. Unknown usernames
// are not counted: they have nothing to guess, and the per-address limit
// bounds them.
func (s *Server) reserveLoginAttempt(ctx context.Context, id int64, now time.Time) (time.Duration, error) {
	var wait time.Duration
	err := inTx(ctx, s.db, func(tx *dbTx) error {
		if _, err := lockAccount(ctx, tx, id); err != nil {
			return err
		}
		var at int64
		err := tx.QueryRowContext(ctx, `SELECT at FROM login_failures WHERE account_id = ? AND at > ?
			ORDER BY at DESC LIMIT 1 OFFSET ?`, id, millis(now.Add(-s.limits.LoginWindow)), s.limits.LoginFailures-1).Scan(&at)
		switch {
		case err == nil:
			wait = fromMillis(at).Add(s.limits.LoginWindow).Sub(now)
			return nil
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO login_failures(account_id, at) VALUES (?, ?)`, id, millis(now))
		return err
	})
	return wait, err
}

// dummyPasswordHash is a real argon2id hash of a random password, made once,
// to verify unknown usernames against.
func (s *Server) dummyPasswordHash(ctx context.Context) string {
	dummyHashOnce.Do(func() {
		b := make([]byte, 16)
		rand.Read(b)
		h, err := s.hasher.hash(context.WithoutCancel(ctx), hex.EncodeToString(b))
		if err == nil {
			dummyHash = h
		}
	})
	return dummyHash
}

// bearerToken extracts the token of an "Authorization: Bearer" header.
func bearerToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return ""
	}
	return strings.TrimSpace(h[len(prefix):])
}

// authenticate returns the account of a live session token.
func (s *Server) authenticate(ctx context.Context, token string) (account, error) {
	if token == "" || len(token) > 128 {
		return account{}, newError(codeSessionExpired, "")
	}
	var a account
	err := s.db.QueryRowContext(ctx, `SELECT a.id, a.username, a.email, a.display_name, a.company
		FROM sessions s JOIN accounts a ON a.id = s.account_id
		WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ?`, tokenHash(token), millis(s.now())).
		Scan(&a.ID, &a.Username, &a.Email, &a.DisplayName, &a.Company)
	if errors.Is(err, sql.ErrNoRows) {
		return account{}, newError(codeSessionExpired, "")
	}
	return a, err
}

// logout revokes the presented session.
func (s *Server) logout(ctx context.Context, token string) error {
	if token == "" || len(token) > 128 {
		return newError(codeSessionExpired, "")
	}
	res, err := s.db.ExecContext(ctx, `UPDATE sessions SET revoked_at = ?
		WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?`, millis(s.now()), tokenHash(token), millis(s.now()))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return newError(codeSessionExpired, "")
	}
	return nil
}
