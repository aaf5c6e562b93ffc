package server

import (
	"context"
	"time"
)

// Retention of rows that no rule needs any more.
const (
	keepCodes    = 48 * time.Hour     // limits look back 24 h at most (idempotency keys)
	keepFailures = 24 * time.Hour     // the daily reset lock counts 24 h
	keepSessions = 7 * 24 * time.Hour // after expiry or revocation, for the audit trail
	keepSentMail = 7 * 24 * time.Hour // delivered outbox rows (bodies are already erased)
	pruneEvery   = time.Hour
)

// prune deletes rows that no rule looks at any more, so the database does
// not grow with every probe and every login.
func (s *Server) prune(ctx context.Context) error {
	now := s.now()
	return inTx(ctx, s.db, func(tx *dbTx) error {
		for _, q := range []struct {
			sql    string
			before time.Duration
		}{
			{`DELETE FROM reset_codes WHERE created_at < ?`, keepCodes},
			{`DELETE FROM confirm_failures WHERE at < ?`, keepFailures},
			{`DELETE FROM login_failures WHERE at < ?`, loginDay}, // the account-wide rule counts 24 h
			// Expired or revoked before: the earlier of the two (a NULL
			// revoked_at compares false).
			{`DELETE FROM sessions WHERE CASE WHEN revoked_at < expires_at THEN revoked_at ELSE expires_at END < ?`, keepSessions},
		} {
			if _, err := tx.ExecContext(ctx, q.sql, millis(now.Add(-q.before))); err != nil {
				return err
			}
		}
		if b, ok := s.limiter.(pgBuckets); ok {
			if err := b.prune(ctx, tx, now); err != nil {
				return err
			}
		}
		// The worker stamps sent_at with the wall clock, not Config.Clock.
		_, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE sent_at < ?`, time.Now().Add(-keepSentMail).UnixMilli())
		return err
	})
}

// runPruner prunes at start and then every hour until ctx ends.
func (s *Server) runPruner(ctx context.Context, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(pruneEvery)
	defer t.Stop()
	for {
		if err := s.prune(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("prune", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
