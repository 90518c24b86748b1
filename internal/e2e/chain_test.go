package e2e

import (
	"testing"
)

// TestDemoChainFlow walks event → enforcements → executions → back → trace
// in the real binary: event list, `e`, `2` (processed), enter, `x`, enter,
// esc esc esc, `t`, `q`.
func TestDemoChainFlow(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		t.Run(sizeName(size.w, size.h), func(t *testing.T) {
			t.Parallel()
			// Seed 1 with 300 events: event #299 has two enforcements, one processed.
			tm := startTerminal(t, size.w, size.h, []string{"TERM=xterm-256color"},
				bin, "--demo", "--seed", "1", "--events", "300", "--live-rate", "0")
			tm.waitFor(wait, "Events", "page 1", "300")

			tm.keys("j")
			tm.keys("e")
			tm.waitFor(wait, "Enforcements of #299", "status: all", "2 loaded")

			tm.keys("2")
			tm.waitFor(wait, "status: processed", "1 loaded")

			tm.keys("Enter")
			tm.waitFor(wait, "Enforcement #", "[Conditions]", "re-evaluated by attune-tui")

			tm.keys("x")
			tm.waitFor(wait, "Executions of enf #")

			tm.keys("Enter")
			tm.waitFor(wait, "Execution #", "action", "Children (")

			// Escape alone, then wait for the screen to change: an ESC followed
			// at once by another byte reads as alt+key.
			tm.keys("Escape")
			tm.waitGone(wait, "Children (")
			tm.waitFor(wait, "Executions of enf #")
			tm.keys("Escape")
			tm.waitGone(wait, "Executions of enf #")
			tm.waitFor(wait, "[Conditions]")
			tm.keys("Escape")
			tm.waitGone(wait, "[Conditions]")
			tm.waitFor(wait, "Enforcements of #299", "status: processed")

			tm.keys("t")
			tm.waitFor(wait, "Trace of #299", "enforcement #")

			tm.keys("q")
			tm.waitFor(wait, "[exited] 0")
		})
	}
}
