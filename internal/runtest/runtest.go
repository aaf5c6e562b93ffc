// Package runtest helps a test that runs a server beside it, on a goroutine
// or as a child process: FreeAddr finds it a port, Listen takes a port back
// after a restart, and LogBuffer holds what it logs so the test can read the
// log while the server is still writing it.
//
// Only test code imports it: tests, and smtptest. It imports nothing of
// Sales Plus, unlike servertest, so server's own tests (package server) and
// smtptest can use it.
package runtest

import (
	"bytes"
	"net"
	"sync"
	"testing"
	"time"
)

// FreeAddr returns a loopback host:port that was free a moment ago, for a
// server the test starts itself or for a port where nothing listens.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// Listen listens on addr, or on a free loopback port if addr is empty. A
// server stopped a moment ago may still hold addr, so it retries for about
// a second before it gives up.
func Listen(addr string) (net.Listener, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	var l net.Listener
	var err error
	for range 50 {
		if l, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	return l, err
}

// LogBuffer is a bytes.Buffer that a server writes to and a test reads at
// the same time. The zero value is ready to use.
type LogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns everything written so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
