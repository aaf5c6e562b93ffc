package screens

import "syscall"

// backgroundNiceStep is how much nicer than the rest of the process the
// scoring thread runs: the UI thread keeps the process's nice value, so on
// a busy core the kernel runs it first. 10 is what Android gives background
// threads (THREAD_PRIORITY_BACKGROUND).
const backgroundNiceStep = 10

// lowerThreadPriority makes the calling OS thread backgroundNiceStep nicer
// than it is (at most 19), relative rather than absolute so that an app
// started with nice already set still keeps its UI thread ahead. On Linux
// (and Android) a nice value belongs to one thread, not the process. The
// caller must hold runtime.LockOSThread and never unlock it.
func lowerThreadPriority() error {
	tid := syscall.Gettid()
	prio, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid) // the raw call: 20 - nice
	if err != nil {
		return err
	}
	return syscall.Setpriority(syscall.PRIO_PROCESS, tid, min(20-prio+backgroundNiceStep, 19))
}
