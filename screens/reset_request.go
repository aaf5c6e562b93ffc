package screens

import (
	"context"
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"salesplus/apierr"
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
	modal     *modal
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
	d.message = widget.NewLabel(fmt.Sprintf(msgWeWillSendTo, to))
	d.message.Wrapping = fyne.TextWrapWord
	hint := caption(codeLifetimeWords(account.CodeLifetime))
	d.okButton = newKeyButton("OK", d.onOK, d.onCancel)
	d.okButton.Importance = widget.HighImportance
	d.cancelBtn = newKeyButton("Cancel", d.onCancel, d.onCancel)
	d.activity.Hide()
	buttons := container.NewHBox(d.activity, layout.NewSpacer(), d.cancelBtn, d.okButton)
	body := container.NewVBox(title, d.message, hint, d.errorText, buttons)
	d.modal = newModal(c, body, d.onCancel)
	return d
}

// Show opens the popup and focuses OK, so Enter sends and Escape closes.
func (d *ResetRequestDialog) Show() { d.modal.show(d.okButton) }

// Visible reports whether the popup is open.
func (d *ResetRequestDialog) Visible() bool { return d.modal.shown }

// Hide closes the popup and abandons a request in flight.
func (d *ResetRequestDialog) Hide() { d.dismiss() }

func (d *ResetRequestDialog) dismiss() {
	if d.modal.hide() {
		d.life.cancel()
		d.activity.Stop()
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
	if d.okButton.Disabled() || !d.modal.shown {
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
			if !errors.Is(err, apierr.ResendTooSoon) {
				setMessage(d.errorText, Explain(err))
				return
			}
			// A code went out a moment ago: take the rep to where it is
			// typed, and the reset screen says whether it still works.
			t = ResetTicket{SentTo: d.account.Email, ResendAfter: retryAfter(err), NothingSent: true}
			if p := problem(err); p != nil {
				t.ExpiresAt, t.EarlierCodeGone = p.LastCodeExpiresAt, p.LastCodeGone
			}
		}
		d.dismiss()
		if d.onSent != nil {
			d.onSent(d.account, t)
		}
	})
}

func (d *ResetRequestDialog) onCancel() { d.dismiss() }
