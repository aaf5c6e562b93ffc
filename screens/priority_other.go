//go:build !linux && !windows

package screens

// lowerThreadPriority does nothing here. On macOS and iOS a thread's
// priority is its QoS class (pthread_set_qos_class_self_np, through cgo);
// that, and the BSDs, are not done, as nothing here could measure them.
func lowerThreadPriority() error { return nil }
