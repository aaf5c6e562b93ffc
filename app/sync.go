package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	wire "salesplus/api"
	"salesplus/apierr"
	"salesplus/client"
	"salesplus/credentials"
	"salesplus/screens"
)

// Preferences keys of the sync state. None of them holds a secret.
const (
	prefUsername    = "account.username"
	prefDisplayName = "account.displayName"
	prefCompany     = "account.company"
	prefOverall     = "sync.overall"
	prefReason      = "sync.reason"
	prefLastSuccess = "sync.lastSuccess"
	prefDatasets    = "sync.datasets" // JSON list of per-dataset state
	prefServer      = "sync.server"   // the server the state above came from
)

// tokenKey names the session token's entry in the credentials store. The
// token is a bearer secret good for 30 days, so it lives beside the password
// in the OS keyring rather than in the plain-text preferences file; where the
// store keeps nothing (phones) it lives in memory only and the app logs in
// again with the typed password.
func tokenKey(username string) string { return username + "#token" }

// datasetName is what a dataset may be called before it becomes a file name;
// anything else from the server is refused rather than written.
var datasetName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

var overallNames = map[screens.Overall]string{
	screens.NeverSynced: "never", screens.UpToDate: "upToDate", screens.Syncing: "syncing",
	screens.Failed: "failed", screens.Offline: "offline", screens.SignedOut: "signedOut",
}

// engine syncs the datasets: status, then every dataset, each written as a
// JSON file under the app's storage; the state goes to preferences so the
// next start shows it. Its methods run on the UI goroutine; a sync runs on a
// goroutine of its own with what it captured at its start (syncRun), so
// switching servers or signing out meanwhile races with nothing: the late
// result is dropped.
type engine struct {
	store credentials.Store
	prefs fyne.Preferences
	data  *datasetDir
	env   screens.Env
	ctx   context.Context

	// UI goroutine only.
	api       *api
	state     screens.SyncState
	gen       int                // bumped when the account or the server changes
	running   bool               // a sync of generation gen runs
	cancelRun context.CancelFunc // stops the sync in flight, if any
	runs      sync.WaitGroup     // the sync goroutines, for tests to wait on
	onChange  func(screens.SyncState)
}

func newEngine(ctx context.Context, a *api, store credentials.Store, prefs fyne.Preferences, dir, server string, env screens.Env) *engine {
	e := &engine{api: a, store: store, prefs: prefs, data: &datasetDir{root: dir}, env: env, ctx: ctx}
	e.load(server)
	return e
}

// State is what Sync Status shows.
func (e *engine) State() screens.SyncState { return e.state }

// SwitchServer makes the engine sync with a (at url) from now on. The
// session and the data belonged to the old server, so the rep is signed out.
func (e *engine) SwitchServer(a *api, url string) {
	e.api = a
	e.state.Server = url
	e.SignOut(screens.ReasonChangedServer)
}

func (e *engine) do(f func()) { e.env.Do(f) }

// load restores the last state; a sync cut off by quitting shows as failed.
func (e *engine) load(server string) {
	st := screens.SyncState{
		Server:      server,
		Username:    e.prefs.String(prefUsername),
		DisplayName: e.prefs.String(prefDisplayName),
		Company:     e.prefs.String(prefCompany),
		Reason:      e.prefs.String(prefReason),
	}
	for o, name := range overallNames {
		if e.prefs.String(prefOverall) == name {
			st.Overall = o
		}
	}
	if st.Overall == screens.Syncing {
		st.Overall, st.Reason = screens.Failed, screens.InterruptedReason()
	}
	if t, err := time.Parse(time.RFC3339Nano, e.prefs.String(prefLastSuccess)); err == nil {
		st.LastSuccess = t.Local()
	}
	if raw := e.prefs.String(prefDatasets); raw != "" {
		if err := json.Unmarshal([]byte(raw), &st.Datasets); err != nil {
			st.Datasets = nil
		}
		for i := range st.Datasets {
			if !st.Datasets[i].SyncedAt.IsZero() {
				st.Datasets[i].SyncedAt = st.Datasets[i].SyncedAt.Local()
			}
		}
	}
	if was := e.prefs.String(prefServer); was != "" && was != server && st.Username != "" {
		// Started against another server (a changed setting or environment):
		// the session and the data belong to the old one.
		e.removeData()
		st = screens.SyncState{
			Server: server, Username: st.Username, Overall: screens.SignedOut,
			Reason: screens.ServerMovedReason(server),
		}
	}
	e.state = st
}

// save records the state in preferences.
func (e *engine) save() {
	st := e.state
	e.prefs.SetString(prefServer, st.Server)
	e.prefs.SetString(prefUsername, st.Username)
	e.prefs.SetString(prefDisplayName, st.DisplayName)
	e.prefs.SetString(prefCompany, st.Company)
	e.prefs.SetString(prefOverall, overallNames[st.Overall])
	e.prefs.SetString(prefReason, st.Reason)
	if st.LastSuccess.IsZero() {
		e.prefs.RemoveValue(prefLastSuccess)
	} else {
		e.prefs.SetString(prefLastSuccess, st.LastSuccess.Format(time.RFC3339Nano))
	}
	raw, _ := json.Marshal(st.Datasets)
	e.prefs.SetString(prefDatasets, string(raw))
}

func (e *engine) set(st screens.SyncState) {
	e.state = st
	e.save()
	if e.onChange != nil {
		e.onChange(st)
	}
}

// SignIn makes username the account the engine syncs. Another rep's data
// is forgotten first.
func (e *engine) SignIn(username string) {
	e.newGeneration()
	st := e.state
	if st.Username != username {
		e.removeData()
		st = screens.SyncState{Server: st.Server, Username: username}
	}
	st.Overall, st.Reason = screens.NeverSynced, ""
	if !st.LastSuccess.IsZero() {
		st.Overall = screens.UpToDate
	}
	e.set(st)
}

// SignOut forgets the account's data on this device; the username stays so
// the login form can offer it again.
func (e *engine) SignOut(reason string) {
	e.newGeneration()
	e.removeData()
	e.set(screens.SyncState{Server: e.state.Server, Username: e.state.Username, Overall: screens.SignedOut, Reason: reason})
}

// newGeneration stops the sync in flight, whose result no longer belongs
// to the account or server the engine now has.
func (e *engine) newGeneration() {
	e.gen++
	e.running = false
	if e.cancelRun != nil {
		e.cancelRun()
		e.cancelRun = nil
	}
}

// removeData deletes the synced files. It runs on the UI goroutine on
// purpose: three small files, and removing them before the next sync can
// start keeps a late delete from eating freshly synced data.
func (e *engine) removeData() { e.data.clear() }

// datasetDir is the folder of synced files. A sync writes only while the
// folder is the one it started with: clear starts a new generation, so a
// sync cut off by a sign-out or a server switch cannot write after it.
type datasetDir struct {
	root string
	mu   sync.Mutex
	gen  int
}

func (d *datasetDir) clear() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.gen++
	_ = os.RemoveAll(filepath.Join(d.root, "datasets"))
}

func (d *datasetDir) generation() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.gen
}

// errStaleSync refuses a write from a sync whose data was removed.
var errStaleSync = errors.New("the synced data was removed during the sync")

// write stores ds unless the folder was cleared since generation gen.
func (d *datasetDir) write(gen int, ds client.Dataset) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.gen != gen {
		return errStaleSync
	}
	return writeDataset(d.root, ds)
}

// Start runs a sync unless one is running or nobody is signed in.
func (e *engine) Start() {
	if e.running || e.state.Username == "" {
		return
	}
	e.running = true
	st := e.state
	st.Overall, st.Reason, st.Progress, st.Step = screens.Syncing, "", 0, screens.StepConnecting
	e.set(st)
	gen := e.gen
	ctx, cancel := context.WithCancel(e.ctx)
	e.cancelRun = cancel
	r := syncRun{
		api: e.api, store: e.store, data: e.data, dataGen: e.data.generation(),
		user: st.Username, prev: st.Datasets, now: e.env.Now,
		progress: func(p float64, step string) { e.progress(gen, p, step) },
	}
	if r.now == nil {
		r.now = time.Now
	}
	e.runs.Add(1)
	go func() {
		defer e.runs.Done()
		res := r.run(ctx)
		cancel()
		e.do(func() {
			if e.gen != gen {
				return // signed out, switched account or server while syncing
			}
			e.running, e.cancelRun = false, nil
			e.set(res.apply(e.state))
		})
	}()
}

// progress reports a step of the sync started in generation gen.
func (e *engine) progress(gen int, p float64, step string) {
	e.do(func() {
		if !e.running || e.gen != gen {
			return
		}
		st := e.state
		st.Progress, st.Step = p, step
		e.state = st
		if e.onChange != nil {
			e.onChange(st)
		}
	})
}

// outcome is what one sync learned; apply folds it into the state.
type outcome struct {
	overall     screens.Overall
	reason      string
	account     *wire.AccountInfo
	datasets    []screens.DatasetRow
	lastSuccess time.Time
}

func (o outcome) apply(st screens.SyncState) screens.SyncState {
	st.Overall, st.Reason, st.Progress, st.Step = o.overall, o.reason, 0, ""
	if o.account != nil {
		st.DisplayName, st.Company = o.account.DisplayName, o.account.Company
	}
	if o.datasets != nil {
		st.Datasets = o.datasets
	}
	if !o.lastSuccess.IsZero() {
		st.LastSuccess = o.lastSuccess
	}
	// A session the server ended keeps the data on the device: the rep may
	// need it offline and will log in again. Log Out removes it (SignOut).
	return st
}

// errNoPassword means the store has no password to log in again with.
var errNoPassword = errors.New("no saved password")

// syncRun is one sync, with everything it uses captured when it started.
// It runs off the UI goroutine and touches only the network, the store and
// the datasets folder.
type syncRun struct {
	api      *api
	store    credentials.Store
	data     *datasetDir
	dataGen  int // the data folder's generation at the start
	user     string
	prev     []screens.DatasetRow
	now      func() time.Time
	progress func(p float64, step string)
}

func (r syncRun) run(ctx context.Context) outcome {
	if r.api.err != nil {
		return outcome{overall: screens.Failed, reason: screens.Explain(r.api.err)}
	}
	status, failed := r.status(ctx)
	if failed != nil {
		return *failed
	}
	return r.datasets(ctx, status)
}

// status gets the sync status with a session: the one the client holds,
// else the saved token, else a login with the saved password; a refused
// session gets one more login.
func (r syncRun) status(ctx context.Context) (wire.SyncStatus, *outcome) {
	c := r.api.c
	relogged := false
	if c.Token() == "" {
		if tok, err := r.store.Get(tokenKey(r.user)); err == nil && tok != "" {
			c.SetToken(tok)
		} else {
			if err := r.relogin(ctx); err != nil {
				return wire.SyncStatus{}, r.loginFailed(err)
			}
			relogged = true
		}
	}
	r.progress(0.05, screens.StepCheckingForData)
	status, err := c.SyncStatus(ctx)
	if errors.Is(err, apierr.SessionExpired) && !relogged {
		// The saved session was refused (it expired, or a reset revoked it).
		if err := r.relogin(ctx); err != nil {
			return wire.SyncStatus{}, r.loginFailed(err)
		}
		status, err = c.SyncStatus(ctx)
	}
	if err != nil {
		out := r.failed(err)
		return wire.SyncStatus{}, &out
	}
	return status, nil
}

// datasets downloads and writes every dataset of status. A dataset that
// fails is marked and the others go on; losing the server or the session
// stops the sync.
func (r syncRun) datasets(ctx context.Context, status wire.SyncStatus) outcome {
	synced := map[string]time.Time{}
	for _, d := range r.prev {
		synced[d.Name] = d.SyncedAt
	}
	rows := make([]screens.DatasetRow, 0, len(status.Datasets))
	var firstErr error
	for i, info := range status.Datasets {
		r.progress(0.1+0.9*float64(i)/float64(len(status.Datasets)), screens.DatasetStep(info.Title, i, len(status.Datasets)))
		row := screens.DatasetRow{Name: info.Name, Title: info.Title, Records: info.Records, Version: info.Version, SyncedAt: synced[info.Name]}
		d, err := r.api.c.Dataset(ctx, info.Name)
		if err == nil {
			err = r.data.write(r.dataGen, d)
		}
		if err != nil {
			if errors.Is(err, apierr.ErrUnreachable) || errors.Is(err, apierr.SessionExpired) || errors.Is(err, errStaleSync) || ctx.Err() != nil {
				return r.failed(err)
			}
			row.Failed = screens.Explain(err)
			if firstErr == nil {
				firstErr = err
			}
		} else {
			row.Records, row.Version, row.SyncedAt = len(d.Records), d.Version, r.now()
		}
		rows = append(rows, row)
	}
	out := outcome{overall: screens.UpToDate, account: &status.Account, datasets: rows}
	if firstErr != nil {
		out.overall = screens.Failed
		out.reason = screens.PartlySyncedReason(firstErr)
	} else {
		out.lastSuccess = r.now()
	}
	return out
}

// relogin logs in with the saved password and keeps the new token.
func (r syncRun) relogin(ctx context.Context) error {
	pw, err := r.store.Get(r.user)
	if err != nil || pw == "" {
		return fmt.Errorf("%w: %v", errNoPassword, err)
	}
	s, err := r.api.c.Login(ctx, r.user, pw, r.api.device)
	if err != nil {
		if errors.Is(err, apierr.InvalidCredentials) {
			_ = r.store.Delete(r.user) // changed elsewhere: this one will never work again
		}
		return err
	}
	_ = r.store.Set(tokenKey(r.user), s.Token) // failing that, the token lives in memory
	return nil
}

// loginFailed turns a failed re-login into Offline or Signed out. A sync
// cut off by a sign-out forgets nothing: the client may already hold the
// next session.
func (r syncRun) loginFailed(err error) *outcome {
	if errors.Is(err, apierr.ErrUnreachable) || errors.Is(err, apierr.ErrServer) || errors.Is(err, context.Canceled) {
		out := r.failed(err)
		return &out
	}
	r.api.c.SetToken("")
	_ = r.store.Delete(tokenKey(r.user))
	reason := screens.ReasonSessionEnded
	if errors.Is(err, apierr.InvalidCredentials) {
		reason = screens.ReasonPasswordStale
	}
	return &outcome{overall: screens.SignedOut, reason: reason}
}

func (r syncRun) failed(err error) outcome {
	switch {
	case errors.Is(err, apierr.SessionExpired):
		return *r.loginFailed(err)
	case errors.Is(err, apierr.ErrUnreachable):
		return outcome{overall: screens.Offline, reason: screens.OfflineReason(err)}
	}
	return outcome{overall: screens.Failed, reason: screens.Explain(err)}
}

// writeDataset stores d as <root>/datasets/<name>.json, replacing the old
// file in one rename so a crash never leaves half a file.
func writeDataset(root string, d client.Dataset) error {
	if !datasetName.MatchString(d.Name) {
		return fmt.Errorf("dataset name %q refused", d.Name)
	}
	dir := filepath.Join(root, "datasets")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	raw, err := json.Marshal(d)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, d.Name+".*.tmp")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, d.Name+".json"))
}
