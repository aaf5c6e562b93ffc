package screens

import "golang.org/x/sys/windows"

var setThreadPriority = windows.NewLazySystemDLL("kernel32.dll").NewProc("SetThreadPriority")

// threadPriorityBelowNormal is THREAD_PRIORITY_BELOW_NORMAL.
const threadPriorityBelowNormal int32 = -1

// lowerThreadPriority puts the calling OS thread below normal priority, so
// Windows runs the UI thread first. The caller must hold
// runtime.LockOSThread and never unlock it.
func lowerThreadPriority() error {
	p := threadPriorityBelowNormal
	if ok, _, err := setThreadPriority.Call(uintptr(windows.CurrentThread()), uintptr(p)); ok == 0 {
		return err
	}
	return nil
}
