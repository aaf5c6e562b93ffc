package screens

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// ServerDialog is the popup where the rep changes the server address their
// admin gave them. The address is checked before it is saved; Enter saves,
// Escape and Cancel close.
type ServerDialog struct {
	env      Env
	validate func(string) error
	onSave   func(string)

	entry      *escEntry
	errorText  *widget.Label
	saveButton *keyButton
	cancelBtn  *keyButton
	modal      *modal
}

// NewServerDialog builds the popup on canvas c showing current; validate
// checks an address without touching the network; onSave gets the new one.
func NewServerDialog(env Env, c fyne.Canvas, current string, validate func(string) error, onSave func(string)) *ServerDialog {
	d := &ServerDialog{env: env, validate: validate, onSave: onSave, errorText: newMessage(widget.DangerImportance)}
	title := widget.NewLabelWithStyle("Sales Plus server", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	help := widget.NewLabel(msgServerHelp)
	help.Wrapping = fyne.TextWrapWord
	d.entry = newEscEntry(d.onCancel)
	d.entry.SetText(current)
	d.entry.SetPlaceHolder("https://sales.example.com")
	d.entry.OnChanged = func(string) { setMessage(d.errorText, "") }
	d.entry.OnSubmitted = func(string) { d.onSaveTapped() }
	d.saveButton = newKeyButton("Save", d.onSaveTapped, d.onCancel)
	d.saveButton.Importance = widget.HighImportance
	d.cancelBtn = newKeyButton("Cancel", d.onCancel, d.onCancel)
	buttons := container.NewHBox(layout.NewSpacer(), d.cancelBtn, d.saveButton)
	body := container.NewVBox(title, help, d.entry, d.errorText, buttons)
	d.modal = newModal(c, body, d.onCancel)
	return d
}

// Show opens the popup with the cursor in the address.
func (d *ServerDialog) Show() { d.modal.show(d.entry) }

// Hide closes the popup.
func (d *ServerDialog) Hide() { d.modal.hide() }

// Visible reports whether the popup is open.
func (d *ServerDialog) Visible() bool { return d.modal.shown }

func (d *ServerDialog) onSaveTapped() {
	url := strings.TrimRight(strings.TrimSpace(d.entry.Text), "/")
	if url == "" {
		setMessage(d.errorText, msgTypeServer)
		return
	}
	if d.validate != nil {
		if err := d.validate(url); err != nil {
			setMessage(d.errorText, Explain(err))
			return
		}
	}
	d.modal.hide()
	if d.onSave != nil {
		d.onSave(url)
	}
}

func (d *ServerDialog) onCancel() { d.modal.hide() }
