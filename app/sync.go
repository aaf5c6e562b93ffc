package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"fyne.io/fyne/v2"

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
// next start shows it. The network and the disk are touched only from the
// sync goroutine; state is changed only on the UI goroutine.
type engine struct {
	api   *api
	store credentials.Store
	prefs fyne.Preferences
	dir   string
	env   screens.Env
	ctx   context.Context

	// UI goroutine only.
	state    screens.SyncState
	running  bool
	onChange func(screens.SyncState)
}

func newEngine(ctx context.Context, a *api, store credentials.Store, prefs fyne.Preferences, dir, server string, env screens.Env) *engine {
	e := &engine{api: a, store: store, prefs: prefs, dir: dir, env: env, ctx: ctx}
	e.load(server)
	return e
}

func (e *engine) now() time.Time {
	if e.env.Now != nil {
		return e.env.Now()
	}
	return time.Now()
}

func (e *engine) do(f func()) { e.env.Do(f) } // set by Create

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

// signIn makes username the account the engine syncs. Another rep's data
// is forgotten first.
func (e *engine) signIn(username string) {
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

// signOut forgets the account's data on this device; the username stays so
// the login form can offer it again.
func (e *engine) signOut(reason string) {
	e.removeData()
	e.set(screens.SyncState{Server: e.state.Server, Username: e.state.Username, Overall: screens.SignedOut, Reason: reason})
}

// removeData deletes the synced files. It runs on the UI goroutine on
// purpose: three small files, and removing them before the next sync can
// start keeps a late delete from eating freshly synced data.
func (e *engine) removeData() {
	_ = os.RemoveAll(filepath.Join(e.dir, "datasets"))
}

// start runs a sync unless one is running or nobody is signed in.
func (e *engine) start() {
	if e.running || e.state.Username == "" {
		return
	}
	e.running = true
	st := e.state
	st.Overall, st.Reason, st.Progress, st.Step = screens.Syncing, "", 0, screens.StepConnecting
	e.set(st)
	user, prev := st.Username, st.Datasets
	go func() {
		res := e.syncOnce(e.ctx, user, prev)
		e.do(func() {
			e.running = false
			if e.state.Username != user {
				return // signed out or switched while syncing
			}
			e.set(res.apply(e.state))
		})
	}()
}

// progress reports a step from the sync goroutine.
func (e *engine) progress(p float64, step string) {
	e.do(func() {
		if !e.running {
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
	account     *client.AccountInfo
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
	// need it offline and will log in again. Log Out removes it (signOut).
	return st
}

// errNoPassword means the store has no password to log in again with.
var errNoPassword = errors.New("no saved password")

func (e *engine) syncOnce(ctx context.Context, user string, prev []screens.DatasetRow) outcome {
	if e.api.err != nil {
		return outcome{overall: screens.Failed, reason: screens.Explain(e.api.err)}
	}
	c := e.api.c
	relogged := false
	if c.Token() == "" {
		if tok, err := e.store.Get(tokenKey(user)); err == nil && tok != "" {
			c.SetToken(tok)
		} else {
			if err := e.relogin(ctx, user); err != nil {
				return e.loginFailed(user, err)
			}
			relogged = true
		}
	}
	e.progress(0.05, screens.StepCheckingForData)
	status, err := c.SyncStatus(ctx)
	if errors.Is(err, apierr.SessionExpired) && !relogged {
		// The saved session was refused (it expired, or a reset revoked it):
		// one more try with the saved password.
		if err := e.relogin(ctx, user); err != nil {
			return e.loginFailed(user, err)
		}
		status, err = c.SyncStatus(ctx)
	}
	if err != nil {
		return e.failed(user, err)
	}

	synced := map[string]time.Time{}
	for _, d := range prev {
		synced[d.Name] = d.SyncedAt
	}
	rows := make([]screens.DatasetRow, 0, len(status.Datasets))
	var firstErr error
	for i, info := range status.Datasets {
		e.progress(0.1+0.9*float64(i)/float64(len(status.Datasets)), screens.DatasetStep(info.Title, i, len(status.Datasets)))
		row := screens.DatasetRow{Name: info.Name, Title: info.Title, Records: info.Records, Version: info.Version, SyncedAt: synced[info.Name]}
		d, err := c.Dataset(ctx, info.Name)
		if err == nil {
			err = e.writeDataset(d)
		}
		if err != nil {
			if errors.Is(err, apierr.ErrUnreachable) || errors.Is(err, apierr.SessionExpired) || ctx.Err() != nil {
				return e.failed(user, err)
			}
			row.Failed = screens.Explain(err)
			if firstErr == nil {
				firstErr = err
			}
		} else {
			row.Records, row.Version, row.SyncedAt = len(d.Records), d.Version, e.now()
		}
		rows = append(rows, row)
	}
	out := outcome{overall: screens.UpToDate, account: &status.Account, datasets: rows}
	if firstErr != nil {
		out.overall = screens.Failed
		out.reason = screens.PartlySyncedReason(firstErr)
	} else {
		out.lastSuccess = e.now()
	}
	return out
}

// relogin logs in with the saved password and keeps the new token.
func (e *engine) relogin(ctx context.Context, user string) error {
	pw, err := e.store.Get(user)
	if err != nil || pw == "" {
		return fmt.Errorf("%w: %v", errNoPassword, err)
	}
	s, err := e.api.c.Login(ctx, user, pw, e.api.device)
	if err != nil {
		if errors.Is(err, apierr.InvalidCredentials) {
			_ = e.store.Delete(user) // changed elsewhere: this one will never work again
		}
		return err
	}
	_ = e.store.Set(tokenKey(user), s.Token) // failing that, the token lives in memory
	return nil
}

// loginFailed turns a failed re-login into Offline or Signed out.
func (e *engine) loginFailed(user string, err error) outcome {
	if errors.Is(err, apierr.ErrUnreachable) || errors.Is(err, apierr.ErrServer) {
		return e.failed(user, err)
	}
	e.api.c.SetToken("")
	_ = e.store.Delete(tokenKey(user))
	reason := screens.ReasonSessionEnded
	if errors.Is(err, apierr.InvalidCredentials) {
		reason = screens.ReasonPasswordStale
	}
	return outcome{overall: screens.SignedOut, reason: reason}
}

func (e *engine) failed(user string, err error) outcome {
	switch {
	case errors.Is(err, apierr.SessionExpired):
		return e.loginFailed(user, err)
	case errors.Is(err, apierr.ErrUnreachable):
		return outcome{overall: screens.Offline, reason: screens.OfflineReason(err)}
	}
	return outcome{overall: screens.Failed, reason: screens.Explain(err)}
}

// writeDataset stores d as datasets/<name>.json, replacing the old file in
// one rename so a crash never leaves half a file.
func (e *engine) writeDataset(d client.Dataset) error {
	if !datasetName.MatchString(d.Name) {
		return fmt.Errorf("dataset name %q refused", d.Name)
	}
	dir := filepath.Join(e.dir, "datasets")
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
