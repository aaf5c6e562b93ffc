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

//go:embed migrations/*.sql
var migrationFS embed.FS

// openDB opens the SQLite file in WAL mode and applies pending migrations.
//
// Every transaction starts IMMEDIATE (takes the write lock at BEGIN), so two
// writers never deadlock upgrading a read lock; busy_timeout makes them wait
// for each other instead of failing. synchronous=FULL makes a commit survive
// a power cut, not only a crash of the process: a 202 means the mail is
// really queued.
func openDB(ctx context.Context, file string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+file+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("server: open database: %w", err)
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("server: open database %s: %w", file, err)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// migrate applies the embedded migrations/NNN_name.sql files in order, each
// in its own transaction, recording them in schema_migrations.
func migrate(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("server: migrate: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
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
		err = inTx(ctx, db, func(tx *sql.Tx) error {
			var done int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, n).Scan(&done); err != nil {
				return err
			}
			if done > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
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

// inTx runs fn in a transaction and commits it, or rolls back on error.
func inTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
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
func loadMACKey(ctx context.Context, db *sql.DB) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	if _, err := db.ExecContext(ctx, `INSERT OR IGNORE INTO settings(key, value) VALUES ('code_mac_key', ?)`, fresh); err != nil {
		return nil, fmt.Errorf("server: store code key: %w", err)
	}
	var key []byte
	if err := db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'code_mac_key'`).Scan(&key); err != nil {
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

func findAccount(ctx context.Context, q querier, username string) (account, error) {
	return scanAccount(q.QueryRowContext(ctx, `SELECT `+accountColumns+`
		FROM accounts WHERE username_key = ? AND id != 0`, usernameKey(username)))
}

func findAccountByID(ctx context.Context, q querier, id int64) (account, error) {
	return scanAccount(q.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = ?`, id))
}

func scanAccount(row *sql.Row) (account, error) {
	var a account
	err := row.Scan(&a.ID, &a.Username, &a.Email, &a.DisplayName, &a.Company, &a.PasswordHash, &a.LockedUntil)
	if errors.Is(err, sql.ErrNoRows) {
		return account{}, errNoAccount
	}
	return a, err
}
