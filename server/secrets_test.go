package server

import (
	"bytes"
	"context"
	"crypto/hmac"
	"fmt"
	"slices"
	"testing"
	"time"
)

// Codes are always six digits, and every digit turns up in every position
// (a broken draw, e.g. unpadded or from a small range, fails this).
func TestNewCodeFormat(t *testing.T) {
	var seen [6][10]bool
	for i := 0; i < 5000; i++ {
		c, err := newCode()
		if err != nil {
			t.Fatal(err)
		}
		if !isSixDigits(c) {
			t.Fatalf("code %q is not 6 digits", c)
		}
		for p := 0; p < 6; p++ {
			seen[p][c[p]-'0'] = true
		}
	}
	for p := range seen {
		for d, ok := range seen[p] {
			if !ok {
				t.Errorf("digit %d never appeared at position %d in 5000 codes", d, p)
			}
		}
	}
}

// The code is kept only as an HMAC under the server key: once its mail is
// delivered, no table holds the code in any form but that.
func TestCodeStoredOnlyAsKeyedHash(t *testing.T) { eachStore(t, testCodeStoredOnlyAsKeyedHash) }

func testCodeStoredOnlyAsKeyedHash(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	code := e.requestCode(alex.Username)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.srv.waitMailIdle(ctx); err != nil {
		t.Fatal(err)
	}
	var mac []byte
	if err := e.srv.db.QueryRow(`SELECT code_mac FROM reset_codes WHERE state = 'active'`).Scan(&mac); err != nil {
		t.Fatal(err)
	}
	if !hmac.Equal(mac, codeMAC(e.srv.macKey, 1, code)) {
		t.Fatal("stored value is not HMAC(key, account, code)")
	}
	if hmac.Equal(mac, codeMAC(make([]byte, 32), 1, code)) {
		t.Fatal("the MAC does not depend on the key")
	}
	// Look for the code anywhere in the database.
	listTables := `SELECT name FROM sqlite_schema WHERE type = 'table'`
	if e.srv.db.postgres {
		listTables = `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`
	}
	tables, err := e.srv.db.Query(listTables)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		tables.Scan(&n)
		names = append(names, n)
	}
	tables.Close()
	if !slices.Contains(names, "reset_codes") || !slices.Contains(names, "outbox") {
		t.Fatalf("the table list %v misses tables", names)
	}
	for _, table := range names {
		rows, err := e.srv.db.Query(fmt.Sprintf(`SELECT * FROM %q`, table))
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			for i, v := range vals {
				var b []byte
				switch v := v.(type) {
				case string:
					b = []byte(v)
				case []byte:
					b = v
				default:
					continue // integers are times and counters; a code in one would be chance
				}
				if bytes.Contains(b, []byte(code)) {
					t.Errorf("%s.%s holds the code", table, cols[i])
				}
			}
		}
		rows.Close()
	}
}

// Rows no rule needs any more are pruned; live ones stay.
func TestPruneOldRows(t *testing.T) { eachStore(t, testPruneOldRows) }

func testPruneOldRows(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	e.requestCode(alex.Username)
	e.confirm(alex.Username, "000000", newStrongPassword) // a failure record (unless the code is 000000)
	if r := e.login(alex.Username, alex.Password); r.Status != 201 {
		t.Fatal(r.Status)
	}
	if r := e.login(priya.Username, "not her password"); r.Status != 401 {
		t.Fatal(r.Status)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.srv.waitMailIdle(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.prune(ctx); err != nil {
		t.Fatal(err)
	}
	if e.count(`SELECT count(*) FROM reset_codes`) != 1 || e.count(`SELECT count(*) FROM sessions`) != 1 ||
		e.count(`SELECT count(*) FROM login_failures`) != 1 {
		t.Fatal("prune removed live rows")
	}
	// A wrong password outlives the 15-minute window: the account-wide
	// rule counts 24 h back.
	e.clock.Advance(23 * time.Hour)
	if err := e.srv.prune(ctx); err != nil {
		t.Fatal(err)
	}
	if e.count(`SELECT count(*) FROM login_failures`) != 1 {
		t.Fatal("prune removed a wrong login the account-wide rule still counts")
	}
	e.clock.Advance(40 * 24 * time.Hour) // the session expired 10 days ago
	// Delivered mail is stamped with the wall clock; move it back in time.
	e.srv.db.Exec(`UPDATE outbox SET sent_at = ?`, time.Now().Add(-8*24*time.Hour).UnixMilli())
	if err := e.srv.prune(ctx); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"reset_codes", "confirm_failures", "login_failures", "sessions", "outbox"} {
		if n := e.count(`SELECT count(*) FROM ` + table); n != 0 {
			t.Errorf("%s: %d old rows left", table, n)
		}
	}
	if e.count(`SELECT count(*) FROM accounts`) != len(DemoAccounts)+1 { // + the decoy
		t.Error("prune touched accounts")
	}
}
