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

	"golang.org/x/text/unicode/norm"

	"salesplus/apierr"
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
// get the same answer. client is the client's address, for the throttle.
func (s *Server) login(ctx context.Context, username, password, device, client string) (string, time.Time, error) {
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
	source := loginSource(client)
	a, legacy, err := s.checkPassword(ctx, username, password, source)
	if err != nil {
		return "", time.Time{}, err
	}
	var rehash string
	if legacy {
		if rehash, err = s.hasher.hash(ctx, normalizePassword(password)); err != nil {
			return "", time.Time{}, err
		}
	}
	return s.openSession(ctx, a, device, source, rehash)
}

// checkPassword returns the account whose password this is, applying the
// login throttle to source. legacy reports that the stored hash is of the
// password as typed, not normalised (made before normalisation), so the
// caller rehashes it.
func (s *Server) checkPassword(ctx context.Context, username, password, source string) (a account, legacy bool, err error) {
	if utf8.RuneCountInString(password) > maxLoginPasswordRunes || password == "" {
		return account{}, false, newError(apierr.InvalidCredentials, "")
	}
	a, err = findAccount(ctx, s.db, username)
	if err != nil && !errors.Is(err, errNoAccount) {
		return account{}, false, err
	}
	known := err == nil
	stored := a.PasswordHash
	if !known {
		stored = s.dummyPasswordHash(ctx)
	}
	if known && s.limits.LoginFailures > 0 {
		// Before argon2: a throttled source costs no hashing, and even the
		// right password from it waits, so its guesses get no answer.
		wait, err := s.reserveLoginAttempt(ctx, a.ID, source, s.now())
		if err != nil {
			return account{}, false, err
		}
		if wait > 0 {
			return account{}, false, tooMany(apierr.RateLimited, wait)
		}
	}
	ok, legacy, err := s.verifyPassword(ctx, password, stored)
	if err != nil {
		return account{}, false, err
	}
	if !known || !ok {
		return account{}, false, newError(apierr.InvalidCredentials, "")
	}
	return a, legacy, nil
}

// normalizePassword is the form a password is hashed in: NFKC, as NIST SP
// 800-63B asks, so that an "é" typed as one character or as "e" plus a
// combining accent (what another keyboard may send) is the same password.
func normalizePassword(p string) string {
	return norm.NFKC.String(p)
}

// verifyPassword checks password against stored in its normalised form. A
// hash made before passwords were normalised holds the password as typed:
// when that differs and the normalised form fails, the typed form is tried
// too, and legacy reports that it matched so the caller can rehash.
func (s *Server) verifyPassword(ctx context.Context, password, stored string) (ok, legacy bool, err error) {
	normal := normalizePassword(password)
	if ok, err = s.hasher.verify(ctx, normal, stored); ok || err != nil || normal == password {
		return ok, false, err
	}
	ok, err = s.hasher.verify(ctx, password, stored)
	return ok, ok, err
}

// openSession opens a session for a, whose password checkPassword has just
// verified, unless that password was changed meanwhile: a reset that
// commits while argon2 runs (tens of milliseconds) revokes every session,
// and a login with the old password must not slip in after it. A non-empty
// rehash replaces the account's legacy hash in the same transaction.
func (s *Server) openSession(ctx context.Context, a account, device, source, rehash string) (string, time.Time, error) {
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
			return newError(apierr.InvalidCredentials, "")
		}
		if rehash != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE accounts SET password_hash = ? WHERE id = ?`, rehash, a.ID); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions(token_hash, account_id, device_name, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?)`, hash, a.ID, device, millis(now), millis(expires)); err != nil {
			return err
		}
		return loginSucceeded(ctx, tx, a.ID, source)
	})
	if err != nil {
		return "", time.Time{}, err
	}
	s.log.InfoContext(ctx, "login", "account", a.ID)
	return token, expires, nil
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
		return account{}, newError(apierr.SessionExpired, "")
	}
	var a account
	err := s.db.QueryRowContext(ctx, `SELECT a.id, a.username, a.email, a.display_name, a.company
		FROM sessions s JOIN accounts a ON a.id = s.account_id
		WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ?`, tokenHash(token), millis(s.now())).
		Scan(&a.ID, &a.Username, &a.Email, &a.DisplayName, &a.Company)
	if errors.Is(err, sql.ErrNoRows) {
		return account{}, newError(apierr.SessionExpired, "")
	}
	return a, err
}

// logout revokes the presented session.
func (s *Server) logout(ctx context.Context, token string) error {
	if token == "" || len(token) > 128 {
		return newError(apierr.SessionExpired, "")
	}
	res, err := s.db.ExecContext(ctx, `UPDATE sessions SET revoked_at = ?
		WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?`, millis(s.now()), tokenHash(token), millis(s.now()))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return newError(apierr.SessionExpired, "")
	}
	return nil
}
