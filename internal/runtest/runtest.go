// Package runtest helps a test that runs a server beside it, on a goroutine
// or as a child process: FreeAddr finds it a port, Listen takes a port back
// after a restart, WaitHealthy waits for it to serve, and LogBuffer holds what it logs so the test can read the
// log while the server is still writing it.
//
// Only test code imports it: tests, and smtptest. It imports nothing of
// Sales Plus, unlike servertest, so server's own tests (package server) and
// smtptest can use it.
package runtest

import (
	"bytes"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
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

// WaitHealthy asks url (a server's /healthz) every 50 ms until it answers
// 200 or timeout has passed, and reports whether it did.
func WaitHealthy(url string, timeout time.Duration) bool {
	c := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(timeout)
	for {
		res, err := c.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return true
			}
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// RandomRunes returns n runes drawn from alphabet, the same ones for the
// same seed.
func RandomRunes(alphabet string, n int, seed uint64) string {
	runes := []rune(alphabet)
	rng := rand.New(rand.NewPCG(seed, seed+1))
	var b strings.Builder
	for range n {
		b.WriteRune(runes[rng.IntN(len(runes))])
	}
	return b.String()
}

// Concurrently runs f(0) to f(n-1) at once, each on its own goroutine, and
// waits for all of them.
func Concurrently(n int, f func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { f(i) })
	}
	wg.Wait()
}
