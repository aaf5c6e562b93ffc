package screens

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Overall is the state of the whole sync, as the rep sees it.
type Overall int

// The overall states.
const (
	NeverSynced Overall = iota
	UpToDate
	Syncing
	Failed
	Offline
	SignedOut
)

// DatasetRow is one dataset's line on Sync Status.
type DatasetRow struct {
	Name     string
	Title    string
	Records  int
	Version  int64
	SyncedAt time.Time // zero: never
	Failed   string    // why the last sync of this dataset failed; empty when it did not
}

// SyncState is everything Sync Status shows. The sync engine owns it and
// hands the screen a fresh copy on every change.
type SyncState struct {
	Server      string
	Username    string // empty when nobody ever signed in
	DisplayName string
	Company     string
	Overall     Overall
	Reason      string  // words for Failed, Offline and SignedOut
	Progress    float64 // 0..1 while Syncing
	Step        string  // what is syncing now
	LastSuccess time.Time
	Datasets    []DatasetRow
}

// SyncActions are the screen's buttons.
type SyncActions struct {
	SyncNow       func()
	LogIn         func()
	LogOut        func()
	ResetPassword func()
	ChangeServer  func() // nil when the address is fixed (set by the environment)
}

// SyncStatus is the first screen: who is signed in, how fresh the data is,
// and the buttons to sync, log in or out and reset the password.
type SyncStatus struct {
	env     Env
	life    lifetime
	actions SyncActions

	account      *widget.Label
	server       *widget.Label
	changeServer *escLink
	statusIcon   *widget.Icon
	status       *widget.Label
	reason       *widget.Label
	progress     *widget.ProgressBar
	step         *widget.Label
	lastSync     *widget.Label
	lastExact    *widget.Label
	notice       *widget.Label
	datasets     *fyne.Container
	syncButton   *keyButton
	loginButton  *keyButton
	resetButton  *keyButton
	logoutButton *keyButton
	content      fyne.CanvasObject

	state SyncState // UI goroutine only
}

// NewSyncStatus builds the Sync Status screen.
func NewSyncStatus(env Env, actions SyncActions) *SyncStatus {
	s := &SyncStatus{
		env: env, life: newLifetime(), actions: actions,
		account:    widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		server:     caption(""),
		statusIcon: widget.NewIcon(theme.InfoIcon()),
		status:     widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		reason:     newMessage(widget.MediumImportance),
		progress:   widget.NewProgressBar(),
		step:       caption(""),
		lastSync:   widget.NewLabel(""),
		lastExact:  caption(""),
		notice:     newMessage(widget.WarningImportance),
		datasets:   container.NewVBox(),
	}
	s.account.Wrapping = fyne.TextWrapWord
	s.changeServer = link("Change", func() { call(s.actions.ChangeServer) })
	s.changeServer.SizeName = theme.SizeNameCaptionText
	s.syncButton = newIconButton("Sync Now", theme.ViewRefreshIcon(), func() { call(s.actions.SyncNow) })
	s.syncButton.Importance = widget.HighImportance
	s.loginButton = newIconButton("Log In", theme.LoginIcon(), func() { call(s.actions.LogIn) })
	s.loginButton.Importance = widget.HighImportance
	s.resetButton = newIconButton("Reset Password", theme.AccountIcon(), func() { call(s.actions.ResetPassword) })
	s.logoutButton = newIconButton("Log Out", theme.LogoutIcon(), func() { call(s.actions.LogOut) })

	statusLine := container.NewBorder(nil, nil, s.statusIcon, nil, s.status)
	s.content = page("Sync Status", nil,
		container.NewVBox(s.syncButton, s.loginButton, container.New(equalRow{}, s.resetButton, s.logoutButton)),
		s.account, container.NewBorder(nil, nil, nil, s.changeServer, s.server),
		widget.NewSeparator(),
		statusLine, s.reason, s.progress, s.step,
		s.lastSync, s.lastExact,
		s.notice,
		widget.NewSeparator(),
		fieldLabel("Data on this device"),
		s.datasets,
	)
	s.SetState(SyncState{})
	ticker(env, s.life, s.refreshTimes)
	return s
}

func call(f func()) {
	if f != nil {
		f()
	}
}

// Content is the screen's root object.
func (s *SyncStatus) Content() fyne.CanvasObject { return s.content }

// Focus focuses the main action.
func (s *SyncStatus) Focus(c fyne.Canvas) {
	if s.state.Overall == SignedOut {
		c.Focus(s.loginButton)
	} else {
		c.Focus(s.syncButton)
	}
}

// Close stops the clock that refreshes relative times.
func (s *SyncStatus) Close() { s.life.cancel() }

// SetNotice shows a warning that is not about syncing, such as a password
// the keyring could not save; empty hides it.
func (s *SyncStatus) SetNotice(text string) { setMessage(s.notice, text) }

// SetState shows st.
func (s *SyncStatus) SetState(st SyncState) {
	s.state = st
	switch {
	case st.Username == "":
		s.account.SetText("Not signed in")
	case st.DisplayName != "" && st.Company != "":
		s.account.SetText(fmt.Sprintf("%s · %s\n%s", st.DisplayName, st.Company, st.Username))
	case st.DisplayName != "":
		s.account.SetText(fmt.Sprintf("%s\n%s", st.DisplayName, st.Username))
	default:
		s.account.SetText(st.Username)
	}
	s.server.SetText("Server: " + st.Server)

	switch st.Overall {
	case UpToDate:
		s.setStatus(theme.ConfirmIcon(), "Up to date", widget.SuccessImportance)
	case Syncing:
		s.setStatus(theme.ViewRefreshIcon(), "Syncing…", widget.MediumImportance)
	case Failed:
		s.setStatus(theme.ErrorIcon(), "Sync failed", widget.DangerImportance)
	case Offline:
		s.setStatus(theme.WarningIcon(), "Offline", widget.WarningImportance)
	case SignedOut:
		s.setStatus(theme.AccountIcon(), "Signed out", widget.WarningImportance)
	default:
		s.setStatus(theme.InfoIcon(), "Not synced yet", widget.MediumImportance)
	}
	setMessage(s.reason, st.Reason)
	syncing := st.Overall == Syncing
	setVisible(s.progress, syncing)
	s.progress.SetValue(st.Progress)
	if syncing {
		setMessage(s.step, st.Step)
	} else {
		setMessage(s.step, "")
	}

	s.datasets.RemoveAll()
	if len(st.Datasets) == 0 {
		s.datasets.Add(caption(msgNothingSynced))
	}
	for _, d := range st.Datasets {
		s.datasets.Add(s.datasetRow(d))
	}

	signedOut := st.Overall == SignedOut || st.Username == ""
	setEnabled(s.syncButton, !syncing && !signedOut)
	setVisible(s.syncButton, !signedOut)
	setVisible(s.loginButton, signedOut)
	setVisible(s.logoutButton, !signedOut)
	setEnabled(s.logoutButton, !syncing)
	setVisible(s.changeServer, s.actions.ChangeServer != nil && !syncing)
	s.refreshTimes()
}

func (s *SyncStatus) setStatus(icon fyne.Resource, text string, imp widget.Importance) {
	s.statusIcon.SetResource(icon)
	s.status.Importance = imp
	s.status.SetText(text)
}

func (s *SyncStatus) datasetRow(d DatasetRow) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(d.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	counts := widget.NewLabel(fmt.Sprintf("%d records · version %d", d.Records, d.Version))
	counts.Alignment = fyne.TextAlignTrailing
	when := caption(s.syncedText(d))
	if d.Failed != "" {
		when.Importance = widget.DangerImportance
	}
	return container.NewVBox(container.NewBorder(nil, nil, nil, counts, title), when)
}

func (s *SyncStatus) syncedText(d DatasetRow) string {
	switch {
	case d.Failed != "" && d.SyncedAt.IsZero():
		return "Failed: " + d.Failed
	case d.Failed != "":
		return "Failed: " + d.Failed + " (last synced " + relative(s.env.now(), d.SyncedAt) + ")"
	case d.SyncedAt.IsZero():
		return msgNotSyncedYet
	default:
		return "Synced " + relative(s.env.now(), d.SyncedAt)
	}
}

// refreshTimes rewrites the relative times, which age while the screen is open.
func (s *SyncStatus) refreshTimes() {
	if s.state.LastSuccess.IsZero() {
		s.lastSync.SetText(msgNeverSynced)
		setMessage(s.lastExact, "")
	} else {
		s.lastSync.SetText("Last synced " + relative(s.env.now(), s.state.LastSuccess))
		setMessage(s.lastExact, s.state.LastSuccess.Format("Mon 2 Jan 2006, 15:04:05 MST"))
	}
	objs := s.datasets.Objects
	for i, d := range s.state.Datasets {
		if i < len(objs) {
			if box, ok := objs[i].(*fyne.Container); ok && len(box.Objects) == 2 {
				if l, ok := box.Objects[1].(*widget.Label); ok {
					l.SetText(s.syncedText(d))
				}
			}
		}
	}
}
