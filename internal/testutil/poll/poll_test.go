package poll_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/attune-tui/attune-tui/internal/testutil/poll"
)

// TestUntil: a condition that holds at once is asked once; one that holds
// after a few checks is waited for; one that never holds gives false once
// the deadline has passed (and not long after it).
func TestUntil(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	if !poll.Until(time.Hour, time.Hour, func() bool { calls.Add(1); return true }) || calls.Load() != 1 {
		t.Errorf("an immediate condition: %d calls", calls.Load())
	}
	calls.Store(0)
	if !poll.Until(10*time.Second, time.Millisecond, func() bool { return calls.Add(1) == 3 }) {
		t.Error("a condition that holds on the third check was not waited for")
	}
	start := time.Now()
	calls.Store(0)
	if poll.Until(20*time.Millisecond, 5*time.Millisecond, func() bool { calls.Add(1); return false }) {
		t.Error("a condition that never holds reported true")
	}
	if d := time.Since(start); d < 20*time.Millisecond || d > 5*time.Second {
		t.Errorf("gave up after %v, deadline 20ms", d)
	}
	if calls.Load() < 2 {
		t.Errorf("the condition was asked %d times before giving up", calls.Load())
	}
}
