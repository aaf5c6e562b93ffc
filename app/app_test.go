package app

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"salesplus/credentials"
	"salesplus/screens"
)

func TestServerURLPrecedence(t *testing.T) {
	a := test.NewTempApp(t)
	prefs := a.Preferences()
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	for _, step := range []struct {
		name              string
		set               func()
		want              string
		fixed, configured bool
	}{
		{"default", func() {}, DefaultServerURL, false, false},
		{"setting", func() { prefs.SetString(PrefServerURL, " https://sales.example.com ") }, "https://sales.example.com", false, true},
		{"environment", func() { env[EnvServerURL] = "http://127.0.0.1:9999" }, "http://127.0.0.1:9999", true, true},
	} {
		step.set()
		url, fixed, configured := ServerURLFrom(prefs, getenv)
		if url != step.want || fixed != step.fixed || configured != step.configured {
			t.Errorf("%s: %q fixed %v configured %v, want %q %v %v", step.name, url, fixed, configured, step.want, step.fixed, step.configured)
		}
	}
}

func TestBadServerURLIsExplained(t *testing.T) {
	wd := newWorldWith(t, func(wd *world, prefs fyne.Preferences, cfg *Config) {
		cfg.ServerURL = "http://sales.example.com" // plain http to a remote host is refused
		prefs.SetString(prefUsername, rep.Username)
	})
	wd.tap("Sync Now")
	wd.waitFor("Sync failed")
	wd.waitFor("must start with https://")
}

// signedInBefore is an earlier run: the rep logged in, so the keyring holds
// the password and a session token.
func signedInBefore(password, token string) func(*world, fyne.Preferences, *Config) {
	return func(wd *world, prefs fyne.Preferences, _ *Config) {
		prefs.SetString(prefUsername, rep.Username)
		if err := wd.store.Set(rep.Username, password); err != nil {
			wd.t.Fatal(err)
		}
		if err := wd.store.Set(tokenKey(rep.Username), token); err != nil {
			wd.t.Fatal(err)
		}
	}
}

func TestSyncLogsInAgainWhenTheTokenIsRejected(t *testing.T) {
	wd := newWorldWith(t, signedInBefore(rep.Password, "not-a-real-token"))
	wd.waitFor(rep.Username)
	wd.tap("Sync Now")
	wd.waitFor("Up to date")
	tok, err := wd.store.Get(tokenKey(rep.Username))
	if err != nil || tok == "not-a-real-token" || tok == "" {
		t.Errorf("token after re-login: %q, %v", tok, err)
	}
	if !wd.shows(rep.DisplayName) {
		t.Errorf("account name from the server not shown:\n%s", wd.text())
	}
}

func TestSyncSignsOutWhenTheSavedPasswordNoLongerWorks(t *testing.T) {
	wd := newWorldWith(t, signedInBefore("an-old-password-1", "not-a-real-token"))
	wd.tap("Sync Now")
	wd.waitFor("Signed out")
	wd.waitFor("saved password no longer works")
	if wd.find("Log In") == nil || wd.find("Reset Password") == nil {
		t.Errorf("signed out without Log In and Reset Password:\n%s", wd.text())
	}
	if _, err := wd.store.Get(rep.Username); !errors.Is(err, credentials.ErrNotFound) {
		t.Errorf("the stale password is still saved: %v", err)
	}
	// Log In from here brings the rep back.
	wd.logInAndSync()
}

func TestSyncStateSurvivesRestartAndLogOutForgetsEverything(t *testing.T) {
	wd := newWorld(t)
	wd.logInAndSync()

	// A second start of the app on the same preferences shows the last state.
	w2 := test.NewTempWindow(t, nil)
	w2.Resize(fyne.NewSize(360, 640))
	again := Create(fyne.CurrentApp(), w2, wd.cfg)
	t.Cleanup(again.Close)
	u2 := &ui{t: t, q: wd.q, w: w2}
	for _, want := range []string{"Up to date", "Last synced just now", "Customers", "Products", "Price list", rep.DisplayName} {
		if !u2.shows(want) {
			t.Errorf("after a restart the screen lacks %q:\n%s", want, u2.text())
		}
	}

	wd.tap("Log Out")
	wd.waitFor("Log out?")
	wd.tap("Log Out") // the question's
	wd.waitFor("Signed out")
	wd.eventually("keyring emptied", func() bool {
		_, err1 := wd.store.Get(rep.Username)
		_, err2 := wd.store.Get(tokenKey(rep.Username))
		return errors.Is(err1, credentials.ErrNotFound) && errors.Is(err2, credentials.ErrNotFound)
	})
	if _, err := os.Stat(filepath.Join(wd.dir, "datasets")); !os.IsNotExist(err) {
		t.Errorf("synced data left on the device after Log Out: %v", err)
	}
}

func TestSyncOffline(t *testing.T) {
	wd := newWorld(t)
	wd.logInAndSync()
	wd.http.stop()
	wd.tap("Sync Now")
	wd.waitFor("Offline")
	wd.waitFor("Your data from the last sync is still on this device.")
	wd.http.start()
	wd.tap("Sync Now")
	wd.waitFor("Up to date")
}

// brokenStore is a keyring that fails every call, like a locked keyring
// whose unlock prompt nobody answers.
type brokenStore struct{}

func (brokenStore) Get(string) (string, error) { return "", credentials.ErrTimeout }
func (brokenStore) Set(string, string) error   { return credentials.ErrTimeout }
func (brokenStore) Delete(string) error        { return credentials.ErrTimeout }

func TestKeyringFailureIsANoticeAndTheFlowContinues(t *testing.T) {
	wd := newWorldWith(t, func(_ *world, _ fyne.Preferences, cfg *Config) { cfg.Store = brokenStore{} })
	wd.logInAndSync()
	wd.waitFor("couldn't save your password in the system keyring")
}

// syncHeldAtProducts starts a sync of a signed-in rep and holds it at the
// second of the three datasets until release is called.
func syncHeldAtProducts(t *testing.T) (wd *world, release func()) {
	wd = newWorldWith(t, signedInBefore(rep.Password, "not-a-real-token"))
	release = wd.holdRequests("/api/v1/sync/datasets/products")
	wd.tap("Sync Now")
	wd.waitFor("Syncing…")
	wd.waitFor("Products (2 of 3)")
	return wd, release
}

func TestSyncReportsProgress(t *testing.T) {
	wd, release := syncHeldAtProducts(t)
	if wd.enabled("Sync Now") || wd.enabled("Log Out") {
		t.Error("Sync Now and Log Out should wait for the sync to end")
	}
	release()
	wd.waitFor("Up to date")
	if wd.shows("Products (2 of 3)") {
		t.Error("progress still shown after the sync")
	}
}

// TestSwitchingServerDropsTheSyncInFlight: a sync works with what it
// captured at its start, and its late result does not land on the new
// server's state (go test -race checks that nothing is shared).
func TestSwitchingServerDropsTheSyncInFlight(t *testing.T) {
	wd, release := syncHeldAtProducts(t)
	const other = "http://127.0.0.1:9"
	wd.app.engine.SwitchServer(newAPI(other, wd.cfg), other)
	release()
	wd.app.engine.runs.Wait() // the old sync has ended
	wd.q.Drain()
	if wd.app.engine.running {
		t.Error("the old sync still counts as running")
	}
	st := wd.app.engine.State()
	if st.Server != other || st.Overall != screens.SignedOut || st.Reason != screens.ReasonChangedServer || len(st.Datasets) != 0 {
		t.Errorf("state after the switch: %+v", st)
	}
	if entries, _ := os.ReadDir(filepath.Join(wd.dir, "datasets")); len(entries) != 0 {
		t.Errorf("the old server's sync wrote %d files after the switch", len(entries))
	}
}

func TestChangeServerFromSyncStatus(t *testing.T) {
	wd := newWorldWith(t, func(wd *world, prefs fyne.Preferences, cfg *Config) {
		cfg.ServerURL = ""
		cfg.Getenv = func(string) string { return "" }
		prefs.SetString(PrefServerURL, "http://127.0.0.1:9") // nothing listens there
	})
	wd.waitFor("Server: http://127.0.0.1:9")
	wd.tap("Change")
	wd.waitFor("Sales Plus server")
	wd.clear("Sales Plus server") // the entry follows the title
	wd.typeInto("Sales Plus server", "http://sales.example.com")
	wd.press(fyne.KeyReturn)
	wd.waitFor("must start with https://")

	wd.clear("Sales Plus server")
	wd.typeInto("Sales Plus server", wd.http.url)
	wd.press(fyne.KeyReturn)
	wd.waitFor("Server: " + wd.http.url)
	wd.waitFor("You changed the server.")
	if got := fyne.CurrentApp().Preferences().String(PrefServerURL); got != wd.http.url {
		t.Errorf("setting = %q", got)
	}
	wd.logInAndSync()
}

func TestServerFixedByEnvironmentCannotBeChanged(t *testing.T) {
	wd := newWorldWith(t, func(wd *world, _ fyne.Preferences, cfg *Config) {
		cfg.ServerURL = ""
		cfg.Getenv = func(k string) string {
			if k == EnvServerURL {
				return wd.http.url
			}
			return ""
		}
	})
	wd.waitFor("Server: " + wd.http.url)
	if wd.find("Change") != nil {
		t.Error("Change offered though SALESPLUS_SERVER_URL fixes the address")
	}
}

func TestStartingAgainstAnotherServerSignsOut(t *testing.T) {
	wd := newWorld(t)
	wd.logInAndSync()

	cfg := wd.cfg
	cfg.ServerURL = "http://127.0.0.1:9"
	w2 := test.NewTempWindow(t, nil)
	again := Create(fyne.CurrentApp(), w2, cfg)
	t.Cleanup(again.Close)
	u2 := &ui{t: t, q: wd.q, w: w2}
	u2.waitFor("Signed out")
	u2.waitFor("The server address changed.")
	if u2.shows("Customers") {
		t.Error("data from the old server still shown")
	}
	if _, err := os.Stat(filepath.Join(wd.dir, "datasets")); !os.IsNotExist(err) {
		t.Errorf("data from the old server left on the device: %v", err)
	}
}
