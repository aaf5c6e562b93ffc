package server

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver for database/sql
)

// DefaultPostgresConns is how many connections one instance opens to
// PostgreSQL at most, unless Config.DBMaxConns says otherwise.
const DefaultPostgresConns = 10

// openPostgres opens a PostgreSQL database through pgx's database/sql driver.
// Transactions run at READ COMMITTED; what must not race takes a row lock
// first (lockAccount, the outbox claim, the rate buckets' upsert).
func openPostgres(ctx context.Context, dsn string, maxConns int) (*db, error) {
	if maxConns <= 0 {
		maxConns = DefaultPostgresConns
	}
	sdb, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("server: open database: %w", err)
	}
	sdb.SetMaxOpenConns(maxConns)
	sdb.SetMaxIdleConns(maxConns)
	sdb.SetConnMaxIdleTime(5 * time.Minute)
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		// pgx's errors name host, user and database, never the password.
		return nil, fmt.Errorf("server: open PostgreSQL database: %w", err)
	}
	return &db{DB: sdb, postgres: true}, nil
}

// pgBuckets keeps the token buckets in PostgreSQL's rate_buckets table, so
// every instance draws on the same allowance: an address that spreads its
// requests over the instances behind a load balancer gets no more.
type pgBuckets struct {
	d   *db
	now func() time.Time
}

// take is addressLimiter.allow in one statement: refill the bucket for the
// time since it last changed, then take a token if there is a whole one. The
// upsert holds the row's lock, so concurrent takes queue up on it.
func (b pgBuckets) take(ctx context.Context, key string, r rate) (bool, time.Duration, error) {
	if r.Requests <= 0 {
		return true, 0, nil
	}
	now := b.now().UnixMilli()
	perToken := float64(r.Per.Milliseconds()) / float64(r.Requests) // ms
	var (
		ok     bool
		tokens float64
	)
	err := b.d.DB.QueryRowContext(ctx, `
		INSERT INTO rate_buckets AS b (key, tokens, at, full_at, ok)
		VALUES ($1, $2::float8 - 1, $3::bigint, $3::bigint + ceil($4::float8)::bigint, true)
		ON CONFLICT (key) DO UPDATE SET (tokens, at, full_at, ok) = (
			SELECT t - CASE WHEN t >= 1 THEN 1 ELSE 0 END,
			       GREATEST(b.at, $3::bigint),
			       $3::bigint + ceil(($2::float8 - t + CASE WHEN t >= 1 THEN 1 ELSE 0 END) * $4::float8)::bigint,
			       t >= 1
			FROM (SELECT LEAST($2::float8, b.tokens + GREATEST($3::bigint - b.at, 0) / $4::float8) AS t) refill)
		RETURNING ok, tokens`, key, float64(r.Requests), now, perToken).Scan(&ok, &tokens)
	if err != nil || ok {
		return ok, 0, err
	}
	return false, time.Duration(math.Ceil((1-tokens)*perToken)) * time.Millisecond, nil
}

// prune forgets the buckets that are full again.
func (b pgBuckets) prune(ctx context.Context, tx *dbTx, now time.Time) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM rate_buckets WHERE full_at <= ?`, millis(now))
	return err
}
