// Package app is the composition root of the Sales Plus client: it builds the
// window, navigates between the screens, runs the sync engine and keeps the
// rep's password in the credentials store. Slow work runs off the UI
// goroutine and comes back through fyne.Do (Config.Env.Do in tests).
package app

import (
	"context"
	"errors"
	"sync"

	"fyne.io/fyne/v2"

	"salesplus/client"
	"salesplus/credentials"
	"salesplus/screens"
)

// ID is the application ID; it matches FyneApp.toml and names the keyring service.
const ID = "com.inzant.salesplus"

// screen is what every screen offers the navigation.
type screen interface {
	Content() fyne.CanvasObject
	Focus(fyne.Canvas)
	Close()
}

// App is the running client: one window showing one screen at a time.
type App struct {
	fyneApp fyne.App
	win     fyne.Window
	cfg     Config
	env     screens.Env
	api     *api
	store   credentials.Store // one call at a time
	keyring *keyringQueue     // the UI's keyring work, in order
	engine  *engine
	cancel  context.CancelFunc
	// serverFixed: the configuration or the environment set the address,
	// so the rep cannot change it.
	serverFixed bool

	// UI goroutine only.
	closer screen
	sync   *screens.SyncStatus
	login  *screens.Login
	reset  *screens.ResetPassword
	dialog interface{ Hide() } // the popup over the current screen, if any
	notice string              // keyring trouble, shown on Sync Status until the next login
}

// Create builds the app in w and shows Sync Status with the last known state.
func Create(a fyne.App, w fyne.Window, cfg Config) *App {
	url, fixed := cfg.ServerURL, true
	if url == "" {
		url, fixed, _ = ServerURLFrom(a.Preferences(), cfg.Getenv)
	}
	var store credentials.Store = &lockedStore{s: cfg.Store}
	if cfg.Store == nil {
		store = &lockedStore{s: credentials.NewKeyring(ID)}
	}
	dir := cfg.DataDir
	if dir == "" {
		dir = a.Storage().RootURI().Path()
	}
	env := cfg.Env
	if env.Do == nil {
		env.Do = afterStart(a)
	}
	// Fyne's stock success/warning/error colours are too light to read as
	// text on the light theme; screens.Theme darkens them there.
	a.Settings().SetTheme(screens.Theme(a.Settings().Theme()))
	ctx, cancel := context.WithCancel(context.Background())
	app := &App{
		fyneApp: a, win: w, cfg: cfg, env: env, api: newAPI(url, cfg), store: store,
		keyring: newKeyringQueue(), cancel: cancel, serverFixed: fixed,
	}
	app.engine = newEngine(ctx, app.api, store, a.Preferences(), dir, url, env)
	app.engine.onChange = func(st screens.SyncState) {
		if app.sync != nil {
			app.sync.SetState(st)
		}
	}
	w.SetOnClosed(app.Close)
	w.Resize(fyne.NewSize(420, 720))
	app.showSync()
	return app
}

// Close stops every screen's work and any sync in flight.
func (a *App) Close() {
	if a.closer != nil {
		a.closer.Close()
	}
	a.cancel()
	a.keyring.close()
}

func (a *App) do(f func()) { a.env.Do(f) }

// afterStart is the Env.Do of a running app: fyne.Do, but held until the app
// runs. Before that, Fyne's mobile driver runs a fyne.Do callback at once on
// the calling goroutine (the desktop driver queues it), which would touch
// widgets beside the main goroutine that is still building them. Only
// goroutines call it, never the main goroutine before the app runs.
func afterStart(a fyne.App) func(func()) {
	started := make(chan struct{})
	var once sync.Once
	a.Lifecycle().SetOnStarted(func() { once.Do(func() { close(started) }) })
	return func(f func()) {
		<-started
		fyne.Do(f)
	}
}

// show replaces the window's screen, stopping the old one's work.
func (a *App) show(s screen) {
	if a.dialog != nil {
		a.dialog.Hide()
		a.dialog = nil
	}
	if a.closer != nil {
		a.closer.Close()
	}
	a.sync, a.login, a.reset = nil, nil, nil
	a.closer = s
	a.win.SetContent(s.Content())
	// Escape goes back on screens that have a back arrow. The screen's own
	// widgets hear it while one of them has the focus; this hears it when
	// nothing has (after a click on empty space). A popup puts its own
	// handler in front of this one while it is open.
	var onKey func(*fyne.KeyEvent)
	if e, ok := s.(interface{ Escape() }); ok {
		onKey = func(ev *fyne.KeyEvent) {
			if ev.Name == fyne.KeyEscape && a.closer == s {
				e.Escape()
			}
		}
	}
	a.win.Canvas().SetOnTypedKey(onKey)
	// Focus after the event that navigated here is fully handled: the Space
	// that pressed a button still has its character to deliver, and would
	// type it into the new screen's first field. From a goroutine, as Env.Do
	// waits for the app to run (afterStart).
	go a.do(func() {
		if a.closer == s {
			s.Focus(a.win.Canvas())
		}
	})
}

func (a *App) showSync() {
	actions := screens.SyncActions{
		SyncNow:       a.engine.Start,
		LogIn:         func() { a.showLogin(a.engine.State().Username, "") },
		LogOut:        a.askLogOut,
		ResetPassword: func() { a.showLogin(a.engine.State().Username, "") },
		ChangeServer:  a.onChangeServer,
	}
	if a.serverFixed {
		actions.ChangeServer = nil
	}
	s := screens.NewSyncStatus(a.env, actions)
	a.show(s)
	a.sync = s
	s.SetState(a.engine.State())
	s.SetNotice(a.notice)
}

func (a *App) showLogin(username, notice string) {
	if username == "" {
		username = a.cfg.SuggestedUsername
	}
	s := screens.NewLogin(a.env, a.api, screens.LoginActions{
		LoggedIn:     a.onLoggedIn,
		RequestReset: a.showResetRequest,
		HaveCode:     func(acc screens.Account) { a.showReset(acc, nil) },
		Back:         a.showSync,
	})
	a.show(s)
	a.login = s
	s.SetNotice(notice)
	if username != "" {
		s.SetUsername(username)
	}
}

func (a *App) showResetRequest(acc screens.Account) {
	d := screens.NewResetRequestDialog(a.env, a.win.Canvas(), a.api, acc, func(acc screens.Account, t screens.ResetTicket) {
		a.dialog = nil
		a.showReset(acc, &t)
	})
	a.dialog = d
	d.Show()
}

func (a *App) showReset(acc screens.Account, t *screens.ResetTicket) {
	s := screens.NewResetPassword(a.env, a.api, acc, t, screens.ResetActions{
		Saved: func(username string) { a.showLogin(username, screens.NoticePasswordChanged) },
		Back:  func() { a.showLogin(acc.Username, "") },
	})
	a.show(s)
	a.reset = s
}

// onLoggedIn keeps the password and token in the credentials store (a
// failure is a notice, not a stop) and syncs.
func (a *App) onLoggedIn(username, password string) {
	token := a.api.token()
	a.notice = ""
	a.engine.SignIn(username)
	a.showSync()
	a.engine.Start()
	store := a.store
	a.keyring.add(func() {
		err := store.Set(username, password)
		if err == nil && token != "" {
			err = store.Set(tokenKey(username), token)
		}
		if err == nil {
			return
		}
		a.do(func() {
			a.notice = keyringNotice(err)
			if a.sync != nil {
				a.sync.SetNotice(a.notice)
			}
		})
	})
}

func keyringNotice(err error) string {
	if errors.Is(err, credentials.ErrUnsupported) {
		return screens.NoticeKeyringUnsupported
	}
	return screens.NoticeKeyringFailed
}

// askLogOut asks before logging out, as it removes data from the device.
func (a *App) askLogOut() {
	d := screens.NewLogOutDialog(a.win.Canvas(), func() {
		a.dialog = nil
		a.onLogOut()
	})
	a.dialog = d
	d.Show()
}

// onLogOut ends the session on the server, forgets the saved password and
// token, and removes the synced data from this device.
func (a *App) onLogOut() {
	user := a.engine.State().Username
	a.engine.SignOut(screens.ReasonLoggedOut)
	a.notice = ""
	if a.sync != nil {
		a.sync.SetNotice("")
	}
	a.api.endSession()
	store := a.store
	a.keyring.add(func() {
		_ = store.Delete(user)
		_ = store.Delete(tokenKey(user))
	})
}

// onChangeServer lets the rep point the app at another server. The session,
// token and password belong to the old one, so the rep is signed out.
func (a *App) onChangeServer() {
	current := a.engine.State().Server
	d := screens.NewServerDialog(a.env, a.win.Canvas(), current,
		func(url string) error { _, err := client.New(url); return err },
		func(url string) {
			a.dialog = nil
			if url == current {
				return
			}
			a.fyneApp.Preferences().SetString(PrefServerURL, url)
			user := a.engine.State().Username
			a.api = newAPI(url, a.cfg)
			a.engine.SwitchServer(a.api, url)
			store := a.store
			a.keyring.add(func() {
				_ = store.Delete(user)
				_ = store.Delete(tokenKey(user))
			})
		})
	a.dialog = d
	d.Show()
}
