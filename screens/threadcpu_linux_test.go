package screens

import (
	"syscall"
	"unsafe"
)

// Linux's RUSAGE_THREAD and CLOCK_THREAD_CPUTIME_ID: the calling thread's.
const (
	rusageThread       = 1
	clockThreadCPUTime = 3
)

// threadUsage is the CPU time the calling OS thread has used, in
// nanoseconds (from the thread's CPU clock: getrusage counts in scheduler
// ticks, 4 ms here), the times the kernel took its core away (involuntary
// context switches), and whether they could be read. The caller locks itself
// to its thread.
func threadUsage() (cpu, preempted int64, ok bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0, 0, false
	}
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return 0, 0, false
	}
	return ts.Nano(), ru.Nivcsw, true
}
