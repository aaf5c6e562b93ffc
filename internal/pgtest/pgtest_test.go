package pgtest

import (
	"database/sql"
	"os"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// Each URL is its own empty database on the one cluster.
func TestURLGivesSeparateDatabases(t *testing.T) {
	open := func(url string) *sql.DB {
		db, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	a, b := open(URL(t)), open(URL(t))
	if _, err := a.Exec(`CREATE TABLE t (n INTEGER)`); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Exec(`CREATE TABLE t (n INTEGER)`); err != nil {
		t.Fatalf("the second database already had the first one's table: %v", err)
	}
	var user string
	if err := a.QueryRow(`SELECT current_user`).Scan(&user); err != nil || user != "postgres" {
		t.Fatalf("current_user = %q, %v", user, err)
	}
}
