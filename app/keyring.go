package app

import (
	"sync"

	"salesplus/credentials"
)

// lockedStore lets one call at a time reach the store. Keyring back ends are
// not all safe for concurrent use (go-keyring's mock is a bare map; the
// desktop ones spawn helpers or talk D-Bus), and the sync goroutine and the
// UI's keyring work can overlap.
type lockedStore struct {
	mu sync.Mutex
	s  credentials.Store
}

func (l *lockedStore) Get(username string) (string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.s.Get(username)
}

func (l *lockedStore) Set(username, password string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.s.Set(username, password)
}

func (l *lockedStore) Delete(username string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.s.Delete(username)
}

// keyringQueue runs the keyring work the UI asks for in one goroutine, in the
// order it was asked: a Log Out's Delete can never overtake the next log in's
// Set. It never blocks the UI goroutine.
type keyringQueue struct {
	mu     sync.Mutex
	jobs   []func()
	wake   chan struct{}
	closed bool
}

func newKeyringQueue() *keyringQueue {
	q := &keyringQueue{wake: make(chan struct{}, 1)}
	go q.loop()
	return q
}

// add queues job; after close, jobs are dropped.
func (q *keyringQueue) add(job func()) {
	q.mu.Lock()
	if !q.closed {
		q.jobs = append(q.jobs, job)
	}
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// close runs what is queued and then stops the worker.
func (q *keyringQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *keyringQueue) loop() {
	for range q.wake {
		for {
			q.mu.Lock()
			if len(q.jobs) == 0 {
				closed := q.closed
				q.mu.Unlock()
				if closed {
					return
				}
				break
			}
			job := q.jobs[0]
			q.jobs = q.jobs[1:]
			q.mu.Unlock()
			job()
		}
	}
}
