package screens

import "syscall"

// backgroundNice is the nice value of the scoring thread: the UI thread
// keeps nice 0, so on a busy core the kernel runs it first.
const backgroundNice = 10

// lowerThreadPriority puts the calling OS thread at background priority.
// On Linux (and Android) a nice value belongs to one thread, not the
// process. The caller must hold runtime.LockOSThread and never unlock it.
func lowerThreadPriority() error {
	return syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), backgroundNice)
}
