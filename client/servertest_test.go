package client

// The real backend for the client's tests (internal/servertest: a fresh
// SQLite file, a clock the test moves, a real SMTP sink) served over
// httptest through a handler that can count requests and drop answers.

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"salesplus/internal/servertest"
	"salesplus/internal/smtptest"
	"salesplus/internal/testclock"
	"salesplus/server"
)

// backend is a running real server.
type backend struct {
	URL      string
	Server   *server.Server
	Clock    *testclock.Clock
	SMTP     *smtptest.Sink
	requests atomic.Int32 // requests that reached the server
	// dropNext, when set, makes the server handle the next request that
	// matches it and then drop the connection instead of answering: the
	// "answer lost on the way" case.
	dropNext atomic.Pointer[func(*http.Request) bool]
}

// startBackend runs a real server with a fresh database and SMTP listener.
// limits overrides the server's abuse limits; the per-address limit is off
// unless set, since every test request comes from 127.0.0.1.
func startBackend(t *testing.T, limits server.Limits) *backend {
	t.Helper()
	// The listener exists before the server opens, so the server can be
	// opened with its public URL and be in place before the first request.
	b := &backend{}
	ts := httptest.NewUnstartedServer(http.HandlerFunc(b.serveHTTP))
	b.URL = "http://" + ts.Listener.Addr().String()
	rb := servertest.Open(t, servertest.Options{PublicURL: b.URL, Limits: limits})
	b.Server, b.Clock, b.SMTP = rb.Server, rb.Clock, rb.SMTP
	ts.Start()
	t.Cleanup(ts.Close) // before the server closes
	return b
}

func (b *backend) serveHTTP(w http.ResponseWriter, r *http.Request) {
	b.requests.Add(1)
	if drop := b.dropNext.Load(); drop != nil && (*drop)(r) && b.dropNext.CompareAndSwap(drop, nil) {
		b.Server.ServeHTTP(httptest.NewRecorder(), r) // the server does the work...
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = conn.Close() // ...and the answer never arrives
		}
		return
	}
	b.Server.ServeHTTP(w, r)
}

// client returns a client for the backend with fast retry pacing.
func (b *backend) client(t *testing.T, opts ...Option) *Client {
	t.Helper()
	return newFastClient(t, b.URL, opts...)
}
