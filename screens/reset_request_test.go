package screens

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"salesplus/apierr"
	"salesplus/screens/screenstest"
)

// fakeRequester answers reset requests; hold keeps a request in flight.
type fakeRequester struct {
	mu    sync.Mutex
	calls int
	hold  chan struct{}
	err   error
}

func (f *fakeRequester) RequestReset(ctx context.Context, username string) (ResetTicket, error) {
	f.mu.Lock()
	f.calls++
	hold, err := f.hold, f.err
	f.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
			return ResetTicket{}, ctx.Err()
		}
	}
	if err != nil {
		return ResetTicket{}, err
	}
	return ResetTicket{SentTo: "rep@example.com", ExpiresAt: time.Date(2026, 3, 14, 9, 45, 0, 0, time.UTC), ResendAfter: time.Minute}, nil
}

func newTestDialog(t *testing.T, req ResetRequester, onSent func(Account, ResetTicket)) (*ResetRequestDialog, fyne.Window, *screenstest.Queue) {
	return newTestDialogFor(t, Account{Username: "rep@example.com", Email: "rep@example.com", CodeLifetime: 15 * time.Minute}, req, onSent)
}

func newTestDialogFor(t *testing.T, acc Account, req ResetRequester, onSent func(Account, ResetTicket)) (*ResetRequestDialog, fyne.Window, *screenstest.Queue) {
	test.NewTempApp(t)
	q := &screenstest.Queue{}
	w := test.NewTempWindow(t, widget.NewLabel("behind the popup"))
	w.Resize(fyne.NewSize(360, 640))
	d := NewResetRequestDialog(testEnv(q, newFakeClock()), w.Canvas(), req, acc, onSent)
	d.Show()
	t.Cleanup(d.dismiss)
	return d, w, q
}

func TestResetRequestDialogSendsOnOK(t *testing.T) {
	hold := make(chan struct{})
	req := &fakeRequester{hold: hold}
	var sent *ResetTicket
	d, w, q := newTestDialog(t, req, func(_ Account, tk ResetTicket) { sent = &tk })
	if !strings.Contains(d.message.Text, "rep@example.com") {
		t.Errorf("message %q does not show the address", d.message.Text)
	}
	assertMarkup(t, "reset_request/open.xml", w)

	screenstest.PressKey(w.Canvas(), fyne.KeyReturn) // OK has the focus
	if !d.okButton.Disabled() || !d.activity.Visible() {
		t.Error("while sending, OK should be disabled and the spinner shown")
	}
	close(hold)
	eventually(t, q, "request answered", func() bool { return sent != nil })
	if d.Visible() || len(w.Canvas().Overlays().List()) != 0 {
		t.Error("popup still open after the code was sent")
	}
	if sent.SentTo != "rep@example.com" {
		t.Errorf("ticket %+v", sent)
	}
}

func TestResetRequestDialogShowsFailureAndAllowsRetry(t *testing.T) {
	req := &fakeRequester{err: &apierr.Problem{Status: 429, Code: apierr.RateLimited, AttemptsLeft: -1, RetryAfter: time.Minute}}
	d, w, q := newTestDialog(t, req, func(Account, ResetTicket) { t.Error("onSent after a failure") })
	test.Tap(d.okButton)
	eventually(t, q, "error shown", func() bool { return shown(d.errorText) != "" })
	if !d.Visible() || d.okButton.Disabled() {
		t.Error("after a failure the popup should stay open with OK enabled for a retry")
	}
	assertMarkup(t, "reset_request/failed.xml", w)
}

func TestResetRequestDialogEscapeCloses(t *testing.T) {
	for _, tc := range []struct {
		name  string
		focus func(d *ResetRequestDialog, c fyne.Canvas)
	}{
		{"OK focused", func(d *ResetRequestDialog, c fyne.Canvas) { c.Focus(d.okButton) }},
		{"Cancel focused", func(d *ResetRequestDialog, c fyne.Canvas) { c.Focus(d.cancelBtn) }},
		{"nothing focused", func(d *ResetRequestDialog, c fyne.Canvas) { c.Unfocus() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hold := make(chan struct{})
			defer close(hold)
			req := &fakeRequester{hold: hold}
			d, w, _ := newTestDialog(t, req, func(Account, ResetTicket) { t.Error("onSent after Escape") })
			tc.focus(d, w.Canvas())
			screenstest.PressKey(w.Canvas(), fyne.KeyEscape)
			if d.Visible() || len(w.Canvas().Overlays().List()) != 0 {
				t.Fatal("Escape did not close the popup")
			}
		})
	}
	t.Run("cancels a request in flight", func(t *testing.T) {
		req := &fakeRequester{hold: make(chan struct{})}
		d, w, q := newTestDialog(t, req, func(Account, ResetTicket) { t.Error("onSent after Cancel") })
		test.Tap(d.okButton)
		test.Tap(d.cancelBtn)
		if d.Visible() {
			t.Fatal("Cancel did not close the popup")
		}
		// The held request returns once its context is cancelled; its answer is dropped.
		eventually(t, q, "request context cancelled", func() bool { return d.life.ctx.Err() != nil })
		q.Drain()
		_ = w
	})
}

func TestResetRequestDialogResendTooSoonGoesOnToTheCode(t *testing.T) {
	req := &fakeRequester{err: &apierr.Problem{Status: 429, Code: apierr.ResendTooSoon, AttemptsLeft: -1, RetryAfter: 40 * time.Second}}
	var sent *ResetTicket
	d, _, q := newTestDialog(t, req, func(_ Account, tk ResetTicket) { sent = &tk })
	test.Tap(d.okButton)
	eventually(t, q, "on to the code", func() bool { return sent != nil })
	if d.Visible() || sent.ResendAfter != 40*time.Second || sent.SentTo != "rep@example.com" || !sent.NothingSent {
		t.Errorf("open %v, ticket %+v", d.Visible(), sent)
	}
	// What the server said of the earlier code goes on to the reset screen.
	until := time.Date(2026, 3, 14, 9, 44, 0, 0, time.UTC)
	for _, p := range []*apierr.Problem{
		{Status: 429, Code: apierr.ResendTooSoon, AttemptsLeft: -1, RetryAfter: 40 * time.Second, LastCodeExpiresAt: until},
		{Status: 429, Code: apierr.ResendTooSoon, AttemptsLeft: -1, RetryAfter: 40 * time.Second, LastCodeGone: true},
	} {
		sent = nil
		d, _, q := newTestDialog(t, &fakeRequester{err: p}, func(_ Account, tk ResetTicket) { sent = &tk })
		test.Tap(d.okButton)
		eventually(t, q, "on to the code", func() bool { return sent != nil })
		if !sent.ExpiresAt.Equal(p.LastCodeExpiresAt) || sent.EarlierCodeGone != p.LastCodeGone {
			t.Errorf("server said expires %v, gone %v; ticket %+v", p.LastCodeExpiresAt, p.LastCodeGone, sent)
		}
	}
}

// The popup says the lifetime the server's lookup named, not a fixed one.
func TestResetRequestDialogSaysTheServersLifetime(t *testing.T) {
	for _, tc := range []struct {
		life time.Duration
		want string
	}{
		{70 * time.Second, "The code works for 70 seconds. Check your spam folder if it doesn't arrive."},
		{15 * time.Minute, "The code works for 15 minutes. Check your spam folder if it doesn't arrive."},
		{time.Hour, "The code works for 1 hour. Check your spam folder if it doesn't arrive."},
		{0, "The email says how long the code works. Check your spam folder if it doesn't arrive."},
	} {
		acc := Account{Username: "rep@example.com", Email: "rep@example.com", CodeLifetime: tc.life}
		_, w, _ := newTestDialogFor(t, acc, &fakeRequester{}, nil)
		if !rendersText(w.Canvas(), tc.want) {
			t.Errorf("lifetime %v: the popup does not say %q", tc.life, tc.want)
		}
	}
}
