package server

import (
	"context"
	"crypto/hmac"
	"database/sql"
	"errors"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"salesplus/apierr"
	"salesplus/strength"
)

// isEmailUsername reports whether a username is an email address, which the
// reset flow requires (the help article: otherwise ask the admin).
func isEmailUsername(username string) bool {
	addr, err := mail.ParseAddress(username)
	if err != nil || addr.Name != "" || addr.Address != username {
		return false
	}
	at := strings.LastIndexByte(username, '@')
	return at > 0 && strings.Contains(username[at+1:], ".")
}

// lookup answers whether username is an account whose code can be emailed.
// Known and unknown users cost the same single indexed query.
func (s *Server) lookup(ctx context.Context, username string) (account, error) {
	username, err := cleanUsername(username)
	if err != nil {
		return account{}, err
	}
	a, err := findAccount(ctx, s.db, username)
	switch {
	case errors.Is(err, errNoAccount):
		return account{}, newError(apierr.UnknownUser, "")
	case err != nil:
		return account{}, err
	case !isEmailUsername(a.Username):
		return account{}, newError(apierr.UsernameNotEmail, "")
	}
	return a, nil
}

// resetReply is the answer to an accepted reset request.
type resetReply struct {
	SentTo      string
	ExpiresAt   time.Time
	ResendAfter time.Duration
}

// checkIdempotencyKey validates the optional Idempotency-Key header.
func checkIdempotencyKey(key string) error {
	if len(key) > 64 {
		return badRequest("The Idempotency-Key header is too long.")
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x21 || key[i] > 0x7e {
			return badRequest("The Idempotency-Key header has characters that are not allowed.")
		}
	}
	return nil
}

// decoyAccountID is the account (migration 002) that requests for unknown
// users are run against.
const decoyAccountID = 0

// requestReset creates a new code for username, invalidating older ones,
// and queues the mail in the same transaction.
//
// An unknown (or non-email) username runs the very same statements against
// the decoy account inside a savepoint that is then rolled back, plus a
// one-row write so the transaction commits like a real one: known and
// unknown users cost the same, and nothing about the tried name is stored.
func (s *Server) requestReset(ctx context.Context, username, idemKey string) (resetReply, error) {
	username, err := cleanUsername(username)
	if err != nil {
		return resetReply{}, err
	}
	if err := checkIdempotencyKey(idemKey); err != nil {
		return resetReply{}, err
	}
	now := s.now()
	var (
		out     issued
		refusal error
		a       account
	)
	err = inTx(ctx, s.db, func(tx *dbTx) error {
		var err error
		if a, err = findAccount(ctx, tx, username); err == nil {
			a, err = lockAccount(ctx, tx, a.ID)
		}
		switch {
		case err == nil && isEmailUsername(a.Username):
			out, err = s.issueCode(ctx, tx, a, idemKey, now)
			return err
		case err == nil:
			refusal = newError(apierr.UsernameNotEmail, "")
		case errors.Is(err, errNoAccount):
			refusal = newError(apierr.UnknownUser, "")
		default:
			return err
		}
		decoy, err := lockAccount(ctx, tx, decoyAccountID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `SAVEPOINT decoy`); err != nil {
			return err
		}
		if _, err := s.issueCode(ctx, tx, decoy, idemKey, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `ROLLBACK TO decoy`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `RELEASE decoy`); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE decoy SET n = n + 1 WHERE id = 1`)
		return err
	})
	if err != nil {
		return resetReply{}, err
	}
	if refusal != nil {
		return resetReply{}, refusal
	}
	if out.refusal != nil {
		return resetReply{}, out.refusal
	}
	if out.mail != nil {
		s.log.InfoContext(ctx, "reset code queued", "account", a.ID)
		s.mailer.queued(ctx, *out.mail)
	}
	return out.reply, nil
}

// issued is what issueCode did: a reply, or a refusal, and the mail it
// queued (nil for an idempotent repeat).
type issued struct {
	reply   resetReply
	refusal error
	mail    *outboxMail
}

// issueCode applies the per-account limits and, when they allow it, makes a
// new code and link token, supersedes the older codes and queues the mail,
// all in tx. The reset lock does not stop it: the mail goes only to the
// owner, whose link works whatever strangers typed.
func (s *Server) issueCode(ctx context.Context, tx *dbTx, a account, idemKey string, now time.Time) (issued, error) {
	if idemKey != "" {
		var expires int64
		err := tx.QueryRowContext(ctx, `SELECT expires_at FROM reset_codes
			WHERE account_id = ? AND idempotency_key = ? AND created_at > ? ORDER BY id DESC LIMIT 1`,
			a.ID, idemKey, millis(now.Add(-24*time.Hour))).Scan(&expires)
		if err == nil {
			return issued{reply: resetReply{SentTo: a.Email, ExpiresAt: fromMillis(expires), ResendAfter: s.limits.ResendCooldown}}, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return issued{}, err
		}
	}
	var last, oldest sql.NullInt64
	var recent int
	if err := tx.QueryRowContext(ctx, `SELECT max(created_at) FROM reset_codes WHERE account_id = ?`, a.ID).Scan(&last); err != nil {
		return issued{}, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*), min(created_at) FROM reset_codes WHERE account_id = ? AND created_at > ?`,
		a.ID, millis(now.Add(-time.Hour))).Scan(&recent, &oldest); err != nil {
		return issued{}, err
	}
	if last.Valid {
		if wait := fromMillis(last.Int64).Add(s.limits.ResendCooldown).Sub(now); wait > 0 {
			refusal, err := s.lastCodeState(ctx, tx, a, now, tooMany(apierr.ResendTooSoon, wait))
			return issued{refusal: refusal}, err
		}
	}
	if recent >= s.limits.SendsPerHour {
		return issued{refusal: tooMany(apierr.RateLimited, fromMillis(oldest.Int64).Add(time.Hour).Sub(now))}, nil
	}
	code, err := newCode()
	if err != nil {
		return issued{}, err
	}
	link, linkHash, err := newToken()
	if err != nil {
		return issued{}, err
	}
	expires := now.Add(s.cfg.CodeLifetime)
	if _, err := tx.ExecContext(ctx, `UPDATE reset_codes SET state = 'superseded' WHERE account_id = ? AND state = 'active'`, a.ID); err != nil {
		return issued{}, err
	}
	var key sql.NullString
	if idemKey != "" {
		key = sql.NullString{String: idemKey, Valid: true}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO reset_codes(account_id, code_mac, created_at, expires_at, attempts, state, idempotency_key, link_hash)
		VALUES (?, ?, ?, ?, 0, 'active', ?, ?)`, a.ID, codeMAC(s.macKey, a.ID, code), millis(now), millis(expires), key, linkHash); err != nil {
		return issued{}, err
	}
	subject, body := s.codeMail(a, code, link, expires, now)
	m, err := s.mailer.enqueue(ctx, tx, a.Email, subject, body, now)
	if err != nil {
		return issued{}, err
	}
	return issued{reply: resetReply{SentTo: a.Email, ExpiresAt: expires, ResendAfter: s.limits.ResendCooldown}, mail: &m}, nil
}

// lastCodeState adds to a resend_too_soon refusal whether the code sent
// last still works, and until when, so the app can say which code to use
// when this request sent none.
func (s *Server) lastCodeState(ctx context.Context, tx *dbTx, a account, now time.Time, refusal *apiError) (*apiError, error) {
	var (
		expires, attempts int64
		state             string
	)
	err := tx.QueryRowContext(ctx, `SELECT expires_at, attempts, state FROM reset_codes
		WHERE account_id = ? ORDER BY id DESC LIMIT 1`, a.ID).Scan(&expires, &attempts, &state)
	if err != nil {
		return nil, err // the cooldown found a code, so there is one
	}
	usable := state == "active" && now.UnixMilli() < expires && attempts < int64(s.limits.CodeAttempts) &&
		now.UnixMilli() >= a.LockedUntil // typed codes are refused while locked
	refusal.extras = map[string]any{"lastCodeUsable": usable}
	if usable {
		refusal.extras["lastCodeExpiresAt"] = fromMillis(expires).UTC().Format(time.RFC3339)
	}
	return refusal, nil
}

// resetLink is the web reset page for username with code and link token
// in the fragment, built only from the configured public URL.
func (s *Server) resetLink(username, code, token string) string {
	u := *s.publicURL
	u.Path = strings.TrimRight(u.Path, "/") + "/reset"
	u.Fragment = ""
	frag := url.Values{"username": {username}, "code": {code}, "token": {token}}.Encode()
	return u.String() + "#" + frag
}

func (s *Server) codeMail(a account, code, token string, expires, now time.Time) (subject, body string) {
	subject = "Your Sales Plus password reset code"
	var b strings.Builder
	b.WriteString("Hello " + a.DisplayName + ",\n\n")
	b.WriteString("Someone, hopefully you, asked to reset the password of the Sales Plus account " + a.Username + ".\n\n")
	b.WriteString("Your reset code is:\n\n")
	b.WriteString("        " + code + "\n\n")
	b.WriteString("It works once, for " + lifetimeWords(s.cfg.CodeLifetime) + " (until " + expires.UTC().Format(untilLayout(s.cfg.CodeLifetime)) + ").\n")
	if now.UnixMilli() < a.LockedUntil {
		b.WriteString("Too many wrong codes were typed for this account, so typing a code is paused until " +
			fromMillis(a.LockedUntil).Format("15:04 MST, 2 Jan 2006") + ". The link below still works:\n\n")
	} else {
		b.WriteString("Type it on the Reset Password screen of the Sales Plus app, or reset your password in a browser:\n\n")
	}
	b.WriteString(s.resetLink(a.Username, code, token) + "\n\n")
	b.WriteString("If you did not ask for this, ignore this email: your password stays as it is.\n")
	b.WriteString("Never share this code. Nobody from Sales Plus will ever ask you for it.\n")
	return subject, b.String()
}

func (s *Server) changedMail(a account, now time.Time) (subject, body string) {
	subject = "Your Sales Plus password was changed"
	var b strings.Builder
	b.WriteString("Hello " + a.DisplayName + ",\n\n")
	b.WriteString("The password of the Sales Plus account " + a.Username + " was changed at " + now.UTC().Format("15:04 MST on 2 Jan 2006") + ".\n")
	b.WriteString("Every device that was signed in has been signed out. Log in again with the new password.\n\n")
	b.WriteString("If you did not change it, contact your Sales Plus admin right away.\n")
	return subject, b.String()
}

// lifetimeWords says how long a code works in the largest whole unit:
// "15 minutes", "45 seconds", "1 hour", "90 seconds".
func lifetimeWords(d time.Duration) string {
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return plural(int(d/time.Hour), "hour")
	case d >= time.Minute && d%time.Minute == 0:
		return plural(int(d/time.Minute), "minute")
	}
	return plural(int((d+time.Second-1)/time.Second), "second")
}

// untilLayout shows seconds only when the lifetime has some.
func untilLayout(lifetime time.Duration) string {
	if lifetime%time.Minute != 0 {
		return "15:04:05 MST, 2 Jan 2006"
	}
	return "15:04 MST, 2 Jan 2006"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// confirmReset sets a new password with an emailed code. Checks, in order:
// input shape, account, reset lock (not for a confirm holding the mail's
// link token), password policy, code state, code value. A policy failure
// does not use up the code. The code is consumed, the password changed,
// every session revoked and the "changed" mail queued in one transaction;
// a conditional update makes the code single-use even under concurrent
// confirms.
//
// linkToken is the token of the mail's link, or "" when the code was typed.
// A token that matches a code of the account proves the mailbox: no try is
// counted, and neither the reset lock nor a code burned by wrong tries
// stops it. Any other token is ignored: the confirm is then a typed one,
// with every limit.
func (s *Server) confirmReset(ctx context.Context, username, code, linkToken, newPassword string) error {
	username, err := cleanUsername(username)
	if err != nil {
		return err
	}
	if err := checkPasswordText(newPassword); err != nil {
		return err
	}
	code = strings.TrimSpace(code)
	if utf8.RuneCountInString(code) > 64 {
		return badRequest("The code is too long.")
	}
	if len(linkToken) > 64 {
		return badRequest("The link token is too long.")
	}
	a, err := findAccount(ctx, s.db, username)
	if errors.Is(err, errNoAccount) {
		return newError(apierr.UnknownUser, "")
	}
	if err != nil {
		return err
	}
	now := s.now()
	c, viaLink, err := s.findCodeToCheck(ctx, a.ID, linkToken)
	if err != nil {
		return err
	}
	if !viaLink && now.UnixMilli() < a.LockedUntil {
		return tooMany(apierr.ResetLocked, fromMillis(a.LockedUntil).Sub(now))
	}
	newPassword = normalizePassword(newPassword)
	if res, err := strength.Check(newPassword, strength.UserInputs(a.Username, a.Email)); err != nil {
		return passwordProblem(res, err)
	}

	unlock := s.accounts.lock(a.ID)
	defer unlock()
	if !viaLink {
		// Read again under the lock: a concurrent confirm may have changed it.
		if c, _, err = s.findCodeToCheck(ctx, a.ID, ""); err != nil {
			return err
		}
	}
	switch {
	case c == nil:
		return newError(apierr.CodeExpired, "")
	case c.state == "burned" && !viaLink:
		return newError(apierr.CodeLocked, "")
	case c.state == "superseded" && now.UnixMilli() < c.expires:
		return codeSuperseded()
	case c.state == "used" || c.state == "superseded" || now.UnixMilli() >= c.expires:
		return newError(apierr.CodeExpired, "")
	}
	if !isSixDigits(code) {
		// A typo in the shape of the code cannot be a guess; do not count it.
		return s.codeTypo(c, viaLink)
	}
	if !hmac.Equal(c.mac, codeMAC(s.macKey, a.ID, code)) {
		if viaLink {
			return s.codeTypo(c, viaLink) // the mailbox's owner mistyped it
		}
		superseded, err := s.isSupersededCode(ctx, a.ID, code, now)
		if err != nil {
			return err
		}
		if superseded {
			return codeSuperseded()
		}
		return s.wrongCode(ctx, a, c.id, now)
	}

	hash, err := s.hasher.hash(ctx, newPassword)
	if err != nil {
		return err
	}
	now = s.now()
	var consumed bool
	var changedMail outboxMail
	err = inTx(ctx, s.db, func(tx *dbTx) error {
		if _, err := lockAccount(ctx, tx, a.ID); err != nil {
			return err
		}
		// Typed codes must still be active with tries left; a linked one
		// may have been burned by strangers' wrong tries.
		res, err := tx.ExecContext(ctx, `UPDATE reset_codes SET state = 'used'
			WHERE id = ? AND expires_at > ? AND (state = 'active' AND attempts < ? OR ? AND state = 'burned')`,
			c.id, millis(now), s.limits.CodeAttempts, viaLink)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil // someone else used, replaced or burned it meanwhile
		}
		consumed = true
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET password_hash = ?, password_changed_at = ? WHERE id = ?`,
			hash, millis(now), a.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL`,
			millis(now), a.ID); err != nil {
			return err
		}
		// Wrong passwords were guesses at the old one.
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE account_id = ?`, a.ID); err != nil {
			return err
		}
		subject, body := s.changedMail(a, now)
		m, err := s.mailer.enqueue(ctx, tx, a.Email, subject, body, now)
		changedMail = m
		return err
	})
	if err != nil {
		return err
	}
	if !consumed {
		return newError(apierr.CodeExpired, "")
	}
	s.log.InfoContext(ctx, "password reset", "account", a.ID, "via_link", viaLink)
	s.mailer.queued(ctx, changedMail)
	return nil
}

// resetCode is one row of reset_codes, as confirmReset checks it.
type resetCode struct {
	id       int64
	mac      []byte
	expires  int64
	attempts int
	state    string
}

// findCodeToCheck returns the code whose link token is linkToken, with
// viaLink true; else (no token, or one matching no code of the account)
// the account's newest code, nil if it has none.
func (s *Server) findCodeToCheck(ctx context.Context, accountID int64, linkToken string) (c *resetCode, viaLink bool, err error) {
	const cols = `SELECT id, code_mac, expires_at, attempts, state FROM reset_codes`
	var r resetCode
	if linkToken != "" {
		err = s.db.QueryRowContext(ctx, cols+` WHERE account_id = ? AND link_hash = ?`, accountID, tokenHash(linkToken)).
			Scan(&r.id, &r.mac, &r.expires, &r.attempts, &r.state)
		if err == nil {
			return &r, true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, false, err
		}
	}
	err = s.db.QueryRowContext(ctx, cols+` WHERE account_id = ? ORDER BY id DESC LIMIT 1`, accountID).
		Scan(&r.id, &r.mac, &r.expires, &r.attempts, &r.state)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return &r, false, nil
}

// isSupersededCode reports whether code is a code of the account that a
// newer request replaced and whose lifetime has not ended: the owner typed
// an older mail's code, which is no guess and costs no try.
func (s *Server) isSupersededCode(ctx context.Context, accountID int64, code string, now time.Time) (bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT code_mac FROM reset_codes
		WHERE account_id = ? AND state = 'superseded' AND expires_at > ?`, accountID, millis(now))
	if err != nil {
		return false, err
	}
	defer rows.Close()
	want := codeMAC(s.macKey, accountID, code)
	found := false
	for rows.Next() {
		var mac []byte
		if err := rows.Scan(&mac); err != nil {
			return false, err
		}
		found = found || hmac.Equal(mac, want)
	}
	return found, rows.Err()
}

// codeSuperseded is the answer for a code a newer request replaced: the
// contract's 410 apierr.CodeExpired, with reason apierr.Superseded so the app can say
// that a newer code was sent.
func codeSuperseded() error {
	return &apiError{
		code: apierr.CodeExpired, detail: "A newer code was sent: use the code from the newest email.",
		extras: map[string]any{"reason": apierr.Superseded},
	}
}

// codeTypo answers a code that cannot be a guess (not 6 digits, or typed
// beside the mail's link token) without counting a try.
func (s *Server) codeTypo(c *resetCode, viaLink bool) error {
	e := &apiError{code: apierr.CodeInvalid, detail: "The code is the 6 digits from the email."}
	if !viaLink {
		e.extras = map[string]any{"attemptsLeft": s.limits.CodeAttempts - c.attempts}
	}
	return e
}

// wrongCode counts a wrong code against the code (burned at the limit) and
// the account (reset locked after too many in 24 h), in one transaction.
func (s *Server) wrongCode(ctx context.Context, a account, codeID int64, now time.Time) error {
	var result error
	err := inTx(ctx, s.db, func(tx *dbTx) error {
		if _, err := lockAccount(ctx, tx, a.ID); err != nil {
			return err
		}
		var attempts int
		var state string
		err := tx.QueryRowContext(ctx, `UPDATE reset_codes
			SET attempts = attempts + 1, state = CASE WHEN attempts + 1 >= ? THEN 'burned' ELSE state END
			WHERE id = ? AND state = 'active' RETURNING attempts, state`, s.limits.CodeAttempts, codeID).Scan(&attempts, &state)
		if errors.Is(err, sql.ErrNoRows) {
			result = newError(apierr.CodeExpired, "") // replaced, used or burned meanwhile
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO confirm_failures(account_id, at) VALUES (?, ?)`, a.ID, millis(now)); err != nil {
			return err
		}
		var failures int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM confirm_failures WHERE account_id = ? AND at > ?`,
			a.ID, millis(now.Add(-24*time.Hour))).Scan(&failures); err != nil {
			return err
		}
		if failures >= s.limits.FailedConfirms {
			until := now.Add(s.limits.ResetLock)
			if _, err := tx.ExecContext(ctx, `UPDATE accounts SET reset_locked_until = ? WHERE id = ?`, millis(until), a.ID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE reset_codes SET state = 'burned' WHERE account_id = ? AND state = 'active'`, a.ID); err != nil {
				return err
			}
			// The failures that caused this lock must not cause another.
			if _, err := tx.ExecContext(ctx, `DELETE FROM confirm_failures WHERE account_id = ?`, a.ID); err != nil {
				return err
			}
			result = tooMany(apierr.ResetLocked, s.limits.ResetLock)
			return nil
		}
		if state == "burned" {
			result = newError(apierr.CodeLocked, "That code was wrong, and it was the last try: this code no longer works. Ask for a new code.")
			return nil
		}
		left := s.limits.CodeAttempts - attempts
		result = &apiError{
			code: apierr.CodeInvalid, detail: "That code is not right. " + triesLeft(left),
			extras: map[string]any{"attemptsLeft": left},
		}
		return nil
	})
	if err != nil {
		return err
	}
	if e := asAPIError(result); e.code == apierr.ResetLocked {
		s.log.WarnContext(ctx, "password reset locked after too many wrong codes", "account", a.ID)
	}
	return result
}

func triesLeft(n int) string {
	if n == 1 {
		return "You have 1 try left."
	}
	return "You have " + strconv.Itoa(n) + " tries left."
}

func isSixDigits(code string) bool {
	if len(code) != 6 {
		return false
	}
	for i := 0; i < 6; i++ {
		if code[i] < '0' || code[i] > '9' {
			return false
		}
	}
	return true
}

// checkPasswordText refuses passwords with control characters or lone
// surrogates: they cannot be typed, so they come from a broken client.
// Length is the policy's business (apierr.PasswordTooShort, PasswordTooLong).
func checkPasswordText(p string) error {
	return checkText("new password", p, maxBodyBytes)
}

// passwordProblem turns strength.Check's verdict into the contract's 422s.
func passwordProblem(res strength.Result, err error) error {
	var weak *strength.TooWeakError
	switch {
	case errors.Is(err, strength.ErrTooShort):
		return newError(apierr.PasswordTooShort, "")
	case errors.Is(err, strength.ErrTooLong):
		return newError(apierr.PasswordTooLong, "")
	case errors.As(err, &weak):
		res = weak.Result
		suggestions := res.Suggestions
		if suggestions == nil {
			suggestions = []string{}
		}
		return &apiError{code: apierr.PasswordTooWeak, extras: map[string]any{
			"score": res.Score, "level": res.Level.String(), "warning": res.Warning, "suggestions": suggestions,
		}}
	default:
		return err
	}
}
