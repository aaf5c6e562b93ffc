//go:build !android && !ios

package credentials

func newPlatformStore(service string) Store { return Keyring{Service: service} }
