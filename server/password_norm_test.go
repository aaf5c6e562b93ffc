package server

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// "é" as one character (U+00E9, what most keyboards send) and as "e" plus a
// combining acute accent (U+0065 U+0301, what another keyboard may send).
const (
	composedPassword   = "Cr\u00e8me-Br\u00fbl\u00e9e-Harbor-42"
	decomposedPassword = "Cre\u0300me-Bru\u0302le\u0301e-Harbor-42"
)

// Passwords are NFKC-normalised before they are hashed and before they are
// checked, so a password set on one keyboard works from another.
func TestPasswordNormalised(t *testing.T) { eachStore(t, testPasswordNormalised) }

func testPasswordNormalised(t *testing.T, newEnv envMaker) {
	if composedPassword == decomposedPassword {
		t.Fatal("the two spellings are the same bytes")
	}
	e := newEnv(t)
	code := e.requestCode(alex.Username)
	if r := e.confirm(alex.Username, code, composedPassword); r.Status != http.StatusNoContent {
		t.Fatalf("reset to a composed é: %d %s", r.Status, r.Raw)
	}
	if r := e.login(alex.Username, decomposedPassword); r.Status != 201 {
		t.Fatalf("login with a decomposed é after setting a composed one: %d %s", r.Status, r.Raw)
	}
	if r := e.login(alex.Username, composedPassword); r.Status != 201 {
		t.Fatalf("login with the composed é: %d %s", r.Status, r.Raw)
	}
	e.clock.Advance(61 * time.Second)
	code = e.requestCode(alex.Username)
	if r := e.confirm(alex.Username, code, "Decomposed-"+decomposedPassword); r.Status != http.StatusNoContent {
		t.Fatalf("reset to a decomposed é: %d %s", r.Status, r.Raw)
	}
	if r := e.login(alex.Username, "Decomposed-"+composedPassword); r.Status != 201 {
		t.Fatalf("login with a composed é after setting a decomposed one: %d %s", r.Status, r.Raw)
	}
}

// A hash made before normalisation holds the password as it was typed. It
// keeps working, and the first login that matches it rehashes the
// normalised form, after which the other spelling works too.
func TestLegacyHashRehashedAtLogin(t *testing.T) { eachStore(t, testLegacyHashRehashedAtLogin) }

func testLegacyHashRehashedAtLogin(t *testing.T, newEnv envMaker) {
	e := newEnv(t)
	ctx := context.Background()
	legacy, err := e.srv.hasher.hash(ctx, decomposedPassword) // not normalised
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.db.Exec(`UPDATE accounts SET password_hash = ? WHERE username = ?`, legacy, alex.Username); err != nil {
		t.Fatal(err)
	}
	storedHash := func() string {
		var h string
		if err := e.srv.db.QueryRow(`SELECT password_hash FROM accounts WHERE username = ?`, alex.Username).Scan(&h); err != nil {
			t.Fatal(err)
		}
		return h
	}
	if r := e.login(alex.Username, decomposedPassword); r.Status != 201 {
		t.Fatalf("login against the legacy hash: %d %s", r.Status, r.Raw)
	}
	rehashed := storedHash()
	if rehashed == legacy {
		t.Fatal("the legacy hash was not replaced at the first successful login")
	}
	if ok, _ := e.srv.hasher.verify(ctx, normalizePassword(decomposedPassword), rehashed); !ok {
		t.Fatal("the new hash is not of the normalised password")
	}
	if r := e.login(alex.Username, composedPassword); r.Status != 201 {
		t.Fatalf("login with the other spelling after the rehash: %d %s", r.Status, r.Raw)
	}
	if storedHash() != rehashed {
		t.Error("a normalised hash was rehashed again")
	}
	// A wrong password against a legacy hash is still wrong.
	if _, err := e.srv.db.Exec(`UPDATE accounts SET password_hash = ? WHERE username = ?`, legacy, alex.Username); err != nil {
		t.Fatal(err)
	}
	if r := e.login(alex.Username, decomposedPassword+"x"); r.Status != 401 {
		t.Fatalf("wrong password against a legacy hash: %d %s", r.Status, r.Raw)
	}
	if storedHash() != legacy {
		t.Error("a failed login changed the hash")
	}
}
