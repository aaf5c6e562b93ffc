package server

import (
	"context"
	"database/sql"
	"errors"
	"net"
	"time"
)

// The login throttle. Its whole state is the login_failures table: one row
// (account, source, time) per login of a known account, written before the
// password is checked and deleted when it was right. Two rules read it:
//
//   - per account and source: LoginFailures in LoginWindow, then that source
//     waits (bounds one guesser; the owner elsewhere is not affected);
//   - per account, all sources: once AccountLoginFailures have failed in
//     24 h, every source is held to GuardedLoginFailures per 24 h (bounds a
//     guesser spread over many sources; a source with no failures, such as
//     the owner's, still gets its tries, so a right password gets in).

// loginDay is the window of the account-wide rule.
const loginDay = 24 * time.Hour

// loginSource is what the login throttle counts a client by: its IPv4
// address, or the /48 network of an IPv6 address (what one customer of an
// ISP, or one attacker's hosting, usually holds).
func loginSource(addr string) string {
	ip := net.ParseIP(addr)
	if ip == nil || ip.To4() != nil {
		return addr
	}
	return ip.Mask(net.CIDRMask(48, 128)).String() + "/48"
}

// reserveLoginAttempt counts a login of account id from source as failed
// before its password is checked (loginSucceeded removes the count when it
// was right), so a burst of concurrent guesses cannot all pass the check
// before the first failure is written. When a rule refuses, it counts
// nothing and returns how long the source must wait.
func (s *Server) reserveLoginAttempt(ctx context.Context, id int64, source string, now time.Time) (time.Duration, error) {
	var wait time.Duration
	err := inTx(ctx, s.db, func(tx *dbTx) error {
		if _, err := lockAccount(ctx, tx, id); err != nil {
			return err
		}
		var err error
		wait, err = s.loginWait(ctx, tx, id, source, now)
		if err != nil || wait > 0 {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO login_failures(account_id, source, at) VALUES (?, ?, ?)`, id, source, millis(now))
		return err
	})
	return wait, err
}

// loginWait applies the two rules; 0 means the attempt may go ahead.
func (s *Server) loginWait(ctx context.Context, tx *dbTx, id int64, source string, now time.Time) (time.Duration, error) {
	l := s.limits
	if at, full, err := nthLatestFailure(ctx, tx, id, source, now.Add(-l.LoginWindow), l.LoginFailures); err != nil || full {
		return fromMillis(at).Add(l.LoginWindow).Sub(now), err
	}
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM login_failures WHERE account_id = ? AND at > ?`,
		id, millis(now.Add(-loginDay))).Scan(&total); err != nil {
		return 0, err
	}
	if total < l.AccountLoginFailures {
		return 0, nil
	}
	at, full, err := nthLatestFailure(ctx, tx, id, source, now.Add(-loginDay), l.GuardedLoginFailures)
	if err != nil || !full {
		return 0, err
	}
	return fromMillis(at).Add(loginDay).Sub(now), nil
}

// nthLatestFailure returns the time of source's n-th latest failure on
// account id after since, and whether there are n.
func nthLatestFailure(ctx context.Context, tx *dbTx, id int64, source string, since time.Time, n int) (int64, bool, error) {
	var at int64
	err := tx.QueryRowContext(ctx, `SELECT at FROM login_failures WHERE account_id = ? AND source = ? AND at > ?
		ORDER BY at DESC LIMIT 1 OFFSET ?`, id, source, millis(since), n-1).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return at, err == nil, err
}

// loginSucceeded forgets the failures of source on account id, in tx: the
// owner got in, their earlier typos no longer count against them. Other
// sources' failures stay, so the guard holds.
func loginSucceeded(ctx context.Context, tx *dbTx, id int64, source string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE account_id = ? AND source = ?`, id, source)
	return err
}
