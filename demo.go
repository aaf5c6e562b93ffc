//go:build demo

package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"

	spapp "salesplus/app"
	"salesplus/screens"
	"salesplus/server"
)

// startDemo runs the real backend in this process on a loopback port, with a
// throw-away SQLite file, the demo accounts and datasets, and mail captured in
// a Demo Mailbox window. It returns the backend's URL and a stop function.
// When the environment or the settings name a server, it starts nothing and
// returns "". Release builds (without -tags demo) do not contain this file or
// server/.
func startDemo(a fyne.App) (string, func(), error) {
	if _, _, configured := spapp.ServerURLFrom(a.Preferences(), os.Getenv); configured {
		return "", func() {}, nil
	}
	dir, err := os.MkdirTemp("", "salesplus-demo-")
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	url := "http://" + ln.Addr().String()
	ctx := context.Background()
	srv, err := server.Open(ctx, server.Config{
		PublicURL: url,
		DBPath:    filepath.Join(dir, "demo.db"),
		Dev:       true,
		Logger:    slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err == nil {
		err = srv.Seed(ctx)
	}
	if err != nil {
		ln.Close()
		os.RemoveAll(dir)
		return "", nil, fmt.Errorf("demo backend: %w", err)
	}
	httpServer := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := httpServer.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("demo backend stopped", "err", err)
		}
	}()
	d := server.DemoAccounts[0]
	fmt.Fprintf(os.Stderr, "Sales Plus demo backend at %s\nDemo login: %s / %s\n", url, d.Username, d.Password)

	stopMailbox := make(chan struct{})
	if os.Getenv("SALESPLUS_DEMO_MAILBOX") != "0" {
		// Built here, on the main goroutine: Fyne measures text while it
		// builds widgets, and its text shaper is not safe for concurrent use.
		go watchMailbox(a, srv, screens.NewDemoMailbox(), stopMailbox)
	}
	stop := func() {
		close(stopMailbox)
		shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		httpServer.Shutdown(shutdown)
		srv.Close()
		os.RemoveAll(dir)
	}
	return url, stop, nil
}

// demoApp is the running app, for the mailbox's tap-to-fill buttons.
var demoApp atomic.Pointer[spapp.App]

// attachDemo hands the running app to the demo mailbox.
func attachDemo(a *spapp.App) { demoApp.Store(a) }

// demoUsername is the account Log In suggests while the demo backend at url
// runs (url is empty when it does not), in mobile emulation only: there a
// tester walks the reset by taps alone, as key presses do not reach the
// emulator on X11. On desktop the rep types it, as in a release build.
func demoUsername(url string) string {
	if url == "" || !fyne.CurrentDevice().IsMobile() {
		return ""
	}
	return server.DemoAccounts[0].Username
}

// demoNewPassword is what the mailbox's "Use a demo password" fills in: one
// the strength rules rate Excellent.
const demoNewPassword = "Velvet-Orchard-Tiger-4127"

// watchMailbox polls the demo mailbox and shows new mail: in a window of its
// own on desktop, and as a popup over the app on a phone (one window there).
//
// Fyne's desktop driver queues a fyne.Do sent before the app runs; its mobile
// driver is not ready for one (it would run it at once, racing the start).
// So on mobile the first fyne.Do here comes with the first mail, which needs
// the running app to ask for a code.
func watchMailbox(a fyne.App, srv *server.Server, box *screens.DemoMailbox, stop <-chan struct{}) {
	var window fyne.Window
	hidden := false         // touched on the UI goroutine only
	var popup dialog.Dialog // likewise
	box.DemoPassword = demoNewPassword
	box.OnFill = func(code, password string) { // on the UI goroutine, from a tap
		if a := demoApp.Load(); a == nil || !a.DemoFill(code, password) {
			return
		}
		if popup != nil && password != "" {
			popup.Hide() // the code and the password are in: back to Save
		}
	}
	if !fyne.CurrentDevice().IsMobile() {
		fyne.Do(func() { window = newMailboxWindow(a, box, &hidden) })
	}
	seen := 0
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		mails, err := srv.Mailbox(context.Background())
		if err != nil || len(mails) == seen {
			continue
		}
		seen = len(mails)
		demo := make([]screens.DemoMail, len(mails))
		for i, m := range mails {
			demo[i] = screens.DemoMail{To: m.To, Subject: m.Subject, Body: m.Body, SentAt: m.SentAt}
		}
		fyne.Do(func() {
			box.SetMails(demo)
			if window != nil {
				if hidden { // showing a visible window would take the focus from the app
					hidden = false
					window.Show()
				}
				return
			}
			if popup == nil {
				windows := a.Driver().AllWindows()
				if len(windows) == 0 {
					return
				}
				popup = dialog.NewCustom("Demo Mailbox", "Close", box.PopupContent(windows[0].Canvas()), windows[0])
			}
			popup.Show()
		})
	}
}

// newMailboxWindow shows the mailbox in a window of its own beside the app's.
// Closing it only hides it (and sets *hidden); new mail shows it again.
func newMailboxWindow(a fyne.App, box *screens.DemoMailbox, hidden *bool) fyne.Window {
	window := a.NewWindow("Demo Mailbox")
	window.SetContent(box.Content())
	window.Resize(fyne.NewSize(420, 560))
	window.SetCloseIntercept(func() { *hidden = true; window.Hide() })
	if dw, ok := window.(desktop.Window); ok {
		dw.RequestPosition(460, 40) // beside the app's phone-sized window, not on top of it
	}
	window.Show()
	return window
}
