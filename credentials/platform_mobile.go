//go:build android || ios

package credentials

// go-keyring compiles for Android and iOS but fails there at run time, so on
// those targets the app keeps no password and the rep types it at login.
func newPlatformStore(string) Store { return Unsupported{} }
