package server

import "testing"

// A password made from the account's own email address (the local part as
// it is, or with digits) is refused over HTTP as too weak, with the verdict,
// for its owner: the user inputs hold the whole local part and the local part
// without separators.
func TestPasswordFromTheEmailIsTooWeak(t *testing.T) {
	e := newEnv(t)
	codes := map[string]string{}
	for _, c := range []struct {
		username, password string
	}{
		{priya.Username, "priya.shah"},
		{priya.Username, "priyashah"},
		{alex.Username, "alex.morgan123"},
	} {
		if codes[c.username] == "" {
			codes[c.username] = e.requestCode(c.username) // a refused password leaves the code usable
		}
		r := e.confirm(c.username, codes[c.username], c.password)
		if r.Status != 422 || r.code() != "password_too_weak" {
			t.Errorf("%s with %q: %d %s, want 422 password_too_weak", c.username, c.password, r.Status, r.Raw)
			continue
		}
		if score, _ := r.Body["score"].(float64); score > 1 {
			t.Errorf("%s with %q: score %v, want Poor or Weak", c.username, c.password, r.Body["score"])
		}
	}
}
