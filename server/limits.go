package server

import (
	"context"
	"net"
	"sync"
	"time"
)

// rate is an allowance: Requests per Per.
type rate struct {
	Requests int
	Per      time.Duration
}

// addressRates are the default per-client-address allowances, one bucket per
// endpoint group. They stop one address from enumerating usernames, guessing
// codes across accounts or flooding inboxes; the per-account limits (stored
// in the database) stop a distributed attack on one account.
var addressRates = map[string]rate{
	"lookup":  {30, time.Minute},
	"request": {10, time.Minute},
	"confirm": {20, time.Minute},
	"login":   {20, time.Minute},
	"session": {120, time.Minute},
	"sync":    {120, time.Minute},
	"web":     {30, time.Minute},
	"health":  {120, time.Minute},
	"dev":     {120, time.Minute},
}

// bucketStore keeps the state of the token buckets that the per-address
// limits draw on; which key and which rate is the caller's policy. SQLite
// keeps them in memory (addressLimiter: one process serves the database),
// PostgreSQL in a table every instance shares (pgBuckets).
type bucketStore interface {
	// take takes one token from key's bucket. When it is empty it returns
	// false and how long until a token is back.
	take(ctx context.Context, key string, r rate) (bool, time.Duration, error)
}

// addressLimiter is a token bucket per (endpoint group, client address),
// kept in memory: a restart forgets it, which only ever favours the client
// for one window.
type addressLimiter struct {
	now       func() time.Time
	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
	full   time.Time // from then on it is as good as a new bucket
}

// sweepEvery is how often allow forgets full buckets: memory stays bounded
// by the addresses seen in the last few minutes, however many an attacker
// rotates through, and no request pays for a sweep more than once a minute.
const sweepEvery = time.Minute

func newAddressLimiter(now func() time.Time) *addressLimiter {
	return &addressLimiter{now: now, buckets: map[string]*bucket{}}
}

// allow takes one token from key's bucket. When it is empty it returns
// false and how long until a token is back.
func (l *addressLimiter) allow(key string, r rate) (bool, time.Duration) {
	if r.Requests <= 0 {
		return true, 0
	}
	now := l.now()
	perToken := r.Per / time.Duration(r.Requests)
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= sweepEvery {
		l.sweep(now)
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(r.Requests), last: now}
		l.buckets[key] = b
	}
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens += float64(elapsed) / float64(perToken)
		if b.tokens > float64(r.Requests) {
			b.tokens = float64(r.Requests)
		}
		b.last = now
	}
	allowed := b.tokens >= 1
	if allowed {
		b.tokens--
	}
	b.full = now.Add(time.Duration((float64(r.Requests) - b.tokens) * float64(perToken)))
	if allowed {
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) * float64(perToken))
}

func (l *addressLimiter) take(_ context.Context, key string, r rate) (bool, time.Duration, error) {
	ok, wait := l.allow(key, r)
	return ok, wait, nil
}

// sweep forgets the buckets that have refilled completely.
func (l *addressLimiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if !now.Before(b.full) {
			delete(l.buckets, k)
		}
	}
	l.lastSweep = now
}

// accountLocks serialise confirms of one account inside this process, so a
// burst of confirms with the same code hashes the new password once instead
// of a hundred times. Correctness does not depend on them: the database's
// conditional update is what makes a code single-use.
type accountLocks struct {
	stripes [64]sync.Mutex
}

func (a *accountLocks) lock(id int64) func() {
	m := &a.stripes[uint64(id)%uint64(len(a.stripes))]
	m.Lock()
	return m.Unlock
}

// limitKey is what per-address limits count by: the IPv4 address, or the
// /64 network of an IPv6 address, since one IPv6 client usually holds a
// whole /64 and could otherwise rotate through it.
func limitKey(addr string) string {
	ip := net.ParseIP(addr)
	if ip == nil || ip.To4() != nil {
		return addr
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}
