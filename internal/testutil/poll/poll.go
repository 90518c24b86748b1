// Package poll is the tests' one condition wait for state that sends no
// event: a server-side counter, a tmux screen, a listening port. It checks
// the condition at once, then on every tick of an interval, until it holds
// or a deadline passes. It has no dependencies, so any package's tests can
// use it (the dev server's own tests too, which internal/testutil cannot
// serve without an import cycle).
package poll

import "time"

// Until calls cond right away and then every interval until it returns
// true or timeout has passed since the call; after the deadline cond is
// asked once more. It reports whether cond held. The caller fails the
// test with what it waited for.
func Until(timeout, interval time.Duration, cond func() bool) bool {
	if cond() {
		return true
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-deadline.C:
			return cond()
		case <-tick.C:
			if cond() {
				return true
			}
		}
	}
}
