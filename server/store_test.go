package server

import (
	"context"
	"path"
	"testing"
	"time"
)

// Every migration exists for both dialects, under the same number and name,
// so the two stores' schemas move together.
func TestMigrationsExistForBothDialects(t *testing.T) {
	list := func(dir string) []string {
		entries, err := migrationFS.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			if !e.IsDir() && path.Ext(e.Name()) == ".sql" {
				names = append(names, e.Name())
			}
		}
		return names
	}
	sqlite, pg := list("migrations"), list("migrations/postgres")
	if len(sqlite) == 0 || len(sqlite) != len(pg) {
		t.Fatalf("SQLite has %v, PostgreSQL %v", sqlite, pg)
	}
	for i := range sqlite {
		if sqlite[i] != pg[i] {
			t.Errorf("migration %d: SQLite %s, PostgreSQL %s", i, sqlite[i], pg[i])
		}
	}
}

func TestRebind(t *testing.T) {
	pg, lite := &db{postgres: true}, &db{}
	for in, want := range map[string]string{
		`SELECT 1`: `SELECT 1`,
		`UPDATE t SET a = ? WHERE b = ? AND c = ?`: `UPDATE t SET a = $1 WHERE b = $2 AND c = $3`,
		`SELECT '?' || ? FROM t WHERE s = 'a?b'`:   `SELECT '?' || $1 FROM t WHERE s = 'a?b'`,
	} {
		if got := pg.rebind(in); got != want {
			t.Errorf("rebind(%q) = %q, want %q", in, got, want)
		}
		if got := lite.rebind(in); got != in {
			t.Errorf("SQLite rebind changed %q to %q", in, got)
		}
	}
}

// The token bucket behaves the same in memory (SQLite) and in PostgreSQL's
// table: the same takes at the same times get the same answers and waits.
func TestBucketStoresAgree(t *testing.T) {
	e := newPostgresEnv(t)
	clock := e.clock
	stores := map[string]bucketStore{
		"memory":   newAddressLimiter(clock.Now),
		"postgres": pgBuckets{d: e.srv.db, now: clock.Now},
	}
	r := rate{Requests: 3, Per: time.Minute} // a token every 20 s
	steps := []time.Duration{0, 0, 0, 0, 5 * time.Second, 15 * time.Second, 0, 0, 60 * time.Second, 0, 0, 0, 0, 7 * time.Second}
	type answer struct {
		ok   bool
		wait time.Duration
	}
	got := map[string][]answer{}
	for _, step := range steps {
		clock.Advance(step)
		for name, st := range stores {
			ok, wait, err := st.take(context.Background(), "login|192.0.2.1", r)
			if err != nil {
				t.Fatal(err)
			}
			got[name] = append(got[name], answer{ok, wait.Round(time.Millisecond)})
		}
	}
	refused := 0
	for i := range steps {
		m, p := got["memory"][i], got["postgres"][i]
		if m != p {
			t.Errorf("take %d: memory %+v, postgres %+v", i, m, p)
		}
		if !m.ok {
			refused++
		}
	}
	if refused == 0 {
		t.Fatal("no take was refused: the steps test nothing")
	}
	// Pruning forgets a bucket once it is full again, not before.
	for _, step := range []struct {
		advance time.Duration
		left    int
	}{{30 * time.Second, 1}, {time.Minute, 0}} {
		clock.Advance(step.advance)
		if err := e.srv.prune(context.Background()); err != nil {
			t.Fatal(err)
		}
		if n := e.count(`SELECT count(*) FROM rate_buckets WHERE key = 'login|192.0.2.1'`); n != step.left {
			t.Errorf("%d buckets left after pruning, want %d", n, step.left)
		}
	}
}
