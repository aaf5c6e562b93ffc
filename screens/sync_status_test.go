package screens

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"salesplus/screens/screenstest"
)

func syncedState(now time.Time) SyncState {
	at := now.Add(-5 * time.Minute)
	return SyncState{
		Server: "http://127.0.0.1:8080", Username: "rep@example.com", DisplayName: "Robin Rep", Company: "Acme Foods",
		Overall: UpToDate, LastSuccess: at,
		Datasets: []DatasetRow{
			{Name: "customers", Title: "Customers", Records: 240, Version: 7, SyncedAt: at},
			{Name: "products", Title: "Products", Records: 118, Version: 3, SyncedAt: at},
			{Name: "price-list", Title: "Price list", Records: 118, Version: 12, SyncedAt: at},
		},
	}
}

func TestSyncStatusStates(t *testing.T) {
	test.NewTempApp(t)
	q := &screenstest.Queue{}
	clock := newFakeClock()
	var synced, loggedIn, loggedOut, reset int
	s := NewSyncStatus(testEnv(q, clock), SyncActions{
		SyncNow: func() { synced++ }, LogIn: func() { loggedIn++ }, LogOut: func() { loggedOut++ }, ResetPassword: func() { reset++ },
	})
	w := show(t, s)
	assertMarkup(t, "sync_status/never.xml", w)
	if visible(s.syncButton) || !visible(s.loginButton) {
		t.Error("with nobody signed in, Log In should replace Sync Now")
	}

	up := syncedState(clock.Now())
	s.SetState(up)
	if s.status.Text != "Up to date" || s.lastSync.Text != "Last synced 5 minutes ago" {
		t.Errorf("status %q, last sync %q", s.status.Text, s.lastSync.Text)
	}
	if shown(s.lastExact) != "Sat 14 Mar 2026, 09:25:00 UTC" {
		t.Errorf("exact time %q", shown(s.lastExact))
	}
	assertMarkup(t, "sync_status/up_to_date.xml", w)
	test.Tap(s.syncButton)
	test.Tap(s.resetButton)
	test.Tap(s.logoutButton)
	if synced != 1 || reset != 1 || loggedOut != 1 {
		t.Errorf("taps: sync %d, reset %d, logout %d", synced, reset, loggedOut)
	}

	// Time passes: the relative times age without a new state.
	clock.Advance(2 * time.Hour)
	s.refreshTimes()
	if s.lastSync.Text != "Last synced 2 hours ago" {
		t.Errorf("after two hours: %q", s.lastSync.Text)
	}
	clock.Advance(-2 * time.Hour)

	syncing := up
	syncing.Overall, syncing.Progress, syncing.Step = Syncing, 0.5, "Products (2 of 3)"
	s.SetState(syncing)
	if !s.syncButton.Disabled() || !visible(s.progress) || s.progress.Value != 0.5 {
		t.Error("while syncing: Sync Now disabled and progress shown")
	}
	assertMarkup(t, "sync_status/syncing.xml", w)

	failed := up
	failed.Overall, failed.Reason = Failed, "The server had a problem. Try again later."
	failed.Datasets[1].Failed = "server error"
	s.SetState(failed)
	if shown(s.reason) != failed.Reason || s.syncButton.Disabled() {
		t.Errorf("failed: reason %q, sync enabled %v", shown(s.reason), !s.syncButton.Disabled())
	}
	assertMarkup(t, "sync_status/failed.xml", w)

	offline := up
	offline.Overall, offline.Reason = Offline, "Can't reach the Sales Plus server. Your data from the last sync is still here."
	s.SetState(offline)
	assertMarkup(t, "sync_status/offline.xml", w)

	out := up
	out.Overall, out.Reason = SignedOut, "Your session ended, perhaps because your password was changed on another device. Log in again."
	s.SetState(out)
	if visible(s.syncButton) || !visible(s.loginButton) || visible(s.logoutButton) || !visible(s.resetButton) {
		t.Error("signed out: Log In and Reset Password, no Sync Now or Log Out")
	}
	test.Tap(s.loginButton)
	if loggedIn != 1 {
		t.Error("Log In not called")
	}
	s.SetNotice("Your password could not be saved in the system keyring; you'll type it next time.")
	assertMarkup(t, "sync_status/signed_out.xml", w)
}

func TestRelativeTime(t *testing.T) {
	now := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		ago  time.Duration
		want string
	}{
		{10 * time.Second, "just now"},
		{time.Minute, "1 minute ago"},
		{59 * time.Minute, "59 minutes ago"},
		{time.Hour, "1 hour ago"},
		{30 * time.Hour, "1 day ago"},
		{10 * 24 * time.Hour, "on 4 Mar 2026"},
	} {
		if got := relative(now, now.Add(-tc.ago)); got != tc.want {
			t.Errorf("relative(-%v) = %q, want %q", tc.ago, got, tc.want)
		}
	}
}
