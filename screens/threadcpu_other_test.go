//go:build !linux

package screens

// threadUsage is not measured outside Linux.
func threadUsage() (cpu, preempted int64, ok bool) { return 0, 0, false }
