// Package testclock is a clock a test moves by hand, passed where the code
// takes a func() time.Time (server.Config.Clock, screens.Env.Now), so code
// lifetimes, cooldowns and countdowns are deterministic. Only _test.go files
// import it.
package testclock

import (
	"sync"
	"time"
)

// Clock is safe for use by the code under test and the test at once.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// New returns a clock standing at start.
func New(start time.Time) *Clock { return &Clock{now: start} }

// Now is the clock's time; pass the method value c.Now as the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
