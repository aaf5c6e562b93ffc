package screens

import "syscall"

// rusageThread is Linux's RUSAGE_THREAD: the calling thread's usage.
const rusageThread = 1

// threadUsage is the CPU time the calling OS thread has used, in
// nanoseconds, the times the kernel took its core away (involuntary context
// switches), and whether they could be read. The caller locks itself to its
// thread.
func threadUsage() (cpu, preempted int64, ok bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0, 0, false
	}
	return ru.Utime.Nano() + ru.Stime.Nano(), ru.Nivcsw, true
}
