package screens

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// ResetRequester asks the server to email a reset code.
type ResetRequester interface {
	RequestReset(ctx context.Context, username string) (ResetTicket, error)
}

// ResetRequestDialog is the popup that shows where the code will go and sends
// it on OK. Escape and Cancel close it (and abandon a request in flight).
type ResetRequestDialog struct {
	env     Env
	life    lifetime
	req     ResetRequester
	account Account
	canvas  fyne.Canvas
	onSent  func(Account, ResetTicket)

	message   *widget.Label
	errorText *widget.Label
	activity  *widget.Activity
	okButton  *keyButton
	cancelBtn *keyButton
	popup     *widget.PopUp

	prevTypedKey func(*fyne.KeyEvent)
	prevFocus    fyne.Focusable
	shown        bool
}

// NewResetRequestDialog builds the popup for account on canvas c; onSent runs
// after the server accepted the request.
func NewResetRequestDialog(env Env, c fyne.Canvas, req ResetRequester, account Account, onSent func(Account, ResetTicket)) *ResetRequestDialog {
	d := &ResetRequestDialog{
		env: env, life: newLifetime(), req: req, account: account, canvas: c, onSent: onSent,
		errorText: newMessage(widget.DangerImportance),
		activity:  widget.NewActivity(),
	}
	to := account.Email
	if to == "" {
		to = account.Username
	}
	title := widget.NewLabelWithStyle("Reset your password", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.message = widget.NewLabel("We'll send a 6-digit code to " + to + ".")
	d.message.Wrapping = fyne.TextWrapWord
	hint := caption("The code works for 15 minutes. Check your spam folder if it doesn't arrive.")
	d.okButton = newKeyButton("OK", d.onOK, d.onCancel)
	d.okButton.Importance = widget.HighImportance
	d.cancelBtn = newKeyButton("Cancel", d.onCancel, d.onCancel)
	d.activity.Hide()
	buttons := container.NewHBox(d.activity, layout.NewSpacer(), d.cancelBtn, d.okButton)
	body := container.NewVBox(title, d.message, hint, d.errorText, buttons)
	d.popup = widget.NewModalPopUp(container.New(popupLayout{canvas: c}, body), c)
	return d
}

// Show opens the popup and focuses OK, so Enter sends and Escape closes.
func (d *ResetRequestDialog) Show() {
	d.shown = true
	d.prevTypedKey = d.canvas.OnTypedKey()
	d.prevFocus = d.canvas.Focused()
	d.canvas.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			d.onCancel()
			return
		}
		if d.prevTypedKey != nil {
			d.prevTypedKey(ev)
		}
	})
	d.popup.Show()
	d.canvas.Focus(d.okButton)
}

// Visible reports whether the popup is open.
func (d *ResetRequestDialog) Visible() bool { return d.shown }

// Hide closes the popup and abandons a request in flight.
func (d *ResetRequestDialog) Hide() { d.dismiss() }

func (d *ResetRequestDialog) dismiss() {
	if !d.shown {
		return
	}
	d.shown = false
	d.life.cancel()
	d.activity.Stop()
	d.popup.Hide()
	d.canvas.SetOnTypedKey(d.prevTypedKey)
	if d.prevFocus != nil {
		d.canvas.Focus(d.prevFocus)
	} else {
		d.canvas.Unfocus()
	}
}

func (d *ResetRequestDialog) setBusy(busy bool) {
	setEnabled(d.okButton, !busy)
	setVisible(d.activity, busy)
	if busy {
		d.okButton.SetText("Sending…")
		d.activity.Start()
	} else {
		d.okButton.SetText("OK")
		d.activity.Stop()
	}
}

func (d *ResetRequestDialog) onOK() {
	if d.okButton.Disabled() || !d.shown {
		return
	}
	d.setBusy(true)
	setMessage(d.errorText, "")
	name := d.account.Username
	run(d.env, d.life, func(ctx context.Context) (ResetTicket, error) {
		return d.req.RequestReset(ctx, name)
	}, func(t ResetTicket, err error) {
		d.setBusy(false)
		if err != nil {
			setMessage(d.errorText, d.env.explain(err).Message)
			return
		}
		d.dismiss()
		if d.onSent != nil {
			d.onSent(d.account, t)
		}
	})
}

func (d *ResetRequestDialog) onCancel() { d.dismiss() }

// keyButton is a Button that also hears Escape while it has the focus; a
// focused widget gets keys before the canvas, so the canvas handler alone
// would miss Escape after the rep tabbed to a button.
type keyButton struct {
	widget.Button
	onEscape func()
}

func newKeyButton(label string, tapped, escape func()) *keyButton {
	b := &keyButton{onEscape: escape}
	b.Text = label
	b.OnTapped = tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey closes on Escape, submits on Enter and otherwise acts as a Button.
func (b *keyButton) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyEscape:
		if b.onEscape != nil {
			b.onEscape()
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		if !b.Disabled() && b.OnTapped != nil {
			b.OnTapped()
		}
	default:
		b.Button.TypedKey(ev)
	}
}

// popupLayout gives the popup a comfortable width: 400 on a desktop, the
// screen less a margin on a phone.
type popupLayout struct{ canvas fyne.Canvas }

func (popupLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (l popupLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	w := float32(400)
	if cw := l.canvas.Size().Width - 4*theme.Padding(); cw > 0 && cw < w {
		w = cw
	}
	return fyne.NewSize(max(s.Width, w), s.Height)
}
