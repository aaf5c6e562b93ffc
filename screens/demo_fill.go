//go:build demo

package screens

// DemoFill puts code (when not empty) and password (when not empty, in both
// password fields) into the reset screen, as typing would: the demo build's
// mailbox offers them as buttons, so testers can walk the reset by taps
// alone. Release builds do not contain it.
func (s *ResetPassword) DemoFill(code, password string) {
	if code != "" {
		s.code.SetText(code)
	}
	if password != "" {
		s.newPassword.SetText(password)
		s.confirm.SetText(password)
	}
}
