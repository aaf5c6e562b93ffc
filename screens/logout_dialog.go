package screens

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// LogOutDialog asks before logging out: logging out removes the synced data
// and the saved password, which a stray tap should not do. Cancel has the
// focus, so an Enter pressed right after the tap keeps everything; Escape
// and Cancel close it.
type LogOutDialog struct {
	confirm *keyButton
	cancel  *keyButton
	modal   *modal
}

// NewLogOutDialog builds the question over canvas c; onConfirm runs after
// the rep chose Log Out in it.
func NewLogOutDialog(c fyne.Canvas, onConfirm func()) *LogOutDialog {
	d := &LogOutDialog{}
	title := widget.NewLabelWithStyle("Log out?", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	body := widget.NewLabel(msgLogOutWarning)
	body.Wrapping = fyne.TextWrapWord
	d.confirm = newKeyButton("Log Out", func() {
		d.Hide()
		call(onConfirm)
	}, d.Hide)
	d.confirm.Importance = widget.HighImportance
	d.cancel = newKeyButton("Cancel", d.Hide, d.Hide)
	buttons := container.NewHBox(layout.NewSpacer(), d.cancel, d.confirm)
	d.modal = newModal(c, container.NewVBox(title, body, buttons), d.Hide)
	return d
}

// Show opens the question with Cancel focused.
func (d *LogOutDialog) Show() { d.modal.show(d.cancel) }

// Visible reports whether the question is open.
func (d *LogOutDialog) Visible() bool { return d.modal.shown }

// Hide closes the question.
func (d *LogOutDialog) Hide() { d.modal.hide() }
