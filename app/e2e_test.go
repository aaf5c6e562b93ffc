package app

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/zalando/go-keyring"

	"salesplus/credentials"
	"salesplus/internal/runtest"
	"salesplus/internal/servertest"
	"salesplus/internal/smtptest"
	"salesplus/internal/testclock"
	"salesplus/screens"
	"salesplus/screens/screenstest"
	"salesplus/server"
)

// The demo account whose username is an email address.
var rep = server.DemoAccounts[0]

const strongPassword = "Velvet-Orchard-Tiger-4127"

// world is the real thing: the server on a temporary SQLite file mailing a
// real SMTP listener, served over HTTP on a port that can go down and come
// back, and the app with its real screens, client and keyring store.
type world struct {
	*ui
	clock *testclock.Clock
	srv   *server.Server
	http  *restartable
	mail  *smtptest.Sink
	store credentials.Store
	app   *App
	dir   string
	cfg   Config

	holdMu   sync.Mutex
	holdPath string        // requests to this path wait for release
	release  chan struct{} // closed to let them through
}

// holdRequests makes requests to path wait until the returned func is called.
func (wd *world) holdRequests(path string) (release func()) {
	wd.holdMu.Lock()
	defer wd.holdMu.Unlock()
	wd.holdPath, wd.release = path, make(chan struct{})
	ch := wd.release
	return func() { close(ch) }
}

func (wd *world) hold(r *http.Request) {
	wd.holdMu.Lock()
	path, ch := wd.holdPath, wd.release
	wd.holdMu.Unlock()
	if ch != nil && r.URL.Path == path {
		select {
		case <-ch:
		case <-r.Context().Done():
		}
	}
}

func newWorld(t *testing.T) *world { return newWorldWith(t, nil) }

// newWorldWith lets setup prepare preferences and the store (and change the
// config) before the app starts, like an earlier run of the app would have.
func newWorldWith(t *testing.T, setup func(wd *world, prefs fyne.Preferences, cfg *Config)) *world {
	t.Helper()
	keyring.MockInit() // go-keyring's in-memory provider, behind the real credentials.Keyring
	fyneApp := test.NewTempApp(t)
	rb := servertest.Open(t, servertest.Options{
		Start:        time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC),
		MailRetryMin: 20 * time.Millisecond,
		MailRetryMax: 100 * time.Millisecond,
	})
	wd := &world{clock: rb.Clock, srv: rb.Server, mail: rb.SMTP, dir: t.TempDir()}
	srv := rb.Server
	wd.http = newRestartable(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wd.hold(r)
		srv.ServeHTTP(w, r)
	}))
	wd.store = credentials.NewKeyring(ID + ".test")

	q := &screenstest.Queue{}
	w := test.NewTempWindow(t, nil)
	cfg := Config{
		ServerURL:  wd.http.url,
		Store:      wd.store,
		DataDir:    wd.dir,
		DeviceName: "e2e test",
		Env:        screens.Env{Do: q.Do, Now: wd.clock.Now, Debounce: 10 * time.Millisecond, Tick: time.Hour},
	}
	if setup != nil {
		setup(wd, fyneApp.Preferences(), &cfg)
	}
	wd.cfg = cfg
	wd.app = Create(fyneApp, w, cfg)
	wd.store = wd.app.store // read it the way the app does: one call at a time
	t.Cleanup(wd.app.Close)
	w.Resize(fyne.NewSize(360, 640))
	wd.ui = &ui{t: t, q: q, w: w}
	return wd
}

// onResetScreen starts the app and walks the demo rep to the reset screen;
// it returns the code from the mail.
func onResetScreen(t *testing.T) (*world, string) {
	wd := newWorld(t)
	return wd, wd.toResetScreen(rep.Username)
}

// requestFromLogIn asks for a code again from the Log In screen, its
// username filled in: the Reset password link, then OK in the popup.
func (wd *world) requestFromLogIn() {
	wd.t.Helper()
	wd.waitFor("Log In")
	wd.eventually("the Reset password link", func() bool { return wd.find("Reset password") != nil })
	wd.tap("Reset password")
	wd.waitFor("We'll send a 6-digit code to")
	wd.tap("OK")
}

// toResetScreen walks Sync Status → Reset Password → username → link → popup
// → OK, and returns the code from the mail.
func (wd *world) toResetScreen(username string) string {
	wd.t.Helper()
	before := len(wd.mail.Messages())
	wd.waitFor("Sync Status")
	wd.tap("Reset Password")
	wd.waitFor("Log In")
	wd.typeInto("Username", username)
	wd.eventually("the Reset password link", func() bool { return wd.find("Reset password") != nil })
	wd.tap("Reset password")
	wd.waitFor("We'll send a 6-digit code to " + username + ".")
	// The server's code lifetime, from the lookup, not a fixed one.
	wd.waitFor("The code works for 15 minutes. Check your spam folder if it doesn't arrive.")
	wd.tap("OK")
	wd.waitFor("Enter the 6-digit code we sent to")
	return smtptest.Code(wd.t, wd.mail.NextTo(wd.t, before, username))
}

func (wd *world) typePasswords(pw string) {
	wd.clear("New password")
	wd.typeInto("New password", pw)
	wd.clear("Confirm new password")
	wd.typeInto("Confirm new password", pw)
}

func (wd *world) logIn(username, password string) {
	wd.t.Helper()
	wd.waitFor("Log In")
	if !wd.shows(username) {
		wd.typeInto("Username", username)
	}
	wd.typeInto("Password", password)
	wd.press(fyne.KeyReturn)
}

// logInAndSync logs the demo rep in from Sync Status and waits for the sync.
func (wd *world) logInAndSync() {
	wd.t.Helper()
	wd.tap("Log In")
	wd.logIn(rep.Username, rep.Password)
	wd.waitFor("Up to date")
}

// enterCode replaces what the code field holds with code.
func (wd *world) enterCode(code string) {
	wd.t.Helper()
	wd.clear("Code")
	wd.typeInto("Code", code)
}

// save taps Save New Password once the form allows it, and waits for the
// screen to say want.
func (wd *world) save(want string) {
	wd.t.Helper()
	wd.eventually("Save enabled", func() bool { return wd.enabled("Save New Password") })
	wd.tap("Save New Password")
	wd.waitFor(want)
}

func TestEndToEndResetThenLogInAndSync(t *testing.T) {
	wd := newWorld(t)
	wd.waitFor("Not signed in")

	code := wd.toResetScreen(rep.Username)
	wd.waitFor("The code expires in 15:00.")
	wd.typeInto("Code", code)

	wd.typePasswords("password123")
	wd.eventually("a verdict on the weak password", func() bool { return wd.shows("Password strength: ") })
	wd.waitFor("Needs at least Acceptable to save.")
	// Save on a weak password says why nothing happened.
	wd.tap("Save New Password")
	wd.waitFor("Not saved: this password is")
	wd.typePasswords(strongPassword)
	wd.eventually("Save enabled for a strong password", func() bool { return wd.enabled("Save New Password") })
	wd.tap("Save New Password")

	wd.waitFor(screens.NoticePasswordChanged)
	if got := wd.app.login; got == nil {
		t.Fatal("not on the login screen after the reset")
	}
	if u := wd.field("Username").(interface{ SelectedText() string }); u == nil {
		t.Fatal("no username field")
	}
	if !wd.shows(rep.Username) {
		t.Fatalf("username not filled in:\n%s", wd.text())
	}
	// The rep types the new password at once: the password field has the
	// focus without a click (the focus is set once the navigation settles).
	wd.eventually("the focus in the password field", func() bool { return wd.w.Canvas().Focused() == wd.field("Password") })
	test.Type(wd.w.Canvas().Focused(), strongPassword)
	wd.press(fyne.KeyReturn)

	wd.waitFor("Up to date")
	if pw, err := wd.store.Get(rep.Username); err != nil || pw != strongPassword {
		t.Errorf("keyring holds %q, %v; want the new password", pw, err)
	}
	if tok, err := wd.store.Get(tokenKey(rep.Username)); err != nil || tok == "" {
		t.Errorf("no session token in the keyring: %v", err)
	}
	for _, title := range []string{"Customers", "Products", "Price list"} {
		if !wd.shows(title) {
			t.Errorf("dataset %s not shown:\n%s", title, wd.text())
		}
	}
	for _, name := range []string{"customers", "products", "price-list"} {
		if _, err := os.Stat(filepath.Join(wd.dir, "datasets", name+".json")); err != nil {
			t.Errorf("dataset file: %v", err)
		}
	}
	if !wd.shows("Last synced just now") {
		t.Errorf("last sync time missing:\n%s", wd.text())
	}
	// The old password no longer works on the server.
	if wd.shows("Sync failed") {
		t.Error("sync failed")
	}
}

func TestEndToEndWrongCodeTwiceThenRight(t *testing.T) {
	wd, code := onResetScreen(t)
	wrong := smtptest.WrongCode(code)
	wd.typePasswords(strongPassword)
	for _, left := range []string{"4 tries left", "3 tries left"} {
		wd.enterCode(wrong)
		wd.save("That code is wrong. " + left + ".")
	}
	wd.enterCode(code)
	wd.save(screens.NoticePasswordChanged)
}

func TestEndToEndExpiredCodeThenSendNewCode(t *testing.T) {
	wd, old := onResetScreen(t)
	wd.clock.Advance(16 * time.Minute)
	wd.typeInto("Code", old)
	wd.typePasswords(strongPassword)
	// One message says it, and Save stays off until a new code is sent.
	wd.waitFor("The code has expired. Send a new code.")
	if wd.enabled("Save New Password") || wd.shows("The code expires in") {
		t.Fatalf("Save enabled or a second expiry message with an expired code:\n%s", wd.text())
	}

	before := len(wd.mail.Messages())
	wd.tap("Send new code")
	wd.waitFor("We sent a new code.")
	fresh := smtptest.Code(t, wd.mail.NextTo(t, before, rep.Username))
	wd.waitFor("The code expires in 15:00.")
	wd.enterCode(fresh)
	wd.save(screens.NoticePasswordChanged)
}

func TestEndToEndServerDownMidFlow(t *testing.T) {
	wd, code := onResetScreen(t)
	wd.typeInto("Code", code)
	wd.typePasswords(strongPassword)
	wd.eventually("Save enabled", func() bool { return wd.enabled("Save New Password") })

	wd.http.stop()
	wd.tap("Save New Password")
	// Refused outright, the server is not answering; on a keep-alive connection the
	// server dropped, the client can only tell that the server failed. Both
	// are clear, and both leave the rep on this screen to try again.
	wd.eventually("a clear error", func() bool {
		return wd.shows("The Sales Plus server is not answering.") ||
			wd.shows("The Sales Plus server had a problem. Try again in a few minutes.")
	})
	if wd.app.reset == nil {
		t.Fatal("left the reset screen while the server was down")
	}

	wd.http.start()
	wd.eventually("Save enabled again", func() bool { return wd.enabled("Save New Password") })
	wd.tap("Save New Password")
	wd.waitFor(screens.NoticePasswordChanged)
}

func TestEndToEndUsernameProblems(t *testing.T) {
	wd := newWorld(t)
	wd.tap("Reset Password")
	wd.typeInto("Username", "nobody@example.com")
	wd.waitFor("There is no Sales Plus account with this username.")
	if wd.find("Reset password") != nil {
		t.Error("reset link shown for an unknown username")
	}
	wd.clear("Username")
	wd.typeInto("Username", server.DemoAccounts[1].Username) // not an email
	// It can log in, so no red text; asking to reset says whom to ask.
	wd.eventually("the Reset password link", func() bool { return wd.find("Reset password") != nil })
	if wd.shows("Ask your Sales Plus admin") {
		t.Error("the admin message shows before the rep asked to reset")
	}
	wd.tap("Reset password")
	wd.waitFor("Ask your Sales Plus admin to change your username.")
	if len(wd.w.Canvas().Overlays().List()) != 0 {
		t.Error("a reset popup opened for a username that is not an email")
	}
	// The popup closes with Escape and sends nothing.
	wd.clear("Username")
	wd.typeInto("Username", rep.Username)
	wd.eventually("the Reset password link", func() bool { return wd.find("Reset password") != nil })
	wd.tap("Reset password")
	wd.waitFor("We'll send a 6-digit code to")
	wd.press(fyne.KeyEscape)
	if len(wd.w.Canvas().Overlays().List()) != 0 {
		t.Error("Escape did not close the popup")
	}
	if wd.app.login == nil {
		t.Fatal("Escape in the popup also left the login screen")
	}
	// A second Escape goes back, as the back arrow does, even with nothing
	// focused (the canvas hears it then).
	wd.w.Canvas().Unfocus()
	wd.press(fyne.KeyEscape)
	if wd.app.sync == nil {
		t.Fatalf("Escape on Login did not go back to Sync Status; the screen shows:\n%s", wd.text())
	}
	// From the reset screen Escape goes back to Login.
	wd.tap("Reset Password")
	wd.typeInto("Username", rep.Username)
	wd.tap("I already have a code") // goes on once the username is checked
	wd.eventually("the reset screen", func() bool { return wd.app.reset != nil })
	wd.w.Canvas().Focus(wd.field("Code"))
	wd.press(fyne.KeyEscape)
	if wd.app.login == nil {
		t.Fatalf("Escape on Reset Password did not go back to Login; the screen shows:\n%s", wd.text())
	}
}

// restartable serves h on a fixed local port that can be taken down and
// brought back, to play a server outage.
type restartable struct {
	t    *testing.T
	h    http.Handler
	addr string
	url  string
	mu   sync.Mutex
	srv  *httptest.Server
}

func newRestartable(t *testing.T, h http.Handler) *restartable {
	r := &restartable{t: t, h: h}
	r.start()
	r.url = r.srv.URL
	t.Cleanup(r.stop)
	return r
}

func (r *restartable) start() {
	l, err := runtest.Listen(r.addr) // the old socket may linger a moment
	if err != nil {
		r.t.Fatal(err)
	}
	s := httptest.NewUnstartedServer(r.h)
	s.Listener.Close()
	s.Listener = l
	s.Start()
	r.mu.Lock()
	r.srv, r.addr = s, l.Addr().String()
	r.mu.Unlock()
}

func (r *restartable) stop() {
	if s := r.take(); s != nil {
		s.CloseClientConnections()
		s.Close()
	}
}

// take removes the running server, if any, and returns it.
func (r *restartable) take() *httptest.Server {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.srv
	r.srv = nil
	return s
}

func TestEndToEndSecondRequestWithinTheCooldownUsesTheCodeSent(t *testing.T) {
	wd, code := onResetScreen(t)
	wd.back()
	wd.requestFromLogIn()
	// Nothing was sent this time: the screen says so, and which code to use.
	wd.waitFor("We sent a code to " + rep.Email + " less than a minute ago, so no new one was sent. That code still works: enter it from that email.")
	wd.waitFor("The code expires in 15:00.")
	wd.waitFor("You can ask for another code in 1:00.")
	wd.typeInto("Code", code)
	wd.typePasswords(strongPassword)
	wd.save(screens.NoticePasswordChanged)
}

// TestEndToEndResetByTapsAlone walks from Sync Status to the reset screen
// without a key, as a tester in the emulator must: Log In starts with the
// suggested username.
func TestEndToEndResetByTapsAlone(t *testing.T) {
	wd := newWorldWith(t, func(_ *world, _ fyne.Preferences, cfg *Config) { cfg.SuggestedUsername = rep.Username })
	wd.waitFor("Sync Status")
	wd.tap("Reset Password")
	wd.eventually("the Reset password link", func() bool { return wd.find("Reset password") != nil })
	wd.tap("Reset password")
	wd.waitFor("We'll send a 6-digit code to " + rep.Username + ".")
	wd.tap("OK")
	wd.eventually("the reset screen", func() bool { return wd.app.reset != nil })
}

// A code replaced by a newer request: the app says a newer code was sent,
// and the newest one still works (issue 12 item 2, on the screen).
func TestEndToEndSupersededCodeSaysUseTheNewest(t *testing.T) {
	wd, old := onResetScreen(t)
	wd.clock.Advance(61 * time.Second)
	wd.enterCode(old) // the screen redraws its times on a change (the tests' tick is long)
	wd.eventually("Send new code enabled", func() bool { return wd.enabled("Send new code") })
	before := len(wd.mail.Messages())
	wd.tap("Send new code")
	wd.waitFor("We sent a new code.")
	fresh := smtptest.Code(t, wd.mail.NextTo(t, before, rep.Username))
	if fresh == old {
		t.Skip("the two codes happen to be equal")
	}
	wd.typePasswords(strongPassword)
	wd.enterCode(old)
	wd.save("A newer code was sent after this one, so this one no longer works. Use the code in the newest email.")
	wd.enterCode(fresh)
	wd.save(screens.NoticePasswordChanged)
}

// Inside the cooldown after the code was burned by wrong tries, a second
// request sends nothing and the screen says the code is used up and when a
// new one can be sent; leaving with a code typed asks first (items 5, 7).
func TestEndToEndSecondRequestAfterTheCodeWasBurned(t *testing.T) {
	wd, code := onResetScreen(t)
	wrong := smtptest.WrongCode(code)
	wd.typePasswords(strongPassword)
	for _, left := range []string{"4 tries left", "3 tries left", "2 tries left", "1 try left"} {
		wd.enterCode(wrong)
		wd.save("That code is wrong. " + left + ".")
	}
	wd.enterCode(wrong)
	wd.save("That code was entered wrong too many times, so it no longer works. You can send a new code in 1:00.")
	if wd.enabled("Save New Password") {
		t.Fatal("Save enabled with a burned code")
	}
	wd.back()
	wd.waitFor("Leave password reset?")
	wd.tap("Leave")
	wd.requestFromLogIn()
	wd.waitFor("We sent a code to " + rep.Email + " less than a minute ago, so no new one was sent.")
	wd.waitFor("The code in that email no longer works: it was used, or entered wrong too many times. You can send a new code in 1:00.")
	if wd.shows("The code expires in") || wd.shows("Enter the code from that email") {
		t.Errorf("the screen says the burned code works:\n%s", wd.text())
	}
}
