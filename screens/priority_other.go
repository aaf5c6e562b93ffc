//go:build !linux && !windows

package screens

// lowerThreadPriority does nothing here: on macOS and iOS a thread's
// priority is a QoS class, set only through cgo.
func lowerThreadPriority() error { return nil }
