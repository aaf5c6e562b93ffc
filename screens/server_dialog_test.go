package screens

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"salesplus/apierr"
	"salesplus/screens/screenstest"
)

func newTestServerDialog(t *testing.T, onSave func(string)) (*ServerDialog, fyne.Window) {
	test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel("behind the popup"))
	w.Resize(fyne.NewSize(360, 640))
	validate := func(u string) error {
		if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://127.0.0.1") {
			return fmt.Errorf("%w: %s", apierr.ErrInsecureURL, u)
		}
		return nil
	}
	d := NewServerDialog(testEnv(&screenstest.Queue{}, newFakeClock()), w.Canvas(), "http://127.0.0.1:8080", validate, onSave)
	d.Show()
	t.Cleanup(d.Hide)
	return d, w
}

func TestServerDialogValidatesAndSavesOnEnter(t *testing.T) {
	var saved string
	d, w := newTestServerDialog(t, func(u string) { saved = u })
	if w.Canvas().Focused() != d.entry {
		t.Fatal("the address should have the focus")
	}
	assertMarkup(t, "server_dialog/open.xml", w)
	d.entry.SetText("http://sales.example.com")
	screenstest.PressKey(w.Canvas(), fyne.KeyReturn)
	if saved != "" || !d.Visible() || shown(d.errorText) != Explain(apierr.ErrInsecureURL) {
		t.Fatalf("a refused address: saved %q, open %v, error %q", saved, d.Visible(), shown(d.errorText))
	}
	assertMarkup(t, "server_dialog/refused.xml", w)
	d.entry.SetText(" https://sales.example.com/ ")
	if shown(d.errorText) != "" {
		t.Error("the error should clear when the address changes")
	}
	screenstest.PressKey(w.Canvas(), fyne.KeyReturn)
	if saved != "https://sales.example.com" || d.Visible() {
		t.Errorf("saved %q, open %v", saved, d.Visible())
	}
}

func TestServerDialogEscapeFromTheEntryCloses(t *testing.T) {
	d, w := newTestServerDialog(t, func(string) { t.Error("saved on Escape") })
	screenstest.PressKey(w.Canvas(), fyne.KeyEscape)
	if d.Visible() || len(w.Canvas().Overlays().List()) != 0 {
		t.Fatal("Escape in the entry did not close the popup")
	}
}

func TestSyncStatusChangeServerLink(t *testing.T) {
	test.NewTempApp(t)
	q := &screenstest.Queue{}
	changed := 0
	s := NewSyncStatus(testEnv(q, newFakeClock()), SyncActions{ChangeServer: func() { changed++ }})
	show(t, s)
	s.SetState(syncedState(newFakeClock().Now()))
	if !visible(s.changeServer) {
		t.Fatal("no Change link beside the server")
	}
	tapLink(s.changeServer)
	if changed != 1 {
		t.Error("Change did not call ChangeServer")
	}
	st := syncedState(newFakeClock().Now())
	st.Overall = Syncing
	s.SetState(st)
	if visible(s.changeServer) {
		t.Error("the server can be changed in the middle of a sync")
	}

	fixed := NewSyncStatus(testEnv(q, newFakeClock()), SyncActions{})
	show(t, fixed)
	if visible(fixed.changeServer) {
		t.Error("Change shown though the address is fixed")
	}
}
