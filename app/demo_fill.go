//go:build demo

package app

// DemoFill fills the reset screen, when it is showing, with a code and a
// password from the demo mailbox; it reports whether it was showing. Demo
// builds only.
func (a *App) DemoFill(code, password string) bool {
	if a.reset == nil {
		return false
	}
	a.reset.DemoFill(code, password)
	return true
}
