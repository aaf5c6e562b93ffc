package server

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)
)

//go:embed migrations
var migrationFS embed.FS

// db is the database: database/sql over SQLite (the embedded default) or
// PostgreSQL (several instances on one database). Queries are written once,
// with ? placeholders, in the SQL both understand; the few differences are
// methods of db (forUpdate) or separate migrations (migrations/postgres).
type db struct {
	*sql.DB
	postgres bool
	// writer, on SQLite, is held by whoever writes: SQLite lets one writer
	// in at a time and makes the others poll (busy_timeout), which is not
	// fair, so a steady stream of requests could starve the mail worker.
	// Waiting on a channel queues the writers in order instead.
	writer chan struct{}
}

// isPostgresURL reports whether Config.DBPath names a PostgreSQL database
// rather than a SQLite file.
func isPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// openDB opens the database DBPath names and applies pending migrations.
func openDB(ctx context.Context, dsn string, maxConns int) (*db, error) {
	var (
		d   *db
		err error
	)
	if isPostgresURL(dsn) {
		d, err = openPostgres(ctx, dsn, maxConns)
	} else {
		d, err = openSQLite(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := d.migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	if !d.postgres {
		// One process serves a SQLite file: a claim on the outbox found
		// at start was left by a worker that is gone.
		if _, err := d.ExecContext(ctx, `UPDATE outbox SET claimed_until = 0 WHERE claimed_until > 0`); err != nil {
			d.Close()
			return nil, fmt.Errorf("server: outbox: %w", err)
		}
	}
	return d, nil
}

// openSQLite opens the SQLite file in WAL mode.
//
// Every transaction starts IMMEDIATE (takes the write lock at BEGIN), so two
// writers never deadlock upgrading a read lock; busy_timeout makes them wait
// for each other instead of failing. synchronous=FULL makes a commit survive
// a power cut, not only a crash of the process: a 202 means the mail is
// really queued.
func openSQLite(ctx context.Context, file string) (*db, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Set("_txlock", "immediate")
	sdb, err := sql.Open("sqlite", "file:"+file+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("server: open database: %w", err)
	}
	sdb.SetMaxOpenConns(8)
	sdb.SetMaxIdleConns(8)
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("server: open database %s: %w", file, err)
	}
	return &db{DB: sdb, writer: make(chan struct{}, 1)}, nil
}

// migrationDir holds the dialect's migrations: the same numbered steps,
// written for SQLite in migrations/ and for PostgreSQL in migrations/postgres/.
func (d *db) migrationDir() string {
	if d.postgres {
		return "migrations/postgres"
	}
	return "migrations"
}

// migrate applies the embedded NNN_name.sql files in order, each in its own
// transaction, recording them in schema_migrations. On PostgreSQL each
// transaction first takes an advisory lock, so instances that start at the
// same time apply every step once, one after the other; SQLite's IMMEDIATE
// transactions already do that.
func (d *db) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrationFS, d.migrationDir()+"/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := path.Base(name)
		n, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("server: migration %s: name must start with a number", base)
		}
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return err
		}
		err = inTx(ctx, d, func(tx *dbTx) error {
			if d.postgres {
				if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, migrationLockID); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
				return err
			}
			var done int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, n).Scan(&done); err != nil {
				return err
			}
			if done > 0 {
				return nil
			}
			// Raw: migrations hold no placeholders, and PostgreSQL runs
			// a multi-statement text only without parameters.
			if _, err := tx.Tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, name) VALUES (?, ?)`, n, base)
			return err
		})
		if err != nil {
			return fmt.Errorf("server: migration %s: %w", base, err)
		}
	}
	return nil
}

// migrationLockID is the PostgreSQL advisory lock key migrations hold.
const migrationLockID int64 = 0x53616c6573506c73 // "SalesPls"

// rebind turns the ? placeholders into PostgreSQL's $1, $2, ... (outside
// quoted text); SQLite queries pass through.
func (d *db) rebind(q string) string {
	if !d.postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n, quoted := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// forUpdate is the clause that locks the selected rows until the
// transaction ends. SQLite needs none: its transactions take the write lock
// at BEGIN.
func (d *db) forUpdate() string {
	if d.postgres {
		return " FOR UPDATE"
	}
	return ""
}

// skipLocked is forUpdate, skipping the rows another transaction holds.
func (d *db) skipLocked() string {
	if d.postgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

func (d *db) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return d.DB.ExecContext(ctx, d.rebind(q), args...)
}

func (d *db) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return d.DB.QueryContext(ctx, d.rebind(q), args...)
}

func (d *db) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return d.DB.QueryRowContext(ctx, d.rebind(q), args...)
}

func (d *db) Exec(q string, args ...any) (sql.Result, error) {
	return d.ExecContext(context.Background(), q, args...)
}

func (d *db) Query(q string, args ...any) (*sql.Rows, error) {
	return d.QueryContext(context.Background(), q, args...)
}

func (d *db) QueryRow(q string, args ...any) *sql.Row {
	return d.QueryRowContext(context.Background(), q, args...)
}

// dbTx is a transaction on db, with the same placeholder rewriting.
type dbTx struct {
	*sql.Tx
	d *db
}

func (tx *dbTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return tx.Tx.ExecContext(ctx, tx.d.rebind(q), args...)
}

func (tx *dbTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return tx.Tx.QueryContext(ctx, tx.d.rebind(q), args...)
}

func (tx *dbTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return tx.Tx.QueryRowContext(ctx, tx.d.rebind(q), args...)
}

// write waits for d's writer turn on SQLite (a no-op on PostgreSQL, whose
// row locks queue writers themselves) and returns the function that ends it.
func (d *db) write(ctx context.Context) (done func(), err error) {
	if d.writer == nil {
		return func() {}, nil
	}
	select {
	case d.writer <- struct{}{}:
		return func() { <-d.writer }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// inTx runs fn in a transaction and commits it, or rolls back on error.
// On SQLite every transaction writes (BEGIN IMMEDIATE), so it takes the
// writer turn first.
func inTx(ctx context.Context, d *db, fn func(*dbTx) error) error {
	done, err := d.write(ctx)
	if err != nil {
		return err
	}
	defer done()
	tx, err := d.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(&dbTx{Tx: tx, d: d}); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// loadMACKey returns the server's secret for hashing reset codes, creating
// it on first start. It lives in the database so codes stay valid across
// restarts; someone who steals the database also gets the key, but the key
// still stops a precomputed table of all 10^6 codes from being reused across
// installations, and codes live only minutes.
func loadMACKey(ctx context.Context, d *db) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	if _, err := d.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES ('code_mac_key', ?) ON CONFLICT DO NOTHING`, fresh); err != nil {
		return nil, fmt.Errorf("server: store code key: %w", err)
	}
	var key []byte
	if err := d.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'code_mac_key'`).Scan(&key); err != nil {
		return nil, fmt.Errorf("server: load code key: %w", err)
	}
	if len(key) != 32 {
		return nil, errors.New("server: code key in the database is corrupt")
	}
	return key, nil
}

// account is one row of the accounts table.
type account struct {
	ID           int64
	Username     string
	Email        string
	DisplayName  string
	Company      string
	PasswordHash string
	LockedUntil  int64 // Unix ms; reset is refused before this
}

var errNoAccount = errors.New("no such account")

// usernameKey is how usernames are matched: case-insensitive after trimming.
func usernameKey(username string) string {
	return strings.ToLower(strings.TrimSpace(username))
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

const accountColumns = `id, username, email, display_name, company, password_hash, reset_locked_until`

func scanAccount(row *sql.Row) (account, error) {
	var a account
	err := row.Scan(&a.ID, &a.Username, &a.Email, &a.DisplayName, &a.Company, &a.PasswordHash, &a.LockedUntil)
	if errors.Is(err, sql.ErrNoRows) {
		return account{}, errNoAccount
	}
	return a, err
}

func findAccount(ctx context.Context, q querier, username string) (account, error) {
	return scanAccount(q.QueryRowContext(ctx, `SELECT `+accountColumns+`
		FROM accounts WHERE username_key = ? AND id != 0`, usernameKey(username)))
}

// lockAccount reads account id inside tx and locks its row until tx ends.
// Every per-account decision (the limits, a code's state, a new password, a
// new session) is taken under that lock, always taken first, so instances on
// one PostgreSQL database take them one at a time, as SQLite's single writer
// does, and never deadlock.
func lockAccount(ctx context.Context, tx *dbTx, id int64) (account, error) {
	return scanAccount(tx.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = ?`+tx.d.forUpdate(), id))
}
